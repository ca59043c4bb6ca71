"""The brief as printed: where the PDF differs from the screen brief, and why.

On screen a term shows its English on hover and in brackets after it. On paper the brackets are all there
is, and at every mention they made the full text half again as long; WeasyPrint's layout time also grows
with every inline box (a marked term is one: a third of the PDF's rendering time went to marks). So the print
brief marks and glosses a term at its first mention in each section, as printed translations do: the glance,
each key-point section, each level-1 section of the full text and the notes. Later mentions in the section
are plain text. The entity index and the glossary still give every term's English and its number of
mentions. Everything else (the text, the order, the labels) is the screen brief's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ccpipe.publish.brief import Brief, Run, TextBlock

if TYPE_CHECKING:
    from ccpipe.publish.bilingual import Bilingual

# The full text starts a new section at each heading of the report's top level (rendered h3, see build._tag).
_SECTION_TAG = "h3"


class _FirstMentions:
    """Keeps the first mention of each entity since the last section break marked and glossed; the others
    become plain text."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def new_section(self) -> None:
        self._seen.clear()

    def runs(self, runs: Iterable[Run]) -> list[Run]:
        out = []
        for run in runs:
            if run.kind == "term" and run.glosses:
                if run.entity in self._seen:
                    run = Run(run.text)
                self._seen.add(run.entity)
            out.append(run)
        return out

    def block(self, item: TextBlock) -> TextBlock:
        cells = [replace(cell, runs=self.runs(cell.runs)) for cell in item.cells]
        return replace(item, runs=self.runs(item.runs), cells=cells, children=[self.block(c) for c in item.children])


def print_brief(brief: Brief) -> Brief:
    """The print edition of ``brief``: a term marked and glossed only at its first mention in each section."""
    glosses = _FirstMentions()
    figures = [replace(figure, context=glosses.runs(figure.context)) for figure in brief.figures]
    sections = []
    for section in brief.sections:
        glosses.new_section()
        heading = glosses.runs(section.heading_runs)
        points = [replace(point, runs=glosses.runs(point.runs)) for point in section.points]
        sections.append(replace(section, heading_runs=heading, points=points))
    glosses.new_section()
    body = []
    for item in brief.body:
        if item.tag == _SECTION_TAG:
            glosses.new_section()
        body.append(glosses.block(item))
    glosses.new_section()
    footnotes = [glosses.block(note) for note in brief.footnotes]
    return replace(brief, figures=figures, sections=sections, body=body, footnotes=footnotes,
                   bilingual=_bilingual(brief.bilingual))  # fmt: skip


def _bilingual(bilingual: Bilingual | None) -> Bilingual | None:
    """A document printed beside its official English: its rows of Chinese, glossed as the full text is."""
    if bilingual is None:
        return None
    glosses = _FirstMentions()
    rows = []
    for row in bilingual.rows:
        source = []
        for item in row.source:
            if item.tag == _SECTION_TAG:
                glosses.new_section()
            source.append(glosses.block(item))
        rows.append(replace(row, source=source))
    return replace(bilingual, rows=rows)
