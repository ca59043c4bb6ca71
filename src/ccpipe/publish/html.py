"""The bilingual HTML brief: one self-contained file, also the single source the PDF is printed from."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..models import Block, BlockKind, Category, Document, Entity, Mention
from ..structure import table_layout
from ..textutil import is_cjk

TEMPLATE = "brief.html.j2"
STYLESHEET = "brief.css"

# Every fixed UI string, as (Chinese, English). Kept in one place so a later change can move them to gettext catalogs.
LABELS: dict[str, tuple[str, str]] = {
    "edition": ("双语阅读版", "Bilingual reading edition"),
    "publisher": ("发布机构", "Publisher"),
    "date": ("日期", "Date"),
    "pages": ("原文页数", "Pages"),
    "source": ("来源文件", "Source"),
    "sha256": ("校验值", "SHA-256"),
    "generator": ("生成工具", "Generator"),
    "outline": ("目录", "Outline"),
    "no_headings": ("原文无章节标题", "The source has no section headings"),
    "index": ("术语索引", "Entity index"),
    "index_note": (
        "正文中的术语以颜色标出，并在方括号中附英文名称。页码（p.）均指原文页码。",
        "Terms are highlighted in the text with their English name in brackets. Page numbers (p.) refer to the source.",
    ),
    "no_entities": ("未识别出术语", "No glossary terms were found"),
    "term_zh": ("中文", "Chinese"),
    "term_en": ("英文", "English"),
    "count": ("次数", "Mentions"),
    "first": ("首见页", "First seen"),
    "fulltext": ("全文", "Full text"),
    "footnotes": ("注释", "Notes"),
    "back": ("返回正文", "Back to the text"),
    "page": ("页", "p."),
    "pages_abbr": ("页", "pp."),
    "page_title": ("原文页码", "Page in the source document"),
    "disclaimer": (
        "英文名称依据术语表自动标注，仅供参考，并非官方译文。",
        "English names are added automatically from a glossary for orientation; they are not an official translation.",
    ),
}

CATEGORY_LABELS: dict[Category, tuple[str, str]] = {
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
CATEGORY_ORDER = tuple(CATEGORY_LABELS)

_URL = re.compile(r"https?://[^\s<>\"'\u3000-\u303f\uff00-\uffef]+")
_PLAIN_LABEL = re.compile(r"\[?\d+\]?")
_SHORT_HASH = 12
_KEYWORDS = 12


@dataclass(frozen=True)
class _Span:
    """A piece of block text that becomes an element: a mention, a footnote call or a URL."""

    start: int
    end: int
    html: Markup


@dataclass
class _Item:
    """One element of the full text; list items are grouped so they render as one list."""

    block: Block
    tag: str
    html: Markup
    pageref: str
    lang: str = "zh-Hans"
    children: list[_Item] = field(default_factory=list)


@dataclass(frozen=True)
class _IndexRow:
    entity: Entity
    count: int
    first_block: str
    first_page: int


def _lang(text: str) -> str:
    # A block without any CJK (e.g. the publisher's English name) is English, which matters for hyphenation and fonts.
    return "zh-Hans" if any(map(is_cjk, text)) or not text.strip() else "en"


def _pageref(block: Block) -> str:
    pages = sorted(set(block.pages) or {block.page})
    if len(pages) > 1:
        return f"{LABELS['pages_abbr'][1]} {pages[0]}–{pages[-1]}"
    return f"{LABELS['page'][1]} {pages[0]}"


def _term(mention: Mention) -> Markup:
    return Markup(
        '<span class="term term-{cat}" data-entity="{eid}" lang="zh-Hans" title="{en}">{zh}</span>'
        '<span class="{gloss}" lang="en">{en}</span>'
    ).format(
        cat=mention.category.value,
        eid=mention.entity_id,
        en=mention.en,
        zh=mention.text,
        gloss="gloss same" if mention.text.casefold() == mention.en.casefold() else "gloss",
    )


def _add(spans: list[_Span], span: _Span) -> None:
    # First come, first kept: mentions are added before footnote calls and URLs, so they win any overlap.
    if all(span.end <= other.start or span.start >= other.end for other in spans):
        spans.append(span)


def _shown_mentions(document: Document) -> dict[str, list[Mention]]:
    """Per block, in text order, the mentions the brief marks up; the index counts exactly these."""
    texts = {b.id: b.text for b in document.blocks if b.kind != BlockKind.TITLE}  # the title is not marked up
    shown: dict[str, list[Mention]] = {}
    for m in sorted(document.mentions, key=lambda m: (m.block_id, m.start, m.end)):
        text = texts.get(m.block_id)
        # Offsets that no longer match the text would corrupt the markup (the JSON contract rejects them too), and
        # an overlap cannot nest in HTML: keep the earlier mention.
        if text is None or not 0 <= m.start < m.end <= len(text) or text[m.start : m.end] != m.text:
            continue
        kept = shown.setdefault(m.block_id, [])
        if not kept or kept[-1].end <= m.start:
            kept.append(m)
    return shown


def _table_markup(block: Block, mentions: list[Mention]) -> Markup:
    """A table block as an HTML table: merged cells keep their spans, each cell's terms stay marked."""
    assert block.table is not None
    _, placed = table_layout(block.table)
    rows: dict[int, list[Markup]] = {}
    for cell, start in placed:
        end = start + len(cell.text)
        inside = [
            m.model_copy(update={"start": m.start - start, "end": m.end - start})
            for m in mentions
            if start <= m.start and m.end <= end
        ]
        spans = Markup("").join(
            Markup(' {}="{}"').format(name, value)
            for name, value in (("rowspan", cell.rowspan), ("colspan", cell.colspan))
            if value > 1
        )
        rows.setdefault(cell.row, []).append(Markup("<td{}>{}</td>").format(spans, _markup_text(cell.text, inside, [])))
    body = Markup("").join(Markup("<tr>{}</tr>").format(Markup("").join(cells)) for _, cells in sorted(rows.items()))
    return Markup('<table class="data"><tbody>{}</tbody></table>').format(body)


