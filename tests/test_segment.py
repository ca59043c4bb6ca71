"""Sentences and jieba tokens: every mention is exactly one token."""

from __future__ import annotations

from ccpipe.models import Document
from ccpipe.text.segment import sentence_spans


def test_sentences_end_at_chinese_punctuation_and_closing_quotes() -> None:
    text = "他说：“合作共赢。”随后离开。还有吗？有！"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["他说：“合作共赢。”", "随后离开。", "还有吗？", "有！"]


def test_text_without_end_mark_is_one_sentence() -> None:
    assert sentence_spans("一、全球解决方案") == [(0, 8)]
    assert sentence_spans("   ") == []


def test_sentences_cover_every_block(sample_document: Document) -> None:
    for block in sample_document.blocks:
        assert block.sentences, block.id
        position = 0
        for sentence in block.sentences:
            assert block.text[position : sentence.start].strip() == "", (block.id, position)
            assert sentence.tokens and sentence.tokens[0][0] == sentence.start
            position = sentence.end
        assert block.text[position:].strip() == ""


def test_every_mention_is_one_token_and_no_token_crosses_a_mention(sample_document: Document) -> None:
    blocks = {block.id: block for block in sample_document.blocks}
    tokens = {
        block.id: [(token[0], token[1]) for sentence in block.sentences for token in sentence.tokens]
        for block in sample_document.blocks
    }
    checked = 0
    for mention in sample_document.mentions:
        # Tables are tagged, not segmented; a term inside a longer one is part of that one's token.
        if not blocks[mention.block_id].sentences or mention.inside is not None:
            continue
        spans = tokens[mention.block_id]
        assert not [(a, b) for a, b in spans if a < mention.start < b or a < mention.end < b], mention
        if not mention.text.isascii():
            assert (mention.start, mention.end) in spans, (mention.text, mention.block_id)
            checked += 1
    assert checked > 300
