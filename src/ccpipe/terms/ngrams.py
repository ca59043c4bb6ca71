"""Recurring character strings that behave like words: the statistics behind term discovery in Chinese.

Chinese has no spaces, and a field's new terms (降碳, 减污降碳, 能耗双控) are exactly the words a general
segmenter does not know. A string is word-like when it recurs, when its characters belong together (it
occurs far more often than its two halves would by chance) and when what stands around it varies (high
left and right branching entropy: 碳排放 is followed by 强度, 总量, 权, 。…; 碳排 is always followed by 放).
Strings are counted inside runs of Chinese characters (punctuation, digits and Latin letters end a run);
a string that starts or ends with a function character (的, 和, 等 …) is not a term.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# Characters that open or close phrases, not terms: particles, conjunctions, prepositions, measure words.
_EDGE = frozenset("的了和与及或在是等对为将要并以从由于把被向而其之也都还就所这那各每该此个")
_MIN_COUNT = 2
_MAX_LENGTH = 8
_EDGE_MARK = ""  # the neighbour of a string at the edge of a run: each counts as a different one


@dataclass(frozen=True)
class Ngram:
    text: str
    count: int
    entropy: float  # the smaller of the left and right branching entropies, in bits
    cohesion: float  # the weakest split: log2 of count·N / (count(left part)·count(right part))


def word_like(texts: Iterable[str], min_count: int = _MIN_COUNT, max_length: int = _MAX_LENGTH) -> list[Ngram]:
    """Strings of 2 to ``max_length`` Chinese characters occurring ``min_count`` times or more, with their
    statistics; the ones that start or end with a function character are left out."""
    runs = [run.group() for text in texts for run in _RUN.finditer(text)]
    counts: Counter[str] = Counter()
    for run in runs:
        for start in range(len(run)):
            for end in range(start + 1, min(start + max_length, len(run)) + 1):
                counts[run[start:end]] += 1
    frequent = {
        text
        for text, n in counts.items()
        if n >= min_count and len(text) >= 2 and text[0] not in _EDGE and text[-1] not in _EDGE
    }
    left, right = _neighbours(runs, frequent, max_length)
    total = sum(len(run) for run in runs) or 1
    out = []
    for text in frequent:
        entropy = min(_entropy(left[text]), _entropy(right[text]))
        cohesion = min(
            math.log2(counts[text] * total / (counts[text[:cut]] * counts[text[cut:]])) for cut in range(1, len(text))
        )
        out.append(Ngram(text, counts[text], entropy, cohesion))
    return out


def _neighbours(
    runs: list[str], wanted: set[str], max_length: int
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    edge = 0
    for run in runs:
        for start in range(len(run)):
            for end in range(start + 2, min(start + max_length, len(run)) + 1):
                text = run[start:end]
                if text not in wanted:
                    continue
                edge += 1
                left[text][run[start - 1] if start else f"{_EDGE_MARK}{edge}"] += 1
                right[text][run[end] if end < len(run) else f"{_EDGE_MARK}{edge}"] += 1
    return left, right


def _entropy(neighbours: Counter[str]) -> float:
    total = sum(neighbours.values())
    return -sum(n / total * math.log2(n / total) for n in neighbours.values()) if total else 0.0
