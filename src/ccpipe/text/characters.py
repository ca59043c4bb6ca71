"""Character normalisation without loss: look-alike code points to the ones text search expects.

Three kinds of replacement, each one code point for one, so offsets into the normalised text are
offsets into the original too, and each block records what it replaced (:class:`TextChange`):

* ``width``: full-width Latin letters, digits and signs to ASCII (Ａ１％ → A1%); Chinese punctuation
  （），：；！？ keeps its full width, as Chinese typography sets it.
* ``radical``: Kangxi radicals (U+2F00–2FDF) and CJK radicals supplement (U+2E80–2EFF) to the unified
  ideograph they look like (⼀带⼀路 → 一带一路). Browsers printing to PDF and some font subsets emit
  them, and nothing matches them: 一带一路 was never tagged in such a file.
* ``compatibility``: CJK compatibility ideographs (U+F900–FAFF, U+2F800–2FA1F) to their canonical
  unified ideographs (Unicode's own NFC mapping).

Private-use characters (glyphs without a Unicode meaning) cannot be mapped: they stay, and the
document gets a ``TEXT_PRIVATE_USE`` issue naming where they are.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ccpipe.models import Block, DocIssue, TextChange
from ccpipe.textutil import normalize_width

WIDTH, RADICAL, COMPATIBILITY = "width", "radical", "compatibility"

# Radicals of the supplement (all but two have no Unicode decomposition) that look like a whole
# character, mapped to it after Unicode's EquivalentUnifiedIdeograph.txt; the rest stay.
_SUPPLEMENT = dict(
    zip(
        "⺁⺆⺇⺊⺌⺍⺎⺐⺒⺓⺔⺖⺘⺙⺛⺝⺞⺟⺠⺡⺢⺣⺤⺥⺦⺨⺩⺪⺫⺬⺭⺮⺯⺰⺱⺲⺷⺹⺺⺻⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻈⻉⻋⻌⻍⻎⻏⻐⻑⻒⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
        "厂冂几卜小小兀尢巳幺彑忄扌攵旡月歺母民氵氺灬爫爫丬犭王疋罒礻礻竹糹纟罓罒羊耂肀聿月臼艹艹艹虎衤覀西见角讠贝车辶辶辶阝钅長镸长门阝雨青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟",
        strict=True,
    )
)
_PRIVATE_USE = "Co"


def replacement(char: str) -> tuple[str, str] | None:
    """``(replacement, kind)`` for a character normalisation changes, else None."""
    return _replacement(char)


@lru_cache(maxsize=4096)
def _replacement(char: str) -> tuple[str, str] | None:
    code = ord(char)
    narrowed = normalize_width(char)
    if narrowed != char:
        return narrowed, WIDTH
    if 0x2F00 <= code <= 0x2FDF or 0x2E80 <= code <= 0x2EFF:
        mapped = _SUPPLEMENT.get(char) or unicodedata.normalize("NFKC", char)
        return (mapped, RADICAL) if len(mapped) == 1 and mapped != char else None
    if 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F:
        mapped = unicodedata.normalize("NFC", char)  # the dozen unified ideographs in the block stay
        return (mapped, COMPATIBILITY) if len(mapped) == 1 and mapped != char else None
    return None


def normalize_characters(text: str) -> tuple[str, list[TextChange]]:
    """``text`` with every replacement made, and the replacements as runs of one kind each."""
    if text.isascii():
        return text, []
    out: list[str] = []
    changes: list[TextChange] = []
    for index, char in enumerate(text):
        found = _replacement(char)
        if found is None:
            out.append(char)
            continue
        mapped, kind = found
        out.append(mapped)
        last = changes[-1] if changes else None
        if last is not None and last.end == index and last.kind == kind:
            last.end, last.original = index + 1, last.original + char
        else:
            changes.append(TextChange(start=index, end=index + 1, original=char, kind=kind))
    return "".join(out), changes


def plain(text: str) -> str:
    """``text`` normalised, when where its changes were need not be kept (furniture, metadata)."""
    return normalize_characters(text)[0]


def normalize_blocks(blocks: list[Block]) -> tuple[list[Block], list[DocIssue]]:
    """Blocks with normalised text (and table cells), each recording its changes; and an issue when
    private-use characters are left in any of them."""
    out: list[Block] = []
    private: dict[str, int] = {}
    where: dict[str, int] = {}  # block id → page
    for block in blocks:
        text, changes = normalize_characters(block.text)
        update: dict[str, object] = {"text": text, "changes": changes}
        if block.label:  # a footnote's marker (１ → 1) must match the calls in the normalised text
            update["label"] = plain(block.label)
        if block.table is not None:
            cells = [cell.model_copy(update={"text": plain(cell.text)}) for cell in block.table.cells]
            update["table"] = block.table.model_copy(update={"cells": cells})
        out.append(block.model_copy(update=update))
        for char in text:
            if unicodedata.category(char) == _PRIVATE_USE:
                private[char] = private.get(char, 0) + 1
                where.setdefault(block.id, block.page)
    return out, [_private_use_issue(private, where)] if private else []


def _private_use_issue(private: dict[str, int], where: dict[str, int]) -> DocIssue:
    codes = ", ".join(f"U+{ord(char):04X}" for char in sorted(private)[:5]) + (", …" if len(private) > 5 else "")
    blocks = ", ".join(list(where)[:5]) + (", …" if len(where) > 5 else "")
    message = (
        f"{sum(private.values())} private-use character(s) ({codes}) in {blocks}: glyphs without a Unicode "
        "meaning (a font's own symbols or a broken font map), kept as they are; check the source"
    )
    return DocIssue(code="TEXT_PRIVATE_USE", message=message, page=min(where.values()))
