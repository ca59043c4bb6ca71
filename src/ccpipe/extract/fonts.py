"""Font families and weights from PDF font names: what Chinese typesetting uses to mark heading levels.

GB/T 9704-2012 sets the levels of an official document apart by typeface more than by size: 一、 in 黑体,
（一） in 楷体, body text in 仿宋, titles in 小标宋. PDF font names carry the face in many spellings
(SimHei, FZHTK--GBK1-0, 方正黑体_GBK, STHeiti, "\\xba\\xda\\xcc\\xe5" for 黑体 in GBK bytes), so they are
reduced to a few classes: ``xbs`` (title faces: 小标宋, 大标宋), ``hei`` (黑体 and other sans), ``kai``
(楷体), ``fangsong`` (仿宋), ``song`` (宋体 and other serif). Latin faces keep their own name, without the
subset tag and the weight or style suffix (TimesNewRomanPS-BoldMT → timesnewroman).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Checked in order: 方正小标宋 (FZXBSK) must not be read as 宋体, nor 仿宋 (FangSong) as 宋体.
_CLASSES = (
    ("xbs", ("xbs", "小标宋", "fzdbs", "大标宋", "biaosong")),
    ("kai", ("kai", "楷", "fzkt")),
    ("fangsong", ("fangsong", "仿宋", "fzfs")),
    ("hei", ("hei", "黑", "fzht", "dengxian", "等线", "sans", "gothic")),
    ("song", ("song", "宋", "simsun", "fzss", "ming", "serif", "mincho")),
)
_BOLD_MARKS = ("bold", "heavy", "black", "semibold")
_LATIN_STYLE = re.compile(r"(bold|italic|oblique|regular|semibold|light|medium|black|heavy|demi)", re.I)
_GBK_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")


@lru_cache(maxsize=512)
def font_family(fontname: str) -> str:
    """The face class of a PDF font name (see the module docstring); "" when there is no name."""
    name = _readable(fontname.split("+")[-1])
    lowered = name.lower()
    for family, marks in _CLASSES:
        if any(mark in lowered for mark in marks):
            return family
    base = re.split(r"[-,]", name, maxsplit=1)[0]
    base = _LATIN_STYLE.sub("", re.sub(r"[^A-Za-z0-9]", "", base)).lower()
    return re.sub(r"(psmt|ps|mt)$", "", base)


@lru_cache(maxsize=512)
def is_bold_font(fontname: str) -> bool:
    name = fontname.lower()
    return any(mark in name for mark in _BOLD_MARKS)


def _readable(name: str) -> str:
    """A font name given as GBK bytes escapes ("\\xba\\xda\\xcc\\xe5" → 黑体) decoded."""
    if "\\x" not in name:
        return name
    raw = _GBK_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), name)
    try:
        return raw.encode("latin-1", errors="ignore").decode("gb18030", errors="ignore")
    except UnicodeError:  # pragma: no cover - errors are ignored above
        return name
