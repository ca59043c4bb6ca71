"""Structured inputs (Word, HTML, Markdown) through pandoc, and text encodings told apart by detection."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from ccpipe.errors import DocxBrokenError, TextDecodingError
from ccpipe.extract import extract
from ccpipe.models import Block, BlockKind, Extracted, Table
from ccpipe.publish.json import document_json, validate_document
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.text.normalize import normalize

from .conftest import shared_file

SICHUAN = "sichuan-2025-government-work-report.docx"
LISTS_TABLES = "lists-tables-equations.docx"
CJK_GAP = re.compile(r"[\u4e00-\u9fff，。、；：“”《》（）]\s+[\u4e00-\u9fff，。、；：“”《》（）]")


@pytest.fixture(scope="module")
def sichuan() -> Extracted:
    return extract(shared_file("docx", SICHUAN))


@pytest.fixture(scope="module")
def lists_tables() -> Extracted:
    return extract(shared_file("docx", LISTS_TABLES))


def _of(blocks: list[Block], kind: BlockKind) -> list[Block]:
    return [block for block in blocks if block.kind == kind]


def _after(blocks: list[Block], text: str) -> list[Block]:
    """The blocks following the one whose text is ``text``."""
    return blocks[[block.text for block in blocks].index(text) + 1 :]


def _assert_grid(table: Table) -> None:
    """Every cell inside the table and no two cells covering the same grid position."""
    covered: set[tuple[int, int]] = set()
    for cell in table.cells:
        assert cell.row + cell.rowspan <= table.rows and cell.col + cell.colspan <= table.cols
        spots = {(cell.row + r, cell.col + c) for r in range(cell.rowspan) for c in range(cell.colspan)}
        assert not spots & covered
        covered |= spots


# --- Word: the Sichuan government work report --------------------------------------------------------


def test_sichuan_report_source_is_one_unpaged_docx(sichuan: Extracted) -> None:
    assert sichuan.source.format == "docx"
    assert sichuan.source.pages == 1
    assert sichuan.pages == []
    assert all(block.page == 1 and block.pages == [1] and block.bboxes == [] for block in sichuan.blocks)
    assert len({block.id for block in sichuan.blocks}) == len(sichuan.blocks)


def test_sichuan_report_keeps_its_title_and_section_headings(sichuan: Extracted) -> None:
    # The bold first line is the title; the parts are plain unpunctuated lines between paragraphs of prose, and
    # the numbered items under them are run-in headings one level down.
    normalized = normalize(sichuan)
    assert normalized.blocks[0].kind == BlockKind.TITLE
    assert normalized.blocks[0].text == normalized.title == "2025年四川省政府工作报告"
    headings = [(block.text, block.level) for block in _of(normalized.blocks, BlockKind.HEADING)]
    parts = [text for text, level in headings if level == 1]
    assert parts == ["2024年工作回顾", "2025年工作安排建议", "加强政府自身建设", "名词解释"]
    assert headings[1:3] == [("（一）巩固增强经济回升向好态势。", 2), ("（二）大力推动科技创新引领产业创新。", 2)]
    assert len(headings) == 23


def test_sichuan_report_keeps_its_paragraphs_whole_and_without_spaces_in_chinese(sichuan: Extracted) -> None:
    normalized = normalize(sichuan)
    paragraphs = _of(normalized.blocks, BlockKind.PARAGRAPH)
    assert any(
        "全省地区生产总值增长5.7%，高于全国0.7个百分点，经济总量达到64697亿元，保持全国第5位。" in block.text
        for block in paragraphs
    )
    assert not [block.text for block in normalized.blocks if CJK_GAP.search(block.text)]
    # A run-in heading and its body are the source paragraph cut in two: nothing lost, nothing repeated.
    source = [block.text for block in sichuan.blocks if block.kind == BlockKind.PARAGRAPH]
    joined = [block.text for block in normalized.blocks]
    for index, block in enumerate(normalized.blocks):
        if block.kind == BlockKind.HEADING and block.text not in source:
            assert block.text + joined[index + 1] in source
    # Numbered glossary definitions stay paragraphs; the cover lines before the prose are not headings.
    assert any(block.text.startswith("6.“两重”：是指") for block in paragraphs)
    assert [block.kind for block in normalized.blocks[1:6]] == [BlockKind.PARAGRAPH] * 5


# --- Word: lists, tables and equations ---------------------------------------------------------------


def test_word_headings_keep_their_levels_and_toc_entries_stay_out_of_the_body(lists_tables: Extracted) -> None:
    assert lists_tables.metadata_title == "MinerU supports DOCX document parsing now"
    normalized = normalize(lists_tables)
    levels = {block.text: block.level for block in _of(normalized.blocks, BlockKind.HEADING)}
    expected = {"1 这是第一章标题": 1, "Some images": 2, "Grouped images": 3, "2 这是第二章标题": 1, "4 参考文献": 1}
    assert expected.items() <= levels.items()
    # Word headings numbered by a list with an outline level (w:outlineLvl), not a heading style.
    assert levels["1. 有序列表构成的章节标题"] == 1 and levels["1. 显式空白字符表示"] == 2
    # The table of contents is a field result: its entries (1. 有序列表构成的章节标题 iii) are furniture.
    contents = [item.text for item in normalized.furniture if item.kind == "contents"]
    assert contents[:2] == ["目录", "1. 有序列表构成的章节标题 iii"]
    assert "1. 有序列表构成的章节标题 iii" not in [block.text for block in normalized.blocks]


def test_word_lists_keep_markers_and_nesting(lists_tables: Extracted) -> None:
    nested = _after(lists_tables.blocks, "3 复杂嵌套多级列表")[:15]
    assert all(block.kind == BlockKind.LIST_ITEM for block in nested)
    assert [(block.level, block.label) for block in nested] == [
        (1, "(1)"), (1, "(2)"), (2, "•"), (2, "•"), (1, "(3)"), (2, "•"), (3, "1)"), (3, "2)"),
        (4, "a."), (4, "b."), (3, "3)"), (4, "a."), (4, "b."), (3, "4)"), (2, "•"),
    ]  # fmt: skip
    assert nested[0].text == "如有未尽事宜，由双方依法订立补充合同。"
    assert nested[8].text == r"最里层列表(x + a)^{n} = \sum_{k = 0}^{n}{\binom{n}{k}x^{k}a^{n - k}}行内公式后接正文"
    references = _after(lists_tables.blocks, "4 参考文献")
    assert [block.label for block in references] == [f"{n}." for n in range(1, 13)]
    bullets = [block for block in lists_tables.blocks if block.text.startswith("Nested italic")]
    assert [(block.kind, block.level, block.label) for block in bullets] == [(BlockKind.LIST_ITEM, 2, "•")]


def test_word_tables_keep_their_grid_and_merged_cells(lists_tables: Extracted) -> None:
    tables = [block for block in lists_tables.blocks if block.table]
    assert all(block.kind == BlockKind.TABLE for block in tables)
    assert [(t.table.rows, t.table.cols) for t in tables if t.table] == [
        (4, 2), (3, 2), (3, 2), (2, 2), (3, 3), (4, 3), (39, 25), (4, 7)
    ]  # fmt: skip
    for block in tables:
        assert block.table is not None
        _assert_grid(block.table)
    food = tables[5]
    assert food.text.splitlines()[1] == "Leaves | Ash, Elm, Maple | 50"
    form = tables[6].table
    assert form is not None
    spans = {(c.row, c.col): (c.rowspan, c.colspan, c.text) for c in form.cells}
    assert spans[(0, 0)] == (1, 25, "主申请人-基本情况")  # a title row across the form
    assert spans[(1, 20)] == (6, 5, "一寸照片（不超过50MB）")  # the photo box down six rows
    assert spans[(8, 0)] == (2, 2, "户口迁出地")
    # Equations keep their TeX source; a table wrapped in a one-cell frame is read as the table itself.
    assert tables[3].text.splitlines()[0] == r"The next cell has an equation | A = \pi r^{2}"
    assert tables[4].text == "Tab1 | Tab2 | Tab3\nA | B | C\nD | E | F"


# --- HTML and Markdown -------------------------------------------------------------------------------

_HTML = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>气候变化南南合作</title></head>
<body>
<h1>气候变化南南合作</h1>
<h2>一、合作进展</h2>
<p>中国积极开展气候变化南南合作，
帮助发展中国家提升应对能力<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a>。</p>
<p><b>（二）典型案例</b></p>
<ol><li>赠送节能物资</li><li>开展培训<ul><li>官员研修班</li></ul></li></ol>
<table>
<thead><tr><th rowspan="2">地区</th><th colspan="2">项目数</th></tr><tr><th>2021</th><th>2022</th></tr></thead>
<tbody><tr><td>非洲</td><td>12</td><td>15</td></tr></tbody>
</table>
<section class="footnotes" role="doc-endnotes"><hr><ol><li id="fn1"><p>截至 2023 年底。
<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li></ol></section>
</body></html>
"""

