"""Words that serve several figures at once.

A qualifier written once after a list serves every member (分别在7%、2%以下: both at most); a change verb before
a list serves every member (分别增加了3000多倍和200多倍: both increases); a qualifier before a comparison base
serves the multiple or share after it (不低于当地最低生活保障标准的1.6倍: at least 1.6 times).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ccpipe.models import QuantityKind
from ccpipe.text.quantities.context import AFTER, BEFORE
from ccpipe.text.quantities.found import Found

_LIST = frozenset({"、"})
_AND = frozenset({"、", "和", "及", "与"})
_BASE = re.compile(
    "(?P<word>" + "|".join(sorted(map(re.escape, BEFORE), key=len, reverse=True)) + r")[^，。；、]{1,16}的\s*$"
)
_FRACTION = re.compile(r"分之|一半|[0-9]/[0-9]")


def _gap(text: str, left: Found, right: Found) -> str:
    return text[left.end : right.start].strip()


def _after_word(text: str, found: Found) -> bool:
    """Whether the figure's qualifier was written after it (以上, 以下…), so that it can serve a list."""
    return any(text.endswith(word, found.start, found.end) for word in AFTER)


def _comparison(text: str, found: Found) -> Found:
    """A multiple or share whose qualifier stands before its comparison base: 超过国土面积的十分之一."""
    is_share = found.kind == QuantityKind.PERCENT and _FRACTION.search(text, found.start, found.end)
    if found.qualifier or found.change or not (found.kind == QuantityKind.MULTIPLE or is_share):
        return found
    clause = re.split(r"[，。；：]", text[max(0, found.start - 24) : found.start])[-1]
    base = _BASE.search(clause)
    return replace(found, qualifier=BEFORE[base["word"]]) if base else found


def share(text: str, found: list[Found]) -> list[Found]:
    """``found`` (in text order) with qualifiers and changes shared across lists and comparison bases."""
    out = [_comparison(text, f) for f in found]
    for i in range(len(out) - 1, 0, -1):  # right to left: 7%、2%以下
        left, right = out[i - 1], out[i]
        if (
            _gap(text, left, right) in _LIST
            and (left.kind, left.unit) == (right.kind, right.unit)
            and right.qualifier
            and not left.qualifier
            and _after_word(text, right)
        ):
            out[i - 1] = replace(left, qualifier=right.qualifier)
    for i in range(1, len(out)):  # left to right: 增加了3000多倍和200多倍
        left, right = out[i - 1], out[i]
        if _gap(text, left, right) in _AND and left.kind == right.kind and left.change and not right.change:
            out[i] = replace(right, change=left.change)
    return out
