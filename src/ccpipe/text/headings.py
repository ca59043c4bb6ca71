"""Section headings of any Chinese policy document, with levels that nest the way the document nests them.

Chinese documents mark their sections by numbering first (GB/T 9704-2012: 一、 > （一） > 1. > （1）; plans and
laws: 第X章 > 第X节 > 第X条) and by typeface more than by size (一、 in 黑体, （一） in 楷体, the body in 仿宋).
A heading stands on its own line, or is run in: ``（一）总体要求。坚持…`` is a heading up to its 。 and a
paragraph after it. So:

1. Numbered paragraphs are judged kind by kind, from the highest rank down, in sibling groups (the items of
   one kind between two headings of a higher rank). A group whose items mostly read as titles — a short line
   of its own, a short phrase closed by 。 before the body, or a run set in bold or another face — is a
   level of the document's outline; a group of whole sentences (``1.对于…；``) is a list.
2. Paragraphs without numbers are headings when they are short lines set apart from the body (larger, bold,
   another face), declared by the source (a Word heading style), conventional names (前言, 结束语…), or
   bare short lines between paragraphs of prose.
3. Levels come from nesting: each class of heading (a numbering kind, a declared outline level, or a
   typographic style) has a rank; a heading sits one level below the open headings of higher rank. The
   first level is whatever the document starts with.

Running headers and page numbers never get here (furniture); captions, table-of-contents lines, dates and
signature lines are never headings.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ccpipe.models import BlockKind, Typography
from ccpipe.text.numbering import Numbering, numbering

# A heading standing on its own is at most this long (characters; Latin: words).
MAX_STANDALONE = 60
MAX_STANDALONE_WORDS = 20
# The phrase of a run-in heading (before its 。) is at most this long; a title phrase is usually far shorter.
MAX_RUN_IN = 80
TITLE_PHRASE = 30
# A document with this many numbered headings numbers its sections.
_NUMBERED_OUTLINE = 3
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_LATIN_SENTENCE_END = re.compile(r"[.!?;](?=\s)")
_RUN_IN_END = re.compile(r"[。！？!?]")
_LATIN_RUN_IN_END = re.compile(r"(?<=[a-z)])\.(?=\s)")
_CLOSING = "。．.：:！？!?”’」』）)"
_NO_HEADING_END = "，,、；;：:"
CONVENTIONAL = frozenset(
    {
        *("前言", "引言", "序言", "导言", "绪论", "结束语", "结语", "后记", "附录", "参考文献", "摘要", "致谢"),
        *("概述", "总则", "附则", "Foreword", "Preface", "Introduction", "INTRODUCTION", "Conclusion"),
        *("Conclusions", "Abstract", "References", "Acknowledgements"),
    }
)
# Captions, notes and furniture-like lines that are never headings.
_NEVER = re.compile(
    r"^(?:(?:图|表|专栏|附表|附图|框|注|资料来源|数据来源|来源)\s*[\d一二三四五六七八九十:：\-－—]|"
    r"(?:Figure|Fig\.|Table|Box|Chart|Source|Note)s?\s*[\dA-Z.:]|——|—|目\s*录$|Contents$)",
    re.IGNORECASE,
)
_CN_DIGIT = r"[\d〇零一二三四五六七八九十○Ｏ]"
DATE_LINE = re.compile(rf"^{_CN_DIGIT}{{2,4}}\s*年\s*{_CN_DIGIT}{{1,2}}\s*月(\s*{_CN_DIGIT}{{1,3}}\s*日)?$")
_LEADERS = re.compile(r"(\.{4,}|…{2,}|·{4,}|-{4,})\s*\d*\s*$|\s\d{1,3}$")
_FACES = ("xbs", "hei", "kai", "fangsong", "song")
# A web or e-mail address (a back cover's contact block) is never a heading.
_ADDRESS = re.compile(r"^(https?://|www\.)|@[\w-]+\.\w", re.I)


@dataclass(frozen=True)
class Unit:
    """A paragraph-to-be as heading detection sees it: its text, how it is set, what the source made of it."""

    text: str
    style: Typography
    kind: BlockKind = BlockKind.PARAGRAPH
    page: int = 1
    lines: int = 1


@dataclass(frozen=True)
class Heading:
    index: int
    level: int
    end: int  # the heading is text[:end]; a run-in heading's body is text[end:]


@dataclass
class _Candidate:
    index: int
    unit: Unit
    number: Numbering | None
    end: int  # 0: not heading-shaped
    strong: bool  # reads as a title (see _strength)
    standalone: bool


# --- shape -------------------------------------------------------------------------------------------


def _latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) > 0.8 * len(letters)


def standalone(text: str) -> bool:
    """A line of its own that can be a heading: short, not a sentence, not cut at a comma."""
    body = text.strip()
    if not body or body[-1] in _NO_HEADING_END:
        return False
    found = numbering(body)
    inner = body[found.end if found else 0 : -1]
    if _latin(body):
        return len(body.split()) <= MAX_STANDALONE_WORDS and not _LATIN_SENTENCE_END.search(inner)
    return len(body) <= MAX_STANDALONE and not _SENTENCE_END.search(inner)


def run_in_end(text: str, start: int, style: Typography) -> int:
    """Where a heading run in at ``start`` ends (after its closing mark), or 0 when the text has none."""
    if style.run_in > start:
        end = style.run_in
        while end < len(text) and text[end] in _CLOSING:
            end += 1
        return end if end - start <= MAX_RUN_IN and end < len(text.rstrip()) else 0
    pattern = _LATIN_RUN_IN_END if _latin(text) else _RUN_IN_END
    found = pattern.search(text, start)
    if not found or found.end() >= len(text.rstrip()):
        return 0
    phrase = text[start : found.start()]
    return found.end() if len(phrase) <= MAX_RUN_IN and "；" not in phrase else 0


def _strength(text: str, number: Numbering | None, end: int, style: Typography, is_standalone: bool) -> bool:
    """Whether a heading-shaped paragraph reads as a title rather than as a sentence of a list.

    A title is set apart (a bold or other-face run, a bold paragraph), or stands on its own without a
    closing 。 (or with one after a short phrase: （一）指导思想。), or is a phrase run in before a body
    much longer than itself."""
    if end and (style.run_in or style.bold):
        return True
    start = number.end if number else 0
    phrase = text[start:end].rstrip()
    closed = phrase[-1:] in "。．.！？!?"
    phrase = phrase.rstrip(_CLOSING)
    if _latin(phrase):
        if is_standalone:
            return len(phrase.split()) <= 12 and not closed
        return len(phrase.split()) <= 12 and len(text) - end > 2 * len(phrase)
    if is_standalone:
        return not closed or (len(phrase) <= 25 and "，" not in phrase)
    return len(phrase) <= 40 and phrase.count("，") <= 1 and len(text) - end >= 2 * len(phrase)


def _definition(text: str, start: int) -> bool:
    """A numbered term and its definition (6.“两重”：是指……), not a section."""
    return bool(re.match(r"[^，。；：:]{1,30}[：:]", text[start:]))


def _never(text: str) -> bool:
    body = text.strip()
    if len(re.findall(r"[^\W\d_]", body)) < 2:  # symbols and numbers: a formula, a figure's axis
        return True
    return bool(_NEVER.match(body) or DATE_LINE.match(body) or _LEADERS.search(body) or _ADDRESS.search(body))


def _candidate(index: int, unit: Unit, body: Typography) -> _Candidate | None:
    if unit.kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING) or _never(unit.text):
        return None
    if body.size and unit.style.size and unit.style.size < body.size * 0.92:
        return None  # smaller than the body: a box, a caption, a note
    text = unit.text
    number = numbering(text)
    start = number.end if number else 0
    alone = standalone(text) and unit.lines <= 3
    end = len(text) if alone else run_in_end(text, start, unit.style)
    if number and _definition(text, start):
        end = 0
    strong = bool(end) and _strength(text, number, end, unit.style, alone)
    return _Candidate(index, unit, number, end, strong, alone)


# --- selection ---------------------------------------------------------------------------------------


def _numbered(candidates: list[_Candidate]) -> dict[int, _Candidate]:
    """Numbered headings, decided kind by kind from the highest rank, in sibling groups."""
    numbered = [c for c in candidates if c.number is not None]
    accepted: dict[int, _Candidate] = {}
    for kind in sorted({c.number.kind for c in numbered if c.number}, key=lambda k: _rank_of(numbered, k)):
        items = [c for c in numbered if c.number and c.number.kind == kind]
        for group in _siblings(items, accepted):
            if _is_outline(group):
                accepted.update((c.index, c) for c in group if c.end)
    return accepted


def _rank_of(candidates: list[_Candidate], kind: str) -> float:
    return next(c.number.rank for c in candidates if c.number and c.number.kind == kind)


def _siblings(items: list[_Candidate], accepted: dict[int, _Candidate]) -> list[list[_Candidate]]:
    """Items of one kind cut into groups at every accepted heading of a higher rank between them."""
    if not items:
        return []
    rank = items[0].number.rank if items[0].number else 0
    higher = sorted(i for i, c in accepted.items() if c.number is None or c.number.rank < rank)
    groups: list[list[_Candidate]] = [[items[0]]]
    for prev, item in itertools.pairwise(items):
        # A sequence that starts again (3. then 1.) is another list, whatever lies between.
        restarts = prev.number and item.number and 0 < item.number.ordinal <= prev.number.ordinal
        if restarts or any(prev.index < h < item.index for h in higher):
            groups.append([item])
        else:
            groups[-1].append(item)
    return groups


def _is_outline(group: list[_Candidate]) -> bool:
    """A sibling group that is a level of the outline: mostly title-like items."""
    strong = sum(c.strong for c in group)
    return strong > 0 and strong * 2 >= len(group)


def _unnumbered(
    candidates: list[_Candidate], units: list[Unit], body: Typography, numbered: bool
) -> dict[int, _Candidate]:
    """Headings without numbers: declared by the source, conventional names, lines set apart, bare lines."""
    accepted: dict[int, _Candidate] = {}
    for c in candidates:
        if c.number is not None or not c.standalone:
            continue
        unit = c.unit
        declared = unit.kind == BlockKind.HEADING or unit.style.outline is not None
        conventional = re.sub(r"\s+", "", unit.text) in CONVENTIONAL
        if declared or conventional or _set_apart_line(c, body, numbered) or _bare(c.index, units):
            accepted[c.index] = c
    return accepted


def _set_apart_line(c: _Candidate, body: Typography, numbered: bool) -> bool:
    """A title-like line set apart from the body. A sentence so set is a heading only in bold on a line of its
    own (a bold case-study sentence); one word in bold is emphasis; and in a document that numbers its
    sections, a centred line in body type is the title of a box or a figure (case studies, 专栏)."""
    style, text = c.unit.style, c.unit.text.strip()
    if not (_set_apart(style, body) and c.strong) or (text[-1] in "。.!?！？" and not style.bold):
        return False
    if _latin(text) and len(text.split()) < 2 and not _larger(style, body):
        return False
    return not (numbered and style.centred and not _larger(style, body))


def _larger(style: Typography, body: Typography) -> bool:
    return bool(body.size and style.size > body.size * 1.1)


def _set_apart(style: Typography, body: Typography) -> bool:
    """Set apart from the body text: larger type, bold, or another Chinese face."""
    larger = _larger(style, body)
    other_face = style.font in _FACES and body.font in _FACES and style.font != body.font
    return larger or (style.bold and not body.bold) or other_face


def _bare(index: int, units: list[Unit]) -> bool:
    """A short line without any punctuation between paragraphs of prose (a work report's 2024年工作回顾)."""
    text = units[index].text
    if len(text) > 20 or DATE_LINE.match(text) or not re.search(r"[\u4e00-\u9fff]", text):
        return False
    if any(unicodedata.category(ch)[0] in "PZS" for ch in text):
        return False
    prev = units[index - 1] if index else None
    after = units[index + 1] if index + 1 < len(units) else None
    prose_before = prev is not None and (_prose(prev) or prev.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE))
    return prose_before and after is not None and _prose(after)