_MARKDOWN = """---
title: 全球应对气候变化合作进展
---

# 一、全球应对气候变化合作进展和挑战

应对气候变化是人类共同事业，不仅需要全球性应对、
全球性行动，更需要全球性合作。《巴黎协定》[^1]为 2020 年后
全球合作指明了方向。The Paris Agreement
wraps here.

## （一）主要进展

- 推动绿色“一带一路”建设
- 南南合作
    1. 能力建设
    2. 技术转让

| 国家 | 目标 |
|------|------|
| 中国 | 2060 年碳中和 |

[^1]: 2015 年 12 月在巴黎气候大会上通过。
"""


def test_html_in_its_declared_charset_comes_out_structured(tmp_path: Path) -> None:
    path = tmp_path / "south-south.html"
    path.write_bytes(_HTML.encode("gb18030"))
    extracted = extract(path)
    assert (extracted.source.format, extracted.source.encoding) == ("html", "gb18030")
    normalized = normalize(extracted)
    blocks = normalized.blocks
    assert [(b.kind, b.level, b.label, b.text) for b in blocks[:7]] == [
        (BlockKind.TITLE, None, None, "气候变化南南合作"),
        (BlockKind.HEADING, 1, None, "一、合作进展"),
        (BlockKind.PARAGRAPH, None, None, "中国积极开展气候变化南南合作，帮助发展中国家提升应对能力[1]。"),
        (BlockKind.HEADING, 2, None, "（二）典型案例"),  # a bold paragraph numbered like a heading
        (BlockKind.LIST_ITEM, 1, "1.", "赠送节能物资"),
        (BlockKind.LIST_ITEM, 1, "2.", "开展培训"),
        (BlockKind.LIST_ITEM, 2, "•", "官员研修班"),
    ]
    assert normalized.title == "气候变化南南合作"
    table = blocks[7].table
    assert table is not None and (table.rows, table.cols) == (3, 3)
    assert (table.cells[0].rowspan, table.cells[1].colspan) == (2, 2)
    assert [(c.row, c.col) for c in table.cells if c.text in ("2021", "非洲")] == [(1, 1), (2, 0)]
    assert blocks[7].text == "地区 | 项目数\n2021 | 2022\n非洲 | 12 | 15"
    note = blocks[-1]
    assert (note.kind, note.label, note.text) == (BlockKind.FOOTNOTE, "[1]", "截至 2023 年底。")
    assert blocks[2].footnote_refs == [note.id]


