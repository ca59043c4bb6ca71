"""Walk pandoc's JSON AST (pandoc 3, API 1.23) into ccpipe blocks.

Each block gets a temporary id (``tmp1``, ``tmp2``…) so footnote references survive the renumbering in
:func:`ccpipe.text.normalize.normalize`; footnotes are collected and placed after the body.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from ccpipe.extract.pandoc_inline import (
    GAPS,
    Node,
    TextRun,
    all_strong,
    clean,
    is_toc_entry,
    leading_strong,
    list_label,
    payload,
)
from ccpipe.models import Block, BlockKind, Cell, Table, Typography
from ccpipe.textutil import join_fragments

# Inline wrappers whose text is simply their children's text.
_WRAPPERS = frozenset({"Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"})
_QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}
_BULLET = "•"


class Walker:
    """Turns a pandoc document's block list into ccpipe blocks (body, then footnotes) and their typography.

    ``hints`` give what pandoc does not keep, by paragraph text without white space: a Word paragraph's
    outline level and centring, an HTML paragraph's centring (see :mod:`ccpipe.extract.docx_hints`)."""

    def __init__(self, hints: dict[str, Typography] | None = None) -> None:
        self.blocks: list[Block] = []
        self.notes: list[Block] = []
        self._ids = itertools.count(1)
        self._label: str | None = None  # the marker of the list item whose first block is pending
        # How top-level paragraphs and headings are set, by block id (see ccpipe.models.Typography).
        self.typography: dict[str, Typography] = {}
        self._hints = hints or {}

    def document(self, blocks: list[Node]) -> list[Block]:
        self._walk(blocks, 0)
        return self.blocks + self.notes

    # --- blocks ------------------------------------------------------------------------------------

    def _walk(self, blocks: list[Node], depth: int) -> None:
        for node in blocks:
            self._block(node, depth)

    def _block(self, node: Node, depth: int) -> None:
        kind, content = node["t"], payload(node)
        if kind in ("Para", "Plain"):
            self._paragraph(content, depth)
        elif kind == "LineBlock":
            self._paragraph([inline for line in content for inline in [*line, {"t": "LineBreak"}]], depth)
        elif kind == "Header":
            refs: list[str] = []
            block = self._emit(BlockKind.HEADING, self._render(content[2], refs), level=content[0], refs=refs)
            if block is not None:
                hint = self._hint(block.text)
                style = Typography(bold=all_strong(content[2]), centred=hint.centred, outline=content[0])
                self.typography[block.id] = style
        elif kind == "BulletList":
            for item in content:
                self._item(item, _BULLET, depth + 1)
        elif kind == "OrderedList":
            (start, style, delim), items = content
            for number, item in enumerate(items, start=start):
                self._item(item, list_label(number, style["t"], delim["t"]), depth + 1)
        elif kind == "DefinitionList":
            for term, definitions in content:
                self._paragraph(term, depth)
                for definition in definitions:
                    self._walk(definition, depth)
        elif kind in ("BlockQuote", "Div"):
            self._walk(content if kind == "BlockQuote" else content[1], depth)
        elif kind == "Figure":  # the image is skipped; its caption is text
            self._walk(content[2], depth)
            self._walk(content[1][1], depth)
        elif kind == "Table":
            self._table(content, depth)
        elif kind == "CodeBlock":
            self._emit(self._kind(depth), content[1].strip(), level=depth or None, label=self._take_label())
        # RawBlock (markup for another format) and HorizontalRule carry no text.

    def _item(self, blocks: list[Node], label: str, depth: int) -> None:
        self._label = label
        self._walk(blocks, depth)
        self._label = None  # an empty item still used up its number

    def _take_label(self) -> str | None:
        label, self._label = self._label, None
        return label

    @staticmethod
    def _kind(depth: int) -> BlockKind:
        return BlockKind.LIST_ITEM if depth else BlockKind.PARAGRAPH

    def _paragraph(self, inlines: list[Node], depth: int) -> None:
        refs: list[str] = []
        text = self._render(inlines, refs)
        if not text:
            return
        hint = self._hint(text)
        if depth and hint.outline is not None:
            # A numbered Word heading: a list item with an outline level. Its number is part of its text.
            label = self._take_label()
            block = self._emit(BlockKind.HEADING, f"{label} {text}" if label else text, level=hint.outline, refs=refs)
            if block is not None:
                self.typography[block.id] = hint.model_copy(update={"bold": all_strong(inlines)})
            return
        # Later paragraphs of one list item stay list items of the same depth, without a marker.
        block = self._emit(self._kind(depth), text, level=depth or None, label=self._take_label(), refs=refs)
        if block is not None and not depth:
            bold = all_strong(inlines)
            lead = 0 if bold else len(self._render(leading_strong(inlines), []))
            self.typography[block.id] = hint.model_copy(
                update={"bold": bold, "run_in": lead if 0 < lead < len(text) else 0, "contents": is_toc_entry(inlines)}
            )

    def _hint(self, text: str) -> Typography:
        return self._hints.get(re.sub(r"\s+", "", text), Typography())

    def _table(self, content: list[Any], depth: int) -> None:
        _attr, caption, colspecs, head, bodies, foot = content
        self._walk(caption[1], depth)  # a caption reads as the paragraph before its table
        rows = [*head[1]]
        for body in bodies:
            rows += [*body[2], *body[3]]
        rows += foot[1]
        if len(colspecs) == 1:
            # A one-column table is a frame around content (a boxed note, a nested table, the layout table
            # of an old web page), not data: its cells read as ordinary blocks.
            for row in rows:
                for cell in row[1]:
                    self._walk(cell[4], depth)
            return
        refs: list[str] = []
        cells: list[Cell] = []
        taken: set[tuple[int, int]] = set()
        for row_index, row in enumerate(rows):
            col = 0
            for _cell_attr, _align, rows_down, cols_across, blocks in row[1]:
                while (row_index, col) in taken:  # a cell merged down from a row above
                    col += 1
                # A damaged file may merge a cell past the last row; the grid must stay inside the table.
                rowspan, colspan = max(1, min(rows_down, len(rows) - row_index)), max(1, cols_across)
                text = self.flat_text(blocks, refs)
                cells.append(Cell(row=row_index, col=col, rowspan=rowspan, colspan=colspan, text=text))
                taken.update((row_index + r, col + c) for r in range(rowspan) for c in range(colspan))
                col += colspan
        if not any(cell.text for cell in cells):
            return
        cols = max(len(colspecs), *(col + 1 for _row, col in taken))
        by_row: dict[int, list[str]] = {}
        for cell in cells:
            if cell.text:
                by_row.setdefault(cell.row, []).append(cell.text)
        table = Table(rows=len(rows), cols=cols, cells=cells)
        text = "\n".join(" | ".join(texts) for _row, texts in sorted(by_row.items()))
        self._take_label()  # a table opening a list item does not carry the item's marker
        self._emit(BlockKind.TABLE, text, table=table, refs=refs)

    def flat_text(self, blocks: list[Node], refs: list[str]) -> str:
        """All the text in ``blocks`` (a table cell, a footnote) as one run: lists and nested tables flattened."""
        return join_fragments([fragment for node in blocks for fragment in self._fragments(node, refs)])

    def _fragments(self, node: Node, refs: list[str]) -> list[str]:
        kind, content = node["t"], payload(node)
        if kind in ("Para", "Plain"):
            return [self._render(content, refs)]
        if kind == "Header":
            return [self._render(content[2], refs)]
        if kind == "LineBlock":
            return [self._render(line, refs) for line in content]
        if kind == "CodeBlock":
            return [clean(content[1])]
        nested: list[Node] = []
        if kind == "BulletList":
            nested = [node for item in content for node in item]
        elif kind == "OrderedList":
            nested = [node for item in content[1] for node in item]
        elif kind in ("BlockQuote", "Div"):
            nested = content if kind == "BlockQuote" else content[1]
        elif kind == "Figure":
            nested = [*content[2], *content[1][1]]
        elif kind == "DefinitionList":
            nested = [node for term, defs in content for node in [{"t": "Plain", "c": term}, *itertools.chain(*defs)]]
        elif kind == "Table":
            _attr, caption, _specs, head, bodies, foot = content
            rows = [*head[1], *(row for body in bodies for row in [*body[2], *body[3]]), *foot[1]]
            nested = [*caption[1], *(node for row in rows for cell in row[1] for node in cell[4])]
        return [text for child in nested for text in self._fragments(child, refs) if text]

    def _emit(
        self,
        kind: BlockKind,
        text: str,
        level: int | None = None,
        label: str | None = None,
        refs: list[str] | None = None,
        table: Table | None = None,
    ) -> Block | None:
        if not text:
            return None
        block = Block(
            id=f"tmp{next(self._ids)}",
            kind=kind,
            level=level,
            page=1,
            pages=[1],
            text=text,
            label=label,
            footnote_refs=refs or [],
            table=table,
        )
        self.blocks.append(block)
        return block

    # --- inlines -----------------------------------------------------------------------------------

    def render(self, inlines: list[Node]) -> str:
        """Inline text on its own (a metadata title); footnotes in it are dropped."""
        return self._render(inlines, [])

    def _render(self, inlines: list[Node], refs: list[str]) -> str:
        text = TextRun()
        self._inlines(inlines, text, refs)
        return clean(text.out)

    def _inlines(self, inlines: list[Node], text: TextRun, refs: list[str]) -> None:
        for node in inlines:
            kind, content = node["t"], payload(node)
            if kind == "Str":
                text.word(content)
            elif kind in GAPS:
                text.gap(kind)
            elif kind in _WRAPPERS:
                self._inlines(content, text, refs)
            elif kind in ("Span", "Link", "Cite"):
                self._inlines(content[1], text, refs)
            elif kind == "Quoted":
                opening, closing = _QUOTES.get(content[0]["t"], ("“", "”"))
                text.word(opening)
                self._inlines(content[1], text, refs)
                text.word(closing)
            elif kind == "Code":
                text.word(content[1])
            elif kind == "Math":  # TeX source, on one line like all block text
                text.word(clean(content[1]))
            elif kind == "Note":
                text.word(self._note(content, refs))
            # Image and RawInline carry no text of the document.

    def _note(self, blocks: list[Node], refs: list[str]) -> str:
        """Add a footnote; return the label to print at the call site ("" for an empty note)."""
        body = self.flat_text(blocks, [])
        if not body:
            return ""
        label = f"[{len(self.notes) + 1}]"
        note = Block(id=f"tmp{next(self._ids)}", kind=BlockKind.FOOTNOTE, page=1, pages=[1], text=body, label=label)
        self.notes.append(note)
        refs.append(note.id)
        return label
