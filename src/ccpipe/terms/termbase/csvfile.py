"""CSV export and import: one row per entry, for editing the glossary in a spreadsheet.

Columns: id, category, zh, en, zh_aliases, en_aliases, abbreviations, negative_contexts, source, match,
ambiguous, note. The four list columns join their items with ``|`` (a surface never contains one: export
refuses it). An empty note, source, match or ambiguous cell is none; ambiguous is ``true`` or ``false``.
Export writes UTF-8 with a BOM, which Excel needs to open Chinese correctly, and CRLF line ends; import
accepts UTF-8 with or without the BOM.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ccpipe.errors import GlossaryError
from ccpipe.terms.glossary import GlossaryEntry, validate_entry

COLUMNS = (
    "id",
    "category",
    "zh",
    "en",
    "zh_aliases",
    "en_aliases",
    "abbreviations",
    "negative_contexts",
    "source",
    "match",
    "ambiguous",
    "note",
)
LIST_COLUMNS = ("zh_aliases", "en_aliases", "abbreviations", "negative_contexts")
SEPARATOR = "|"


def to_csv(entries: Iterable[GlossaryEntry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow([_cell(entry, column) for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(entry: GlossaryEntry, column: str) -> str:
    value = getattr(entry, column)
    if column in LIST_COLUMNS:
        for item in value:
            if SEPARATOR in item:
                raise GlossaryError(None, f"entry '{entry.id}': {column} item '{item}' contains '{SEPARATOR}'")
        return SEPARATOR.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def read_csv(path: Path) -> list[GlossaryEntry]:
    return [entry for entry, _ in parse_csv(path, path.read_bytes())]


def parse_csv(file: Path, raw: bytes) -> list[tuple[GlossaryEntry, int | None]]:
    """Entries with the line each row starts on; errors name the file, the line and the entry."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GlossaryError(file, f"line {line}: not UTF-8 ({exc.reason})", advice="save the CSV as UTF-8") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise GlossaryError(
            file, "the CSV file is empty", advice=f"the first row names the columns: {','.join(COLUMNS)}"
        )
    header = [name.strip() for name in header]
    missing = [name for name in ("id", "category", "zh", "en") if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        problem = f"missing column(s) {', '.join(missing)}" if missing else f"unknown column(s) {', '.join(unknown)}"
        raise GlossaryError(file, f"line 1: {problem}", advice=f"the columns are {','.join(COLUMNS)}")
    entries: list[tuple[GlossaryEntry, int | None]] = []
    line = reader.line_num + 1
    for position, row in enumerate(reader, start=1):
        if any(cell.strip() for cell in row):
            data = _row_data(dict(zip(header, row, strict=False)))
            entries.append((validate_entry(file, data, position=position, line=line), line))
        line = reader.line_num + 1
    return entries


def _row_data(row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, cell in row.items():
        if column in LIST_COLUMNS:
            data[column] = [item.strip() for item in cell.split(SEPARATOR) if item.strip()]
        elif column in ("note", "source"):
            data[column] = cell or None
        elif cell.strip():
            # An empty required cell is left out, so validation names the missing field.
            data[column] = cell
    return data
