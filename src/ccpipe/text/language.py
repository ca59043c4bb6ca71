"""The language of each block and of the document, detected from the text, never assumed.

Tags (BCP 47): ``zh-Hans`` and ``zh-Hant`` (Chinese, simplified or traditional characters), ``en``
(Latin-script text: the English of the corpus), ``ja`` (kana among the ideographs), ``mixed`` (Chinese
and Latin text in comparable amounts), ``und`` (no letters at all: a number, a rule).

Weights, not raw counts: an ideograph carries about as much as four Latin letters (a Chinese word is
1-2 ideographs, an English one 5-8 letters with its space), and a language needs 65% of the weight, so
a Chinese paragraph glossing a name in English stays Chinese and an English one citing 一带一路 stays
English. Simplified and traditional are told
apart by the characters each script alone uses (OpenCC's tables: 发 only simplified, 發 only
traditional); the many characters both share say nothing.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import opencc

from ccpipe.models import Block, BlockKind
from ccpipe.textutil import is_ideograph

HANS, HANT, ENGLISH, JAPANESE, MIXED, UNDETERMINED = "zh-Hans", "zh-Hant", "en", "ja", "mixed", "und"
_LETTERS_PER_IDEOGRAPH = 4.0
# Chinese or English when it carries at least this share of the weight; mixed in between.
_MAJORITY = 0.65
# Japanese when kana are at least this share of the CJK characters (Chinese text has none).
_KANA_SHARE = 0.1


@dataclass
class Counts:
    ideographs: int = 0
    latin: int = 0
    kana: int = 0
    simplified: int = 0  # characters only simplified Chinese uses
    traditional: int = 0  # characters only traditional Chinese uses

    def add(self, other: Counts) -> None:
        self.ideographs += other.ideographs
        self.latin += other.latin
        self.kana += other.kana
        self.simplified += other.simplified
        self.traditional += other.traditional

    def language(self) -> str:
        chinese, latin = float(self.ideographs + self.kana), self.latin / _LETTERS_PER_IDEOGRAPH
        if chinese + latin == 0:
            return UNDETERMINED
        share = chinese / (chinese + latin)
        if share < 1 - _MAJORITY:
            return ENGLISH
        if share < _MAJORITY:
            return MIXED
        if self.kana >= _KANA_SHARE * chinese:
            return JAPANESE
        return HANT if self.traditional > self.simplified else HANS


def count(text: str) -> Counts:
    found = Counts()
    scripts = scripts_of(char for char in text if is_ideograph(char))
    for char in text:
        if is_ideograph(char) and not _is_kana(char):
            found.ideographs += 1
            found.simplified += scripts.get(char) == "s"
            found.traditional += scripts.get(char) == "t"
        elif _is_kana(char):
            found.kana += 1
        elif char.isalpha() and unicodedata.name(char, "").startswith("LATIN"):
            found.latin += 1
    return found


def _is_kana(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff"


def detect(text: str) -> str:
    """The language of one text."""
    return count(text).language()


def label_blocks(blocks: list[Block]) -> tuple[list[Block], str]:
    """Blocks with their languages set, and the document's: that of its body text taken together
    (tables and footnotes count; a cover's English publisher name alone does not make a Chinese
    report mixed, since weights are summed over the whole text)."""
    total = Counts()
    labelled = []
    for block in blocks:
        found = count(block.text)
        if block.kind != BlockKind.TITLE:
            total.add(found)
        labelled.append(block.model_copy(update={"language": found.language()}))
    if not total.ideographs and not total.latin and not total.kana:
        total = _sum(count(block.text) for block in blocks)
    language = total.language()
    return labelled, HANS if language == UNDETERMINED else language


def _sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for one in counts:
        total.add(one)
    return total


_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")
# Ideograph → "s" (only simplified Chinese uses it), "t" (only traditional) or "" (both, or neither).
_SCRIPT: dict[str, str] = {}
_SCRIPT_LOCK = threading.Lock()


def scripts_of(chars: Iterable[str]) -> dict[str, str]:
    """Which script uses each ideograph alone, from OpenCC: a character that t2s changes is traditional
    only, one that s2t changes is simplified only. New characters go through OpenCC in one call, one
    per line so that no phrase rule spans two."""
    with _SCRIPT_LOCK:
        new = sorted({char for char in chars if char not in _SCRIPT})
        if new:
            joined = "\n".join(new)
            simple, traditional = _T2S.convert(joined).split("\n"), _S2T.convert(joined).split("\n")
            if len(simple) == len(traditional) == len(new):
                for char, s, t in zip(new, simple, traditional, strict=True):
                    _SCRIPT[char] = "t" if s != char else "s" if t != char else ""
        return _SCRIPT
