"""Layout reconstruction on third-party PDFs: furniture, overprinting, tables, columns, structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccpipe.extract import extract
from ccpipe.models import Block, BlockKind, Cell, Document
from ccpipe.text.normalize import _label_key, normalize
from ccpipe.textutil import normalize_width

from .conftest import shared_file


def blocks_of(name: str) -> list[Block]:
    return normalize(extract(shared_file("pdf", name))).blocks


def test_quarterly_report_running_header_is_furniture_on_every_page() -> None:
    extracted = extract(shared_file("pdf", "running-headers-quarterly-report.pdf"))
    normalized = normalize(extracted)
    blocks, furniture = normalized.blocks, normalized.furniture
    header = "东北电气发展股份有限公司 2018年第一季度报告全文"
    assert {f.page for f in furniture if f.kind == "header" and f.text == header} == set(range(1, 23))
    assert {f.page for f in furniture if f.kind == "page_number"} == set(range(1, 23))
    body = "\n".join(block.text for block in blocks)
    assert "第一季度报告全文" not in body
    # The 14-point statement on page 2 is one paragraph, not a heading per wrapped line.
    statement = next(b for b in blocks if b.text.startswith("公司董事会、监事会"))
    assert statement.kind == BlockKind.PARAGRAPH and statement.text.endswith("并承担个别和连带的法律责任。")


def test_resume_overprinted_characters_are_not_doubled() -> None:
    texts = [block.text for block in blocks_of("duplicate-chars-resume.pdf")]
    assert "教育经历" in texts
    # Overprinting doubles every character of a run (教教育育经经历历); the text itself may repeat one (嘻嘻嘻).
    for text in texts:
        assert not re.search(r"(.)\1(?!\1)(.)\2(?!\2)(.)\3", text), text


def cell(table_block: Block, row: int, col: int) -> Cell:
    assert table_block.table is not None
    return next(c for c in table_block.table.cells if c.row == row and c.col == col)


def test_borderless_lab_table() -> None:
    tables = [b for b in blocks_of("borderless-table.pdf") if b.kind == BlockKind.TABLE]
    assert len(tables) == 1 and tables[0].table is not None
    table = tables[0].table
    assert (table.rows, table.cols) == (23, 6)
    assert [cell(tables[0], 0, col).text for col in range(6)] == [
        "项目",
        "检验方法",
        "提示",
        "结果",
        "单位",
        "参考范围",
    ]
    assert cell(tables[0], 1, 2).text == "↓" and cell(tables[0], 22, 5).text == "[125-350]"
    assert "中性粒细胞计数(NEU#)" in tables[0].text  # full-width ＃ normalised


def test_ruled_tables_keep_merged_cells() -> None:
    tables = [b for b in blocks_of("merged-cell-table.pdf") if b.kind == BlockKind.TABLE]
    assert [(t.table.rows, t.table.cols) for t in tables if t.table] == [(8, 5), (11, 8), (2, 3)]
    first, second = tables[0], tables[1]
    assert cell(first, 0, 0).text == "公路技术等级" and cell(first, 0, 0).rowspan == 2
    assert cell(first, 0, 3).text == "编制条件" and cell(first, 0, 3).colspan == 2
    assert cell(first, 2, 0).text == "高速公路" and cell(first, 2, 0).rowspan == 3
    assert cell(second, 0, 3).text == "大型车比例μ（%）" and cell(second, 0, 3).colspan == 5
    prose = "".join(b.text for b in blocks_of("merged-cell-table.pdf") if b.kind != BlockKind.TABLE)
    assert "路段交通量Q" not in prose  # table text is not repeated as paragraphs


def test_english_keeps_word_spaces_and_columns_read_in_order() -> None:
    texts = [block.text for block in blocks_of("mixed-english-japanese.pdf")]
    assert "A grasshopper spent the summer hopping about in the sun and singing to his heart's content." in texts
    joined = "\n".join(texts)
    assert "the sun and singing" in joined and "hormigas y les pidió comida." in joined
    # Page 2 sets two columns side by side: the left column is read before the right one.
    assert joined.index("Down went Alice after it.") < joined.index("The rabbit-hole went straight")
    assert "went straight on like a tunnel for some way, and then dipped suddenly down," in joined


def test_run_in_lead_sentences(sample_document: Document) -> None:
    leads = [b.text[b.lead.start : b.lead.end] for b in sample_document.blocks if b.lead]
    assert "欧盟构建灵活意愿联盟，努力提升气候治理模式的全球影响力。" in leads  # bold lead
    assert "二是发挥元首外交引领作用，推进多双边务实合作。" in leads  # numbered lead
    assert len(leads) == 19


def test_bulleted_text_becomes_list_items(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("重点任务如下：\n\n• 加强南南合作\n\n• 推动绿色“一带一路”\n", encoding="utf-8")
    blocks = normalize(extract(path)).blocks
    assert [(b.kind, b.label) for b in blocks] == [
        (BlockKind.PARAGRAPH, None),
        (BlockKind.LIST_ITEM, "•"),
        (BlockKind.LIST_ITEM, "•"),
    ]


@pytest.mark.parametrize(
    ("label", "key"), [("¹", "1"), ("¹²", "12"), ("①", "1"), ("⑫", "12"), ("[3]", "3"), ("4", "4")]
)
def test_footnote_markers_of_every_style_name_the_same_note(label: str, key: str) -> None:
    assert _label_key(label) == key


def test_width_normalisation_keeps_chinese_punctuation() -> None:
    assert normalize_width("ＣＯＰ２８，１００％＃（《巴黎协定》）：“好”") == "COP28，100%#（《巴黎协定》）：“好”"


def test_no_block_text_has_control_characters(sample_document: Document) -> None:
    for block in sample_document.blocks:
        assert not re.search(r"[\x00-\x08\x0b-\x1f]", block.text)
