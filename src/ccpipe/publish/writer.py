"""Write every requested output of one document into its output directory, as one set.

The outputs are written into a temporary folder that then replaces the document's folder in one step, so
the folder always holds a complete set from one build: a full disk or a kill half-way leaves the previous
set untouched. A failed write is an :class:`~ccpipe.errors.OutputError` with its own code
(``OUTPUT_NO_SPACE``, ``OUTPUT_NOT_WRITABLE``) and advice.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ccpipe.atomic import folder_replaced, write_atomic
from ccpipe.errors import ConfigError, output_error
from ccpipe.models import DocIssue, Document
from ccpipe.publish.formats import BRIEFS as BRIEFS
from ccpipe.publish.formats import DEFAULT_LANGUAGES
from ccpipe.publish.formats import FORMATS as FORMATS
from ccpipe.publish.json import write_document_json
from ccpipe.terms.review import candidates_csv
from ccpipe.translate.store import TRANSLATIONS_FILE, Translations, read_translations

# Files of a document's folder that publishing does not write and must keep when it replaces the folder.
KEPT_FILES = (TRANSLATIONS_FILE,)


def write_aligned_tmx(document: Document, out_dir: Path) -> Path:
    """``aligned.tmx``: the sentences linked to the document's official English edition, for CAT tools."""
    from ccpipe.translate.tmx import tmx_bytes  # lxml and the text stage: only for aligned documents
    from ccpipe.translate.units import official_units

    assert document.alignment is not None
    edition = document.alignment.edition
    note = f"{document.document.source.path} aligned with {edition.source.path} ({document.alignment.method})"
    return write_atomic(out_dir / "aligned.tmx", tmx_bytes(official_units(document), note))


def with_translations(document: Document, translations: Translations) -> Document:
    """The document with its translation coverage and its translations' QA problems as issues (one per code,
    so the run report lists them)."""
    from ccpipe.publish.english import document_coverage

    failed: dict[str, list[str]] = {}
    for unit_id, unit in sorted(translations.units.items()):
        for code in [] if unit.accepted else unit.qa:
            failed.setdefault(code, []).append(unit_id)
    issues = [
        DocIssue(code=code, message=f"{len(ids)} translated unit(s) kept out of the brief until accepted: "
                 + ", ".join(ids[:5]) + (" …" if len(ids) > 5 else ""))
        for code, ids in sorted(failed.items())
    ]  # fmt: skip
    update = {"issues": [*document.issues, *issues], "translation": document_coverage(document, translations)}
    return document.model_copy(update=update)


if TYPE_CHECKING:
    from ccpipe.publish.brief import Brief
    from ccpipe.publish.renderer import PdfRenderer