def _markup(block: Block, mentions: list[Mention], calls: list[tuple[str, str, str]]) -> Markup:
    if block.kind == BlockKind.TABLE and block.table is not None:
        return _table_markup(block, mentions)
    return _markup_text(block.text, mentions, calls)


def _markup_text(text: str, mentions: list[Mention], calls: list[tuple[str, str, str]]) -> Markup:
    """Escape ``text`` and wrap mentions, footnote calls (footnote id, label, call id) and URLs."""
    spans = [_Span(m.start, m.end, _term(m)) for m in mentions]
    tail: list[Markup] = []
    for note_id, label, call_id in calls:
        # Labels such as ¹ or ① already look like calls; plain "1" or "[1]" must be raised to read as one.
        cls = "fnref raise" if _PLAIN_LABEL.fullmatch(label) else "fnref"
        link = Markup('<a class="{cls}" id="{c}" href="#{n}" role="doc-noteref">{label}</a>')
        taken = [(s.start, s.end) for s in spans]
        at = next((m.start() for m in re.finditer(re.escape(label), text) if _free(m.start(), len(label), taken)), -1)
        if at >= 0:
            _add(spans, _Span(at, at + len(label), link.format(cls=cls, c=call_id, n=note_id, label=label)))
        else:  # the call marker was lost in extraction: still link the note, at the end of the block
            tail.append(link.format(cls=cls, c=call_id, n=note_id, label=label))
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:)]}>")
        anchor = Markup('<a class="url" href="{u}" lang="en">{u}</a>').format(u=url)
        _add(spans, _Span(match.start(), match.start() + len(url), anchor))
    out: list[Markup] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        out += [escape(text[pos : span.start]), span.html]
        pos = span.end
    out.append(escape(text[pos:]))
    return Markup("").join(out + tail)


def _free(start: int, length: int, taken: list[tuple[int, int]]) -> bool:
    return all(start + length <= a or start >= b for a, b in taken)


