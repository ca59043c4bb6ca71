"""The PDF brief rendered in a process of its own: a fresh, lean Python that imports WeasyPrint and nothing else.

WeasyPrint holds every page's boxes and the fonts it subsets (whole CJK font collections read into memory) until
the PDF is written: 300 MB for the sample's 25 pages, 400 MB for a 60-page brief. In the process that also
holds the run's glossary and jieba's dictionaries that would be 600-900 MB, and what the allocator keeps after
a large brief stays with the process for the documents after it. A renderer of its own starts at 60 MB and
returns everything when it exits; it dies with the process that started it; a crash in a native library
takes only it down. It is started when publishing starts, so that it imports WeasyPrint (half a second) while
the document's JSON and HTML are written, on the other core.

The parent writes the stylesheet and the PDF variant (a JSON line) to the child's standard input as it starts,
the HTML when it has it, and reads the PDF from its standard output; ``python -m ccpipe.publish.renderer`` is
the child.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import traceback

from ccpipe.publish.pdf import PDF_VARIANT

_PR_SET_PDEATHSIG = 1


class RendererFailed(RuntimeError):
    """The renderer process ended without a PDF."""


class PdfRenderer:
    """One renderer process, for one PDF: start it early (it loads WeasyPrint and parses ``stylesheet`` while the
    caller gets the HTML ready), :meth:`render` once (or :meth:`submit`, then :meth:`result`), :meth:`close` in
    any case."""

    def __init__(self, stylesheet: str | None = None, variant: str | None = PDF_VARIANT) -> None:
        command = [sys.executable, "-m", "ccpipe.publish.renderer", str(os.getpid())]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self._process.stdin is not None
        header = json.dumps({"stylesheet": stylesheet, "variant": variant}) + "\n"
        with contextlib.suppress(BrokenPipeError):  # a child that died at once is reported by render()
            self._process.stdin.write(header.encode("utf-8"))
            self._process.stdin.flush()
        self._exchange: threading.Thread | None = None
        self._output: tuple[bytes, bytes] = (b"", b"")

    @property
    def pid(self) -> int:
        return self._process.pid

    def render(self, html: str) -> bytes:
        """The PDF of ``html`` (raises :class:`RendererFailed` when the renderer gives none)."""
        self.submit(html)
        return self.result()

    def submit(self, html: str) -> None:
        """Hand ``html`` over and return at once: the renderer works on it (on another core) while the caller
        goes on; :meth:`result` waits for the PDF. The exchange runs in a thread because the pipe takes only
        64 KB until the renderer, perhaps still importing WeasyPrint, starts reading."""
        self._exchange = threading.Thread(target=self._communicate, args=(html,), name="ccpipe-pdf", daemon=True)
        self._exchange.start()

    def _communicate(self, html: str) -> None:
        try:
            self._output = self._process.communicate(html.encode("utf-8"))
        except (BrokenPipeError, OSError, ValueError):
            self._process.wait()

    def result(self) -> bytes:
        """The PDF of the HTML submitted (raises :class:`RendererFailed` when the renderer gives none)."""
        assert self._exchange is not None, "submit() comes first"
        self._exchange.join()
        pdf, errors = self._output
        if self._process.returncode != 0 or not pdf.startswith(b"%PDF"):
            raise RendererFailed(_failure(self._process.returncode, errors.decode("utf-8", "replace")))
        return pdf

    def close(self) -> None:
        """Stop the renderer if it is still running (rendering was abandoned)."""
        if self._process.poll() is None:
            self._process.kill()
        if self._exchange is not None:  # its communicate() ends with the process
            self._exchange.join()
            return
        with contextlib.suppress(OSError, ValueError):
            self._process.communicate()

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _failure(returncode: int, errors: str) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"the PDF renderer was killed by {name}"
    lines = [line for line in errors.strip().splitlines() if line.strip()]
    return f"the PDF renderer failed: {lines[-1] if lines else f'exit status {returncode}'}"


def main(parent: int) -> int:
    """The child: die with the parent, read the request, write the PDF."""
    _die_with(parent)
    from ccpipe.publish.pdf import parsed_stylesheet, render_pdf

    try:
        header = json.loads(sys.stdin.buffer.readline())
        if header["stylesheet"]:
            parsed_stylesheet(header["stylesheet"])  # and WeasyPrint with it, before the HTML arrives
        html = sys.stdin.buffer.read().decode("utf-8")
        pdf = render_pdf(html, header["variant"], stylesheet=header["stylesheet"])
    except Exception:
        traceback.print_exc()
        return 1
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    return 0


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when the one that started it ends (Linux; elsewhere a no-op)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the request was in place
        sys.exit(1)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
