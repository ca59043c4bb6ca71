"""Paragraphs, headings, furniture and footnotes of the sample report against its reference text."""

from __future__ import annotations

import re

from ccpipe.extract.accuracy import document_paragraphs, measure, reference_paragraphs
from ccpipe.models import BlockKind, Document

HEADINGS = [
    "一、全球应对气候变化合作进展和挑战",
    "二、气候变化国际合作的实践案例",
    "三、中国在应对气候变化国际合作中的努力与贡献",
    "四、全球解决方案",
]


def test_character_error_rate_and_no_stray_spaces(sample_document: Document, reference_text: str) -> None:
    accuracy = measure(sample_document, reference_text)
    assert accuracy.cer <= 0.005, accuracy.summary()
    assert accuracy.stray_cjk_spaces == 0, accuracy.summary()


def test_paragraphs_match_the_reference(sample_document: Document, reference_text: str) -> None:
    expected = reference_paragraphs(reference_text)
    got = document_paragraphs(sample_document)
    assert len(got) == len(expected)
    exact = sum(a == b for a, b in zip(got, expected, strict=True))
    assert exact >= len(expected) - 5  # the rest differ by a space the PDF lost at a line end


def test_page_break_sentences_are_joined(sample_document: Document) -> None:
    texts = [block.text for block in sample_document.blocks]
    assert any("加剧了发展中国家应对气候变化资金缺口" in text for text in texts)
    assert any("在 2023 年巴西主办的亚马逊峰会上" in text for text in texts)


def test_four_top_level_headings(sample_document: Document) -> None:
    top = [b.text for b in sample_document.blocks if b.kind == BlockKind.HEADING and b.level == 1]
    assert top == HEADINGS


def test_title_and_cover_metadata(sample_document: Document) -> None:
    info = sample_document.document
    assert info.title == "全球应对气候变化合作进展评估及相关建议"
    assert info.publisher == "国家应对气候变化战略研究和国际合作中心"
    assert info.date == "2023-10"
    assert sample_document.blocks[0].kind == BlockKind.TITLE


def test_running_header_and_page_numbers_are_furniture_not_body(sample_document: Document) -> None:
    header = "全球应对气候变化合作进展评估及相关建议"
    kinds = {(f.kind, f.text) for f in sample_document.furniture}
    assert ("header", header) in kinds
    assert {f.page for f in sample_document.furniture if f.kind == "page_number"} == set(range(2, 15))
    for block in sample_document.blocks[1:]:
        assert header not in block.text
        assert not re.search(r"-\s*\d{1,2}\s*-", block.text), block.text


def test_footnote_is_a_block_linked_to_its_call(sample_document: Document) -> None:
    notes = [b for b in sample_document.blocks if b.kind == BlockKind.FOOTNOTE]
    assert len(notes) == 1
    note = notes[0]
    assert note.label == "¹" and note.page == 4
    assert note.text == "贸发会议呼吁帮助发展中国家受益于绿色技术，<https://news.un.org/zh/story/2023/03/1116202>"
    callers = [b for b in sample_document.blocks if note.id in b.footnote_refs]
    assert len(callers) == 1 and "差距¹。" in callers[0].text


def test_blocks_carry_pages_and_boxes(sample_document: Document) -> None:
    for block in sample_document.blocks:
        assert block.pages and block.page == block.pages[0]
        assert [box.page for box in block.bboxes] == block.pages
        for box in block.bboxes:
            assert 0 <= box.x0 < box.x1 <= 595.3 and 0 <= box.top < box.bottom <= 841.9
