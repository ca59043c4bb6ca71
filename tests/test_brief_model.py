"""The brief model and its labels: everything traces to the source; a language is a catalog, not code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from ccpipe.errors import LanguageError
from ccpipe.models import BlockKind, Document
from ccpipe.publish.brief import Brief, Run
from ccpipe.publish.build import build_brief
from ccpipe.publish.html import render_brief_html
from ccpipe.publish.i18n import languages
from ccpipe.publish.printing import print_brief
from ccpipe.publish.runs import plain
from ccpipe.runs.config import load_settings
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.text.quantities import quantify_document

from .conftest import ROOT, shared_file

LOCALE = ROOT / "src" / "ccpipe" / "locale"
SECTION_HEADINGS = [
    "一、全球应对气候变化合作进展和挑战",
    "二、气候变化国际合作的实践案例",
    "三、中国在应对气候变化国际合作中的努力与贡献",
    "四、全球解决方案",
]


@pytest.fixture(scope="module")
def brief(sample_document: Document) -> Brief:
    return build_brief(quantify_document(sample_document))


def test_title_block(brief: Brief) -> None:
    title = brief.title
    assert title.title == "全球应对气候变化合作进展评估及相关建议"
    assert title.title_en is None  # neither the cover nor the glossary gives one: nothing is made up
    assert title.publisher == "国家应对气候变化战略研究和国际合作中心"
    assert title.publisher_en == "National Center for Climate Change Strategy and International Cooperation"
    assert title.dates == {"zh_Hans": "2023年10月", "en": "October 2023"}
    assert title.pages == 14


def test_key_points_are_spans_of_the_source(brief: Brief, sample_document: Document) -> None:
    texts = {b.id: b.text for b in sample_document.blocks}
    headings = [plain(s.heading_runs) for s in brief.sections if s.heading]
    assert headings == SECTION_HEADINGS
    points = [p for s in brief.sections for p in s.points]
    assert len(points) > 20
    for point in points:
        # Glosses are kept apart from the text: the runs give back the source span exactly.
        assert plain(point.runs) == texts[point.block_id][point.start : point.end]
    kinds = {p.kind for p in points}
    assert kinds == {"heading", "lead", "ranked"}
    leads = [p for p in points if p.kind == "lead"]
    assert any(plain(p.runs).startswith("二是发达国家出资承诺尚未兑现") for p in leads)


def test_ranked_sentences_carry_figures_and_entities(brief: Brief) -> None:
    first = next(s for s in brief.sections if s.heading and s.heading.text == SECTION_HEADINGS[0])
    ranked = [plain(p.runs) for p in first.points if p.kind == "ranked"]
    assert any("1000亿美元" in sentence and "524-833亿美元" in sentence for sentence in ranked)


def test_at_a_glance_and_index(brief: Brief) -> None:
    forms = {f.quantity.text: f.forms["en"] for f in brief.figures}
    assert forms["1000亿美元"] == "US$100 billion"
    assert forms["2800亿-5000亿美元"] == "US$280–500 billion"
    assert forms["超过 9.5 万亿美元"] == "over US$9.5 trillion"
    assert len(brief.figures) == 10  # each amount once (1000亿美元 is given twice)
    # The report's subject leads (climate change, counted inside 应对气候变化 too), the countries it is about next
    leading = [row.entity.id for row in brief.main_entities[:3]]
    assert leading == ["climate-change", "responding-to-climate-change", "developing-countries"]
    counts = {row.entity.id: row.count for _, rows in brief.index for row in rows}
    assert counts["paris-agreement"] == 15
    assert [row.entity.en.casefold() for row in brief.glossary] == sorted(
        r.entity.en.casefold() for r in brief.glossary
    )


def _glossed(runs: list[Run]) -> list[tuple[str, bool]]:
    return [(r.entity, bool(r.glosses)) for r in runs if r.kind == "term"]


def test_print_brief_glosses_a_term_once_per_section(brief: Brief) -> None:
    printed = print_brief(brief)
    # The same text: later mentions lose their mark and gloss, the first of each section keeps both.
    assert [plain(item.runs) for item in printed.body] == [plain(item.runs) for item in brief.body]
    screen_terms = [e for item in brief.body for e, _ in _glossed(item.runs)]
    printed_terms = [e for item in printed.body for e, _ in _glossed(item.runs)]
    assert set(printed_terms) == set(screen_terms) and len(printed_terms) < len(screen_terms)
    sections: list[list[tuple[str, bool]]] = [[]]
    for item in printed.body:
        if item.tag == "h3":
            sections.append([])
        sections[-1] += _glossed(item.runs) + [t for child in item.children for t in _glossed(child.runs)]
    for terms in sections:
        first = {e: glossed for e, glossed in reversed(terms)}  # the first mention of each entity
        assert all(first.values()), "the first mention in a section keeps its gloss"
        assert len(terms) == len(first), "later mentions in the section are plain text"
    assert len(sections) == 5  # what precedes the first heading, then the four sections
    # A term glossed in one section is glossed again at its first mention in the next.
    paris = [any(e == "paris-agreement" and g for e, g in terms) for terms in sections]
    assert sum(paris) >= 2
    for section, printed_section in zip(brief.sections, printed.sections, strict=True):
        points = [_glossed(p.runs) for p in printed_section.points]
        flat = _glossed(printed_section.heading_runs) + [t for terms in points for t in terms]
        assert sum(g for _, g in flat) == len({e for e, _ in flat})
        assert [plain(p.runs) for p in section.points] == [plain(p.runs) for p in printed_section.points]


def test_another_real_document_builds(resources: Resources) -> None:
    path = shared_file("docx", "sichuan-2025-government-work-report.docx")
    brief = build_brief(build_document(path, resources))
    assert brief.sections and brief.figures
    assert any(f.forms["en"] == "RMB 6,469.7 billion" for f in brief.figures)
    html = render_brief_html(brief)
    assert "2025年四川省政府工作报告" in html


def test_catalogs_cover_every_label_and_are_compiled(tmp_path: Path) -> None:
    pot = tmp_path / "ccpipe.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    args = [str(pybabel), "extract", "-F", "babel.cfg", "-k", "tr", "-o", str(pot), "."]
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        used = {m.id for m in read_po(handle) if m.id}
    for code in ("en", "zh_Hans"):
        folder = LOCALE / code / "LC_MESSAGES"
        with (folder / "ccpipe.po").open("rb") as handle:
            catalog = read_po(handle)
        assert used <= {m.id for m in catalog if m.id}, f"run pybabel update for {code} (see README)"
        with (folder / "ccpipe.mo").open("rb") as handle:
            compiled = {m.id: m.string for m in read_mo(handle) if m.id}
        assert compiled == {m.id: m.string for m in catalog if m.id and m.string}, f"run pybabel compile ({code})"
    with (LOCALE / "zh_Hans" / "LC_MESSAGES" / "ccpipe.po").open("rb") as handle:
        assert all(m.string for m in read_po(handle) if m.id), "every label needs its Chinese"


def test_a_third_language_is_a_catalog(
    sample_document: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pseudo-translated German catalog, outside the package: labels, views and figures follow it."""
    with (LOCALE / "ccpipe.pot").open("rb") as handle:
        catalog = read_po(handle, locale="de")
    for message in catalog:
        if message.id and isinstance(message.id, str):
            message.string = "" if message.id == "figures-locale" else f"⟦{message.id}⟧"
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "ccpipe.mo").open("wb") as handle:
        write_mo(handle, catalog)
    # As the settings give them: CCPIPE_BRIEF_LANGUAGES=zh_Hans,en,de and CCPIPE_LOCALE_DIRS=<folder>.
    monkeypatch.setenv("CCPIPE_BRIEF_LANGUAGES", "zh_Hans,en,de")
    monkeypatch.setenv("CCPIPE_LOCALE_DIRS", str(tmp_path))
    settings = load_settings(None)
    options = settings.publish_options()
    assert [lang.code for lang in languages(options.languages, options.catalog_dirs)] == ["zh_Hans", "en", "de"]
    html = render_brief_html(build_brief(sample_document, options.languages, options.catalog_dirs))
    assert '<span class="lbl" data-l="de" lang="de">⟦Full text⟧</span>' in html
    assert 'data-view="de"' in html and 'html[data-view="de"]' in html
    assert re.search(
        r"⟦about 60\sMilliarden\s\$⟧", html
    )  # German figures (Babel), pseudo-translated words (the catalog)


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(LanguageError, match="no label catalog") as caught:
        languages(["xx"])
    assert caught.value.code == "BRIEF_LANGUAGE_UNKNOWN"


def test_no_label_is_hard_coded_in_the_templates() -> None:
    """Text outside tags in the templates is either a Jinja expression or punctuation; labels use _() or tr().
    The English edition is the exception: it is written in English for readers of English only, whatever the
    brief's languages, so its words are its text, not labels to translate."""
    for template in (ROOT / "src" / "ccpipe" / "publish" / "templates").glob("*.j2"):
        if template.name == "english.html.j2":
            continue
        source = template.read_text(encoding="utf-8")
        source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<(style|script)>.*?</\1>", "", source, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", source)
        words = [w for w in re.findall(r"[A-Za-z\u4e00-\u9fff]{2,}", text) if w not in {"DOCTYPE", "html"}]
        assert words == [], (template.name, words)


def test_blocks_kinds_unchanged(sample_document: Document) -> None:
    # The brief reads the document; it never changes it (the title block stays a title).
    assert sample_document.blocks[0].kind == BlockKind.TITLE
