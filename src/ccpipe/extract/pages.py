"""A long PDF's pages read by several processes at once, when the run has cores to spare.

A batch of several documents keeps every core busy with a document each (:mod:`ccpipe.runs.parallel`); a
document alone in its batch would leave all but one idle through extraction, the stage that dominates a text
PDF's build. Its pages are then split into contiguous runs, one per process: the first is read here, the
others in forked children that open the file again (a descriptor shared across a fork shares its offset, so
no child may read through the parent's). Pages come back in order and each page is read exactly as alone, so
the result is the sequential one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import pairwise
from typing import Any, TypeVar

from ccpipe.forked import ForkedChild, start_forked
from ccpipe.models import DocIssue

# Below this many pages per process, starting a process costs more than it saves.
MIN_PAGES_PER_PROCESS = 8
# A child's own limit: the extraction it belongs to has the real one, and its children die with it.
_CHILD_SECONDS = 24 * 3600.0

_processes: ContextVar[int] = ContextVar("ccpipe_page_processes", default=1)

T = TypeVar("T")
# Reads one pdfplumber page into what extraction keeps of it (a Page, with more), recording its issues.
PageReader = Callable[[Any, list[DocIssue]], T]


@contextmanager
def pages_in_processes(count: int) -> Iterator[None]:
    """Read the pages of PDFs extracted within this block with up to ``count`` processes."""
    token = _processes.set(max(1, count))
    try:
        yield
    finally:
        _processes.reset(token)


def read_pages(
    pages: Sequence[Any], read_page: PageReader[T], issues: list[DocIssue], reopen: Callable[[], Any]
) -> list[T]:
    """Every page read with ``read_page`` (pdfplumber pages in, what it makes of them out), issues appended in
    page order. ``reopen``: the PDF opened anew, for a child to read its pages from."""
    processes = min(_processes.get(), len(pages) // MIN_PAGES_PER_PROCESS)
    if processes <= 1:
        return [read_page(page, issues) for page in pages]
    runs = _contiguous(len(pages), processes)
    children = [_start(run, read_page, reopen) for run in runs[1:]]
    try:
        result = [read_page(pages[index], issues) for index in runs[0]]
        for child in children:
            more_pages, more_issues = child.result()
            result += more_pages
            issues += more_issues
    finally:
        for child in children:
            child.stop()
    return result


def _contiguous(count: int, parts: int) -> list[range]:
    """``range(count)`` cut into ``parts`` consecutive runs of (nearly) equal length."""
    bounds = [count * part // parts for part in range(parts + 1)]
    return [range(start, end) for start, end in pairwise(bounds)]


def _start(
    run: range, read_page: PageReader[T], reopen: Callable[[], Any]
) -> ForkedChild[tuple[list[T], list[DocIssue]]]:
    def read() -> tuple[list[T], list[DocIssue]]:
        issues: list[DocIssue] = []
        with reopen() as pdf:
            return [read_page(pdf.pages[index], issues) for index in run], issues

    return start_forked(read, seconds=_CHILD_SECONDS, memory_mb=None)
