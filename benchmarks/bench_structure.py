"""Structure benchmark: headings, titles and official metadata against the hand-read references.

`.venv/bin/python benchmarks/bench_structure.py [NAME ...] [--cache DIR] [-v]` runs extraction and the
text stage (no glossary) on every document that has a reference in benchmarks/data/structure/ (or only
those whose reference stem contains one of the NAMEs) and prints, per document and in total, heading
recall, precision and level accuracy, whether the title is right, and how many official-document fields
(发文机关, 发文字号, 成文日期…) are right. ``-v`` lists the missed, extra and mislevelled headings.
``--cache DIR`` keeps each file's extraction there, keyed by the file and the extraction code, so that
work on the text stage reruns in seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import cast

from ccpipe.extract.limits import EXTRACT_SECONDS
from ccpipe.models import Document, Extracted
from ccpipe.runs.budget import DOCUMENT_MEMORY_MB, DOCUMENT_SECONDS
from ccpipe.runs.options import SourceOptions
from ccpipe.runs.pipeline import STAGES, Resources, Work
from ccpipe.text.structure_eval import Reference, Score, load_reference, score

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = ROOT / "benchmarks" / "data" / "structure"
SHARED = Path(os.environ.get("CCPIPE_SHARED", ROOT.parent / "shared"))
# The library's stages that read a file into its normalised document, in order; they use no glossary.
READ_STAGES = ("extract", "split", "normalize")
_NO_RESOURCES = cast(Resources, None)
_OPTIONS = SourceOptions(
    password=None,
    extract_seconds=EXTRACT_SECONDS,
    ocr_workers=1,
    document_seconds=DOCUMENT_SECONDS,
    memory_mb=DOCUMENT_MEMORY_MB,
)


def source_path(reference: Reference) -> Path:
    """A reference's document: in the shared folder, or (the sample) in the project."""
    for base in (SHARED, ROOT):
        if (base / reference.source).exists():
            return base / reference.source
    raise FileNotFoundError(f"{reference.name}: no {reference.source} under {SHARED} or {ROOT}")


def document_of(path: Path, cache: Path | None = None) -> Document:
    """The normalised document: the one place this benchmark calls the library's stages."""
    stages = dict(STAGES)
    work = Work(path, _OPTIONS)
    for name in READ_STAGES:
        if name == "extract" and cache is not None:
            work = replace(work, extracted=_cached(path, cache, partial(stages["extract"], work, _NO_RESOURCES)))
        else:
            work = stages[name](work, _NO_RESOURCES)
    return work.built


def _cached(path: Path, cache: Path, extract: Callable[[], Work]) -> Extracted:
    cached = cache / f"{_extraction_key(path)}.json"
    if cached.exists():
        return Extracted.model_validate_json(cached.read_text(encoding="utf-8"))
    extracted = extract().extracted
    assert extracted is not None
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_text(extracted.model_dump_json(), encoding="utf-8")
    return extracted


def _extraction_key(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    code = ROOT / "src" / "ccpipe"
    for module in sorted([*code.glob("extract/*.py"), code / "models.py", code / "textutil.py"]):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:24]


def references(names: list[str]) -> list[Reference]:
    found = [load_reference(path) for path in sorted(REFERENCES.glob("*.yaml"))]
    return [ref for ref in found if not names or any(name in ref.name for name in names)]


def measure(refs: list[Reference], cache: Path | None = None) -> dict[str, Score]:
    return {ref.name: score(document_of(source_path(ref), cache), ref) for ref in refs}


def total(scores: dict[str, Score]) -> Score:
    result = Score()
    for one in scores.values():
        result.add(one)
    return result


def _row(name: str, one: Score) -> str:
    title = f"{one.titles_right}/{one.documents}"
    official = f"{one.official_right}/{one.official_right + one.official_wrong}"
    leads = f"{one.leads_found}/{one.leads_expected}"
    return (
        f"{name[:46]:<46} {one.expected:>4} {one.found:>4} {one.recall:>6.3f} {one.precision:>6.3f} "
        f"{one.levels:>6.3f} {title:>6} {official:>6} {leads:>7}"
    )


def report(scores: dict[str, Score], verbose: bool) -> None:
    columns = ("ref", 4), ("got", 4), ("recall", 6), ("prec", 6), ("level", 6), ("title", 6), ("meta", 6), ("leads", 7)
    print(f"{'document':<46} " + " ".join(f"{name:>{width}}" for name, width in columns))
    for name, one in scores.items():
        print(_row(name, one))
        if verbose:
            _details(one)
    print(_row("TOTAL", total(scores)))


def _details(one: Score) -> None:
    if not one.titles_right:
        print(f"    title: {one.title!r}")
    for label, items in (
        ("missed", one.missed),
        ("extra", one.extra),
        ("level", one.wrong_levels),
        ("official", one.wrong_official),
    ):
        for item in items:
            print(f"    {label}: {item[:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only references whose name contains one of these")
    parser.add_argument("--cache", type=Path, help="keep extractions in this directory")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed, extra and mislevelled headings")
    args = parser.parse_args()
    refs = references(args.names)
    if not refs:
        sys.exit(f"no reference matches {args.names}")
    report(measure(refs, args.cache), args.verbose)


if __name__ == "__main__":
    main()
