"""The ``ccpipe`` command: a thin layer over the library."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .accuracy import measure
from .errors import CcpipeError
from .glossary import load_glossary
from .models import Document
from .pipeline import Outcome
from .publish.json import ContractError, generated_schema, validate_document
from .publish.writer import FORMATS
from .runner import RunConfig, run_batch, summary_lines

app = typer.Typer(help="Chinese climate-policy reports to JSON and bilingual briefs.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)


def _quiet_jieba() -> None:
    # jieba installs its own stderr handler at INFO; the application (not the library) tones it down.
    logging.getLogger("jieba").setLevel(logging.WARNING)


@app.command()
def run(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: source_docs/)")] = None,
    output: Annotated[Path, typer.Option(help="Output folder")] = Path("output"),
    glossary: Annotated[Path, typer.Option(help="Glossary folder or YAML file")] = Path("glossary"),
    formats: Annotated[str, typer.Option("--formats", help=f"Comma-separated: {','.join(FORMATS)}")] = ",".join(
        FORMATS
    ),
    password: Annotated[str | None, typer.Option(help="Password for encrypted PDFs")] = None,
) -> None:
    """Process documents without Prefect; exits 1 if any document failed."""
    _quiet_jieba()
    config = RunConfig(
        sources=tuple(paths or [Path("source_docs")]),
        output_dir=output,
        glossary_dir=glossary,
        formats=tuple(part.strip() for part in formats.split(",") if part.strip()),
        password=password,
    )

    def report(outcome: Outcome) -> None:
        mark = "[green]done[/]" if outcome.ok else f"[red]{outcome.error_code}[/]"
        console.print(f"{mark} {outcome.source}")

    try:
        outcomes = run_batch(config, on_done=report)
    except CcpipeError as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(2) from exc
    for line in summary_lines(outcomes):
        console.print(line, markup=False)
    if not all(outcome.ok for outcome in outcomes):
        raise typer.Exit(1)


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="document.json files")]) -> None:
    """Check document.json files against the JSON contract."""
    bad = 0
    for file in files:
        try:
            validate_document(json.loads(file.read_text(encoding="utf-8")))
            console.print(f"[green]valid[/] {file}")
        except (ContractError, json.JSONDecodeError) as exc:
            bad += 1
            console.print(f"[red]invalid[/] {file}: {exc}", markup=True)
    if bad:
        raise typer.Exit(1)


@app.command("check-glossary")
def check_glossary(location: Annotated[Path, typer.Argument()] = Path("glossary")) -> None:
    """Load and validate the glossary."""
    try:
        loaded = load_glossary(location)
    except CcpipeError as exc:
        console.print(exc.message, markup=False)
        raise typer.Exit(1) from exc
    console.print(f"{len(loaded)} entries, fingerprint {loaded.fingerprint}")


@app.command()
def accuracy(
    document: Annotated[Path, typer.Argument(help="document.json")],
    reference: Annotated[Path, typer.Argument(help="Reference text, one paragraph per line")],
) -> None:
    """Character error rate and stray CJK spaces of extracted text against a reference."""
    doc = Document.model_validate_json(document.read_text(encoding="utf-8"))
    typer.echo(measure(doc, reference.read_text(encoding="utf-8")).summary())


@app.command()
def schema() -> None:
    """Print the JSON Schema of document.json (as shipped in src/ccpipe/schema/)."""
    typer.echo(json.dumps(generated_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    app()
