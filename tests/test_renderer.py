"""The PDF renderer process: a PDF for good HTML, a clear error when it fails or is killed."""

from __future__ import annotations

import io
import os
import signal

import pdfplumber
import pytest

from ccpipe.publish.renderer import PdfRenderer, RendererFailed

HTML = '<!DOCTYPE html><html lang="zh-Hans"><head><title>标题</title></head><body><p>《巴黎协定》</p></body></html>'


def test_renders_in_a_process_of_its_own() -> None:
    with PdfRenderer("p { color: #0d5c57; }") as renderer:
        assert renderer.pid != os.getpid()
        pdf = renderer.render(HTML)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert "巴黎协定" in document.pages[0].extract_text()


def test_a_failure_is_reported_with_its_cause() -> None:
    with PdfRenderer(variant="pdf/no-such-variant") as renderer, pytest.raises(RendererFailed, match="renderer failed"):
        renderer.render(HTML)


def test_a_killed_renderer_is_reported() -> None:
    with PdfRenderer() as renderer:
        os.kill(renderer.pid, signal.SIGKILL)
        with pytest.raises(RendererFailed, match="killed by SIGKILL"):
            renderer.render(HTML)
