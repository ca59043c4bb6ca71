"""The price of a bead: how unlikely it is that these source items translate to these target items.

Length (Gale & Church 1993): the English length of a translation is about ``ratio`` times the Chinese
length, with a variance growing with the length; ``ratio`` is measured on the pair itself, so it adapts to
editions that abridge or expand. Lexical anchors (Hunalign's idea, with the anchors of
:mod:`ccpipe.translate.anchors`): each anchor both sides share lowers the cost by its weight; an anchor
only one side has raises it a little (translations drop figures now and then). Kinds: a heading faces a
heading. A bead of text in one edition only has a fixed price.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from ccpipe.models import BlockKind
from ccpipe.textutil import is_cjk
from ccpipe.translate.anchors import Anchors
from ccpipe.translate.items import Item, is_closed

# -log prior of each bead shape: most beads are 1:1 (Gale & Church's 0.89), merges and splits rarer.
_SHAPE_COST = {(1, 1): 0.0, (1, 2): 2.3, (2, 1): 2.3, (2, 2): 4.6, (1, 3): 4.6, (3, 1): 4.6}
_ONE_SIDED = 4.5
_VARIANCE = 6.8  # Gale & Church's variance per character, scaled by the ratio below
_SHARED = 1.0
_UNSHARED = 0.5
_HEADING_PAIR = -1.5
_KIND_MISMATCH = 4.0
_MAX_LENGTH_COST = 25.0
_DEFAULT_RATIO = 3.0
_LATIN_PER_CJK = 3.0
_VERBATIM = 20.0
_SAME_TEXT = 80.0  # rapidfuzz partial ratio: the same text, give or take extraction noise


@lru_cache(maxsize=65536)
def source_length(text: str) -> float:
    """Length of Chinese text, a Latin letter or digit counting a third: an address, a name or an acronym
    is as long in both editions, while a Chinese character takes about three letters in English."""
    cjk = sum(1 for ch in text if is_cjk(ch))
    return cjk + (sum(1 for ch in text if not ch.isspace()) - cjk) / _LATIN_PER_CJK


@lru_cache(maxsize=65536)
def target_length(text: str) -> float:
    return float(sum(1 for ch in text if not ch.isspace()))


def _heading(items: list[Item]) -> bool:
    """Whether the items hold a heading; a "heading" ending in a colon or full stop reads as text."""
    return any(item.kind in (BlockKind.HEADING, BlockKind.TITLE) and not is_closed(item.text) for item in items)


@lru_cache(maxsize=65536)
def _without_chinese(text: str) -> bool:
    return not any(is_cjk(ch) for ch in text)


def _verbatim(source: list[Item], target: list[Item]) -> float:
    """Text without Chinese in the Chinese edition (an address, an English notice) is the same text in the
    English edition or something the other edition lacks."""
    foreign = [item.text for item in source if _without_chinese(item.text)]
    if not foreign:
        return 0.0
    english = " ".join(item.text for item in target)
    return sum(_VERBATIM for text in foreign if fuzz.partial_ratio(text, english) < _SAME_TEXT)


@dataclass(frozen=True)
class LinkCost:
    ratio: float  # target characters per source character
    weights: dict[str, float]
    temperature: float = 1.0

    @classmethod
    def for_items(cls, source: list[Item], target: list[Item], weights: dict[str, float]) -> LinkCost:
        source_total = sum(source_length(item.text) for item in source)
        target_total = sum(target_length(item.text) for item in target)
        ratio = target_total / source_total if source_total and target_total else _DEFAULT_RATIO
        return cls(ratio, weights)

    @property
    def one_sided(self) -> float:
        return _ONE_SIDED

    def share(self, cost: float, rivals: list[float], items: int) -> float:
        """The probability of a bead of ``cost`` among ``rivals`` (itself included) and leaving its ``items``
        unlinked."""
        weights = [math.exp((cost - rival) / self.temperature) for rival in rivals]
        unlinked = math.exp((cost - _ONE_SIDED * items) / self.temperature)
        return 1.0 / (sum(weights) + unlinked)

    def length_cost(self, source_length: float, target_length: float) -> float:
        """-log of the chance that lengths differ this much from the ratio, both tails (Gale–Church)."""
        mean = (source_length + target_length / self.ratio) / 2
        if mean == 0:
            return 0.0
        delta = (target_length - self.ratio * source_length) / math.sqrt(_VARIANCE * self.ratio * mean)
        tail = math.erfc(abs(delta) / math.sqrt(2))
        return min(_MAX_LENGTH_COST, -math.log(tail)) if tail > 0 else _MAX_LENGTH_COST

    def anchor_cost(self, source: Anchors, target: Anchors) -> float:
        cost = 0.0
        for key in source.keys() | target.keys():
            weight = self.weights.get(key)
            if weight is None:
                continue  # an anchor one edition never has tells nothing about this pair
            shared = min(source[key], target[key])
            cost += weight * (_UNSHARED * (source[key] + target[key] - 2 * shared) - _SHARED * shared)
        return cost

    def __call__(
        self, source: list[Item], target: list[Item], source_anchors: Anchors, target_anchors: Anchors
    ) -> float:
        if not source or not target:
            return _ONE_SIDED
        shape = _SHAPE_COST.get((len(source), len(target)), 6.9)
        lengths = self.length_cost(
            sum(source_length(i.text) for i in source), sum(target_length(i.text) for i in target)
        )
        kinds = 0.0
        if _heading(source) and _heading(target):
            kinds = _HEADING_PAIR
        elif _heading(source) != _heading(target):
            kinds = _KIND_MISMATCH
        return shape + lengths + kinds + self.anchor_cost(source_anchors, target_anchors) + _verbatim(source, target)
