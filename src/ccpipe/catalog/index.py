"""``index.html``: the catalogue page, one self-contained file with relative links to every brief.

It carries no build time and lists documents in a fixed order, so the same output folder gives the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

from ccpipe.catalog.manifest import EntityRef, Entry
from ccpipe.models import Category

# Bilingual labels of entity categories, worded as in the briefs' zh_Hans catalog.
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    Category.AGREEMENT: ("协定与公约", "Agreements"),
    Category.ORGANIZATION: ("机构与组织", "Organizations"),
    Category.MECHANISM: ("机制", "Mechanisms"),
    Category.FUND: ("基金", "Funds"),
    Category.INITIATIVE: ("倡议", "Initiatives"),
    Category.EVENT: ("会议与活动", "Events"),
    Category.DOCUMENT: ("文件", "Documents"),
    Category.COUNTRY: ("国家", "Countries"),
    Category.REGION: ("地区", "Regions"),
    Category.PERSON: ("人物", "People"),
    Category.CONCEPT: ("概念", "Concepts"),
}
FILE_LABELS: dict[str, tuple[str, str]] = {
    "brief.html": ("简报网页", "Brief (HTML)"),
    "brief.pdf": ("简报 PDF", "Brief (PDF)"),
    "brief.en.html": ("英文版网页", "English edition (HTML)"),
    "brief.en.pdf": ("英文版 PDF", "English edition (PDF)"),
    "brief.docx": ("简报 Word", "Brief (Word)"),
    "brief.md": ("简报 Markdown", "Brief (Markdown)"),
    "document.json": ("结构化数据", "Data (JSON)"),
    "candidates.csv": ("候选术语", "Term candidates (CSV)"),
}
FACET_LIMIT = 40


@dataclass(frozen=True)
class Link:
    href: str
    zh: str
    en: str
    size: str


@dataclass(frozen=True)
class Group:
    category: str
    zh: str
    en: str
    entities: list[tuple[EntityRef, int]]  # with a count: mentions in a card, documents in the facets


@dataclass(frozen=True)
class Card:
    entry: Entry
    links: list[Link]
    groups: list[Group]
    facet_ids: str  # the facet entities this document mentions, for the filter script
    main: str | None  # where the title links: the HTML brief, else the PDF
    english: str | None  # where the English title links: the English edition, HTML else PDF, if written


def href(entry: Entry, name: str) -> str:
    """A link relative to the output folder, percent-encoded so any server or file system resolves it."""
    return f"{quote(entry.dir)}/{quote(name)}"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def group(entities: Sequence[tuple[EntityRef, int]]) -> list[Group]:
    """Entities by category in the glossary's category order; unknown categories last."""
    order = {category: i for i, category in enumerate(CATEGORY_LABELS)}
    by_category: dict[str, list[tuple[EntityRef, int]]] = {}
    for item in entities:
        by_category.setdefault(item[0].category, []).append(item)
    groups = []
    for category in sorted(by_category, key=lambda c: (order.get(c, len(order)), c)):
        zh, en = CATEGORY_LABELS.get(category, (category, category))
        groups.append(Group(category, zh, en, by_category[category]))
    return groups


def facets(mentioned: Mapping[str, Sequence[EntityRef]]) -> list[Group]:
    """The entities worth filtering by: those in most documents, then most mentioned overall."""
    documents: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    refs: dict[str, EntityRef] = {}
    for entities in mentioned.values():
        for entity in entities:
            documents[entity.id] += 1
            mentions[entity.id] += entity.count
            refs.setdefault(entity.id, entity)
    ranked = sorted(refs, key=lambda i: (-documents[i], -mentions[i], refs[i].zh, i))[:FACET_LIMIT]
    return group([(refs[i], documents[i]) for i in sorted(ranked, key=lambda i: (-mentions[i], refs[i].zh, i))])


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("ccpipe.catalog", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _first(entry: Entry, names: Sequence[str]) -> str | None:
    """The link to the first of ``names`` the document's folder holds (its formats wrote), if any."""
    return next((href(entry, name) for name in names if entry.has(name)), None)


def render_index(entries: Sequence[Entry], mentioned: Mapping[str, Sequence[EntityRef]]) -> str:
    """The catalogue page for ``entries`` (already in display order); ``mentioned`` holds every entity by folder."""
    facet_groups = facets(mentioned)
    facet_ids = {entity.id for g in facet_groups for entity, _ in g.entities}
    cards = []
    for entry in entries:
        links = [
            Link(href(entry, f.name), *FILE_LABELS.get(f.name, (f.name, f.name)), human_size(f.size))
            for f in entry.files
        ]
        present = sorted({e.id for e in mentioned.get(entry.dir, ())} & facet_ids)
        main = _first(entry, ("brief.html", "brief.pdf"))
        english = _first(entry, ("brief.en.html", "brief.en.pdf"))
        groups = group([(e, e.count) for e in entry.entities])
        cards.append(Card(entry, links, groups, " ".join(present), main, english))
    template = _environment().get_template("index.html.j2")
    return template.render(cards=cards, facets=facet_groups)
