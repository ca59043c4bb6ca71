"""OCR for the PDF pages whose text layer is missing or unusable (see :mod:`.textlayer`): which pages, and
with what settings; the recognition itself is :mod:`.ocr_run`'s. Settings come from
:func:`ocr_options`, so that callers of :func:`ccpipe.extract.extract` (and the forked child of
:mod:`.limits`) can change them without threading a parameter through every format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ccpipe.extract.defaults import OCR_WORKERS
from ccpipe.extract.textlayer import Action, Verdict
from ccpipe.models import DocIssue, OcrPage, Page


@dataclass(frozen=True)
class OcrOptions:
    # Pages recognised at once, one thread each.
    workers: int = OCR_WORKERS
    # A folder holding the engine's model files (see rapid.MODEL_FILES); None: the ones shipped in its package.
    models: Path | None = None
    # OCR at most this many pages of a document (the rest are recorded as skipped); None: all.
    page_limit: int | None = None
    # Called with the number of pages about to be OCRed, before any is (the time limit grows with it).
    on_plan: Callable[[int], None] | None = None


_options: ContextVar[OcrOptions | None] = ContextVar("ccpipe_ocr_options", default=None)


@contextmanager
def ocr_options(options: OcrOptions | None = None, **changes: Any) -> Iterator[OcrOptions]:
    """Use ``options`` (default: the current ones), with ``changes``, for OCR inside the ``with`` block.

    The setting holds in this thread or task only, e.g. ``with ocr_options(page_limit=2): extract(path)``.
    """
    chosen = replace(options or current_options(), **changes)
    token = _options.set(chosen)
    try:
        yield chosen
    finally:
        _options.reset(token)


def current_options() -> OcrOptions:
    return _options.get() or OcrOptions()


# A page to OCR: pdfium's page, ours, and the verdict on its text layer.
Todo = tuple[Any, Page, Verdict]


def ocr_pages(
    path: Path, pdf_pages: Sequence[Any], pages: list[Page], verdicts: Sequence[Verdict], issues: list[DocIssue]
) -> list[OcrPage]:
    """OCR the pages that need it (``verdicts``: :func:`.textlayer.judge`'s, page by page), in place; returns
    what :attr:`Source.ocr` records.

    Raises :class:`OcrUnavailableError` when no page has usable text and the OCR engine cannot run.
    """
    todo: list[Todo] = []
    for pdf_page, page, verdict in zip(pdf_pages, pages, verdicts, strict=True):
        if verdict.suspect:
            examples = ", ".join(dict.fromkeys(verdict.suspect[:5]))
            message = f"the text layer looks like a poor OCR: numbers misread as letters ({examples}); check figures"
            issues.append(DocIssue(code="EXTRACT_SUSPECT_TEXT_LAYER", message=message, page=page.number))
        if verdict.action is Action.OCR:
            page.lines, page.tables = [], []  # a garbage layer is worse than none
        if verdict.action is not Action.KEEP:
            todo.append((pdf_page, page, verdict))
    options = current_options()
    if options.page_limit is not None and len(todo) > options.page_limit:
        for _, page, verdict in todo[options.page_limit :]:
            message = f"not OCRed ({verdict.reason}): the OCR page limit of {options.page_limit} was reached"
            issues.append(DocIssue(code="EXTRACT_OCR_SKIPPED", message=message, page=page.number))
        todo = todo[: options.page_limit]
    if not todo:
        return []
    # The engine's modules load OpenCV and ONNX Runtime (a third of a second): only for a file that needs them.
    from ccpipe.extract.ocr_run import recognize_pages

    return recognize_pages(path, pages, todo, options, issues)