def _items(
    document: Document, by_block: dict[str, list[Mention]]
) -> tuple[list[_Item], list[_Item], dict[str, list[str]]]:
    """Body items in reading order, footnote items, and for each footnote the ids of its calls."""
    notes = {b.id: b for b in document.blocks if b.kind == BlockKind.FOOTNOTE}
    backrefs: dict[str, list[str]] = {note_id: [] for note_id in notes}
    body: list[_Item] = []
    for block in document.blocks:
        if block.kind in (BlockKind.TITLE, BlockKind.FOOTNOTE):
            continue
        calls = []
        for note_id in block.footnote_refs:
            if note_id in notes:
                call_id = f"ref-{note_id}-{len(backrefs[note_id]) + 1}"
                backrefs[note_id].append(call_id)
                calls.append((note_id, notes[note_id].label or "*", call_id))
        html = _markup(block, by_block.get(block.id, []), calls)
        item = _Item(block, _tag(block), html, _pageref(block), _lang(block.text))
        if block.kind == BlockKind.LIST_ITEM and body and body[-1].tag == "ul":
            body[-1].children.append(item)
        elif block.kind == BlockKind.LIST_ITEM:
            body.append(_Item(block, "ul", Markup(""), "", item.lang, [item]))
        else:
            body.append(item)
    footnotes = [
        _Item(n, "p", _markup(n, by_block.get(n.id, []), []), _pageref(n), _lang(n.text)) for n in notes.values()
    ]
    return body, footnotes, backrefs


def _tag(block: Block) -> str:
    if block.kind == BlockKind.HEADING:
        return f"h{min(max(block.level or 1, 1), 3) + 1}"
    return {BlockKind.LIST_ITEM: "li", BlockKind.TABLE: "div"}.get(block.kind, "p")


def _outline(document: Document) -> list[tuple[Block, list[Block]]]:
    """Level-1 headings with their level-2 children; a level-2 heading before any level 1 stands alone."""
    tree: list[tuple[Block, list[Block]]] = []
    for block in document.blocks:
        if block.kind != BlockKind.HEADING or (block.level or 1) > 2:
            continue
        if (block.level or 1) == 2 and tree and (tree[-1][0].level or 1) == 1:
            tree[-1][1].append(block)
        else:
            tree.append((block, []))
    return tree


def _index(document: Document, by_block: dict[str, list[Mention]]) -> list[tuple[Category, list[_IndexRow]]]:
    """Entities that occur, grouped by category in the fixed order, most mentioned first."""
    pages = {b.id: b.page for b in document.blocks}
    mentions = [m for b in document.blocks for m in by_block.get(b.id, [])]
    counts = Counter(m.entity_id for m in mentions)
    first: dict[str, Mention] = {}
    for mention in mentions:
        first.setdefault(mention.entity_id, mention)
    entities = {e.id: e for e in document.entities}
    for eid, mention in first.items():  # a mention outside the index still deserves a row
        entities.setdefault(eid, Entity(id=eid, zh=mention.text, en=mention.en, category=mention.category, count=0))
    groups: list[tuple[Category, list[_IndexRow]]] = []
    for category in CATEGORY_ORDER:
        rows = [
            _IndexRow(e, counts[e.id], first[e.id].block_id, pages.get(first[e.id].block_id, 0))
            for e in entities.values()
            if e.category == category and counts[e.id]
        ]
        if rows:
            groups.append((category, sorted(rows, key=lambda r: (-r.count, r.entity.zh, r.entity.id))))
    return groups


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ccpipe.publish", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(labels=LABELS, category_labels=CATEGORY_LABELS)
    return env


@cache
def _stylesheet() -> str:
    return resources.files("ccpipe.publish").joinpath("templates", STYLESHEET).read_text(encoding="utf-8")


def render_html(document: Document) -> str:
    """Render the brief; the same document always gives the same string."""
    info = document.document
    shown = _shown_mentions(document)
    body, footnotes, backrefs = _items(document, shown)
    index = _index(document, shown)
    # The PDF's keyword field: the most mentioned terms in English, enough to find the brief, not the whole glossary.
    ranked = sorted((row for _, rows in index for row in rows), key=lambda r: (-r.count, r.entity.en))
    template = _environment().get_template(TEMPLATE)
    return template.render(
        info=info,
        generator=document.generator,
        short_hash=info.source.sha256[:_SHORT_HASH],
        outline=_outline(document),
        index=index,
        body=body,
        footnotes=footnotes,
        backrefs=backrefs,
        keywords=list(dict.fromkeys(row.entity.en for row in ranked))[:_KEYWORDS],
        css=Markup(_stylesheet()),
    )
