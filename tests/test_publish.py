"""Briefs of the sample report: self-contained bilingual HTML, PDF with embedded CJK fonts, atomic writes."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pdfplumber
import pytest

from ccpipe.models import Document
from ccpipe.publish.atomic import write_atomic
from ccpipe.publish.html import render_html
from ccpipe.publish.writer import publish

from .conftest import GOLDEN, UPDATE_GOLDEN

GOLDEN_HTML = GOLDEN / "sample" / "brief.html"
SECTION_HEADINGS = [
    "一、全球应对气候变化合作进展和挑战",
    "二、气候变化国际合作的实践案例",
    "三、中国在应对气候变化国际合作中的努力与贡献",
    "四、全球解决方案",
]


@pytest.fixture(scope="module")
def published(sample_document: Document, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("brief")
    paths = publish(sample_document, out)
    return {path.name: path for path in paths}


@pytest.fixture(scope="module")
def html(published: dict[str, Path]) -> str:
    return published["brief.html"].read_text(encoding="utf-8")


def test_all_outputs_are_written_without_leftovers(published: dict[str, Path]) -> None:
    assert set(published) == {"document.json", "brief.html", "brief.pdf"}
    folder = published["brief.html"].parent
    assert sorted(p.name for p in folder.iterdir()) == ["brief.html", "brief.pdf", "document.json"]


def test_html_is_bilingual_with_lang_attributes(html: str, sample_document: Document) -> None:
    assert re.search(r'<html[^>]* lang="zh-Hans"', html)
    assert 'lang="en"' in html
    text = unescape(html)
    for entity in sample_document.entities:
        assert entity.en in text, entity.id


def test_html_has_title_outline_index_and_marked_text(html: str, sample_document: Document) -> None:
    assert "全球应对气候变化合作进展评估及相关建议" in html
    assert sample_document.document.source.sha256 in html
    for heading in SECTION_HEADINGS:
        assert heading in html
    marked = re.findall(r'<span class="term[^"]*"[^>]*data-entity="([^"]+)"', html)
    assert len(marked) == len(sample_document.mentions)


def test_html_is_self_contained(html: str) -> None:
    assert not re.search(r"<(link|script|img|iframe|object|embed)\b[^>]*\b(src|href)=", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    assert "@import" not in html


def test_html_is_deterministic_and_matches_golden(html: str, sample_document: Document) -> None:
    assert render_html(sample_document) == html
    if UPDATE_GOLDEN:
        GOLDEN_HTML.write_text(html, encoding="utf-8")
    assert html == GOLDEN_HTML.read_text(encoding="utf-8")


def test_pdf_text_has_chinese_and_english_terms(published: dict[str, Path]) -> None:
    with pdfplumber.open(published["brief.pdf"]) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        outline = [title for _level, title, *_ in pdf.doc.get_outlines()]
        info = pdf.metadata
    compact = re.sub(r"\s+", "", text)
    assert "巴黎协定" in compact and "ParisAgreement" in compact
    assert "GreenClimateFund" in compact
    for heading in SECTION_HEADINGS:
        assert heading in outline
    assert info.get("Title") == "全球应对气候变化合作进展评估及相关建议"


def test_pdf_embeds_cjk_fonts(published: dict[str, Path]) -> None:
    listing = subprocess.run(["pdffonts", str(published["brief.pdf"])], capture_output=True, text=True, check=True)
    cjk = [line for line in listing.stdout.splitlines() if "CJK" in line]
    assert cjk, listing.stdout
    assert all(" yes " in line for line in cjk)  # the emb column


def test_atomic_write_replaces_whole_files_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out" / "brief.html"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]  # fails mid-write
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["brief.html"]
