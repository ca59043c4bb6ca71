"""Inputs that once lost text, blocked, crashed or misled (issue 10): damaged PDFs and HTML, zip bombs, text
paragraphs, long paragraphs in the brief, spreadsheet formulas, huge glossary terms, odd file names, library
warnings, and configuration errors blamed on where they came from."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ccpipe.cli import app
from ccpipe.errors import ConfigError
from ccpipe.extract import extract
from ccpipe.models import Candidate
from ccpipe.publish.brief import TextBlock
from ccpipe.publish.build import build_brief
from ccpipe.runs.config import load_settings
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.runs.runner import run_batch, summary_lines
from ccpipe.terms.review import candidates_csv, reviewed_entries

from .conftest import run_config, shared_file

TEXT = "《巴黎协定》要求发达国家为发展中国家提供资金支持。绿色气候基金已批准100亿美元。"


def lines_of(path: Path) -> list[str]:
    return [line.text for page in extract(path).pages for line in page.lines]


def test_a_pdf_with_a_broken_page_index_is_read_whole() -> None:
    path = shared_file("malformed", "missing-xref-trailer.pdf")  # pdfinfo: 4 pages; pdfminer alone finds 2
    extracted = extract(path)
    assert extracted.source.pages == 4
    assert [line.text for page in extracted.pages for line in page.lines] == ["Page1", "Page2", "Page3", "Page4"]
    assert [issue.code for issue in extracted.issues] == ["PDF_REPAIRED"]


def test_text_that_pdfium_reads_and_ccpipe_does_not_is_recorded() -> None:
    extracted = extract(shared_file("malformed", "evil-xobjects-recursion.pdf"))
    assert ("EXTRACT_TEXT_INCOMPLETE", 1) in {(issue.code, issue.page) for issue in extracted.issues}


def test_an_unclosed_svg_in_a_heading_does_not_swallow_the_page(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(f"<h1>标题<svg onload=alert(1)></h1><p>{TEXT}</p><h2>第二节</h2><p>适应资金缺口仍然很大。</p>",
                    encoding="utf-8")  # fmt: skip
    extracted = extract(page)
    assert [block.text for block in extracted.blocks] == ["标题", TEXT, "第二节", "适应资金缺口仍然很大。"]
    assert [issue.code for issue in extracted.issues] == ["HTML_REPAIRED"]


def test_library_warnings_become_issues_not_stderr(capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    corrupted = extract(shared_file("malformed", "zen-of-python-corrupted.pdf"))  # pdfminer warns
    notes = tmp_path / "notes.md"  # pandoc warns
    notes.write_text(f"{TEXT}[链接][a]\n\n[a]: http://example.invalid/1\n[a]: http://example.invalid/2\n", "utf-8")
    markdown = extract(notes)
    stderr = capfd.readouterr().err
    assert "Data-loss" not in stderr and "Duplicate link" not in stderr
    warned = [
        issue.message for issue in [*corrupted.issues, *markdown.issues] if issue.code == "EXTRACT_LIBRARY_WARNING"
    ]
    assert any("Data-loss while decompressing" in message for message in warned)
    assert any("Duplicate link reference" in message for message in warned)


def zip_bomb(target: Path) -> Path:
    """A real Word file whose document part is padded with 100 MB of spaces (it packs to ~100 KB)."""
    with zipfile.ZipFile(shared_file("docx", "lists-tables-equations.docx")) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    body = parts["word/document.xml"]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name, data in parts.items():
            if name != "word/document.xml":
                bomb.writestr(name, data)
        with bomb.open("word/document.xml", "w") as part:
            cut = body.index(b"<w:body>") + len(b"<w:body>")
            part.write(body[:cut])
            for _ in range(100):
                part.write(b" " * (1 << 20))
            part.write(body[cut:])
    return target


def test_a_zip_bomb_is_reported_as_one(tmp_path: Path) -> None:
    from ccpipe.errors import SourceError

    with pytest.raises(SourceError) as caught:
        extract(zip_bomb(tmp_path / "bomb.docx"))
    assert caught.value.code == "SOURCE_ZIP_BOMB" and "unpack" in caught.value.message
    assert "old .doc" not in caught.value.message


def test_html_nested_thousands_deep_is_refused_with_a_code(tmp_path: Path) -> None:
    from ccpipe.errors import SourceError

    page = tmp_path / "nested.html"
    page.write_text("<div>" * 5000 + TEXT + "</div>" * 5000, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        extract(page)
    assert caught.value.code == "SOURCE_TOO_DEEP"


def test_blank_lines_separate_the_paragraphs_of_a_text_file(tmp_path: Path, resources: Resources) -> None:
    paragraphs = ["全球应对气候变化合作进展评估", "2023年10月", TEXT, "发达国家应当履行资金承诺。" * 3]
    path = tmp_path / "report.txt"
    path.write_text("\n\n".join(paragraphs * 3) + "\n", encoding="utf-8")
    document = build_document(path, resources)
    assert [block.text for block in document.blocks] == paragraphs * 3
    assert document.document.title == "全球应对气候变化合作进展评估"
    assert document.document.date == "2023-10"


def test_a_very_long_paragraph_is_printed_in_pieces(tmp_path: Path, resources: Resources) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text(TEXT * 400 + "\n", encoding="utf-8")
    document = build_document(path, resources)
    (block,) = document.blocks
    body = build_brief(document).body
    from ccpipe.publish.build import PIECE_CHARS

    assert len(body) > 1 and all(isinstance(item, TextBlock) and item.block is block for item in body)
    assert [getattr(item, "continued", None) for item in body] == [False] + [True] * (len(body) - 1)
    texts = ["".join(run.text for run in item.runs) for item in body]
    assert "".join(texts) == block.text
    assert all(len(text) <= PIECE_CHARS and text.endswith("。") for text in texts)


def test_candidates_csv_is_safe_to_open_in_a_spreadsheet(tmp_path: Path) -> None:
    formulas = ['=HYPERLINK("http://evil.invalid","点击")', "+1+2", "-2+3", "@SUM(A1)", "\t=1"]
    rows = [Candidate(kind="quoted", zh=zh, en=zh, count=2, score=-1.5, examples=[zh]) for zh in formulas]
    sheet = list(csv.DictReader(io.StringIO(candidates_csv(rows).decode("utf-8-sig"))))
    for row, zh in zip(sheet, formulas, strict=True):
        assert row["zh"] == row["en"] == row["example"] == "'" + zh
        assert row["count"] == "2" and row["score"] == "-1.5"  # numbers stay numbers
    reviewed = tmp_path / "reviewed.csv"
    sheet[0].update(accept="y", category="concept", id="hyperlink")
    with reviewed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerow(sheet[0])
    assert reviewed_entries(reviewed)[0]["zh"] == formulas[0]  # the guard is taken off again


def test_a_huge_glossary_term_is_refused_by_the_check(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "terms.yaml").write_text(
        f"- {{id: huge, category: concept, zh: {'碳' * 3_000_000}, en: huge}}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["glossary", "check", str(glossary)])
    assert result.exit_code == 1
    assert "GLOSSARY_INVALID" in result.output and "3,000,000 characters" in result.output


def test_control_and_bidi_characters_of_file_names_are_shown_escaped(tmp_path: Path) -> None:
    source = tmp_path / "source_docs"
    source.mkdir()
    name = "budget\u202eFDP.exe\x1b[2J.txt"
    (source / name).write_text(TEXT, encoding="utf-8")
    result = run_batch(run_config(source, tmp_path / "output"))
    (report,) = result.documents
    output = tmp_path / "output"
    shown = [(output / report.document_id / "brief.html").read_text(encoding="utf-8"),
             (output / "index.html").read_text(encoding="utf-8"), (output / "feed.xml").read_text(encoding="utf-8"),
             "\n".join(summary_lines(result.documents)), json.dumps(report.__dict__, ensure_ascii=False)]  # fmt: skip
    for text in shown:
        assert "\u202e" not in text and "\x1b" not in text
    assert "budget\\u202eFDP.exe\\x1b[2J" in shown[0]


@pytest.mark.parametrize("bad", ["json,epub", "html, pdff"])
def test_a_bad_formats_value_is_blamed_on_the_flag_or_the_variable(
    bad: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "ccpipe.toml"
    config.write_text('output_dir = "out"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as flag:
        load_settings(config, formats=bad)
    assert "--formats" in flag.value.message and "ccpipe.toml" not in flag.value.message
    monkeypatch.setenv("CCPIPE_FORMATS", bad)
    with pytest.raises(ConfigError) as variable:
        load_settings(config)
    assert "CCPIPE_FORMATS" in variable.value.message and "ccpipe.toml" not in variable.value.message
    monkeypatch.delenv("CCPIPE_FORMATS")
    config.write_text(f"formats = {json.dumps(bad.split(','))}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as in_file:
        load_settings(config)
    assert "ccpipe.toml" in in_file.value.message
