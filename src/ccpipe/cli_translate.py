"""``ccpipe translate``: export a document for translation, import the translation, keep the memory.

``DOC`` is a ``document.json`` or its output folder; the translations go to ``translations.json`` beside it,
the memory to the settings' ``memory`` path (default ``<output>/memory.sqlite``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from ccpipe.atomic import write_atomic

# Each command imports what it uses when it runs: `ccpipe --help` loads none of the translation stack.
if TYPE_CHECKING:
    from ccpipe.models import Document

app = typer.Typer(help="Translation round trip: XLIFF/PO export and import, translation memory.")
console = Console(stderr=True, soft_wrap=True)
DocArg = Annotated[Path, typer.Argument(help="document.json or its output folder")]
ConfigOpt = Annotated[Path | None, typer.Option(help="ccpipe.toml (default: ./ccpipe.toml if present)")]
MemoryOpt = Annotated[Path | None, typer.Option(help="Translation memory (default: settings)")]


def _document(path: Path) -> tuple[Document, Path]:
    from ccpipe.models import Document

    file = path / "document.json" if path.is_dir() else path
    if not file.is_file():
        raise typer.BadParameter(f"{file} is not a document.json", param_hint="DOC")
    return Document.model_validate_json(file.read_bytes()), file.parent


def _memory_path(config: Path | None, memory: Path | None) -> Path:
    from ccpipe.runs.config import load_settings

    return memory or load_settings(config).memory_path()


@app.command()
def export(
    doc: DocArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write: .xlf/.xliff or .po")],
    scope: Annotated[str, typer.Option(help="all, or a comma list of title,headings,keypoints,sentences")] = "all",
    config: ConfigOpt = None,
    memory: MemoryOpt = None,
    no_memory: Annotated[bool, typer.Option(help="Do not pre-fill from the translation memory")] = False,
) -> None:
    """Write the document's translation units as XLIFF 2.1 or PO, pre-filled with what is known."""
    from ccpipe.translate.memory import open_memory
    from ccpipe.translate.po import po_bytes
    from ccpipe.translate.roundtrip import prefilled
    from ccpipe.translate.segments import parse_scope, source_units
    from ccpipe.translate.store import read_translations
    from ccpipe.translate.xliff import xliff_bytes

    document, folder = _document(doc)
    try:
        kinds = parse_scope(scope)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scope") from exc
    units = source_units(document, kinds)
    recorded = read_translations(folder, document.document.id)
    if no_memory:
        done = prefilled(units, recorded, None)
    else:
        with open_memory(_memory_path(config, memory)) as tm:
            done = prefilled(units, recorded, tm)
    writer = po_bytes if output.suffix.lower() == ".po" else xliff_bytes
    write_atomic(output, writer(document.document.id, units, done))
    exact = sum(1 for t in done.values() if t.match is None or t.match == 100)
    console.print(f"{len(units)} unit(s) to {output}; {len(done)} pre-filled ({exact} exact or recorded)")


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A translated .xlf/.xliff or .po exported by ccpipe")],
    doc: Annotated[Path | None, typer.Option(help="document.json or its folder (default: the file's document")] = None,
    config: ConfigOpt = None,
    memory: MemoryOpt = None,
    glossary: Annotated[list[Path] | None, typer.Option(help="Glossary for accepted term variants")] = None,
) -> None:
    """Check a translated file against its document, run QA, record the translations; exits 1 on problems."""
    from ccpipe.runs.config import load_settings
    from ccpipe.terms.glossary import load_glossaries
    from ccpipe.translate.memory import open_memory
    from ccpipe.translate.po import read_po
    from ccpipe.translate.qa import glossary_variants
    from ccpipe.translate.roundtrip import import_units
    from ccpipe.translate.segments import source_units
    from ccpipe.translate.store import read_translations, translations_bytes, translations_path
    from ccpipe.translate.units import Origin
    from ccpipe.translate.xliff import read_xliff

    reader = read_po if file.suffix.lower() == ".po" else read_xliff
    document_id, read = reader(file.read_bytes())
    settings = load_settings(config, glossaries=glossary)
    document, folder = _document(doc or settings.output_dir / document_id)
    if document_id and document_id != document.document.id:
        raise typer.BadParameter(f"{file} is for {document_id}, not {document.document.id}", param_hint="FILE")
    recorded = read_translations(folder, document.document.id)
    variants = glossary_variants(load_glossaries(settings.glossaries))
    report = import_units(source_units(document), read, recorded, variants)
    write_atomic(translations_path(folder), translations_bytes(recorded))
    usable = [(t.source, t.target) for t in recorded.usable().values() if t.origin.value != "memory"]
    with open_memory(memory or settings.memory_path()) as tm:  # what people translated serves next time
        tm.add((source, target, Origin.HUMAN, document.document.id) for source, target in usable)
    for problem in report.problems:
        typer.echo(f"{problem.code}\t{problem.unit_id}\t{problem.message}")
    console.print(
        f"{report.applied} unit(s) recorded in {translations_path(folder)}; {len(report.problems)} problem(s)"
    )
    if report.problems:
        raise typer.Exit(1)