def publish(
    document: Document,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
    catalog_dirs: Iterable[Path] = (),
) -> list[Path]:
    """Write ``document.json`` (and ``aligned.tmx`` for a document aligned with its English edition) and the
    briefs into ``out_dir``, replacing what it held but the translations recorded there; return the paths.

    ``languages``: the brief's languages as Babel ids; ``catalog_dirs``: label catalogs beside the package's.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ConfigError(None, f"unknown output formats: {sorted(unknown)}; choose from {FORMATS}")
    translations = read_translations(out_dir, document.document.id)
    if (out_dir / TRANSLATIONS_FILE).is_file():
        document = with_translations(document, translations)
    # The PDF is rendered in a process of its own (see ccpipe.publish.renderer), started first so that it loads
    # WeasyPrint while the rest is written; Word and Markdown are pandoc's, in processes of their own too.
    try:
        with _pdf_renderers(formats) as renderers, folder_replaced(out_dir) as staged:
            for name in KEPT_FILES:  # recorded by people (ccpipe translate import), not built: they stay
                if (out_dir / name).is_file():
                    shutil.copy2(out_dir / name, staged / name)
            written = _write_data(document, staged)
            if set(formats) & set(BRIEFS):
                written += _write_briefs(document, staged, formats, renderers, languages, catalog_dirs, translations)
    except OSError as exc:
        raise output_error(exc, out_dir) from exc
    return [out_dir / path.name for path in written]


def _write_data(document: Document, out_dir: Path) -> list[Path]:
    """The outputs for machines and curators: document.json, candidates.csv and (aligned) aligned.tmx."""
    written = [write_document_json(document, out_dir)]
    # The review sheet of new-term candidates goes with the JSON: both are for people who curate.
    written.append(write_atomic(out_dir / "candidates.csv", candidates_csv(document.candidates)))
    if document.alignment is not None:
        written.append(write_aligned_tmx(document, out_dir))
    return written


def _write_briefs(
    document: Document,
    out_dir: Path,
    formats: tuple[str, ...],
    renderers: Renderers | None,
    languages: Iterable[str],
    catalog_dirs: Iterable[Path],
    translations: Translations,
) -> list[Path]:
    """The briefs asked for, the translations recorded for the document beside its text, and (with html or
    pdf) the English edition. The two PDFs render in their processes while the rest is written."""
    # Briefs pull in Jinja, Babel and pandoc: load them only when a brief is asked for.
    from ccpipe.publish.build import build_brief
    from ccpipe.publish.english import english_html
    from ccpipe.publish.html import render_brief_html, render_print_html

    brief = build_brief(document, languages, catalog_dirs, translations)  # one model for every format
    if renderers is not None:
        renderers.brief.submit(render_print_html(brief, inline_css=False))  # the longest job, first
    # The English edition (brief.en.html, brief.en.pdf) for readers without Chinese, made for every document.
    english = english_html(document, translations, brief) if {"html", "pdf"} & set(formats) else None
    if renderers is not None and english is not None:
        renderers.english.submit(english)
    written = []
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="ccpipe-pandoc") as pandoc:
        converted = _start_pandoc(pandoc, brief, formats)
        if "html" in formats:
            assert english is not None
            written.append(write_atomic(out_dir / "brief.en.html", english.encode("utf-8")))
            written.append(write_atomic(out_dir / "brief.html", render_brief_html(brief).encode("utf-8")))
        if renderers is not None:
            written.append(write_atomic(out_dir / "brief.en.pdf", renderers.english.result()))
            written.append(write_atomic(out_dir / "brief.pdf", renderers.brief.result()))
        written += [write_atomic(out_dir / name, job.result()) for name, job in converted]
    return written


@dataclass
class Renderers:
    """The PDF renderer processes of one document: its brief's (with the print stylesheet) and its English
    edition's (whose HTML carries its own)."""

    brief: PdfRenderer
    english: PdfRenderer


@contextmanager
def _pdf_renderers(formats: tuple[str, ...]) -> Iterator[Renderers | None]:
    if "pdf" not in formats:
        yield None
        return
    from ccpipe.publish.html import print_stylesheet
    from ccpipe.publish.renderer import PdfRenderer

    with PdfRenderer(print_stylesheet()) as brief, PdfRenderer() as english:
        yield Renderers(brief, english)


def prepare(formats: Iterable[str]) -> None:
    """Import what publishing ``formats`` needs (Jinja, Babel, WeasyPrint, pypandoc), once per process: before
    worker processes are forked, so that each starts with it loaded."""
    chosen = set(formats)
    if not chosen & set(BRIEFS):
        return
    import ccpipe.publish.build
    from ccpipe.publish.html import prepare_templates

    prepare_templates()  # compiled once, before documents' publishing children are forked

    if "pdf" in chosen:
        import ccpipe.publish.renderer  # WeasyPrint itself loads in each renderer process
    if chosen & {"docx", "md"}:
        import ccpipe.publish.word  # noqa: F401


def _start_pandoc(pool: ThreadPoolExecutor, brief: Brief, formats: tuple[str, ...]) -> list[tuple[str, Future[bytes]]]:
    """The Word and Markdown briefs asked for, started in ``pool``: (file name, its bytes to come)."""
    if not {"docx", "md"} & set(formats):
        return []
    from ccpipe.publish.word import render_docx, render_markdown

    jobs = []
    if "docx" in formats:
        jobs.append(("brief.docx", pool.submit(render_docx, brief)))
    if "md" in formats:
        jobs.append(("brief.md", pool.submit(lambda: render_markdown(brief).encode("utf-8"))))
    return jobs
