"""Segmentation: sentences by Chinese and Latin end punctuation; words by jieba, never across a term.

The terms stage tags first; its mention spans (glossary terms and the document's own short forms) come in
as plain offsets, so this stage needs no glossary. Each sentence is first cut at those boundaries: every
mention becomes exactly one token and jieba, a private ``jieba.Tokenizer``, only
sees the text between mentions. A user dictionary could not guarantee this: jieba splits its input at
spaces, ``/`` and ``《》`` before it looks words up, so ``美印气候及清洁能源 2030 议程伙伴关系`` would never be
one word; and forcing glossary words into its dictionary cuts text around a refused match wrongly
(其中亚洲 as 其|中亚|洲). Tokens are stored as [start, end] offsets into the block text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import jieba

from ccpipe.models import Block, BlockKind, Document, Sentence
from ccpipe.text import lexicon

# A sentence ends at 。！？!? (or a Latin full stop before a capital), plus any closing quotes or brackets that follow.
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)》]*|(?<=[a-z0-9])\.(?=\s+[A-Z])")
_SEGMENTED_KINDS = frozenset(
    {BlockKind.TITLE, BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.FOOTNOTE}
)
Span = tuple[int, int]


def sentence_spans(text: str, terms: Sequence[Span] = ()) -> list[Span]:
    """Split ``text`` into sentence spans without leading or trailing white space, never inside a term."""
    inside = {position for start, end in terms for position in range(start + 1, end)}
    spans: list[Span] = []
    start = 0
    for end_mark in _SENTENCE_END.finditer(text):
        if end_mark.end() not in inside:
            spans.append((start, end_mark.end()))
            start = end_mark.end()
    spans.append((start, len(text)))
    return [trimmed for span in spans if (trimmed := _trim(text, *span))]


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


class Segmenter:
    """Sentence splitter plus a jieba tokenizer that keeps every tagged term whole."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._tokenizer = lexicon.tokenizer(cache_dir)  # one per process: its dictionary is loaded once

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        """The run's private jieba tokenizer, for other jieba-based stages (never jieba's global one)."""
        return self._tokenizer

    def tokens(self, text: str, terms: Sequence[Span] = ()) -> list[Span]:
        """Word spans of ``text``: each of ``terms`` (sorted, not overlapping) is one token, jieba cuts the rest."""
        tokens: list[Span] = []
        position = 0
        for start, end in [*terms, (len(text), len(text))]:
            if start < position:
                continue
            piece = text[position:start]
            if piece.strip():
                tokens.extend(
                    (position + a, position + b) for word, a, b in self._tokenizer.tokenize(piece) if word.strip()
                )
            if end > start:
                tokens.append((start, end))
            position = end
        return tokens

    def segment(self, block: Block, terms: Sequence[Span] = ()) -> Block:
        """Sentences and tokens of one block, each of ``terms`` (sorted mention spans) kept one token."""
        if block.kind not in _SEGMENTED_KINDS:
            return block
        sentences = []
        terms = sorted(terms)
        starts = [a for a, _ in terms]
        for start, end in sentence_spans(block.text, terms):
            # The terms of this sentence, found by bisection: a long block costs what its sentences hold.
            first = bisect.bisect_left(starts, start)
            last = bisect.bisect_left(starts, end, lo=first)
            local = [(a - start, b - start) for a, b in terms[first:last] if b <= end]
            tokens = [[start + a, start + b] for a, b in self.tokens(block.text[start:end], local)]
            sentences.append(Sentence(start=start, end=end, tokens=tokens))
        return block.model_copy(update={"sentences": sentences})

    def segment_document(self, document: Document, terms: Mapping[str, Sequence[Span]]) -> Document:
        """Every block segmented around its mention spans (``terms``: block id → sorted spans)."""
        return document.model_copy(
            update={"blocks": [self.segment(block, terms.get(block.id, ())) for block in document.blocks]}
        )
