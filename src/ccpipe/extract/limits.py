"""Extraction under a time and memory limit, in a child process that can be killed.

A hostile PDF can make pdfminer loop or allocate without end, and a native library (pdfium, tesseract)
can crash the process that calls it. :func:`extract_with_limit` runs :func:`ccpipe.extract.extract` in
a forked child (nothing is imported again; the result, a pydantic model, comes back pickled over a
pipe) and turns a child that overruns, dies or runs out of memory into a :class:`SourceError` that
names the file. The child leads its own process group, so its tesseract processes die with it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import resource
import signal
import time
import traceback
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from ccpipe.errors import CcpipeError, ExtractCrashedError, ExtractTimeoutError
from ccpipe.extract import extract
from ccpipe.extract.defaults import EXTRACT_SECONDS
from ccpipe.extract.ocr import OcrOptions, ocr_options
from ccpipe.models import Extracted

# Added to the limit for each page that needs OCR: measured 1.3-7 s per page on a 2-core machine;
# the margin is for slower or busier machines.
OCR_SECONDS_PER_PAGE = 30.0
# How much address space the extraction may add to what the process already has: an A4 page image
# for OCR is 9 MB, the largest fixture needs well under 500 MB. Past it the child gets MemoryError
# instead of the whole machine going to the out-of-memory killer.
EXTRACT_MEMORY_MB = 4096

_Message = tuple[str, object]


def extract_with_limit(
    path: str | Path,
    password: str | None = None,
    seconds: float = EXTRACT_SECONDS,
    *,
    ocr_seconds_per_page: float = OCR_SECONDS_PER_PAGE,
    memory_mb: int | None = EXTRACT_MEMORY_MB,
    ocr: OcrOptions | None = None,
) -> Extracted:
    """:func:`ccpipe.extract.extract` that gives up after ``seconds`` (more for pages needing OCR).

    Raises what ``extract`` raises, :class:`ExtractTimeoutError` when the limit passes, and
    :class:`ExtractCrashedError` when the child dies or runs out of memory.
    """
    path = Path(path)
    _import_readers()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    args = (sender, path, password, ocr, ocr_seconds_per_page, memory_mb)
    child = context.Process(target=_child, args=args, name="ccpipe-extract", daemon=True)
    child.start()
    sender.close()  # the child holds the only writer, so its death reads as end of file here
    if child.pid is not None:  # it is, once started
        with contextlib.suppress(OSError):  # also set in the child: whichever runs first wins the race
            os.setpgid(child.pid, child.pid)
    try:
        return _await(child, receiver, path, seconds)
    finally:
        receiver.close()
        _stop(child)


def _import_readers() -> None:
    """Import every reader in the parent, before the fork: the child under its memory limit imports nothing
    (a native library loaded there could fail to map), and the next document's child finds them loaded."""
    import ccpipe.extract.pandoc
    import ccpipe.extract.pdf
    import ccpipe.extract.text  # noqa: F401


def _await(child: BaseProcess, receiver: Connection, path: Path, seconds: float) -> Extracted:
    started = time.monotonic()
    deadline = started + seconds
    ocr_pages = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not receiver.poll(remaining):
            if time.monotonic() < deadline:
                continue
            extra = f", {ocr_pages} page(s) of it needing OCR," if ocr_pages else ""
            detail = f"reading it{extra} did not finish within the {deadline - started:.4g} s limit"
            raise ExtractTimeoutError(path, detail)
        try:
            kind, value = receiver.recv()
        except EOFError:
            child.join(5)
            raise _crashed(path, child.exitcode) from None
        if kind == "ocr" and isinstance(value, tuple):
            pages, allowance = value
            ocr_pages += pages
            deadline += allowance
        elif kind == "done" and isinstance(value, Extracted):
            return value
        elif kind == "memory":
            raise ExtractCrashedError(path, "reading it ran out of memory (a huge or malformed page?)")
        elif isinstance(value, BaseException):
            raise value
        else:
            raise RuntimeError(f"extraction child sent an unexpected message {kind!r}")


def _crashed(path: Path, exitcode: int | None) -> ExtractCrashedError:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        # SIGKILL from outside is most often the kernel's out-of-memory killer.
        # SIGABRT is how native code (Rust, C++) ends when an allocation under the memory limit fails.
        hint = " (out of memory?)" if name in ("SIGKILL", "SIGABRT") else ""
        return ExtractCrashedError(path, f"the PDF reader crashed on it ({name}{hint})")
    return ExtractCrashedError(path, f"the PDF reader stopped without a result (exit status {exitcode})")


def _stop(child: BaseProcess) -> None:
    """Kill the child's whole process group (its OCR processes too), then reap the child."""
    if child.pid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)  # before join: the unreaped child keeps its pid taken
    if child.is_alive():
        child.kill()
    child.join()
    child.close()


def _child(
    sender: Connection,
    path: Path,
    password: str | None,
    options: OcrOptions | None,
    per_page: float,
    memory_mb: int | None,
) -> None:
    """Runs in the forked child: extract, send one result (after any OCR notices), exit."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    unlimited = resource.getrlimit(resource.RLIMIT_AS)
    if memory_mb is not None:
        _limit_memory(memory_mb)

    def planned(pages: int) -> None:
        sender.send(("ocr", (pages, pages * per_page)))

    message: _Message
    try:
        with ocr_options(options, on_plan=planned):
            message = ("done", extract(path, password))
    except BaseException as exc:  # everything goes to the parent, which raises it there
        message = ("memory", None) if _out_of_memory(exc) else ("raised", _portable(exc))
    resource.setrlimit(resource.RLIMIT_AS, unlimited)  # the limit guards reading, not reporting
    sender.send(message)
    sender.close()


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is, or was raised while handling, a MemoryError (pdfplumber wraps pdfminer's)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, MemoryError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _limit_memory(megabytes: int) -> None:
    try:
        with open("/proc/self/statm") as statm:  # first field: the address space in use, in pages
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # not Linux: no limit rather than a wrong one
    limit = current + megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling (ccpipe's errors do), else a RuntimeError saying what it was.

    An unexpected error (a bug) carries the child's traceback as a note, since its frames stay there.
    """
    if not isinstance(exc, CcpipeError):
        exc.add_note("in the extraction child process:\n" + "".join(traceback.format_exception(exc)))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        plain = RuntimeError(f"{type(exc).__name__}: {exc}")
        plain.__notes__ = list(getattr(exc, "__notes__", []))
        return plain
    return exc
