"""Write every requested output of one document into its output directory."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ccpipe.atomic import write_atomic
from ccpipe.errors import ConfigError
from ccpipe.models import Document
from ccpipe.publish.i18n import DEFAULT_LANGUAGES
from ccpipe.publish.json import write_document_json
from ccpipe.terms.review import candidates_csv
from ccpipe.translate.store import TRANSLATIONS_FILE

FORMATS = ("json", "html", "pdf", "docx", "md")
BRIEFS = ("html", "pdf", "docx", "md")


def write_aligned_tmx(document: Document, out_dir: Path) -> Path:
    """``aligned.tmx``: the sentences linked to the document's official English edition, for CAT tools."""
    from ccpipe.translate.tmx import tmx_bytes  # lxml and the text stage: only for aligned documents
    from ccpipe.translate.units import official_units

    assert document.alignment is not None
    edition = document.alignment.edition
    note = f"{document.document.source.path} aligned with {edition.source.path} ({document.alignment.method})"
    return write_atomic(out_dir / "aligned.tmx", tmx_bytes(official_units(document), note))


def write_english_edition(document: Document, out_dir: Path) -> Path:
    """``brief.en.html`` from the translations recorded beside the document (see ccpipe.translate.store)."""
    from ccpipe.publish.english import english_html
    from ccpipe.translate.store import read_translations

    translations = read_translations(out_dir, document.document.id)
    return write_atomic(out_dir / "brief.en.html", english_html(document, translations).encode("utf-8"))


def publish(
    document: Document,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
    catalog_dirs: Iterable[Path] = (),
) -> list[Path]:
    """Write ``document.json`` (and ``aligned.tmx`` for a document aligned with its English edition) and the
    briefs; return the paths written.

    ``languages``: the brief's languages as Babel ids; ``catalog_dirs``: label catalogs beside the package's.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ConfigError(None, f"unknown output formats: {sorted(unknown)}; choose from {FORMATS}")
    written = [write_document_json(document, out_dir)]
    # The review sheet of new-term candidates goes with the JSON: both are for people who curate.
    written.append(write_atomic(out_dir / "candidates.csv", candidates_csv(document.candidates)))
    if document.alignment is not None:
        written.append(write_aligned_tmx(document, out_dir))
    if not set(formats) & set(BRIEFS):
        return written
    # Briefs pull in Jinja, Babel, WeasyPrint and pandoc: load them only when a brief is asked for.
    from ccpipe.publish.build import build_brief
    from ccpipe.publish.html import render_brief_html

    brief = build_brief(document, languages, catalog_dirs)  # one model for every format
    if "html" in formats and (out_dir / TRANSLATIONS_FILE).is_file():
        written.append(write_english_edition(document, out_dir))
    if "html" in formats or "pdf" in formats:
        html = render_brief_html(brief)
        if "html" in formats:
            written.append(write_atomic(out_dir / "brief.html", html.encode("utf-8")))
        if "pdf" in formats:
            from ccpipe.publish.pdf import render_pdf

            written.append(write_atomic(out_dir / "brief.pdf", render_pdf(html)))
    if "docx" in formats or "md" in formats:
        from ccpipe.publish.word import render_docx, render_markdown

        if "docx" in formats:
            written.append(write_atomic(out_dir / "brief.docx", render_docx(brief)))
        if "md" in formats:
            written.append(write_atomic(out_dir / "brief.md", render_markdown(brief).encode("utf-8")))
    return written
