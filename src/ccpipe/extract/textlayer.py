"""Judging a PDF page's text layer: absent, garbage, too sparse for the scan under it, or suspect.

Only cheap checks on what pdfplumber already parsed (characters, image boxes): every page of every PDF
goes through them, and a page with a good text layer must come out exactly as before.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any

from ccpipe.models import Page
from ccpipe.textutil import is_cjk

# A page is garbage when fewer than this share of its glyphs are text characters. On the shared
# fixtures every real text layer scores 0.987 or more (the lowest: a report page of check boxes □),
# while the same files with their fonts' Unicode maps removed give (cid:NN) placeholders: 0. Control
# and private-use codes, the other usual garbage, count against too. Half leaves a wide margin.
GARBAGE_SHARE = 0.5
# Images covering this share of the page make it a scan (scans fill the page: 1.00 on the fixtures;
# born-digital pages with figures: at most 0.37).
SCAN_COVERAGE = 0.8
# A scan whose text layer has fewer glyphs than this may hide its text in the image (a signature page
# with only its date as text: 7 glyphs); OCR decides. OCR layers of real scans have hundreds per page.
SPARSE_GLYPHS = 50
# OCR replaces a sparse layer only when it reads this many times as many characters, so a cover photo
# with a real title in the text layer keeps its exact title.
SPARSE_GAIN = 3
# Tokens an OCR engine makes of numbers by confusing digits with look-alike letters ("ZOq5", "20I5",
# "2016-lo-28"): digits and O o I l Z q only, with at least one of each kind. S is left out so that
# SO2 stays a chemical formula. Only looked for on scans: no other fixture page has even one, the
# poor OCR layer has 2-6 on every page.
_CONFUSED_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])(?=[0-9OoIlZq]*[0-9])(?=[0-9OoIlZq]*[OoIlZq])[0-9OoIlZq]{2,}(?![A-Za-z0-9])"
)
SUSPECT_TOKENS = 2
# Fragments of the names of Chinese fonts (FZ... are Founder's; GBK names are caught separately).
_CJK_FONT_KEYS = ("song", "hei", "kai", "fangsong", "ming", "simsun", "yahei", "cjk", "gb2312", "gbk", "hansans")
_MIN_FONT_GLYPHS = 20
_CID = re.compile(r"^\(cid:\d+\)$")
_SIGNS = frozenset({"Sm", "Sc"})
_ASCII_PUNCTUATION = frozenset(string.punctuation)


class Action(Enum):
    KEEP = "keep"
    OCR = "ocr"  # the text layer is missing or unusable: OCR replaces it
    TRY_OCR = "try"  # OCR, and keep its text only if it reads far more than the layer holds


@dataclass
class Verdict:
    action: Action
    reason: str = ""
    glyphs: int = 0
    # OCR-confusion tokens in a scan's text layer (kept: it is usable, but flagged).
    suspect: list[str] = field(default_factory=list)


def judge(pdf_page: Any, page: Page) -> Verdict:
    """What to do with one page, from pdfplumber's page and the lines already extracted from it."""
    try:
        objects = [char for char in pdf_page.chars if str(char["text"]).strip()]
        chars = [str(char["text"]) for char in objects]
        coverage = image_coverage(pdf_page)
        has_paths = bool(pdf_page.curves)
    except MemoryError:
        raise
    except Exception:  # pdfminer failed on this page; rendering may still work
        return Verdict(Action.OCR, "its content could not be parsed")
    if not chars:
        if coverage > 0 or has_paths:  # a scan, or text drawn as outlines
            return Verdict(Action.OCR, "it has no text layer")
        return Verdict(Action.KEEP)  # a blank page
    share = valid_share(chars)
    if share < GARBAGE_SHARE:
        return Verdict(Action.OCR, f"its text layer is garbage ({share:.0%} text characters)", len(chars))
    if undecoded_cjk_font(objects):
        return Verdict(Action.OCR, "its Chinese fonts decode to ASCII symbols (no Unicode map)", len(chars))
    if coverage >= SCAN_COVERAGE and len(chars) < SPARSE_GLYPHS:
        return Verdict(Action.TRY_OCR, f"a scan with only {len(chars)} characters of text layer", len(chars))
    suspect = confused_numbers(page) if coverage >= SCAN_COVERAGE else []
    return Verdict(Action.KEEP, glyphs=len(chars), suspect=suspect if len(suspect) >= SUSPECT_TOKENS else [])


def image_coverage(pdf_page: Any) -> float:
    """Share of the page that images cover (their rendered boxes, capped at 1).

    Boxes are not clipped to the page: a malformed page can place its scan outside the page box that
    pdfminer computes while every renderer shows it.
    """
    area = float(pdf_page.width) * float(pdf_page.height)
    covered = sum(float(image["width"]) * float(image["height"]) for image in pdf_page.images)
    return min(1.0, covered / area) if area > 0 else 0.0


def valid_share(glyphs: list[str]) -> float:
    """Share of the glyphs that are text: letters, digits, CJK, punctuation, math and currency signs."""
    return sum(_is_text(glyph) for glyph in glyphs) / len(glyphs) if glyphs else 0.0


def _is_text(glyph: str) -> bool:
    """Letters of any script count: a Greek or Cyrillic page is text, and a cmap that maps glyphs to wrong
    letters cannot be told from text by character class anyway. Control, private-use (Co), unassigned
    codes, U+FFFD (a So) and pdfminer's (cid:NN) placeholders do not."""
    if _CID.match(glyph):
        return False
    return all(unicodedata.category(ch)[0] in "LNP" or unicodedata.category(ch) in _SIGNS or is_cjk(ch) for ch in glyph)


def undecoded_cjk_font(chars: list[dict[str, Any]]) -> bool:
    """Whether the glyphs of Chinese fonts read as ASCII symbols and letters instead of Chinese.

    A subset font without a Unicode map numbers its glyphs 0x21, 0x22... in order of use, and pdfminer
    reads them as !"#$%&'() and then letters. The credits page with its maps removed: no Chinese and 52%
    ASCII punctuation. Real pages in Chinese fonts have Chinese (35-100% of those glyphs; the one
    without is a 7-digit date). Mostly-digit text never counts, so that a number table set in SimSun
    ("2,000.00") is not taken for garbage.
    """
    glyphs = [str(char["text"]) for char in chars if _cjk_font(str(char.get("fontname", "")))]
    total = len(glyphs)
    # Cheapest test first: real pages stop at the punctuation count.
    if total < _MIN_FONT_GLYPHS or sum(glyph in _ASCII_PUNCTUATION for glyph in glyphs) <= 0.2 * total:
        return False
    chinese = sum(any(is_cjk(ch) for ch in glyph) for glyph in glyphs)
    digits = sum(glyph.isdigit() for glyph in glyphs)
    return chinese < 0.05 * total and digits < 0.3 * total


@lru_cache(maxsize=256)
def _cjk_font(fontname: str) -> bool:
    base = fontname.split("+")[-1].lower()  # without the subset tag (ABCDEF+)
    # Names in GBK come out as bytes escapes (\xcb\xce\xcc\xe5 is 宋体).
    return not base.isascii() or "\\x" in base or base.startswith("fz") or any(key in base for key in _CJK_FONT_KEYS)


def confused_numbers(page: Page) -> list[str]:
    return [token for line in page.lines for token in _CONFUSED_NUMBER.findall(line.text)]