def _prose(unit: Unit) -> bool:
    return unit.kind == BlockKind.PARAGRAPH and bool(re.search(r"[。！？!?…][”’」』）)]*$", unit.text))


# --- levels ------------------------------------------------------------------------------------------


def _classes(accepted: dict[int, _Candidate]) -> dict[int, tuple[float, str]]:
    """Each heading's class as (rank, name): its numbering kind, its declared level, or its style.

    An unnumbered heading set like a numbered kind (前言 in the face and size of 第一章) joins that kind;
    other styles rank by prominence below the numbered kinds set more prominently."""
    styles: dict[str, Counter[str]] = {}
    for c in accepted.values():
        if c.number:
            styles.setdefault(c.number.kind, Counter())[_style_key(c.unit.style)] += 1
    kind_of_style = {counter.most_common(1)[0][0]: kind for kind, counter in styles.items()}
    kind_rank = {c.number.kind: c.number.rank for c in accepted.values() if c.number}
    top = min(kind_rank.values(), default=0.0)
    classes: dict[int, tuple[float, str]] = {}
    first_numbered = min((i for i, c in accepted.items() if c.number), default=max(accepted, default=0) + 1)
    for index, c in sorted(accepted.items()):
        key = _style_key(c.unit.style)
        if c.unit.style.outline is not None:  # a level the source declares comes first
            classes[index] = (-10.0 + c.unit.style.outline, f"outline{c.unit.style.outline}")
        elif c.number:
            classes[index] = (c.number.rank, c.number.kind)
        elif re.sub(r"\s+", "", c.unit.text) in CONVENTIONAL:  # 前言, 结束语: beside the top level, never above it
            classes[index] = (top, "conventional")
        elif key in kind_of_style and _informative(c.unit.style):
            kind = kind_of_style[key]
            classes[index] = (kind_rank[kind], kind)
        elif key not in {name for _, name in classes.values()}:
            classes[index] = (_style_rank(c.unit.style, accepted, leads=index < first_numbered), key)
        else:
            classes[index] = next(value for value in classes.values() if value[1] == key)
    return classes


