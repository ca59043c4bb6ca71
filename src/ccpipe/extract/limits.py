"""Extraction under a time and memory limit, in a child process that can be killed.

A hostile PDF can make pdfminer loop or allocate without end, and a native library (pdfium, ONNX Runtime)
can crash the process that calls it. :func:`extract_with_limit` runs :func:`ccpipe.extract.extract` in
a forked child (:func:`ccpipe.forked.run_forked`: it dies with its parent, enforces the limit itself too
and holds no run lock) and turns a child that overruns, dies or runs out of memory into a
:class:`SourceError` that names the file.
"""

from __future__ import annotations

from pathlib import Path

from ccpipe.errors import ExtractCrashedError, ExtractTimeoutError
from ccpipe.extract import extract
from ccpipe.extract.defaults import EXTRACT_SECONDS
from ccpipe.extract.ocr import OcrOptions, ocr_options
from ccpipe.extract.pages import pages_in_processes
from ccpipe.forked import ChildCrashed, ChildOutOfMemory, ChildTimeout, extend_deadline, run_forked
from ccpipe.models import Extracted

# Added to the limit for each page that needs OCR: RapidOCR takes 4.8 s of CPU per A4 page (2.4 s a page
# on two cores); on a 2-core machine loaded five times over, 17 s a page were measured. The margin is for
# slower or busier machines.
OCR_SECONDS_PER_PAGE = 30.0
# How much address space the extraction may add to what the process already has: an A4 page image
# for OCR is 9 MB, the largest fixture needs well under 500 MB. Past it the child gets MemoryError
# instead of the whole machine going to the out-of-memory killer.
EXTRACT_MEMORY_MB = 4096


def extract_with_limit(
    path: str | Path,
    password: str | None = None,
    seconds: float = EXTRACT_SECONDS,
    *,
    ocr_seconds_per_page: float = OCR_SECONDS_PER_PAGE,
    memory_mb: int | None = EXTRACT_MEMORY_MB,
    ocr: OcrOptions | None = None,
    max_seconds: float | None = None,
    page_processes: int = 1,
) -> Extracted:
    """:func:`ccpipe.extract.extract` that gives up after ``seconds`` (more for pages needing OCR, up to
    ``max_seconds`` in all). ``page_processes``: processes reading a PDF's pages (:mod:`.pages`).

    Raises what ``extract`` raises, :class:`ExtractTimeoutError` when the limit passes, and
    :class:`ExtractCrashedError` when the child dies or runs out of memory.
    """
    path = Path(path)
    _import_readers()

    def planned(pages: int) -> None:  # in the child: OCR is about to start on this many pages
        extend_deadline(pages * ocr_seconds_per_page)

    def read() -> Extracted:
        with ocr_options(ocr, on_plan=planned), pages_in_processes(page_processes):
            return extract(path, password)

    try:
        return run_forked(read, seconds=seconds, memory_mb=memory_mb, max_seconds=max_seconds)
    except ChildTimeout as exc:
        detail = f"reading it did not finish within the {exc.seconds:.4g} s limit"
        if exc.seconds > seconds:
            detail += f" ({seconds:.4g} s, more for the pages that needed OCR)"
        raise ExtractTimeoutError(path, detail) from None
    except ChildOutOfMemory:
        raise ExtractCrashedError(path, "reading it ran out of memory (a huge or malformed page?)") from None
    except ChildCrashed as exc:
        raise _crashed(path, exc) from None


def _import_readers() -> None:
    """Import every reader in the parent, before the fork: the child under its memory limit imports nothing
    (a native library loaded there could fail to map), and the next document's child finds them loaded."""
    import ccpipe.extract.pandoc
    import ccpipe.extract.pdf
    import ccpipe.extract.text  # noqa: F401


def _crashed(path: Path, exc: ChildCrashed) -> ExtractCrashedError:
    name = exc.signal_name
    if name is not None:
        # SIGKILL from outside is most often the kernel's out-of-memory killer.
        # SIGABRT is how native code (Rust, C++) ends when an allocation under the memory limit fails.
        hint = " (out of memory?)" if name in ("SIGKILL", "SIGABRT") else ""
        return ExtractCrashedError(path, f"the PDF reader crashed on it ({name}{hint})")
    return ExtractCrashedError(path, f"the PDF reader stopped without a result (exit status {exc.exitcode})")
