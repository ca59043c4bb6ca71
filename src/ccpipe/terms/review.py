"""The review loop for discovered terms: candidates.csv out, reviewed rows merged into the glossary.

A terminologist opens ``output/<doc-id>/candidates.csv`` (UTF-8 with BOM, so Excel shows Chinese),
fills ``accept`` (y), ``category`` and, where missing, ``en`` and ``id``, and merges the file. The
merged glossary is validated before anything is written: a bad row changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ccpipe.atomic import write_atomic
from ccpipe.errors import GlossaryError
from ccpipe.models import Candidate, Category
from ccpipe.terms.glossary import load_glossary

COLUMNS = ("accept", "category", "id", "zh", "en", "en_source", "abbreviation", "kind", "count", "score", "example")
# Cells a spreadsheet would run as a formula (=HYPERLINK(…) taken from a document): OWASP's advice for CSV
# injection is a leading ' , which spreadsheets show as text and do not display; plain numbers stay numbers.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")
_ACCEPT = frozenset({"y", "yes", "x", "1", "true", "是", "✓"})


def candidates_csv(candidates: list[Candidate]) -> bytes:
    """The review sheet for one document: review columns first, then what was found."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for candidate in candidates:
        writer.writerow(_row_of(candidate))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def spreadsheet_safe(value: object) -> str:
    """A cell value no spreadsheet runs as a formula."""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(value: str | None) -> str:
    """A reviewed cell as typed: the guard of :func:`spreadsheet_safe` taken off again."""
    text = (value or "").strip()
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def _row_of(candidate: Candidate) -> dict[str, str]:
    row = {
        "accept": "",
        "category": "",
        "id": "",
        "zh": candidate.zh,
        "en": candidate.en or "",
        "en_source": candidate.en_source or "",
        "abbreviation": candidate.abbreviation or "",
        "kind": candidate.kind,
        "count": candidate.count,
        "score": "" if candidate.score is None else candidate.score,
        "example": candidate.examples[0] if candidate.examples else "",
    }
    return {column: spreadsheet_safe(value) for column, value in row.items()}


def reviewed_entries(csv_path: Path) -> list[dict[str, Any]]:
    """Glossary entries for the accepted rows of a reviewed sheet; a row missing what an entry needs fails."""
    rows = csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig")))
    entries = []
    for line, row in enumerate(rows, start=2):
        if (row.get("accept") or "").strip().lower() not in _ACCEPT:
            continue
        entries.append(_entry(csv_path, line, row))
    return entries


def _entry(csv_path: Path, line: int, row: dict[str, str]) -> dict[str, Any]:
    zh, en = _cell(row.get("zh")), _cell(row.get("en"))
    category = _cell(row.get("category")).lower()
    where = f"row {line} ({zh or '?'})"
    if not zh or not en:
        raise GlossaryError(csv_path, f"{where}: an accepted term needs both zh and en")
    if category not in {c.value for c in Category}:
        raise GlossaryError(csv_path, f"{where}: category '{category}' is not one of {[c.value for c in Category]}")
    entry: dict[str, Any] = {"id": _cell(row.get("id")) or _slug(en), "category": category, "zh": zh, "en": en}
    abbreviation = _cell(row.get("abbreviation"))
    if abbreviation:
        entry["abbreviations"] = [abbreviation]
    entry["note"] = "added from reviewed candidates"
    return entry


def _slug(english: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", english.lower()).strip("-") or "term"


def merge_reviewed(csv_path: Path, target: Path, glossary_dir: Path) -> int:
    """Append the accepted rows to ``target`` (a YAML file in ``glossary_dir``); returns how many.

    The glossary with the new entries is loaded and validated first (duplicate ids or surfaces fail
    with the entry named), so a bad sheet leaves every file as it was."""
    entries = reviewed_entries(csv_path)
    if not entries:
        return 0
    existing = yaml.safe_load(target.read_text(encoding="utf-8")) if target.exists() else None
    merged = [*(existing or []), *entries]
    payload = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")
    with tempfile.TemporaryDirectory() as staging:
        for file in sorted(glossary_dir.glob("*.yaml")):
            if file.name != target.name:
                (Path(staging) / file.name).write_bytes(file.read_bytes())
        (Path(staging) / target.name).write_bytes(payload)
        load_glossary(staging)  # raises GlossaryError naming the offending entry
    write_atomic(target, payload)
    return len(entries)
