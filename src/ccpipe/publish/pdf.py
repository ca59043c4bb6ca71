"""The PDF brief: WeasyPrint prints the brief's print variant (:func:`ccpipe.publish.html.render_print_html`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ccpipe.collector import fewer_collections

# WeasyPrint has no type information; its import is deferred because it loads Pango and fontconfig.

# The accessible variant: WeasyPrint 70 writes PDF/UA-1 (tagged structure, document language, title shown in
# the window) with our embedded Noto CJK fonts; "pdf/a-3u" also works. None gives a plain tagged PDF.
PDF_VARIANT = "pdf/ua-1"


def _offline_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    # The brief is self-contained (inline CSS, system fonts). Refusing every scheme guarantees that nothing in a
    # document, however it was extracted, can make rendering reach the network or the local file system.
    return URLFetcher(allowed_protocols=frozenset())


def render_pdf(html: str, variant: str | None = PDF_VARIANT, stylesheet: str | None = None) -> bytes:
    """Render the brief's HTML to PDF bytes (A4; metadata from <title>, author/keywords meta and html lang).

    ``stylesheet``: CSS to apply besides the document's own, parsed once per process and kept."""
    from weasyprint import HTML

    stylesheets = [parsed_stylesheet(stylesheet)] if stylesheet else []
    with fewer_collections():  # WeasyPrint allocates millions of short-lived objects
        document = HTML(string=html, url_fetcher=_offline_fetcher()).render(stylesheets=stylesheets)
        # pdf_tags adds the structure tree that screen readers and reflow need; a ministry's accessibility rules
        # ask for it.
        options: dict[str, Any] = {"pdf_tags": True}
        if variant:
            options["pdf_variant"] = variant
        pdf: bytes = document.write_pdf(**options)
    return pdf


@lru_cache(maxsize=4)
def parsed_stylesheet(css: str) -> Any:
    """``css`` parsed by WeasyPrint (``weasyprint.CSS``): parsing the brief's stylesheet is a tenth of a second
    that every render would otherwise pay again."""
    from weasyprint import CSS

    return CSS(string=css, url_fetcher=_offline_fetcher())
