"""The PDF brief: WeasyPrint prints the HTML brief, so both outputs always agree."""

from __future__ import annotations

from typing import Any

# WeasyPrint has no type information; its import is deferred because it loads Pango and fontconfig.


def _offline_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    # The brief is self-contained (inline CSS, system fonts). Refusing every scheme guarantees that nothing in a
    # document, however it was extracted, can make rendering reach the network or the local file system.
    return URLFetcher(allowed_protocols=frozenset())


def render_pdf(html: str) -> bytes:
    """Render the brief's HTML to PDF bytes (A4; metadata from <title>, author meta and html lang)."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_offline_fetcher()).render()
    # pdf_tags adds the structure tree that screen readers and reflow need; a ministry's accessibility rules ask for it.
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf
