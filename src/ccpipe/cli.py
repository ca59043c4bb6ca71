"""The ``ccpipe`` command: a thin layer over the library."""

from __future__ import annotations

import json
import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from ccpipe import cli_translate as translate_cli
from ccpipe.errors import CcpipeError
from ccpipe.forked import StopRequested, clear_stop, request_stop, stop_requested
from ccpipe.publish.formats import FORMATS
from ccpipe.terms.termbase.cli import app as glossary_app

# Each command imports what it uses when it runs: `ccpipe --help`, `validate`, `schema` and `catalogue` never
# load the NLP stack or the publishers, and a run with nothing to do loads neither.
if TYPE_CHECKING:
    from ccpipe.runs.config import Settings
    from ccpipe.runs.runner import RunResult
    from ccpipe.terms.evaluate import Evaluation, Gold

app = typer.Typer(help="Chinese climate-policy reports to JSON and bilingual briefs.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)
app.add_typer(glossary_app, name="glossary")
app.add_typer(translate_cli.app, name="translate")


def _quiet_jieba() -> None:
    # jieba installs its own stderr handler at INFO; the application (not the library) tones it down.
    logging.getLogger("jieba").setLevel(logging.WARNING)


@app.command()
def run(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: source_dir)")] = None,
    config: Annotated[Path | None, typer.Option(help="ccpipe.toml (default: ./ccpipe.toml if present)")] = None,
    output: Annotated[Path | None, typer.Option(help="Output folder")] = None,
    glossary: Annotated[list[Path] | None, typer.Option(help="Glossary folder or file; repeat, highest first")] = None,
    formats: Annotated[str | None, typer.Option(help=f"Comma-separated: {','.join(FORMATS)}")] = None,
    password: Annotated[str | None, typer.Option(help="Password for encrypted PDFs")] = None,
    extract_timeout: Annotated[
        float | None, typer.Option("--extract-timeout", help="Seconds one document's extraction may take (plus OCR)")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Documents built at once, in worker processes (default: the cores)")
    ] = None,
    prune: Annotated[bool, typer.Option(help="Remove outputs of documents deleted from the sources")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run report as JSON")] = False,
) -> None:
    """Process new or changed documents without Prefect; exits 1 if any document failed."""
    from ccpipe.progress import batch_progress
    from ccpipe.runs.config import load_settings
    from ccpipe.runs.runner import RunStopped, run_batch

    _quiet_jieba()
    try:
        settings = load_settings(
            config,
            output_dir=output,
            glossaries=glossary,
            formats=formats,
            extract_timeout=extract_timeout,
            password=password,
            workers=workers,
        )
        run_config = settings.run_config(paths, prune=prune)
        with batch_progress(console, quiet or as_json) as progress, _stop_on_sigterm():
            result = run_batch(run_config, on_done=progress.done, on_plan=progress.planned, on_stage=progress.stage)
    except CcpipeError as exc:
        console.print(exc.message, markup=False)
        raise typer.Exit(2) from exc
    except RunStopped as stopped:
        _report(stopped.result, quiet, as_json)
        raise typer.Exit(143) from None
    except StopRequested:  # before any document was started
        console.print("RUN_INTERRUPTED: stopped on request before building anything", markup=False)
        raise typer.Exit(143) from None
    _report(result, quiet, as_json)
    if not result.ok:
        raise typer.Exit(1)


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM stops the run: the document in progress is abandoned, the rest is kept and reported.

    The handler only requests the stop; the run raises it where it waits (never inside a finaliser, where an
    exception raised by a signal handler would be printed and lost). A second SIGTERM stops at once."""

    def stop(signum: int, frame: FrameType | None) -> None:
        from ccpipe.runs.runner import RunInterrupted

        if stop_requested():
            raise RunInterrupted(signal.Signals(signum).name)
        request_stop()

    clear_stop()
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        clear_stop()


def _report(result: RunResult, quiet: bool, as_json: bool) -> None:
    from dataclasses import asdict

    from ccpipe.runs.runner import summary_lines

    if as_json:
        typer.echo(json.dumps([asdict(doc) for doc in result.documents], ensure_ascii=False, indent=1))
    elif not quiet:
        for line in summary_lines(result.documents, warnings=result.warnings):
            console.print(line, markup=False)


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="document.json files, or folders to search for them")],
) -> None:
    """Check document.json files against the JSON contract; a folder means every document.json under it."""
    from ccpipe.errors import ContractError
    from ccpipe.publish.json import validate_document

    files = [found for path in paths for found in _documents_in(path)]
    if not files:
        console.print(f"no document.json under {', '.join(map(str, paths))}", markup=False)
        raise typer.Exit(1)
    bad = 0
    for file in files:
        try:
            validate_document(json.loads(file.read_text(encoding="utf-8")), file)
            console.print(f"[green]valid[/] {file}")
        except (ContractError, ValueError, OSError) as exc:  # ValueError: not JSON, or not UTF-8
            bad += 1
            console.print(f"[red]invalid[/] {file}: {exc}", markup=True)
    if bad:
        raise typer.Exit(1)


def _documents_in(path: Path) -> list[Path]:
    return sorted(path.rglob("document.json")) if path.is_dir() else [path]


@app.command("check-glossary")
def check_glossary(location: Annotated[Path, typer.Argument()] = Path("glossary")) -> None:
    """Load and validate the glossary (same as ``ccpipe glossary check``)."""
    from ccpipe.terms.termbase.cli import check

    check([location])


@app.command()
def accuracy(
    document: Annotated[Path, typer.Argument(help="document.json")],
    reference: Annotated[Path, typer.Argument(help="Reference text, one paragraph per line")],
) -> None:
    """Character error rate and stray CJK spaces of extracted text against a reference."""
    from ccpipe.extract.accuracy import measure
    from ccpipe.models import Document

    doc = Document.model_validate_json(document.read_text(encoding="utf-8"))
    typer.echo(measure(doc, reference.read_text(encoding="utf-8")).summary())


DEFAULT_GOLD = Path("tests/data/sample_entities.yaml")


@app.command("eval")
def eval_tagging(
    document: Annotated[
        Path | None,
        typer.Argument(help="document.json or a source file (default: each gold file's source)"),
    ] = None,
    gold: Annotated[
        list[Path] | None,
        typer.Option(help="Hand annotation (YAML) or a folder of them; repeat for more (default: the sample's)"),
    ] = None,
    glossary: Annotated[
        list[Path] | None, typer.Option(help="Glossary folder or file; repeat, highest first (default: settings)")
    ] = None,
    fail_under: Annotated[
        float | None, typer.Option(help="Exit 1 if overall (total) precision or recall is below this")
    ] = None,
    limit: Annotated[int, typer.Option(help="Misses and false tags listed per document (0: all)")] = 0,
) -> None:
    """Precision and recall of the tagging (nested mentions included) against hand annotations: per document,
    per category and in total, with the misses, the false tags and the English that differs."""
    from ccpipe.runs.config import load_settings
    from ccpipe.terms.evalreport import print_corpus, print_evaluation
    from ccpipe.terms.evaluate import gold_files, load_gold

    _quiet_jieba()
    try:
        golds = [load_gold(file) for location in gold or [DEFAULT_GOLD] for file in gold_files(location)]
        if document is not None and len(golds) != 1:
            raise typer.BadParameter("a DOCUMENT goes with exactly one gold file", param_hint="DOCUMENT")
        settings = load_settings(None, glossaries=glossary)
        evaluations = [
            _evaluate_one(annotation, document or _gold_source(annotation.path, annotation.source), settings)
            for annotation in golds
        ]
    except CcpipeError as exc:
        console.print(exc.message, markup=False)
        raise typer.Exit(2) from exc
    out = Console(soft_wrap=True)
    if len(evaluations) == 1:
        print_evaluation(evaluations[0], out, limit)
        total = evaluations[0]
    else:
        total = print_corpus(evaluations, out, limit)
    if fail_under is not None and min(total.overall.precision, total.overall.recall) < fail_under:
        raise typer.Exit(1)


def _evaluate_one(annotation: Gold, path: Path, settings: Settings) -> Evaluation:
    from ccpipe.models import Document
    from ccpipe.runs.pipeline import build_document, shared_resources
    from ccpipe.terms.evaluate import evaluate
    from ccpipe.terms.glossary import load_glossaries

    if path.suffix.lower() == ".json":
        loaded = Document.model_validate_json(path.read_text(encoding="utf-8"))
        return evaluate(loaded, annotation, load_glossaries(settings.glossaries))
    resources = shared_resources(settings.glossaries, settings.cache_dir)
    return evaluate(build_document(path, resources, settings.source_options()), annotation, resources.glossary)


def _gold_source(gold: Path | None, source: str | None) -> Path:
    """The gold file's ``source``, looked up from the working folder and the gold file's folders upwards,
    in each also under ``shared/`` (the corpus is shared material beside the project)."""
    if source is None or gold is None:
        raise typer.BadParameter("give a document: the gold file names no source", param_hint="DOCUMENT")
    for folder in [Path.cwd(), *gold.resolve().parents]:
        for candidate in (folder / source, folder / "shared" / source):
            if candidate.exists():
                return candidate
    raise typer.BadParameter(f"the gold file's source {source} was not found", param_hint="DOCUMENT")


@app.command()
def schema() -> None:
    """Print the JSON Schema of document.json (as shipped in src/ccpipe/schema/)."""
    from ccpipe.publish.json import generated_schema

    typer.echo(json.dumps(generated_schema(), ensure_ascii=False, indent=2))


@app.command()
def catalogue(
    output: Annotated[Path, typer.Option(help="Output folder")] = Path("output"),
    base_url: Annotated[str | None, typer.Option(help="Absolute URL where output/ is published (feed links)")] = None,
) -> None:
    """Rebuild output/index.html, feed.xml and manifest.json from the briefs in the output folder."""
    from ccpipe.catalog import update_catalogue

    built = update_catalogue(output, base_url=base_url)
    for warning in built.warnings:
        console.print(f"{warning.code}: {warning.dir}: {warning.message}", markup=False)
    console.print(f"{len(built.entries)} brief(s) catalogued, {len(built.changed)} new or updated")


@app.command("merge-candidates")
def merge_candidates(
    reviewed: Annotated[Path, typer.Argument(help="A reviewed candidates.csv (accept=y, category, en filled)")],
    into: Annotated[Path, typer.Option(help="Glossary YAML file to append to")] = Path("glossary/reviewed.yaml"),
) -> None:
    """Merge accepted new-term candidates into the glossary; the glossary is validated first."""
    from ccpipe.terms.review import merge_reviewed

    try:
        added = merge_reviewed(reviewed, into, into.parent)
    except CcpipeError as exc:
        console.print(exc.message, markup=False)
        raise typer.Exit(1) from exc
    console.print(f"{added} term(s) added to {into}")


# Unattended runs go through Prefect: the flows package is imported only when these commands run, so the
# library and every other command stay free of it.
@app.command()
def watch(
    config: Annotated[Path | None, typer.Option(help="ccpipe.toml (default: ./ccpipe.toml if present)")] = None,
    debounce: Annotated[
        float | None,
        typer.Option(help="Seconds a new file's size and time must stay unchanged before it is built (default 1.5)"),
    ] = None,
    prune: Annotated[bool, typer.Option(help="Remove outputs of documents deleted from the sources")] = False,
    dask: Annotated[str | None, typer.Option(help="Run tasks on a Dask cluster: 'local' or tcp://host:8786")] = None,
    max_runs: Annotated[int | None, typer.Option(help="Stop after this many runs (default: until Ctrl-C)")] = None,
) -> None:
    """Watch source_dir and process each new or changed document once it is completely written (Prefect)."""
    from flows import settings as prefect_settings

    prefect_settings.apply()
    from flows.watch import main as watch_main

    raise typer.Exit(watch_main(config, debounce=debounce, prune=prune, dask_address=dask, max_runs=max_runs))


@app.command()
def serve(
    config: Annotated[Path | None, typer.Option(help="ccpipe.toml (default: ./ccpipe.toml if present)")] = None,
    cron: Annotated[str | None, typer.Option(help="Cron schedule (default: schedule setting, '0 6 * * *')")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA time zone of the schedule (default: local)")] = None,
    prune: Annotated[bool, typer.Option(help="Remove outputs of documents deleted from the sources")] = False,
) -> None:
    """Run the Prefect flow on a schedule (uses PREFECT_API_URL, else starts a Prefect server for the session)."""
    from flows import settings as prefect_settings

    prefect_settings.apply()
    from flows.serve import main as serve_main

    raise typer.Exit(serve_main(config, cron=cron, timezone=timezone, prune=prune))


if __name__ == "__main__":
    app()
