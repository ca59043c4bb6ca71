"""Write every requested output of one document into its output directory."""

from __future__ import annotations

from pathlib import Path

from ..models import Document
from .atomic import write_atomic
from .json import write_document_json

FORMATS = ("json", "html", "pdf")


def publish(document: Document, out_dir: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write ``document.json`` and the briefs; return the paths written."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown output formats: {sorted(unknown)}; choose from {FORMATS}")
    written = [write_document_json(document, out_dir)]
    if "html" in formats or "pdf" in formats:
        from .html import render_html

        html = render_html(document)
        if "html" in formats:
            written.append(write_atomic(out_dir / "brief.html", html.encode("utf-8")))
        if "pdf" in formats:
            from .pdf import render_pdf

            written.append(write_atomic(out_dir / "brief.pdf", render_pdf(html)))
    return written