memory_app = typer.Typer(help="The translation memory: add aligned editions and TMX, export TMX.")
app.add_typer(memory_app, name="memory")


@memory_app.command("add")
def memory_add(
    paths: Annotated[list[Path], typer.Argument(help="TMX files, or aligned document.json files / folders")],
    config: ConfigOpt = None,
    memory: MemoryOpt = None,
) -> None:
    """Add the pairs of TMX files and of documents aligned with their official edition."""
    from ccpipe.translate.memory import open_memory, tmx_pairs
    from ccpipe.translate.roundtrip import official_pairs

    with open_memory(_memory_path(config, memory)) as tm:
        for path in paths:
            if path.suffix.lower() == ".tmx":
                added = tm.add(tmx_pairs(path.read_bytes()))
            else:
                added = tm.add(official_pairs(_document(path)[0]))
            console.print(f"{path}: {added} new pair(s)")
        console.print(f"{tm.count()} pair(s) in the memory")


@memory_app.command("export")
def memory_export(
    output: Annotated[Path, typer.Option("-o", "--output", help="TMX file to write")],
    config: ConfigOpt = None,
    memory: MemoryOpt = None,
) -> None:
    """Write the whole memory as TMX 1.4b."""
    from ccpipe.translate.memory import open_memory
    from ccpipe.translate.tmx import tmx_bytes

    with open_memory(_memory_path(config, memory)) as tm:
        write_atomic(output, tmx_bytes(list(tm.units()), "ccpipe translation memory"))
        console.print(f"{tm.count()} pair(s) to {output}")


@app.command()
def machine(
    doc: DocArg,
    engine: Annotated[
        str, typer.Option(help="openai (compatible chat endpoint), libretranslate, deepl, or ctranslate2 (local)")
    ],
    url: Annotated[str | None, typer.Option(help="The engine's base URL (nothing is sent anywhere else)")] = None,
    model: Annotated[str | None, typer.Option(help="Model name for a chat endpoint")] = None,
    model_dir: Annotated[
        Path | None, typer.Option(help="ctranslate2: the model folder (default: the mt_model_dir setting)")
    ] = None,
    api_key_env: Annotated[str | None, typer.Option(help="Environment variable holding the API key")] = None,
    scope: Annotated[str, typer.Option(help="all, or a comma list of title,headings,keypoints,sentences")] = "all",
    config: ConfigOpt = None,
    glossary: Annotated[list[Path] | None, typer.Option(help="Glossary for accepted term variants")] = None,
) -> None:
    """Machine-translate the units without English (optional, explicit): recorded with origin machine, QA'd."""
    from ccpipe.errors import CcpipeError
    from ccpipe.runs.config import load_settings
    from ccpipe.terms.glossary import load_glossaries
    from ccpipe.translate.machine import engine_for, machine_translate
    from ccpipe.translate.qa import glossary_variants
    from ccpipe.translate.segments import parse_scope, source_units
    from ccpipe.translate.store import read_translations, translations_bytes, translations_path

    document, folder = _document(doc)
    settings = load_settings(config, glossaries=glossary)
    key = os.environ.get(api_key_env) if api_key_env else None
    try:
        chosen = engine_for(engine, url, model, key, model_dir or settings.mt_model_dir)
        kinds = parse_scope(scope)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    except CcpipeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    recorded = read_translations(folder, document.document.id)
    variants = glossary_variants(load_glossaries(settings.glossaries))
    try:
        problems = machine_translate(source_units(document, kinds), recorded, chosen, variants)
    finally:
        write_atomic(translations_path(folder), translations_bytes(recorded))
    for problem in problems:
        typer.echo(f"{problem.code}\t{problem.unit_id}\t{problem.message}")
    console.print(f"machine translation ({chosen.name}) recorded in {translations_path(folder)}")
