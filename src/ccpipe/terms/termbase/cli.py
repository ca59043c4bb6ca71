"""``ccpipe glossary …``: check, export, import, UNBIS import and CLDR country generation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from ccpipe.atomic import write_atomic
from ccpipe.errors import CcpipeError
from ccpipe.terms.termbase import FORMATS

# Commands import the glossary and the converters when they run: `ccpipe --help` loads none of them.
if TYPE_CHECKING:
    from ccpipe.terms.glossary import Glossary

app = typer.Typer(help="Check, convert and generate glossary files.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)

DEFAULT = Path("glossary")
COUNTRIES = DEFAULT / "countries.yaml"
OVERRIDES = DEFAULT / "sources" / "country-overrides.yaml"

Locations = Annotated[
    list[Path] | None,
    typer.Argument(help="Glossary folders or files, highest priority first (default: glossary/)"),
]


def _fail(exc: CcpipeError) -> typer.Exit:
    console.print(exc.message, markup=False)
    return typer.Exit(1)


def describe(glossary: Glossary) -> list[str]:
    by_category = Counter(entry.category.value for entry in glossary.entries)
    lines = [
        f"{len(glossary)} entries, fingerprint {glossary.fingerprint}",
        ", ".join(f"{category} {count}" for category, count in sorted(by_category.items())),
    ]
    if glossary.dropped:
        lines.append(
            f"{len(glossary.dropped)} surface(s) of lower-priority entries dropped, as a higher glossary owns them "
            f"({len(glossary.dropped_entries())} entries left out whole)"
        )
    return lines


@app.command()
def check(
    locations: Locations = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every dropped surface")] = False,
) -> None:
    """Load and validate glossaries; exits 1 with the file, line and entry of the first problem."""
    from ccpipe.terms.glossary import load_glossaries

    try:
        loaded = load_glossaries(locations or [DEFAULT])
    except CcpipeError as exc:
        raise _fail(exc) from exc
    for line in describe(loaded):
        console.print(line, markup=False)
    if verbose:
        for dropped in loaded.dropped:
            fate = "entry left out" if dropped.whole_entry else "surface dropped"
            console.print(
                f"  {dropped.source}: {dropped.entry_id} '{dropped.surface}' belongs to {dropped.owner_id}: {fate}",
                markup=False,
            )


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write")],
    locations: Locations = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help=f"{' | '.join(FORMATS)} (default: from the file suffix)")
    ] = None,
) -> None:
    """Write the glossary as TBX-Basic, CSV (UTF-8 with BOM, lists joined with |) or one YAML file."""
    from ccpipe.terms.glossary import load_glossaries
    from ccpipe.terms.termbase import render

    chosen = (fmt or output.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        console.print(f"unknown format '{chosen}': use --format {' | '.join(FORMATS)}", markup=False)
        raise typer.Exit(2)
    try:
        loaded = load_glossaries(locations or [DEFAULT])
        write_atomic(output, render(loaded.entries, chosen))
    except CcpipeError as exc:
        raise _fail(exc) from exc
    console.print(f"{len(loaded)} entries written to {output} ({chosen})", markup=False)


@app.command("import")
def import_file(
    source: Annotated[Path, typer.Argument(help="A .tbx or .csv termbase")],
    output: Annotated[Path, typer.Option("--output", "-o", help="YAML glossary file to write")],
) -> None:
    """Convert a TBX or CSV termbase into a YAML glossary file (validated first)."""
    from ccpipe.terms.glossary import load_glossary
    from ccpipe.terms.termbase.yamlfile import to_yaml

    try:
        loaded = load_glossary(source)
    except CcpipeError as exc:
        raise _fail(exc) from exc
    header = f"Imported from {source.name} by `ccpipe glossary import`."
    write_atomic(output, to_yaml(sorted(loaded.entries, key=lambda e: e.id), header=header).encode("utf-8"))
    console.print(f"{len(loaded)} entries written to {output}", markup=False)


@app.command("import-unbis")
def import_unbis_command(
    source: Annotated[Path, typer.Argument(help="UNBIS Thesaurus JSON (concepts under 'topics')")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Supplementary YAML glossary to write")],
) -> None:
    """Turn the UNBIS Thesaurus into a supplementary glossary; load it after the curated one."""
    from ccpipe.terms.termbase.unbis import import_unbis, unbis_yaml

    try:
        result = import_unbis(source)
    except CcpipeError as exc:
        raise _fail(exc) from exc
    write_atomic(output, unbis_yaml(result, source.name).encode("utf-8"))
    console.print(result.summary(), markup=False)
    console.print(f"written to {output}; check it with: ccpipe glossary check glossary {output}", markup=False)


@app.command()
def countries(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write")] = COUNTRIES,
    overrides: Annotated[Path, typer.Option(help="Curated additions, by territory code")] = OVERRIDES,
    check_only: Annotated[bool, typer.Option("--check", help="Only report whether the file is up to date")] = False,
) -> None:
    """Regenerate glossary/countries.yaml from CLDR (Babel) and the overrides; deterministic."""
    from ccpipe.terms.termbase.countries import countries_yaml

    try:
        text = countries_yaml(overrides)
    except CcpipeError as exc:
        raise _fail(exc) from exc
    if check_only:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            console.print(f"{output} is out of date: run ccpipe glossary countries", markup=False)
            raise typer.Exit(1)
        console.print(f"{output} is up to date", markup=False)
        return
    write_atomic(output, text.encode("utf-8"))
    console.print(f"{text.count(chr(10) + '- id: ')} entries written to {output}", markup=False)
