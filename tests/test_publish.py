"""Briefs of the sample report: self-contained bilingual HTML, accessible PDF with embedded CJK fonts, Word and
Markdown with the same headings, atomic writes. The sample is published once for the module."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pdfplumber
import pypandoc
import pytest
from pdfminer.pdftypes import resolve1

from ccpipe.atomic import write_atomic
from ccpipe.models import Document
from ccpipe.publish.build import shown_mentions
from ccpipe.publish.html import render_html
from ccpipe.publish.writer import FORMATS, publish
from ccpipe.text.quantities import quantify_document

from .conftest import GOLDEN, UPDATE_GOLDEN

GOLDEN_HTML = GOLDEN / "sample" / "brief.html"
SECTION_HEADINGS = [
    "一、全球应对气候变化合作进展和挑战",
    "二、气候变化国际合作的实践案例",
    "三、中国在应对气候变化国际合作中的努力与贡献",
    "四、全球解决方案",
]


@pytest.fixture(scope="module")
def document(sample_document: Document) -> Document:
    return quantify_document(sample_document)


@pytest.fixture(scope="module")
def published(document: Document, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("brief")
    paths = publish(document, out)
    return {path.name: path for path in paths}


@pytest.fixture(scope="module")
def html(published: dict[str, Path]) -> str:
    return published["brief.html"].read_text(encoding="utf-8")


def _fulltext(html: str) -> str:
    """The full text and its notes."""
    return html[html.index('<main class="fulltext"') : html.index('<section class="glossary"')]


def test_all_outputs_are_written_without_leftovers(published: dict[str, Path]) -> None:
    briefs = {"brief.html", "brief.pdf", "brief.en.html", "brief.en.pdf", "brief.docx", "brief.md"}
    assert FORMATS == ("json", "html", "pdf", "docx", "md")
    assert set(published) == {"document.json", "candidates.csv", *briefs}
    folder = published["brief.html"].parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(published)


def test_html_is_bilingual_with_lang_attributes(html: str, document: Document) -> None:
    assert re.search(r'<html[^>]* lang="zh-Hans"', html)
    assert '<span class="lbl" data-l="en" lang="en">Full text</span>' in html
    assert '<span class="lbl" data-l="zh-Hans" lang="zh-Hans">全文</span>' in html
    text = unescape(html)
    for entity in document.entities:
        assert entity.en in text, entity.id


def test_html_has_title_parts_and_marked_text(html: str, document: Document) -> None:
    assert "全球应对气候变化合作进展评估及相关建议" in html
    assert document.document.source.sha256 in html
    for part in ("glance", "keypoints", "index", "fulltext", "glossary"):
        assert f'id="{part}"' in html
    for heading in SECTION_HEADINGS:
        assert html.count(heading) >= 3  # contents, key points, full text
    marked = re.findall(r'<span class="term[^"]*"[^>]*data-entity="([^"]+)"', _fulltext(html))
    # Every outermost mention but the title's (the title is not marked up) and overlaps (markup cannot nest);
    # a term inside a longer one is counted in the index, not marked twice.
    outermost = [m for m in document.mentions if m.inside is None]
    assert len(marked) == sum(len(m) for m in shown_mentions(document).values()) > len(outermost) - 5


def test_terms_and_figures_show_english_on_hover_and_focus(html: str) -> None:
    term = re.search(r'<span class="term term-agreement" data-entity="paris-agreement" ([^>]*)>巴黎协定</span>', html)
    assert (
        term
        and 'tabindex="0"' in term.group(1)
        and 'data-tip="Paris Agreement · 协定与公约 / Agreements"' in term.group(1)
    )
    gloss_id = re.search(r'aria-describedby="([^"]+)"', term.group(1))
    assert gloss_id and f'id="{gloss_id.group(1)}" lang="en">Paris Agreement</span>' in html
    assert ":focus::after" in html and ":hover::after" in html
    # Every money amount of the full text is followed by its English form.
    glosses = re.findall(r'<span class="gloss qgloss" id="[^"]+" lang="en">([^<]+)</span>', _fulltext(html))
    for english in ("US$100 billion", "about US$52.4–83.3 billion", "US$280–500 billion", "over US$9.5 trillion",
                    "about US$60 billion", "at least US$156 billion", "about US$1 billion", "US$11.4 billion",
                    "US$1.6 billion", "about US$10 billion", "October 2023", "December 2015"):  # fmt: skip
        assert english in glosses, english


def test_html_is_self_contained(html: str) -> None:
    assert not re.search(r"<(link|script|img|iframe|object|embed|source|video|audio)\b[^>]*\b(src|href)=", html, re.I)
    assert not re.search(r"\bsrc=[\"']?(https?:)?//", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    assert "@import" not in html
    assert html.count("<script>") == 1  # the view switch, inline


def test_html_is_deterministic_and_matches_golden(html: str, document: Document) -> None:
    assert render_html(document) == html
    if UPDATE_GOLDEN:
        GOLDEN_HTML.write_text(html, encoding="utf-8")
    assert html == GOLDEN_HTML.read_text(encoding="utf-8")


def test_pdf_text_outline_metadata_links(published: dict[str, Path]) -> None:
    with pdfplumber.open(published["brief.pdf"]) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        outline = [title for _level, title, *_ in pdf.doc.get_outlines()]
        info = pdf.metadata
        catalog = pdf.doc.catalog
        lang = resolve1(catalog["Lang"])
        xmp = resolve1(catalog["Metadata"]).get_data()
        dests = [a["data"].get("Dest") for page in pdf.pages for a in page.annots]
    compact = re.sub(r"\s+", "", text)
    assert "巴黎协定" in compact and "ParisAgreement" in compact
    assert "GreenClimateFund" in compact and "US$100billion" in compact and "US$280–500billion" in compact
    for heading in SECTION_HEADINGS:
        assert heading in outline
    assert info.get("Title") == "全球应对气候变化合作进展评估及相关建议"
    assert "国家应对气候变化战略研究和国际合作中心" in info.get("Author", "")
    assert lang == b"zh-Hans"
    assert b"pdfuaid" in xmp  # the PDF/UA-1 variant
    # Internal links (contents, key points → full text) point at named destinations of the same file.
    assert {"keypoints", "b0010"} <= {d.decode() for d in dests if isinstance(d, bytes)}


def test_pdf_embeds_cjk_fonts(published: dict[str, Path]) -> None:
    listing = subprocess.run(["pdffonts", str(published["brief.pdf"])], capture_output=True, text=True, check=True)
    cjk = [line for line in listing.stdout.splitlines() if "CJK" in line]
    assert cjk, listing.stdout
    assert all(" yes " in line for line in cjk)  # the emb column


def test_pdf_is_the_print_variant_and_fits_its_pages(published: dict[str, Path], html: str) -> None:
    with pdfplumber.open(published["brief.pdf"]) as pdf:
        pages = [(page.width, page.height, page.chars) for page in pdf.pages]
        fulltext = "".join(page.extract_text() or "" for page in pdf.pages[-12:])
    for width, height, chars in pages:  # nothing overflows the page: every glyph lies on it
        assert all(c["x0"] >= 0 and c["x1"] <= width and c["top"] >= 0 and c["bottom"] <= height for c in chars)
    # The full text glosses a term once per section in print, at every mention on screen.
    compact = re.sub(r"\s+", "", fulltext)
    screen = re.sub(r"\s+", "", unescape(re.sub(r"<[^>]+>", "", _fulltext(html))))
    assert 0 < compact.count("[ParisAgreement]") < screen.count("ParisAgreement")
    assert "[developingcountries]" in compact


def _headings(markdown: str) -> list[str]:
    # Headings without their glosses ("中国 [China]" → "中国"), escapes or markup, for comparing formats.
    lines = [line for line in markdown.splitlines() if line.startswith("#")]
    lines = [re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", line) for line in lines]  # [中国]{.underline} → 中国
    return [re.sub(r"\s*\\\[[^\]]*?\\\]|[#*\\]", "", line).strip() for line in lines]


def test_word_and_markdown_have_the_same_headings(published: dict[str, Path]) -> None:
    markdown = published["brief.md"].read_text(encoding="utf-8")
    from_word = pypandoc.convert_file(str(published["brief.docx"]), "markdown", format="docx")
    headings = _headings(markdown)
    assert headings == _headings(from_word)
    for heading in SECTION_HEADINGS:
        assert headings.count(heading) == 2, heading  # key points and full text
    assert "全文 / Full text" in headings and "术语表 / Glossary" in headings
    assert "US$100 billion" in markdown and "| 1000亿美元" in markdown  # pipe tables
    assert not re.search(r"\]\([^)]*\)\{|\{\.|lang=", markdown), "no attribute syntax left for readers to see"
    # Read back as Markdown (east Asian line breaks) and as Word text: the Chinese and the glosses survive.
    plain = pypandoc.convert_file(str(published["brief.md"]), "plain", format="markdown+east_asian_line_breaks")
    assert "巴黎协定 [Paris Agreement]" in plain
    word_text = pypandoc.convert_file(str(published["brief.docx"]), "plain", format="docx")
    assert "巴黎协定 [Paris Agreement]" in word_text and "US$280–500 billion" in word_text


def test_word_is_deterministic(document: Document, published: dict[str, Path]) -> None:
    from ccpipe.publish.build import build_brief
    from ccpipe.publish.word import render_docx

    assert render_docx(build_brief(document)) == published["brief.docx"].read_bytes()


def test_atomic_write_replaces_whole_files_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out" / "brief.html"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]  # fails mid-write
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["brief.html"]
