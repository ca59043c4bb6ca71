"""Word boundaries: whether a found term cuts a word of the text apart, as jieba would cut the text.

The tagger asks for every short Chinese match (see :mod:`ccpipe.terms.policy`). A match is kept where
jieba's dictionary route puts word boundaries at both its ends, or where it is the head or the tail of one
jieba word (中国 in 中国政府, 浙江 in 浙江省); it is refused where a word crosses one of its ends (海地 in
沿海|地区, 中亚 in 中|亚热带, 电网 in 充电|网络) or holds it in its middle (中国 in 发展中国家).

Segmenting every block would cost far more than tagging it (jieba cuts some 10⁵ characters a second), so
jieba is asked only when its dictionary has a word crossing one of the match's ends: without such a word
its route cannot cross them either. Where jieba's route does cross the match, the route is computed again
with the term as a common word (jieba's dictionary lacks most of the field's words: 低碳 in 低碳化 would
otherwise read 低|碳化); the match is kept if that route keeps it whole. jieba segments each run of Chinese
and Latin characters on its own, so the run around the match gives the same words as the whole text; runs
are cached. The route is jieba's dictionary route without its HMM guesser, which invents words from unknown
characters and would decide by accident, not by the dictionary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection

import jieba

# jieba's own blocks (its re_han_default): it segments each such run independently.
_RUN = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
# How far before a match a dictionary word crossing its start may begin (longer words crossing are rare).
_REACH = 6
_CACHE_SIZE = 20_000
# The frequency a glossary term is given when jieba's route is asked again with the term as a word: that of a
# common dictionary word (jieba's median word has 3, one in seven has more than 50), not enough to force it.
_TERM_FREQUENCY = 50


class WordBoundaries:
    """Word-boundary checks against one jieba tokenizer (the run's own, never jieba's global one)."""

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        tokenizer.check_initialized()
        self._tokenizer = tokenizer
        # Every dictionary word with its frequency, and every prefix of one with 0 (jieba's prefix dictionary).
        self._freq: dict[str, int] = tokenizer.FREQ
        self._cache: dict[str, frozenset[int]] = {}

    def __call__(self, text: str) -> frozenset[int]:
        """The offsets in ``text`` where jieba's dictionary route starts or ends a word."""
        known = self._cache.get(text)
        if known is None:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            known = frozenset({0, *(end for _, _, end in self._tokenizer.tokenize(text, HMM=False))})
            self._cache[text] = known
        return known

    def cuts_word(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` cuts a word of ``text`` apart."""
        if not self._crossed(text, start, end):
            return False
        low, high = _run_around(text, start, end)
        run = text[low:high]
        if respects(self(run), start - low, end - low):
            return False
        # jieba's dictionary may simply not know the term (低碳 in 低碳化 reads 低|碳化, 新能源 in 扩大新能源
        # reads 扩|大新|能源): it cuts no word apart if jieba, knowing it as a common word, would keep it.
        return not self._route_keeps(run, start - low, end - low)

    def on_route(self, text: str, start: int, end: int) -> bool:
        """Whether jieba's dictionary route through ``text`` keeps ``text[start:end]`` whole words (or the head or
        tail of one): no rescue for a term jieba does not know, as :meth:`cuts_word` gives."""
        low, high = _run_around(text, start, end)
        return respects(self(text[low:high]), start - low, end - low)

    def _route_keeps(self, run: str, start: int, end: int) -> bool:
        """Whether jieba's most probable route through ``run`` keeps ``run[start:end]`` whole when the term is
        a dictionary word of frequency :data:`_TERM_FREQUENCY` at least (jieba's own calculation)."""
        freq, log_total = self._freq, math.log(self._tokenizer.total)
        graph = self._tokenizer.get_DAG(run)
        graph[start] = sorted({*graph[start], end - 1})
        best: list[tuple[float, int]] = [(0.0, 0)] * (len(run) + 1)
        for first in range(len(run) - 1, -1, -1):
            options = []
            for last in graph[first]:
                weight = freq.get(run[first : last + 1]) or 1
                if (first, last) == (start, end - 1):
                    weight = max(weight, _TERM_FREQUENCY)
                options.append((math.log(weight) - log_total + best[last + 1][0], last))
            best[first] = max(options)
        position = 0
        while position < start:
            position = best[position][1] + 1
        return position == start and best[start][1] == end - 1

    def _crossed(self, text: str, start: int, end: int) -> bool:
        """Whether a dictionary word crosses ``start`` or ``end`` (other than one the term begins or ends)."""
        freq = self._freq
        for first in range(max(0, start - _REACH), end):
            if first == start:
                continue
            # A word from ``first`` crossing the nearer end of the match has the text up to one character
            # past that end as a prefix: one look-up rules most starting points out.
            edge = start if first < start else end
            if text[first : edge + 1] not in freq:
                continue
            for last in range(edge + 1, len(text) + 1):
                fragment = text[first:last]
                if fragment not in freq:  # no dictionary word starts with it: none longer either
                    break
                # A word [first, last) crosses an end of the match unless the match is its head or tail.
                if freq[fragment] and _crosses(first, last, start, end):
                    return True
        return False


def _crosses(first: int, last: int, start: int, end: int) -> bool:
    if first < start:
        return last > start and last != end
    return first < end < last


def respects(boundaries: Collection[int], start: int, end: int) -> bool:
    """Whether the span is whole words, or the head or tail of one word, given the word boundaries."""
    at_start, at_end = start in boundaries, end in boundaries
    if at_start and at_end:
        return True
    if at_start or at_end:
        return not any(start < boundary < end for boundary in boundaries)
    return False


def _run_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of jieba's block holding the match (the match alone if it is not inside one)."""
    left = start
    while left > 0 and _RUN.match(text, left - 1, left):
        left -= 1
    right = end
    while right < len(text) and _RUN.match(text, right, right + 1):
        right += 1
    return left, right
