"""The document's title, its table of contents and its parts (attachments), read off the paragraphs.

The title is what the first page sets most prominently near its top (a title set over several lines is one
title), never the issuing body's letterhead (XX人民政府文件) or a date. A notice that only transmits another
document (关于印发《X》的通知, 发表《X》白皮书) names that document: when X follows as a line of its own, X is the
title and the notice before it is the cover. A title the publisher declares as page metadata (a gov.cn page's
标题 field) is the title as declared. Without any of these, the source file's own title property when it is
meaningful (not "Microsoft Word - 1.docx", "untitled", "附件"), and the file name, made readable, last.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ccpipe.models import BlockKind
from ccpipe.text.headings import CONVENTIONAL, Unit, body_typography, standalone
from ccpipe.text.headings import DATE_LINE as _DATE_LINE
from ccpipe.text.numbering import numbering
from ccpipe.text.official import DOC_NUMBER, attachment_list, transmitted
from ccpipe.textutil import join_fragments, visible

# The title is among the first units of the first page, before this many.
_FRONT_UNITS = 15
_MAX_TITLE = 100
# A flat document (no larger type) starts with its title when the first line names a kind of document.
_DOCUMENT_KINDS = re.compile(
    r"(通知|方案|规划|意见|办法|报告|白皮书|决定|批复|函|纲要|计划|战略|条例|规定|公告|通报|指南|手册|建议|评估|细则|章程)"
    r"(（[^（）]{1,20}）)?$"
)
_LETTERHEAD = re.compile(r"^.{2,40}文件$")
_JUNK_TITLE = re.compile(
    r"^(microsoft\s+(word|powerpoint)\s*-|untitled|无标题|新建|文档\d*$|document\d*$|附件\s*\d*$|title$)", re.I
)
_FILE_NAME = re.compile(r"\.(docx?|pdf|wps|html?|txt|md)$", re.I)
_CONTENTS = re.compile(r"^(目\s*录|contents|table\s+of\s+contents)$", re.I)
_ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*\s*[:：]?$")
_ATTACHMENT_WITH_TITLE = re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]+\s+(\S.{1,60})$")
_LEADERS = re.compile(r"(\.{3,}|…{2,}|·{3,})\s*\S*\s*$|\s(\d{1,3}|[ivxlc]{1,6})$", re.I)
_NOTE_CALL = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_NOTE = re.compile(r"^[（(](本文有删减|此件公开发布|此件不公开|有删减|征求意见稿)[）)]")


def fold(text: str) -> str:
    """Text for comparing titles: NFKC, no white space, no 《》."""
    return re.sub(r"[\s《》]", "", unicodedata.normalize("NFKC", text))


@dataclass
class Front:
    title: str
    title_units: list[int] = field(default_factory=list)  # units joined into the title block
    skip: set[int] = field(default_factory=set)  # cover lines, 附件 labels and lists: never headings
    contents: set[int] = field(default_factory=set)  # a table of contents: kept out of the body, like furniture
    parts: set[int] = field(default_factory=set)  # units that open a part: level-1 headings


def front_matter(units: list[Unit], metadata_title: str | None, declared: bool, path: Path) -> Front:
    """Title, contents and parts of a document made of ``units``."""
    contents = _contents(units)
    start = _title_units(units, contents)
    title = _joined(units, start)
    front = Front(title=title, title_units=start, skip=contents | _attachment_labels(units), contents=contents)
    listed = attachment_list([unit.text for unit in units], [unit.kind == BlockKind.PARAGRAPH for unit in units])
    if listed:  # the 附件说明 of a notice lists titles, it does not open sections
        front.skip |= set(range(listed[0], listed[1] + 1))
    issued = transmitted(title) if title else None
    if declared and metadata_title:
        front.title = metadata_title.strip()
        front.title_units = _matching(units, metadata_title) or start
        if issued:
            front.parts |= set(_issued_unit(units, issued, max(start, default=-1)))
    elif issued:
        found = _issued_unit(units, issued, max(start))
        front.title = issued
        front.title_units = found or start
        if found:  # the notice's own heading is cover matter now, not a heading of the document
            front.skip |= set(start)
    if not front.title:
        front.title = _meaningful(metadata_title) or readable_file_name(path)
    front.parts |= _attachments(units, contents)
    front.parts -= set(front.title_units)
    front.skip |= _cover(units, front.title_units)
    if front.title_units:  # above the title on its page: a label, a series name, (UNOFFICIAL TRANSLATION)
        first = front.title_units[0]
        front.skip |= {i for i in range(first) if units[i].page == units[first].page}
    return front


def _cover(units: list[Unit], title: list[int]) -> set[int]:
    """The lines after the title on its page up to the first paragraph of prose or numbered heading: the
    issuer, the date, a subtitle, the speaker of a report (cover matter, not headings)."""
    if not title:
        return set()
    cover: set[int] = set()
    for index in range(title[-1] + 1, len(units)):
        unit = units[index]
        text = re.sub(r"\s+", "", unit.text)
        if unit.page != units[title[-1]].page or unit.kind != BlockKind.PARAGRAPH or numbering(unit.text):
            break
        if text in CONVENTIONAL or re.search(r"[。！？!?]$", text) or len(text) > _MAX_TITLE:
            break
        cover.add(index)
    return cover


def _joined(units: list[Unit], indices: list[int]) -> str:
    """The title's lines as one text, without footnote marks."""
    return _NOTE_CALL.sub("", join_fragments([units[i].text.strip() for i in indices])).strip()