def test_markdown_comes_out_structured_with_chinese_line_breaks_joined(tmp_path: Path) -> None:
    path = tmp_path / "progress.md"
    path.write_text(_MARKDOWN, encoding="utf-8")
    extracted = extract(path)
    assert (extracted.source.format, extracted.source.encoding) == ("markdown", "utf-8")
    assert extracted.metadata_title == "全球应对气候变化合作进展"
    kinds = [(b.kind, b.level, b.label) for b in extracted.blocks]
    assert kinds == [
        (BlockKind.HEADING, 1, None),
        (BlockKind.PARAGRAPH, None, None),
        (BlockKind.HEADING, 2, None),
        (BlockKind.LIST_ITEM, 1, "•"),
        (BlockKind.LIST_ITEM, 1, "•"),
        (BlockKind.LIST_ITEM, 2, "1."),
        (BlockKind.LIST_ITEM, 2, "2."),
        (BlockKind.TABLE, None, None),
        (BlockKind.FOOTNOTE, None, "[1]"),
    ]
    paragraph, table, note = extracted.blocks[1], extracted.blocks[7], extracted.blocks[8]
    assert paragraph.text == (
        "应对气候变化是人类共同事业，不仅需要全球性应对、全球性行动，更需要全球性合作。"
        "《巴黎协定》[1]为 2020 年后全球合作指明了方向。The Paris Agreement wraps here."
    )
    assert paragraph.footnote_refs == [note.id]
    assert note.text == "2015 年 12 月在巴黎气候大会上通过。"
    assert table.table is not None and (table.table.rows, table.table.cols) == (2, 2)
    assert table.text == "国家 | 目标\n中国 | 2060 年碳中和"


