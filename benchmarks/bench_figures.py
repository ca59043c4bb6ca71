"""Figures a reader can trust: the quantities stage scored against the hand-made reference.

`.venv/bin/python benchmarks/bench_figures.py [--reference benchmarks/data/figures.yaml] [--misses]` runs the
text stages (extraction and normalisation, then quantities; no glossary is needed) on every document the
reference names, finds each reference figure by its context, and scores value, unit, qualifier and English
together: a figure is right only when all four are. ``kind: none`` entries (ordinals, plan names, grades,
document numbers…) are right when no quantity covers them. Prints the share right per kind and in total;
``--misses`` lists every figure that is not right, with what was found.

Matching is on text with whitespace removed and NFKC applied on both sides (the reference was read from
``pdftotext``/pandoc, the pipeline normalises widths), so offsets map back to the block text exactly.
"""

from __future__ import annotations

import argparse
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ccpipe.extract import extract
from ccpipe.models import Block, Document, Quantity, QuantityKind
from ccpipe.publish.figures import with_english
from ccpipe.runs.pipeline import normalize_document
from ccpipe.text.quantities import quantify_document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFERENCE = ROOT / "benchmarks" / "data" / "figures.yaml"
FIELDS = ("value", "unit", "qualifier", "english")
# A page number (—20—) the reference kept inside a context (pdftotext) and extraction rightly dropped.
_PAGE_NUMBER = re.compile(r"—\d{1,3}—")
# Units the model names by CLDR id, as the reference writes them.
UNIT_NAMES = {
    "area-square-kilometer": "km2",
    "area-square-meter": "m2",
    "area-hectare": "ha",
    "length-kilometer": "km",
    "length-meter": "m",
    "length-millimeter": "mm",
    "energy-kilowatt-hour": "kWh",
    "power-kilowatt": "kW",
    "power-megawatt": "MW",
    "power-gigawatt": "GW",
    "volume-cubic-meter": "m3",
    "mass-tonne": "t",
    "temperature-celsius": "°C",
    "duration-day": "days",
    "duration-hour": "hours",
    "duration-minute": "minutes",
    "duration-week": "weeks",
    "duration-month": "months",
    "duration-year": "years",
    "age": "years",  # the model tells ages (岁) from durations (年); the reference calls both years
}


@dataclass(frozen=True)
class Expected:
    """One reference figure (see the header of benchmarks/data/figures.yaml)."""

    doc: str
    context: str
    text: str
    kind: str
    value: Any
    unit: str | None
    qualifier: str | None
    english: str | None

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> Expected:
        return cls(
            doc=entry["doc"],
            context=str(entry["context"]),
            text=str(entry["text"]),
            kind=entry["kind"],
            value=_number(entry.get("value")) if entry["kind"] != "date" else entry.get("value"),
            unit=entry.get("unit"),
            qualifier=entry.get("qualifier"),
            english=entry.get("english"),
        )


def _number(value: Any) -> Any:
    """YAML 1.1 reads 1.6e7 (no sign in the exponent) as a string: a number it is."""
    if isinstance(value, list):
        return [_number(v) for v in value]
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


@dataclass
class Verdict:
    expected: Expected
    found: Quantity | None = None
    wrong: list[str] = field(default_factory=list)  # the fields (or "context", "missing", "not an amount")

    @property
    def right(self) -> bool:
        return not self.wrong


def load_reference(path: Path = REFERENCE) -> list[Expected]:
    return [Expected.from_entry(entry) for entry in yaml.safe_load(path.read_text(encoding="utf-8"))]


Analysed = dict[str, tuple[list[Block], list[Quantity]]]


def read_document(path: Path) -> Document:
    """Extraction and normalisation of one file: the blocks the quantities stage reads."""
    return normalize_document(extract(path))


def read_documents(docs: Iterable[str], workers: int = 2) -> dict[str, Document]:
    """``read_document`` for each document (paths relative to the shared folder), in parallel processes."""
    names = sorted(set(docs))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return dict(zip(names, pool.map(read_document, [SHARED / name for name in names]), strict=True))


def figures_of(document: Document) -> tuple[list[Block], list[Quantity]]:
    """The quantities stage on a read document: its blocks and its quantities, each with its English."""
    document = with_english(quantify_document(document))
    return document.blocks, document.quantities