def _title_units(units: list[Unit], contents: set[int]) -> list[int]:
    """The units of the typographic title: the most prominent lines near the top of the first page."""
    first_page = units[0].page if units else 1
    front = [
        i
        for i, unit in enumerate(units[:_FRONT_UNITS])
        if unit.page == first_page and unit.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING) and i not in contents
    ]
    front = [i for i in front if _title_like(units[i].text)]
    if not front:
        return []
    body = body_typography(units)
    sized = [i for i in front if units[i].style.size > body.size * 1.15] if body.size else []
    if sized:
        top = max(units[i].style.size for i in sized)
        first = next(i for i in sized if units[i].style.size >= top - 0.5)
        return _continued(units, first, lambda u: abs(u.style.size - units[first].style.size) < 0.5)
    marked = [i for i in front[:5] if units[i].style.bold or units[i].style.centred or units[i].style.outline == 1]
    if marked:
        style = units[marked[0]].style
        return _continued(
            units,
            marked[0],
            lambda u: (u.style.bold, u.style.centred, u.style.outline) == (style.bold, style.centred, style.outline),
        )
    first = front[0]
    return [first] if first == 0 and _DOCUMENT_KINDS.search(units[first].text.strip()) else []


def _title_like(text: str) -> bool:
    body = text.strip()
    if not body or len(body) > _MAX_TITLE or _LETTERHEAD.match(body) or _NOTE.match(body):
        return False
    if DOC_NUMBER.search(body) and len(body) <= 30:  # the document number under the title
        return False
    return not _DATE_LINE.match(body) and not re.search(r"[。；]$", body)


def _continued(units: list[Unit], first: int, same: object) -> list[int]:
    """``first`` and the lines after it set the same way: one title over several lines."""
    assert callable(same)
    chosen = [first]
    while len(chosen) < 4:
        following = chosen[-1] + 1
        if following >= len(units) or not same(units[following]) or not _title_like(units[following].text):
            break
        if numbering(units[following].text):  # 一、… under the title is the first heading, not the title
            break
        if units[following].page != units[first].page:
            break
        chosen.append(following)
    return chosen


def _issued_unit(units: list[Unit], issued: str, after: int) -> list[int]:
    """The line of its own, after the notice, that is the issued document's title."""
    wanted = fold(issued)
    for index in range(after + 1, len(units)):
        text = _NOTE.sub("", units[index].text.strip())
        if fold(text) == wanted:
            return [index]
    return []


def _matching(units: list[Unit], title: str) -> list[int]:
    """Consecutive units near the top whose text joined is ``title``."""
    wanted = fold(title)
    for start in range(min(len(units), _FRONT_UNITS)):
        joined = ""
        for index in range(start, min(start + 4, len(units))):
            joined += fold(units[index].text)
            if joined == wanted:
                return list(range(start, index + 1))
            if not wanted.startswith(joined):
                break
    return []


def _meaningful(title: str | None) -> str | None:
    """A file's title property, unless it is a tool's placeholder or a file name."""
    if not title or len(title.strip()) < 4 or _JUNK_TITLE.match(title.strip()) or _FILE_NAME.search(title.strip()):
        return None
    return re.sub(r"\s+", " ", title).strip()


def readable_file_name(path: Path) -> str:
    """The file name as a title: no extension or language tag, separators as spaces."""
    stem = re.sub(r"\.(zh|en|zh-cn|zh-hans)$", "", Path(path).stem, flags=re.I)
    # Control and bidi characters of the name shown escaped: a title is displayed everywhere.
    return visible(re.sub(r"[-_\s]+", " ", stem).strip() or Path(path).name)


def _contents(units: list[Unit]) -> set[int]:
    """A table of contents: the lines after 目录 that are entries (with leaders or page numbers, or lines
    that come back later as the document's own headings), an entry wrapped over two lines included; and the
    entries of a Word table-of-contents field wherever they are."""
    found = {index for index, unit in enumerate(units) if unit.style.contents}  # a Word TOC field's entries
    texts = [fold(unit.text) for unit in units]
    for index, unit in enumerate(units):
        if not _CONTENTS.match(unit.text.strip()):
            continue
        found.add(index)
        for entry in range(index + 1, len(units)):
            if not (_entry(units, texts, entry) or (entry + 1 < len(units) and _wrapped_entry(units, texts, entry))):
                break
            found.add(entry)
    return found


def _entry(units: list[Unit], texts: list[str], index: int) -> bool:
    text = units[index].text.strip()
    return bool(_LEADERS.search(text) and len(text) < 400) or (standalone(text) and texts[index] in texts[index + 1 :])


def _wrapped_entry(units: list[Unit], texts: list[str], index: int) -> bool:
    """The first line of an entry whose leaders and page number are on the next line."""
    return len(units[index].text) < 120 and _entry(units, texts, index + 1)


def _attachment_labels(units: list[Unit]) -> set[int]:
    return {i for i, unit in enumerate(units) if _ATTACHMENT_LABEL.match(unit.text.strip())}


def _attachments(units: list[Unit], contents: set[int]) -> set[int]:
    """Units that open an attachment: the title after a 附件N label, or 附件N with its title on one line."""
    parts: set[int] = set()
    for index, unit in enumerate(units):
        text = unit.text.strip()
        if index in contents or unit.kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING):
            continue
        if _ATTACHMENT_LABEL.match(text) and index + 1 < len(units) and standalone(units[index + 1].text):
            parts.add(index + 1)
        elif _ATTACHMENT_WITH_TITLE.match(text) and standalone(text):
            parts.add(index)
    return parts