def _informative(style: Typography) -> bool:
    """Whether a style tells anything (a face, a size, bold): plain Word paragraphs all look alike."""
    return bool(style.font or style.size or style.bold)


def _style_key(style: Typography) -> str:
    return f"{style.font}/{round(style.size * 2) / 2}/{'b' if style.bold else ''}"


def _prominence(style: Typography) -> tuple[float, int, int]:
    face = {"xbs": 4, "hei": 3, "kai": 2}.get(style.font, 0)
    return (round(style.size * 2) / 2, int(style.bold), face)


def _style_rank(style: Typography, accepted: dict[int, _Candidate], leads: bool) -> float:
    """A rank for an unnumbered style: just above the first numbered kind set less prominently than it; set
    like the top numbered kind and coming before any numbered heading (2024年工作回顾 over its （一）…),
    above it; otherwise below every numbered kind."""
    mine = _prominence(style)
    numbered = sorted({(c.number.rank, _prominence(c.unit.style)) for c in accepted.values() if c.number})
    for rank, prominence in numbered:
        if prominence < mine or (leads and prominence == mine):
            return rank - 0.5
    return (numbered[-1][0] if numbered else 0) + 0.5 - mine[0] / 1000


def _levels(order: list[int], classes: dict[int, tuple[float, str]], parts: set[int]) -> dict[int, int]:
    """Nesting levels: a heading sits below the open headings of higher rank; a part's title is at level 1
    and the part's own headings nest below it."""
    stack: list[float] = []
    base = 0
    levels: dict[int, int] = {}
    for index in order:
        if index in parts:
            stack, base = [], 1
            levels[index] = 1
            continue
        rank = classes[index][0]
        while stack and stack[-1] >= rank:
            stack.pop()
        stack.append(rank)
        levels[index] = base + len(stack)
    return levels


