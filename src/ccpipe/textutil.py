"""Character classes and the rules for joining text fragments (lines, runs) without spurious spaces."""

from __future__ import annotations

import re
import unicodedata

# Ideographs, kana, hangul and the CJK punctuation/full-width blocks: no spaces between these.
_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x3190, 0x31FF),
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xAC00, 0xD7AF),  # hangul
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFF60),  # full-width forms and punctuation
    (0x20000, 0x2FA1F),
)

# Punctuation that Chinese text uses from general blocks: “” ‘’ — … ·
_CJK_CONTEXT_PUNCT = frozenset("“”‘’—…·")


def is_cjk(ch: str) -> bool:
    """True for a Chinese/Japanese/Korean character or full-width punctuation mark."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def is_cjk_or_punct(ch: str) -> bool:
    """True where no space belongs next to another such character in Chinese text."""
    return is_cjk(ch) or ch in _CJK_CONTEXT_PUNCT


def is_ideograph(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo" and is_cjk(ch)


def needs_space(left: str, right: str) -> bool:
    """Whether joining two fragments (e.g. wrapped lines) needs one space between them.

    Chinese joins without a space; Latin words and numbers keep one; a word broken after a hyphen
    joins without one.
    """
    if not left or not right:
        return False
    a, b = left[-1], right[0]
    if a.isspace() or b.isspace():
        return False
    if is_cjk_or_punct(a) or is_cjk_or_punct(b):
        return False
    if a == "-" and len(left) > 1 and left[-2].isalpha():
        return False
    return not (a in "/(（[" or b in ")）],.;:!?/")


def join_fragments(fragments: list[str]) -> str:
    """Join line fragments into one paragraph string (see :func:`needs_space`)."""
    return join_with_offsets(fragments)[0]


def join_with_offsets(fragments: list[str]) -> tuple[str, list[int]]:
    """Join like :func:`join_fragments`, also returning where each fragment starts in the result."""
    out, starts = "", []
    for fragment in fragments:
        if needs_space(out, fragment):
            out += " "
        starts.append(len(out))
        out += fragment
    return out, starts


# Full-width ASCII that means the same as its half-width form. Chinese punctuation stays full-width:
# （），：；！？ and the like are part of Chinese typography, not alternative spellings.
_KEEP_FULL_WIDTH = frozenset("！（），：；？［］｛｝｟｠～")
_WIDTH_MAP = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in _KEEP_FULL_WIDTH}


def normalize_width(text: str) -> str:
    """Full-width letters, digits and symbols (Ａ１＃％) to their ASCII forms; Chinese punctuation kept."""
    return text.translate(_WIDTH_MAP)


_CN_DIGITS = dict(zip("〇零○Ｏ一二两三四五六七八九", (0, 0, 0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_NUMERAL = "".join(_CN_DIGITS) + "十百"
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE = re.compile(rf"^([{_CN_NUMERAL}]{{4}})\s*年\s*([{_CN_NUMERAL}]{{1,3}})\s*月\s*([{_CN_NUMERAL}]{{1,3}})\s*日$")


def chinese_number(numeral: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; 0 when unreadable."""
    if not numeral or any(ch not in _CN_NUMERAL for ch in numeral):
        return 0
    total, current = 0, 0
    for ch in numeral:
        if ch in "百十":
            total += (current or 1) * (100 if ch == "百" else 10)
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def iso_date(text: str) -> str | None:
    """A full date as Chinese documents print it (2021年10月24日, 二〇二一年十月二十四日) in ISO form, or None."""
    text = text.strip()
    found = _DATE.match(text)
    if found:
        year, month, day = (int(part) for part in found.groups())
    elif found := _CN_DATE.match(text):
        year = int("".join(str(_CN_DIGITS[ch]) for ch in found.group(1)))
        month, day = chinese_number(found.group(2)), chinese_number(found.group(3))
    else:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


# Characters that change how the text around them is shown: bidirectional embeddings, overrides and isolates
# (U+202E makes "cod.exe" read "exe.doc"), and the implicit direction marks.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def visible(name: str) -> str:
    """A file name as it may be shown: control, bidi and undecodable characters escaped (``\\u202e``,
    ``\\x1b``, ``\\udcff`` for a byte that is not UTF-8), everything else as it is."""
    return "".join(_escaped(ch) for ch in name) if any(map(_hidden, name)) else name


def _hidden(ch: str) -> bool:
    return ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs")


def _escaped(ch: str) -> str:
    if not _hidden(ch):
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
