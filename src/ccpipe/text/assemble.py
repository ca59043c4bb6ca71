"""Blocks from paragraph groups (layout sources) or source blocks (structured ones) once the title and the
headings are known: a run-in heading becomes a heading block followed by its body as a paragraph, with
nothing lost or repeated (the heading's text and the body's are the paragraph's, cut at the heading's end).
"""

from __future__ import annotations

from ccpipe.models import Block, BlockKind, Line, PageTable, Span, Typography
from ccpipe.text.headings import Heading
from ccpipe.text.paragraphs import Group, body_block, group_text, line_block, table_block
from ccpipe.text.structure import numbered_lead_end
from ccpipe.textutil import join_fragments

_SENTENCE_END = "。！？!?"


def assemble_lines(groups: list[Group], title: list[int], headings: list[Heading], drop: set[int]) -> list[Block]:
    """Blocks of a layout source's paragraph groups (those in ``drop`` are left out)."""
    found = {heading.index: heading for heading in headings}
    blocks: list[Block] = []
    for index, group in enumerate(groups):
        if index in drop:
            continue
        if isinstance(group, PageTable):
            blocks.append(table_block(group))
        elif index in title:
            if index == title[0]:
                lines = [line for i in title for line in _lines(groups[i])]
                text = join_fragments([group_text(_lines(groups[i])) for i in title])
                blocks.append(line_block(BlockKind.TITLE, lines, text))
        elif index in found:
            whole = line_block(BlockKind.PARAGRAPH, group, group_text(group))
            blocks += split_heading(whole, found[index])
        else:
            blocks.append(body_block(group))
    return blocks


def _lines(group: Group) -> list[Line]:
    return group if isinstance(group, list) else []


def assemble_structured(
    body: list[Block], styles: list[Typography], title: list[int], headings: list[Heading], drop: set[int]
) -> list[Block]:
    """Blocks of a structured source (Word, HTML): titles joined, headings marked or split off, leads found
    (those in ``drop`` are left out)."""
    found = {heading.index: heading for heading in headings}
    blocks: list[Block] = []
    for index, block in enumerate(body):
        if index in drop:
            continue
        if index in title:
            if index == title[0]:
                parts = [body[i] for i in title]
                text = join_fragments([part.text for part in parts])
                refs = [ref for part in parts for ref in part.footnote_refs]
                update = {"kind": BlockKind.TITLE, "level": None, "text": text, "footnote_refs": refs, "label": None}
                blocks.append(block.model_copy(update=update))
        elif index in found:
            blocks += split_heading(block, found[index])
        elif block.kind == BlockKind.HEADING:  # declared by the source, but not a heading (a 目录 line)
            blocks.append(block.model_copy(update={"kind": BlockKind.PARAGRAPH, "level": None}))
        else:
            blocks.append(with_lead(block, styles[index].run_in))
    return blocks


def with_lead(block: Block, run_in: int) -> Block:
    """A paragraph with its lead sentence: a bold opening run (cut back to its last sentence end), or 一是……。"""
    if block.kind != BlockKind.PARAGRAPH or block.lead is not None:
        return block
    end = 0
    if 0 < run_in < len(block.text):
        cut = max(block.text.rfind(mark, 0, run_in) for mark in _SENTENCE_END)
        end = cut + 1 if cut >= 0 else run_in
    end = end or numbered_lead_end(block.text)
    return block.model_copy(update={"lead": Span(start=0, end=end)}) if end else block


def split_heading(block: Block, heading: Heading) -> list[Block]:
    """The heading block, and for a run-in heading the paragraph of the body text after it."""
    text = block.text
    if heading.end >= len(text.rstrip()):
        update = {"kind": BlockKind.HEADING, "level": heading.level, "label": None, "lead": None}
        return [block.model_copy(update=update)]
    head = block.model_copy(
        update={
            "kind": BlockKind.HEADING,
            "level": heading.level,
            "text": text[: heading.end],
            "label": None,
            "lead": None,
            "pages": block.pages[:1],
            "bboxes": block.bboxes[:1],
            "footnote_refs": [],
        }
    )
    rest = text[heading.end :]
    skipped = len(rest) - len(rest.lstrip())
    body = block.model_copy(
        update={"kind": BlockKind.PARAGRAPH, "level": None, "label": None, "lead": None, "text": rest[skipped:]}
    )
    if block.id:
        body = body.model_copy(update={"id": f"{block.id}.body"})
    return [head, with_lead(body, 0)]
