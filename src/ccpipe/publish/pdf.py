"""The PDF brief: WeasyPrint prints the brief's print variant (:func:`ccpipe.publish.html.render_print_html`)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# WeasyPrint has no type information; its import is deferred because it loads Pango and fontconfig.

# The accessible variant: WeasyPrint 70 writes PDF/UA-1 (tagged structure, document language, title shown in
# the window) with our embedded Noto CJK fonts; "pdf/a-3u" also works. None gives a plain tagged PDF.
PDF_VARIANT = "pdf/ua-1"
# Allocations between two young-generation collections while rendering (Python's default is 700).
RENDER_GC_THRESHOLD = 50_000


def _offline_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    # The brief is self-contained (inline CSS, system fonts). Refusing every scheme guarantees that nothing in a
    # document, however it was extracted, can make rendering reach the network or the local file system.
    return URLFetcher(allowed_protocols=frozenset())


def render_pdf(html: str, variant: str | None = PDF_VARIANT) -> bytes:
    """Render the brief's HTML to PDF bytes (A4; metadata from <title>, author/keywords meta and html lang)."""
    from weasyprint import HTML

    with _few_collections():
        document = HTML(string=html, url_fetcher=_offline_fetcher()).render()
        # pdf_tags adds the structure tree that screen readers and reflow need; a ministry's accessibility rules
        # ask for it.
        options: dict[str, Any] = {"pdf_tags": True}
        if variant:
            options["pdf_variant"] = variant
        pdf: bytes = document.write_pdf(**options)
    return pdf


_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] = gc.get_threshold()
_gc_froze = False


@contextmanager
def _few_collections() -> Iterator[None]:
    """Rendering with the heap that existed before it frozen and young collections rarer.

    WeasyPrint allocates millions of short-lived objects; at Python's default threshold the collector ran every
    700 allocations and each older-generation pass walked the whole heap, the run's glossary and jieba's
    dictionary included (a sixth of the rendering time). Threads of one process may render at once: the
    first to start changes the settings, the last to finish restores them."""
    global _gc_users, _gc_saved, _gc_froze
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            _gc_froze = gc.get_freeze_count() == 0  # a caller that froze the heap keeps it frozen
            if _gc_froze:
                gc.freeze()
            gc.set_threshold(RENDER_GC_THRESHOLD, *_gc_saved[1:])
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)
                if _gc_froze:
                    gc.unfreeze()
