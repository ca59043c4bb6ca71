"""What the aligner places side by side: paragraphs rebuilt from the blocks, and the sentences inside them.

Layouts break paragraphs differently in the two editions (a two-column page cuts a paragraph into one
block per line, a page break leaves a sentence in two blocks), so a paragraph item is a run of blocks joined
until the text reaches the end of a sentence. Footnotes are items of their own and stand where they are
called, because one edition may print them at the foot of the page and the other in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ccpipe.models import Block, BlockKind, TextRef
from ccpipe.text.segment import sentence_spans
from ccpipe.textutil import is_cjk, join_fragments

# The end of a sentence or clause that closes a paragraph: end punctuation, then closing quotes/brackets,
# then note calls (superscript or plain digits) and spaces.
_CLOSED = re.compile(r"[。！？!?.；;：:…][”’」』）)》\]\"']*[\s⁰¹²³⁴⁵⁶⁷⁸⁹\d*]*$")
_CONTINUABLE = frozenset({BlockKind.PARAGRAPH, BlockKind.LIST_ITEM})


@dataclass(frozen=True)
class Item:
    """A run of text the aligner links as a whole: spans of one or more blocks, in reading order."""

    refs: tuple[TextRef, ...]
    text: str
    kind: BlockKind
    position: float  # place in reading order, comparable across one edition's items

    @property
    def block_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ref.block_id for ref in self.refs))


def is_closed(text: str) -> bool:
    """Whether ``text`` ends a sentence (a following block starts a new paragraph, not the rest of this one)."""
    return bool(_CLOSED.search(text.rstrip()))


def paragraph_items(blocks: list[Block]) -> list[Item]:
    """The document's paragraphs for alignment: broken paragraphs joined, footnotes placed at their call."""
    calls = _first_calls(blocks)
    runs: list[list[tuple[int, Block]]] = []
    for index, block in enumerate(blocks):
        previous = runs[-1][-1][1] if runs else None
        if previous is not None and continues(previous, block):
            runs[-1].append((index, block))
        else:
            runs.append([(index, block)])
    items = []
    for run in runs:
        first_index, first = run[0]
        position = float(first_index)
        if first.kind == BlockKind.FOOTNOTE:
            position = calls.get(first.id, _end_of_page(blocks, first.page)) + 0.5
        texts = [block.text for _, block in run]
        refs = tuple(
            TextRef(block_id=block.id, start=0, end=len(text)) for (_, block), text in zip(run, texts, strict=True)
        )
        items.append(Item(refs, join_fragments(texts), first.kind, position))
    return items


def continues(previous: Block, block: Block) -> bool:
    """Whether ``block`` is the rest of the paragraph ``previous`` broke off: the text runs on, and the next
    line sits right under it (or, across a page, starts in lower case or goes on in Chinese)."""
    if block.kind != BlockKind.PARAGRAPH or previous.kind not in _CONTINUABLE or is_closed(previous.text):
        return False
    if previous.bboxes and block.bboxes and previous.bboxes[-1].page == block.bboxes[0].page:
        above, below = previous.bboxes[-1], block.bboxes[0]
        line = min(box.bottom - box.top for box in (*previous.bboxes, *block.bboxes))
        return 0 <= below.top - above.bottom <= line
    head, tail = block.text.lstrip()[:1], previous.text.rstrip()[-1:]
    return head.islower() or (is_cjk(head) and is_cjk(tail))


def _first_calls(blocks: list[Block]) -> dict[str, int]:
    calls: dict[str, int] = {}
    for index, block in enumerate(blocks):
        for note in block.footnote_refs:
            calls.setdefault(note, index)
    return calls


def _end_of_page(blocks: list[Block], page: int) -> int:
    """Index of the last body block on ``page`` (or before it): where an uncalled footnote is read."""
    last = 0
    for index, block in enumerate(blocks):
        if block.kind != BlockKind.FOOTNOTE and block.page <= page:
            last = index
    return last


def sentence_items(blocks: dict[str, Block], item_refs: list[TextRef]) -> list[Item]:
    """The sentences of linked blocks, a sentence cut by a block boundary joined again."""
    pieces: list[TextRef] = []
    for ref in item_refs:
        block = blocks[ref.block_id]
        if block.kind == BlockKind.TABLE:
            pieces.append(ref)
            continue
        spans = [(s.start, s.end) for s in block.sentences] or sentence_spans(block.text)
        pieces += [TextRef(block_id=block.id, start=s, end=e) for s, e in spans]
    items: list[Item] = []
    run: list[TextRef] = []
    for index, ref in enumerate(pieces):
        run.append(ref)
        following = pieces[index + 1].block_id if index + 1 < len(pieces) else None
        if following not in (None, ref.block_id) and continues(blocks[ref.block_id], blocks[following]):
            continue  # the sentence goes on in the next block
        joined = join_fragments([blocks[r.block_id].text[r.start : r.end] for r in run])
        items.append(Item(tuple(run), joined, blocks[run[0].block_id].kind, float(len(items))))
        run = []
    return items


def ref_text(texts: dict[str, str], refs: list[TextRef]) -> str:
    """The text of a link side: its spans joined like wrapped lines."""
    return join_fragments([texts[ref.block_id][ref.start : ref.end] for ref in refs])