def test_markdown_in_gb18030_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "progress-gb.md"
    path.write_bytes(_MARKDOWN.encode("gb18030"))
    extracted = extract(path)
    assert extracted.source.encoding == "gb18030"
    assert extracted.blocks[0].text == "一、全球应对气候变化合作进展和挑战"


# --- broken Word files -------------------------------------------------------------------------------


def _random_bytes(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 16)


def _zip_without_word(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")


@pytest.mark.parametrize("make", [_random_bytes, _zip_without_word], ids=["random-bytes", "zip-not-word"])
def test_broken_docx_raises_docx_broken_naming_the_file(tmp_path: Path, make: object) -> None:
    path = tmp_path / "报告-damaged.docx"
    assert callable(make)
    make(path)
    with pytest.raises(DocxBrokenError) as caught:
        extract(path)
    assert caught.value.code == "DOCX_BROKEN"
    assert path.name in str(caught.value)
    assert "Word" in caught.value.advice


# --- text encodings ----------------------------------------------------------------------------------

_TRADITIONAL = (
    "應對氣候變化是人類共同事業，不僅需要全球性應對、全球性行動，更需要全球性合作。\n"
    "《巴黎協定》為2020年後全球合作應對氣候變化指明了方向。\n"
)


@pytest.fixture(scope="module")
def simplified(reference_text: str) -> str:
    """A few sentences of real report text (paragraph lines, no blank ones)."""
    lines = [line for line in reference_text.splitlines() if len(line) > 40]
    return "\n".join(lines[:3]) + "\n"


@pytest.mark.parametrize(
    ("codec", "recorded"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),  # GBK is decoded as its superset GB18030
    ],
)
def test_simplified_chinese_text_in_each_encoding(tmp_path: Path, simplified: str, codec: str, recorded: str) -> None:
    path = tmp_path / f"report-{codec}.txt"
    path.write_bytes(simplified.encode(codec))
    extracted = extract(path)
    assert extracted.source.encoding == recorded
    assert [line.text for line in extracted.pages[0].lines] == simplified.splitlines()


def test_big5_traditional_text_is_told_apart_from_gb18030(tmp_path: Path) -> None:
    data = _TRADITIONAL.encode("big5")
    data.decode("gb18030")  # the trap: these bytes are also "valid" GB18030, as mojibake
    path = tmp_path / "report-big5.txt"
    path.write_bytes(data)
    extracted = extract(path)
    assert extracted.source.encoding == "big5"
    assert [line.text for line in extracted.pages[0].lines] == _TRADITIONAL.splitlines()


def test_bytes_in_no_encoding_raise_text_decoding_error(tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 8)
    with pytest.raises(TextDecodingError, match=r"binary\.txt"):
        extract(path)


# --- the whole pipeline on Word files ----------------------------------------------------------------


@pytest.mark.parametrize("name", [SICHUAN, LISTS_TABLES])
def test_pipeline_on_word_files_gives_exact_mentions_and_valid_json(resources: Resources, name: str) -> None:
    document = build_document(shared_file("docx", name), resources)
    assert document.document.source.format == "docx"
    texts = {block.id: block.text for block in document.blocks}
    for mention in document.mentions:
        assert texts[mention.block_id][mention.start : mention.end] == mention.text
    if name == SICHUAN:
        assert len(document.mentions) > 10
        assert document.document.title == "2025年四川省政府工作报告"
    validate_document(json.loads(document_json(document)))


@pytest.mark.parametrize(
    ("meta", "codec", "recorded"),
    [
        ('<meta charset="gb2312">', "utf-8", "utf-8"),  # re-saved as UTF-8, stale declaration
        ("", "big5", "big5"),  # no declaration: detected
        ('<meta charset="big5">', "big5", "big5"),
    ],
)
def test_html_charset_declared_or_detected(tmp_path: Path, meta: str, codec: str, recorded: str) -> None:
    html = f"<html><head>{meta}</head><body><p>{_TRADITIONAL}</p></body></html>"
    path = tmp_path / "page.htm"
    path.write_bytes(html.encode(codec))
    extracted = extract(path)
    assert extracted.source.encoding == recorded
    assert [block.text for block in extracted.blocks] == ["".join(_TRADITIONAL.splitlines())]
