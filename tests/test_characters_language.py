"""Character normalisation without loss, and the language of blocks and documents, on real files."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from weasyprint import HTML

from ccpipe.extract import extract
from ccpipe.models import Document
from ccpipe.runs.pipeline import Resources, build_document, normalize_document
from ccpipe.text.characters import normalize_characters
from ccpipe.text.language import detect

from .conftest import SHARED

# As a browser prints a page whose font maps these glyphs to Kangxi radicals (U+2F00 block).
RADICAL_TEXT = "⼈⼯智能⼤模型助⼒共建“⼀带⼀路”，全⾯推进绿⾊发展。"
CORPUS = SHARED / "corpus"


def is_radical_or_compatibility(char: str) -> bool:
    code = ord(char)
    return 0x2F00 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F


def test_radicals_compatibility_ideographs_and_full_width_map_one_for_one() -> None:
    original = "⼀带⼀路，ＣＯＰ２８ \uf900 \ufa11 ⻓江"
    text, changes = normalize_characters(original)
    assert text == "一带一路，COP28 \u8c48 \ufa11 长江"  # U+FA11 﨑 is a unified ideograph: it stays
    assert len(text) == len(original)
    assert [(c.start, c.end, c.original, c.kind) for c in changes] == [
        (0, 1, "⼀", "radical"),
        (2, 3, "⼀", "radical"),
        (5, 10, "ＣＯＰ２８", "width"),
        (11, 12, "\uf900", "compatibility"),
        (15, 16, "⻓", "radical"),
    ]
    assert "（" in normalize_characters("（一）")[0]  # Chinese punctuation keeps its width


@pytest.fixture(scope="module")
def radical_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real PDF (WeasyPrint) whose text layer holds Kangxi radicals, as browser-printed pages do."""
    path = tmp_path_factory.mktemp("radicals") / "radicals.pdf"
    html = f"<html lang='zh'><body style='font-family: Noto Sans CJK SC'><p>{RADICAL_TEXT}</p></body></html>"
    HTML(string=html).write_pdf(path)
    return path


def test_a_pdf_with_kangxi_radicals_is_tagged_and_its_changes_recorded(radical_pdf: Path, resources: Resources) -> None:
    raw = "".join(line.text for page in extract(radical_pdf).pages for line in page.lines)
    assert "⼀带⼀路" in raw  # extraction keeps the original characters
    document = build_document(radical_pdf, resources)
    block = document.blocks[0]
    assert "一带一路" in block.text and not any(map(is_radical_or_compatibility, block.text))
    assert len(block.text) == len(raw)  # one code point for one: offsets hold in both
    for change in block.changes:  # every change explains the original at the same offsets
        assert raw[change.start : change.end] == change.original and change.kind == "radical"
    assert sum(len(change.original) for change in block.changes) == sum(map(is_radical_or_compatibility, raw))
    assert "belt-and-road-initiative" in {mention.entity_id for mention in document.mentions}
    assert document.document.language == "zh-Hans" and block.language == "zh-Hans"


def test_private_use_glyphs_are_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("应对气候变化\ue0a1合作\n\n第二段\ue0a1。\n", encoding="utf-8")
    document = normalize_document(extract(path))
    assert "\ue0a1" in document.blocks[0].text  # nothing is lost
    issues = [issue for issue in document.issues if issue.code == "TEXT_PRIVATE_USE"]
    assert len(issues) == 1 and "U+E0A1" in issues[0].message and "2 private-use" in issues[0].message


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("应对气候变化是人类共同事业，需要全球性合作。", "zh-Hans"),
        ("應對氣候變化是人類共同事業，需要全球性合作。", "zh-Hant"),
        ("Climate change is a common concern of humankind.", "en"),
        ("包括技术执行委员会（Technology Executive Committee, TEC）、气候技术中心和网络。", "zh-Hans"),
        ("The Belt and Road Initiative (一带一路) was launched in 2013 by China.", "en"),
        ("技术执行委员会 Technology Executive Committee", "mixed"),
        ("2023", "und"),
        ("これは日本語の文章です。", "ja"),
    ],
)
def test_language_is_detected_from_the_text(text: str, language: str) -> None:
    assert detect(text) == language


def test_traditional_chinese_text_is_zh_hant(tmp_path: Path) -> None:
    path = tmp_path / "trad.txt"
    path.write_text("聯合國氣候變化框架公約\n\n締約方會議決定加強國際合作，應對氣候變化。\n", encoding="utf-8")
    assert normalize_document(extract(path)).document.language == "zh-Hant"


def test_the_sample_is_simplified_chinese(sample_document: Document) -> None:
    assert sample_document.document.language == "zh-Hans"
    assert sum(block.language == "zh-Hans" for block in sample_document.blocks) > 30


