"""Segmentation: sentences by Chinese and Latin end punctuation; words by jieba.

jieba runs as a private ``jieba.Tokenizer`` whose user dictionary is the glossary's Chinese forms, so
no token crosses a term boundary. Tokens are stored as [start, end] offsets into the block text.
"""

from __future__ import annotations

import re
from pathlib import Path

import jieba

from .glossary import Glossary
from .models import Block, BlockKind, Sentence

# A sentence ends at 。！？!? (or a Latin full stop before a capital), plus any closing quotes or brackets that follow.
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)》]*|(?<=[a-z0-9])\.(?=\s+[A-Z])")
_TERM_FREQ = 100_000
_SEGMENTED_KINDS = frozenset(
    {BlockKind.TITLE, BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.FOOTNOTE}
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans without leading or trailing white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end_mark in _SENTENCE_END.finditer(text):
        spans.append((start, end_mark.end()))
        start = end_mark.end()
    spans.append((start, len(text)))
    return [trimmed for span in spans if (trimmed := _trim(text, *span))]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


class Segmenter:
    """Sentence splitter plus a jieba tokenizer primed with the glossary's Chinese terms."""

    def __init__(self, glossary: Glossary, cache_dir: Path | None = None) -> None:
        self._tokenizer = jieba.Tokenizer()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._tokenizer.tmp_dir = str(cache_dir)
        for entry in glossary.entries:
            for form in [entry.zh, *entry.zh_aliases]:
                word = form.strip("《》")
                if word:
                    self._tokenizer.add_word(word, freq=_TERM_FREQ)

    def tokens(self, text: str) -> list[tuple[int, int]]:
        return [(start, end) for word, start, end in self._tokenizer.tokenize(text) if word.strip()]

    def segment(self, block: Block) -> Block:
        if block.kind not in _SEGMENTED_KINDS:
            return block
        sentences = []
        for start, end in sentence_spans(block.text):
            tokens = [[start + a, start + b] for a, b in self.tokens(block.text[start:end])]
            sentences.append(Sentence(start=start, end=end, tokens=tokens))
        return block.model_copy(update={"sentences": sentences})
