"""Latin-script line repairs before paragraphs are built: line-end hyphenation and drop caps.

* A word broken at a line end ("develop-" / "ment") is made whole again, while a compound that merely
  wraps after its hyphen ("low-" / "carbon") keeps it. The document itself decides: the joined word or
  the hyphenated one seen elsewhere in it, else whether the second part is a word of the document
  ("carbon" is, "ment" is not). A soft hyphen (U+00AD) at a line end always goes.
* A drop cap (the large first letter of a paragraph set apart, "P" beside "olicymakers") is put back in
  front of the line it opens.

Lines are repaired in place of the joining: the broken word moves up whole to the line that starts it,
so paragraph building joins lines as usual.
"""

from __future__ import annotations

import re

from ccpipe.models import Line, Page

# A word cut at the line end by a hyphen (ASCII, U+2010 as typesetters hyphenate, or a soft hyphen).
_BROKEN = re.compile(r"([A-Za-z]+)([-\u2010\u00ad])$")
_CONTINUED = re.compile(r"^([a-z]+)([^\sA-Za-z]*)(?:\s+|$)")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
# A drop cap is a lone capital at least this many times the size of the line it opens.
_DROP_CAP_SIZE = 1.8


def repair_pages(pages: list[Page]) -> list[Page]:
    """The pages with drop caps restored and line-end hyphenation undone (across page breaks too)."""
    pages = [page.model_copy(update={"lines": _restore_drop_caps(page.lines)}) for page in pages]
    vocabulary = _vocabulary([line for page in pages for line in page.lines])
    flow = [(index, line) for index, page in enumerate(pages) for line in page.lines]
    for at in range(len(flow) - 1):
        joined = _dehyphenate(flow[at][1], flow[at + 1][1], vocabulary)
        if joined is not None:
            flow[at], flow[at + 1] = (flow[at][0], joined[0]), (flow[at + 1][0], joined[1])
    return [
        page.model_copy(update={"lines": [line for where, line in flow if where == index and line.text.strip()]})
        for index, page in enumerate(pages)
    ]


def _vocabulary(lines: list[Line]) -> set[str]:
    """Lower-case words, hyphenated compounds and their parts in the document, less the pieces of words
    cut at line ends (the head before the hyphen, the tail that opens the next line)."""
    words: set[str] = set()
    cut = False
    for line in lines:
        text = _BROKEN.sub("", line.text)
        if cut:
            text = _CONTINUED.sub("", text, count=1)
        cut = bool(_BROKEN.search(line.text))
        for word in _WORD.findall(text):
            words.add(word.lower())
            words.update(part.lower() for part in word.split("-"))
    return words


def _dehyphenate(line: Line, following: Line, vocabulary: set[str]) -> tuple[Line, Line] | None:
    """``line`` with the word completed and ``following`` without its first part, or None to keep both."""
    broken, continued = _BROKEN.search(line.text), _CONTINUED.match(following.text)
    if broken is None or continued is None:
        return None
    head, mark = broken.groups()
    tail = continued.group(1)
    whole, compound = (head + tail).lower(), f"{head}-{tail}".lower()
    keep_hyphen = mark != "\u00ad" and (
        compound in vocabulary or (whole not in vocabulary and tail.lower() in vocabulary and len(tail) > 3)
    )
    if keep_hyphen:
        return None
    moved = continued.group(1) + continued.group(2)
    text = line.text[: -len(mark)] + moved
    rest = following.text[continued.end() :]
    return line.model_copy(update={"text": text}), following.model_copy(update={"text": rest})


def _restore_drop_caps(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    skip = False
    for index, line in enumerate(lines):
        if skip:
            skip = False
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and _is_drop_cap(line, following):
            out.append(following.model_copy(update={"text": line.text.strip() + following.text, "x0": line.x0}))
            skip = True
        else:
            out.append(line)
    return out


def _is_drop_cap(line: Line, following: Line) -> bool:
    """A lone capital, much larger than the next line, beside it (to its left, overlapping it vertically)."""
    letter = line.text.strip()
    return (
        len(letter) == 1
        and letter.isupper()
        and line.size >= _DROP_CAP_SIZE * following.size
        and following.text[:1].islower()
        and line.x1 <= following.x0 + 1
        and line.top <= following.bottom
        and following.top <= line.bottom
    )