def english_tokens(document: Document) -> list[str]:
    text = "\n".join(block.text for block in document.blocks)
    text = re.sub(r"\S*(?:www\.|https?://|@)\S*", " ", text)  # addresses are not words
    return re.findall(r"[A-Za-z]+", text)


@pytest.mark.slow
def test_the_english_corpus_documents_read_as_english() -> None:
    for path in [CORPUS / "en" / "cn-ndc-update-2021.en.pdf", *sorted((CORPUS / "pairs").glob("*.en.pdf"))]:
        document = normalize_document(extract(path))
        assert document.document.language == "en", path.name
        tokens = english_tokens(document)
        assert len(tokens) > 2000
        assert not [t for t in tokens if len(t) > 25], path.name  # no words run together
        doubled = [t for t in tokens if re.search(r"(fi|fl|ff)\1", t)]
        assert not doubled, (path.name, doubled[:5])  # ligatures once


def test_an_english_source_is_glossed_in_chinese(resources: Resources) -> None:
    from ccpipe.publish.build import build_brief

    document = build_document(CORPUS / "pairs" / "icma-climate-transition-finance-handbook-2020.en.pdf", resources)
    assert document.document.language == "en"
    paris = [m for m in document.mentions if m.entity_id == "paris-agreement"]
    assert paris and paris[0].text == "Paris Agreement"
    brief = build_brief(document)
    assert brief.english_source
    glosses = {
        gloss.text: gloss.lang
        for block in brief.body
        for run in block.runs
        if run.kind == "term"
        for gloss in run.glosses
    }
    assert glosses.get("巴黎协定") == "zh-Hans" and "Paris Agreement" not in glosses


@pytest.mark.slow
def test_no_radical_or_compatibility_ideograph_reaches_any_corpus_output() -> None:
    sources = sorted(p for p in CORPUS.rglob("*") if p.suffix in {".pdf", ".docx", ".html"})
    assert len(sources) > 20
    for path in sources:
        document = normalize_document(extract(path))
        found = [ch for ch in document.model_dump_json() if is_radical_or_compatibility(ch)]
        assert not found, (path.name, found[:5])
        assert all(unicodedata.category(ch) != "Co" for b in document.blocks for ch in b.text) or any(
            issue.code == "TEXT_PRIVATE_USE" for issue in document.issues
        )


ENGLISH_HTML = """<html lang="en"><head><style>
body { font-family: 'DejaVu Serif', serif; font-size: 11pt; width: 9cm; }
p { hyphens: auto; text-align: justify; }
p.lead::first-letter { float: left; font-size: 3.4em; line-height: 1; margin-right: 2pt; }
sub, sup { font-size: 65%; }
</style></head><body>
<p class="lead">Policymakers in many countries are considering the establishment of internationally coordinated
transition finance frameworks for decarbonisation.</p>
<p>Emissions of CO<sub>2</sub> from the combustion of fossil fuels reached record levels, while the capacity of
reservoirs grew by 40 million m<sup>3</sup> per year under the low-carbon development strategy of the government
and its representatives.</p>
<p>Further internationally harmonised methodologies are necessary to strengthen the comparability of
climate-related disclosures by financial institutions.</p>
</body></html>"""


def test_english_typesetting_is_read_as_text(tmp_path: Path) -> None:
    """A real PDF set by WeasyPrint: hyphenated line ends, a drop cap, a subscript, a superscript, ligatures."""
    path = tmp_path / "english.pdf"
    HTML(string=ENGLISH_HTML).write_pdf(path)
    lines = [line.text for page in extract(path).pages for line in page.lines]
    assert any(text.endswith("\u2010") for text in lines)  # the typesetter did hyphenate
    document = normalize_document(extract(path))
    texts = [block.text for block in document.blocks]
    assert texts[0].startswith("Policymakers in many countries are considering the establishment of internationally")
    assert "CO₂ from the combustion" in texts[1] and "40 million m³ per year" in texts[1]
    assert "low-carbon development" in texts[1] and "representatives." in texts[1]  # a compound keeps its hyphen
    assert "methodologies" in texts[2] and "comparability" in texts[2] and "financial" in texts[2]
    assert document.document.language == "en" and {block.language for block in document.blocks} == {"en"}


def test_a_drop_cap_set_as_its_own_line_opens_its_paragraph() -> None:
    from ccpipe.models import Line, Page
    from ccpipe.text.latin import repair_pages

    cap = Line(text="P", page=1, x0=60, top=68, x1=84, bottom=106, size=37.4)
    first = Line(text="olicymakers in many countries are", page=1, x0=89, top=69, x1=300, bottom=80, size=11)
    second = Line(text="considering it.", page=1, x0=89, top=82, x1=200, bottom=93, size=11)
    page = Page(number=1, width=400, height=600, lines=[cap, first, second])
    repaired = repair_pages([page])[0].lines
    assert [line.text for line in repaired] == ["Policymakers in many countries are", "considering it."]
    assert repaired[0].x0 == 60
