"""Text lines from positioned PDF characters: spacing, superscript note calls, widths, bold and face runs."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ccpipe.extract.fonts import font_family, is_bold_font
from ccpipe.models import Line
from ccpipe.textutil import is_cjk, is_cjk_or_punct

# A horizontal gap wider than this share of the font size between two non-CJK glyphs is a word space.
_WORD_GAP = 0.25
# A digit this much smaller than the line's type and raised above its baseline is a note call.
_SUPERSCRIPT_SIZE = 0.8
# Lines of at most this many small digits are subscripts or note calls split off their line.
_SMALL_GLYPHS = 3
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# ... and one lowered below it is a subscript (CO₂): kept as the Unicode subscript digit too.
_SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def make_line(chars: list[dict[str, Any]], page: int, column: int = 0) -> Line | None:
    """One :class:`Line` from the characters pdfplumber grouped into a text line, or None if blank."""
    # pdfplumber expands a ligature glyph (ﬁ, ﬂ) into one entry per letter, each the same character whose
    # text is already both letters: keep it once, or "flows" reads "flflows".
    chars = list({id(char): char for char in chars}.values())
    # Control characters (U+0000 from math fonts without a Unicode map) are not text.
    chars = [c for c in chars if not _CONTROL.search(c["text"])]
    glyphs = sorted((c for c in chars if c["text"].strip()), key=lambda c: c["x0"])
    if not glyphs:
        return None
    size = _dominant_size(glyphs)
    baseline = max(c["bottom"] for c in glyphs if round(float(c["size"]), 1) == size)
    ordered = sorted(chars, key=lambda c: c["x0"])
    text, bold_prefix = _line_text(ordered, size, baseline)
    font, font_prefix = _opening_face(ordered, text)
    bold = sum(1 for c in glyphs if _is_bold(c))
    return Line(
        text=text,
        page=page,
        x0=round(glyphs[0]["x0"], 2),
        top=round(min(c["top"] for c in glyphs), 2),
        x1=round(glyphs[-1]["x1"], 2),
        bottom=round(max(c["bottom"] for c in glyphs), 2),
        size=size,
        bold=bold == len(glyphs),
        bold_prefix=bold_prefix if bold < len(glyphs) else len(text),
        font=font,
        font_prefix=font_prefix,
        column=column,
    )


def merge_small_glyphs(raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pdfplumber's text lines with subscripts and superscripts put back into their line.

    A lowered or raised small digit (CO₂, a note call) can come out as a line of its own; it goes back
    into the line it overlaps, at its place, where :func:`make_line` reads it (note calls as ¹)."""
    kept = [raw for raw in raws if not _small_only(raw)]
    for raw in raws:
        if not _small_only(raw):
            continue
        home = max(kept, key=lambda line: _overlap(raw, line), default=None)
        if home is not None and _overlap(raw, home) > 0 and home["x0"] - 1 <= raw["x0"] <= home["x1"] + 1:
            home["chars"] = [*home["chars"], *raw["chars"]]
        else:
            kept.append(raw)
    return sorted(kept, key=lambda line: (round(line["top"]), line["x0"]))


def _small_only(raw: dict[str, Any]) -> bool:
    glyphs = [c for c in raw["chars"] if c["text"].strip()]
    return 0 < len(glyphs) <= _SMALL_GLYPHS and all(c["text"].isdigit() for c in glyphs)


def _overlap(raw: dict[str, Any], line: dict[str, Any]) -> float:
    """Vertical overlap of a run of small glyphs with a line of larger type, 0 when not larger."""
    small = max(float(c["size"]) for c in raw["chars"])
    size = max((float(c["size"]) for c in line["chars"] if c["text"].strip()), default=0.0)
    if small >= size * _SUPERSCRIPT_SIZE:
        return 0.0
    return max(0.0, float(min(raw["bottom"], line["bottom"])) - float(max(raw["top"], line["top"])))


def _line_text(chars: list[dict[str, Any]], size: float, baseline: float) -> tuple[str, int]:
    """The line's text and the length of its opening bold run.

    Real space glyphs count once; a gap becomes a space only where one side is not CJK (justified
    Chinese has wide gaps that are not spaces)."""
    out: list[str] = []
    prev_x1: float | None = None
    bold_prefix: int | None = None
    for char in chars:
        text = char["text"]
        if not text.strip():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if prev_x1 is not None and out and out[-1] != " ":
            gap = char["x0"] - prev_x1
            if gap > _WORD_GAP * size and not (is_cjk_or_punct(out[-1][-1]) and is_cjk_or_punct(text[0])):
                out.append(" ")
        if bold_prefix is None and not _is_bold(char):
            bold_prefix = len("".join(out).lstrip())
        out.append(_superscript(text, char, size, baseline) or text)
        prev_x1 = char["x1"]
    joined = "".join(out)
    text = joined.strip()
    return text, len(text) if bold_prefix is None else min(bold_prefix, len(text.rstrip()))


def _opening_face(chars: list[dict[str, Any]], text: str) -> tuple[str, int]:
    """The face class of the run that opens the line and the run's length in ``text``.

    In a line with Chinese, only Chinese glyphs decide: digits and Latin letters come from a Latin font
    (Times) whatever the face of the words around them. The length counts the line's text up to the
    first glyph of another face, so ``1.构建…布局。`` in 楷体 before body text in 仿宋 is one run."""
    glyphs = [c for c in chars if c["text"].strip()]
    chinese = any(is_cjk(c["text"][0]) for c in glyphs)
    faces = [font_family(str(c.get("fontname", ""))) if not chinese or is_cjk(c["text"][0]) else "" for c in glyphs]
    first = next((face for face in faces if face), "")
    change = next((i for i, face in enumerate(faces) if face and face != first), None)
    if change is None:
        return first, len(text)
    # Each glyph gives its characters to the text in order; the text adds only spaces between them.
    wanted = sum(len(c["text"]) for c in glyphs[:change])
    position = 0
    while position < len(text) and wanted > 0:
        wanted -= not text[position].isspace()
        position += 1
    return first, position


def _superscript(text: str, char: dict[str, Any], size: float, baseline: float) -> str:
    """A small raised digit (a footnote call, a power: m³) as the Unicode superscript digit, a small
    lowered one (a chemical formula's count: CO₂) as the subscript digit; "" for any other character."""
    if not text.isdigit() or float(char["size"]) >= size * _SUPERSCRIPT_SIZE:
        return ""
    if char["bottom"] < baseline - size * 0.2:
        return text.translate(_SUPERSCRIPT_DIGITS)
    return text.translate(_SUBSCRIPT_DIGITS) if char["bottom"] > baseline + size * 0.1 else ""


def _dominant_size(glyphs: list[dict[str, Any]]) -> float:
    sizes = Counter(round(float(glyph["size"]), 1) for glyph in glyphs)
    return max(sizes.items(), key=lambda item: (item[1], item[0]))[0]


def _is_bold(char: dict[str, Any]) -> bool:
    return is_bold_font(str(char.get("fontname", "")))