def _key(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, NFKC-normalised, with the source index of every character kept."""
    chars: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char):
            if not folded.isspace():
                chars.append(folded)
                where.append(index)
    return "".join(chars), where


class TextIndex:
    """All block texts of a document, searchable by whitespace-free context."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        parts: list[str] = []
        self.places: list[tuple[str, int]] = []
        for block in blocks:
            key, where = _key(block.text)
            parts.append(key)
            self.places += [(block.id, i) for i in where]
        self.text = "".join(parts)

    def span(self, context: str, text: str) -> tuple[str, int, int] | None:
        """Block id and source offsets of ``text`` inside the first occurrence of ``context``."""
        context_key, text_key = _key(context)[0], _key(text)[0]
        at = self.text.find(context_key)
        inner = context_key.find(text_key)
        if at < 0 or inner < 0:
            return None
        first, last = self.places[at + inner], self.places[at + inner + len(text_key) - 1]
        if first[0] != last[0]:
            return None
        return first[0], first[1], last[1] + 1

    def __contains__(self, context: str) -> bool:
        return _key(context)[0] in self.text


def _covering(quantities: Sequence[Quantity], block_id: str, start: int, end: int) -> Quantity | None:
    """The quantity that overlaps ``start:end`` of the block most."""
    best, overlap = None, 0
    for quantity in quantities:
        if quantity.block_id == block_id:
            shared = min(end, quantity.end) - max(start, quantity.start)
            if shared > overlap:
                best, overlap = quantity, shared
    return best


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return (
            isinstance(a, list | tuple)
            and isinstance(b, list | tuple)
            and len(a) == len(b)
            and all(_close(x, y) for x, y in zip(a, b, strict=True))
        )
    if a is None or b is None:
        return a is b
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return math.isclose(float(a), float(b), rel_tol=1e-4, abs_tol=1e-9)


def found_value(quantity: Quantity) -> Any:
    """The quantity's value as the reference writes it: a number, [low, high], an ISO date or year(s)."""
    if quantity.kind == QuantityKind.DATE:
        return quantity.iso
    if quantity.kind == QuantityKind.YEAR and quantity.iso:
        years = [int(year) for year in quantity.iso.split("/")]
        return years[0] if len(years) == 1 else years
    if quantity.value is not None:
        return quantity.value
    return [quantity.low, quantity.high]


def _reference_value(expected: Expected) -> Any:
    return str(expected.value) if expected.kind == "date" else expected.value


def _english(text: str | None) -> str:
    return " ".join((text or "").split())


def judge(expected: Expected, index: TextIndex, quantities: Sequence[Quantity]) -> Verdict:
    verdict = Verdict(expected)
    span = index.span(expected.context, expected.text) or index.span(
        _PAGE_NUMBER.sub("", expected.context), expected.text
    )
    if span is None:
        # A leaked page number or footnote call that extraction dropped is a non-amount handled right.
        stripped = expected.context.replace(expected.text, "", 1)
        if not (expected.kind == "none" and stripped != expected.context and stripped in index):
            verdict.wrong.append("context")
        return verdict
    verdict.found = _covering(quantities, *span)
    if expected.kind == "none":
        if verdict.found is not None:
            verdict.wrong.append("not an amount")
        return verdict
    if verdict.found is None:
        verdict.wrong.append("missing")
        return verdict
    found = verdict.found
    checks = {
        "value": _close(found_value(found), _reference_value(expected)),
        "unit": UNIT_NAMES.get(found.unit or "", found.unit) == expected.unit,
        "qualifier": found.qualifier == expected.qualifier,
        "english": _english(found.english) == _english(expected.english),
    }
    verdict.wrong += [name for name, ok in checks.items() if not ok]
    return verdict


def score(reference: Sequence[Expected], analysed: Analysed) -> list[Verdict]:
    indexes = {doc: TextIndex(blocks) for doc, (blocks, _) in analysed.items()}
    return [judge(e, indexes[e.doc], analysed[e.doc][1]) for e in reference]


def summary(verdicts: Sequence[Verdict]) -> dict[str, tuple[int, int]]:
    """Right and total per kind, and ``total``."""
    right, total = Counter[str](), Counter[str]()
    for verdict in verdicts:
        for kind in (verdict.expected.kind, "total"):
            total[kind] += 1
            right[kind] += verdict.right
    return {kind: (right[kind], total[kind]) for kind in sorted(total, key=lambda k: (k == "total", k))}


def _describe(verdict: Verdict) -> str:
    e, q = verdict.expected, verdict.found
    got = "nothing" if q is None else f"{q.text!r} {found_value(q)} {q.unit} {q.qualifier} | {q.english}"
    want = f"{e.text!r} {e.value} {e.unit} {e.qualifier} | {e.english}"
    return f"[{e.kind}] {','.join(verdict.wrong)}: {Path(e.doc).stem[:24]} {e.context}\n    want {want}\n    got  {got}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    parser.add_argument("--misses", action="store_true", help="list every figure that is not right")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    reference = load_reference(args.reference)
    documents = read_documents((e.doc for e in reference), args.workers)
    verdicts = score(reference, {name: figures_of(document) for name, document in documents.items()})
    if args.misses:
        for verdict in verdicts:
            if not verdict.right:
                print(_describe(verdict))
    fields = Counter(name for v in verdicts for name in v.wrong)
    print(f"{'kind':<10} {'right':>6} {'total':>6} {'share':>7}")
    for kind, (right, total) in summary(verdicts).items():
        print(f"{kind:<10} {right:>6} {total:>6} {right / total:>7.1%}")
    print("wrong fields:", ", ".join(f"{name} {count}" for name, count in fields.most_common()))


if __name__ == "__main__":
    main()
