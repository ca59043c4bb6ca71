"""Termbase interchange for the glossary: TBX-Basic, CSV and YAML files, UNBIS import, CLDR countries.

The glossary itself stays YAML (``glossary/*.yaml``); these modules convert to and from the formats
terminologists and spreadsheets use, and build supplementary or generated glossary files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ccpipe.errors import GlossaryError

# The format modules load on use: the command line imports this package (for FORMATS) to print its help.
if TYPE_CHECKING:
    from ccpipe.terms.glossary import GlossaryEntry

FORMATS = ("tbx", "csv", "yaml")


def parse_entries(file: Path, raw: bytes) -> list[tuple[GlossaryEntry, int | None]]:
    """Entries of a ``.tbx`` or ``.csv`` file, each with its line where the format tells it."""
    from ccpipe.terms.termbase.csvfile import parse_csv
    from ccpipe.terms.termbase.tbx import parse_tbx

    suffix = file.suffix.lower()
    if suffix == ".tbx":
        return [(entry, None) for entry in parse_tbx(file, raw)]
    if suffix == ".csv":
        return parse_csv(file, raw)
    raise GlossaryError(file, f"unknown termbase format '{suffix}'", advice="use a .tbx, .csv or .yaml file")


def render(entries: Iterable[GlossaryEntry], fmt: str) -> bytes:
    """The entries as a file of format ``fmt`` (one of FORMATS), sorted by id."""
    from ccpipe.terms.termbase.csvfile import to_csv
    from ccpipe.terms.termbase.tbx import to_tbx
    from ccpipe.terms.termbase.yamlfile import to_yaml

    ordered = sorted(entries, key=lambda entry: entry.id)
    if fmt == "tbx":
        return to_tbx(ordered)
    if fmt == "csv":
        return to_csv(ordered)
    if fmt == "yaml":
        return to_yaml(ordered).encode("utf-8")
    raise GlossaryError(None, f"unknown export format '{fmt}'", advice=f"use one of {', '.join(FORMATS)}")
