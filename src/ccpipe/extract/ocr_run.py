"""OCR itself, for the pages :func:`ccpipe.extract.ocr.ocr_pages` chose: rendered one at a time (pdfium is not
thread-safe) while a pool of worker threads, one per core, straightens and recognises those already rendered
(RapidOCR, :mod:`.rapid`; ONNX Runtime releases the interpreter lock while it computes, one thread per session).

A module of its own because its imports (OpenCV, ONNX Runtime) cost a third of a second that a born-digital
file never needs.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ccpipe.errors import NoTextLayerError, OcrUnavailableError
from ccpipe.extract.ocr import OcrOptions, Todo
from ccpipe.extract.ocr_image import PageImage, deskew, render
from ccpipe.extract.ocr_lines import PageText, page_text, snap_sizes
from ccpipe.extract.rapid import Engine, EngineFailed, EngineUnavailable, find_engine
from ccpipe.extract.textlayer import SPARSE_GAIN, Action, Verdict
from ccpipe.models import DocIssue, Line, OcrPage, Page

INSTALL_ADVICE = "install the Python package rapidocr-onnxruntime (`make run` installs it with ccpipe)"


def recognize_pages(
    path: Path, pages: list[Page], todo: list[Todo], options: OcrOptions, issues: list[DocIssue]
) -> list[OcrPage]:
    """OCR ``todo`` (pages of ``pages``) in place; returns what :attr:`Source.ocr` records."""
    try:
        engine = find_engine(options.models)
    except EngineUnavailable as exc:
        _without_engine(path, pages, todo, issues, str(exc))
        return []
    if options.on_plan is not None:
        options.on_plan(len(todo))
    try:
        results = _recognize_all(engine, todo, max(1, options.workers))
    except EngineUnavailable as exc:  # a model file that is there but does not load
        _without_engine(path, pages, todo, issues, str(exc))
        return []
    recorded = [
        entry
        for (_, page, verdict), result in zip(todo, results, strict=True)
        if (entry := _apply(engine, page, verdict, result, issues)) is not None
    ]
    read = {entry.page for entry in recorded}
    anchors = [line for page in pages if page.number not in read for line in page.lines]
    _snap_document(pages, read, anchors)
    if not any(page.lines or page.tables for page in pages):
        failed = [issue.message for issue in issues if issue.code == "EXTRACT_OCR_FAILED"]
        if failed:
            detail = f"none of its {len(pages)} page(s) has text and OCR failed on {len(failed)} ({failed[0]})"
            raise NoTextLayerError(path, detail, "check that the file opens in a PDF viewer; repair or re-export it")
        advice = "check that the scan is legible (not blank, faint or rotated) or get a better copy"
        raise NoTextLayerError(path, f"none of its {len(pages)} page(s) has text, even by OCR", advice)
    return recorded


def _snap_document(pages: list[Page], read: set[int], anchors: list[Line]) -> None:
    """One size per type size over all OCRed pages, matched to the text layer's where there is one."""
    ocr_lines = [line for page in pages if page.number in read for line in page.lines]
    snapped = iter(snap_sizes(ocr_lines, anchors))
    for page in pages:
        if page.number in read:
            page.lines = [next(snapped) for _ in page.lines]


def _without_engine(path: Path, pages: list[Page], todo: list[Todo], issues: list[DocIssue], why: str) -> None:
    if not any(page.lines or page.tables for page in pages):
        raise OcrUnavailableError(path, f"{len(todo)} of its {len(pages)} page(s) need OCR but {why}")
    for _, page, verdict in todo:
        message = f"not OCRed ({verdict.reason}): {why}; {INSTALL_ADVICE}"
        issues.append(DocIssue(code="EXTRACT_OCR_UNAVAILABLE", message=message, page=page.number))


def _recognize_all(engine: Engine, todo: list[Todo], workers: int) -> list[PageText | Exception]:
    """OCR results in page order; a page that fails gives its exception."""
    results: list[PageText | Exception] = []
    pending: deque[Future[PageText] | Exception] = deque()

    def collect_oldest() -> None:
        item = pending.popleft()
        try:
            results.append(item if isinstance(item, Exception) else item.result())
        except (EngineFailed, OSError) as exc:  # this page only; a MemoryError or a bug stops the file
            results.append(exc)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ccpipe-ocr") as pool:
        for pdf_page, page, _ in todo:
            # Rendered images wait here for a free worker: keep only a few in memory at a time.
            while len(pending) > workers:
                collect_oldest()
            try:
                image = render(pdf_page)
            except MemoryError:
                raise
            except Exception as exc:  # pdfium's errors on a damaged page are not typed
                pending.append(exc)
                continue
            pending.append(pool.submit(_recognize, engine, image, page.number))
        while pending:
            collect_oldest()
    return results


def _recognize(engine: Engine, image: PageImage, page: int) -> PageText:
    """One page straightened and read (on a worker thread)."""
    straight = deskew(image)
    return page_text(engine.read(straight), straight, page)


def _apply(
    engine: Engine, page: Page, verdict: Verdict, result: PageText | Exception, issues: list[DocIssue]
) -> OcrPage | None:
    """Put one page's OCR result in place, or record why not."""
    if isinstance(result, Exception):
        message = f"OCR failed ({verdict.reason}): {type(result).__name__}: {result}"
        issues.append(DocIssue(code="EXTRACT_OCR_FAILED", message=message, page=page.number))
        return None
    read = result.characters
    if verdict.action is Action.TRY_OCR and read < SPARSE_GAIN * verdict.glyphs:
        return None  # the text layer already holds the page's text
    if not result.lines:
        message = f"OCR found no text ({verdict.reason})"
        issues.append(DocIssue(code="EXTRACT_OCR_EMPTY", message=message, page=page.number))
        return None
    page.lines, page.tables = result.lines, []
    issues[:] = [i for i in issues if not (i.code == "EXTRACT_NO_TEXT_LAYER" and i.page == page.number)]
    message = (
        f"text recognised by OCR ({verdict.reason}; {engine.label}, mean character confidence "
        f"{result.confidence:.0f}/100): check names and figures against the original"
    )
    issues.append(DocIssue(code="EXTRACT_OCR_USED", message=message, page=page.number))
    return OcrPage(page=page.number, engine=engine.label, confidence=result.confidence, skew=result.skew)