def body_typography(units: list[Unit]) -> Typography:
    """The face and size that carry most of the text."""
    weights: Counter[tuple[str, float]] = Counter()
    for unit in units:
        if unit.kind == BlockKind.PARAGRAPH:
            weights[(unit.style.font, unit.style.size)] += len(unit.text)
    if not weights:
        return Typography()
    font, size = weights.most_common(1)[0][0]
    return Typography(font=font, size=size)


def find_headings(units: list[Unit], skip: set[int], parts: set[int]) -> list[Heading]:
    """The headings among ``units`` (indices in ``skip`` are taken already: title, contents, cover)."""
    body = body_typography(units)
    candidates = [
        c for i, unit in enumerate(units) if (i not in skip and (c := _candidate(i, unit, body)) is not None) or False
    ]
    numbered = _numbered(candidates)
    accepted = numbered | _unnumbered(candidates, units, body, numbered=len(numbered) >= _NUMBERED_OUTLINE)
    for index in parts:
        if index not in accepted and index not in skip:
            accepted[index] = _Candidate(index, units[index], None, len(units[index].text), True, True)
    classes = _classes(accepted)
    order = sorted(accepted)
    levels = _levels(order, classes, parts & set(accepted))
    return [Heading(i, levels[i], accepted[i].end) for i in order]
