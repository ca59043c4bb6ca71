"""Tagging quality on every annotated document, and how much of what it misses discovery proposes.

`.venv/bin/python benchmarks/bench_terms.py [--glossary DIR ...] [--top 50] [--limit 20]` builds the sample
report and each corpus document annotated in tests/data/entities/ (their sources in ../shared), tags them with
the glossary (default: the project's), and prints precision and recall per document, per category and in
total, nested mentions included, with each document's misses and false tags (``--limit`` each). Then, per
corpus document, how many of the annotated terms the glossary left untagged are among the top ``--top``
new-term candidates. A glossary helper measures a draft by pointing ``--glossary`` at it.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ccpipe.models import Document
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.terms.evalreport import print_corpus
from ccpipe.terms.evaluate import Evaluation, Gold, evaluate, load_gold, surface_key

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE_GOLD = ROOT / "tests" / "data" / "sample_entities.yaml"
CORPUS_GOLD = ROOT / "tests" / "data" / "entities"


def gold_source(gold: Gold) -> Path:
    """The annotated document: the sample in the project, corpus documents in ../shared."""
    assert gold.source is not None, f"{gold.name} names no source"
    for folder in (ROOT, SHARED):
        if (folder / gold.source).exists():
            return folder / gold.source
    raise FileNotFoundError(f"{gold.name}: {gold.source} is neither in the project nor in {SHARED}")


def annotated(names: list[str] | None = None) -> list[Gold]:
    """The sample's annotation and the corpus ones (all, or those whose name contains one of ``names``)."""
    golds = [load_gold(SAMPLE_GOLD), *(load_gold(path) for path in sorted(CORPUS_GOLD.glob("*.yaml")))]
    return [gold for gold in golds if not names or any(name in gold.name for name in names)]


def measure(golds: list[Gold], resources: Resources) -> list[tuple[Gold, Document, Evaluation]]:
    out = []
    for gold in golds:
        document = build_document(gold_source(gold), resources)
        out.append((gold, document, evaluate(document, gold, resources.glossary)))
    return out


def discovery(gold: Gold, document: Document, top: int) -> tuple[int, int, int]:
    """(annotated surfaces the tagger left untagged, how many are among the top candidates, among all)."""
    tagged = {surface_key(mention.text) for mention in document.mentions}
    untagged = {item.key[0] for item in gold.items} - tagged
    ranked = [surface_key(candidate.zh) for candidate in document.candidates]
    return len(untagged), len(untagged & set(ranked[:top])), len(untagged & set(ranked))


def print_discovery(results: list[tuple[Gold, Document, Evaluation]], top: int, console: Console) -> None:
    table = Table(title=f"Untagged annotated terms among the new-term candidates (top {top})")
    for column in ("document", "untagged", f"in top {top}", "among all", "candidates"):
        table.add_column(column, justify="left" if column == "document" else "right")
    totals = [0, 0, 0]
    for gold, document, _ in results:
        if gold.by_entity:  # the sample's annotation follows the glossary: nothing to discover
            continue
        counts = discovery(gold, document, top)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        table.add_row(gold.name, *map(str, counts), str(len(document.candidates)))
    table.add_row("total", *map(str, totals), "", end_section=True)
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--glossary", type=Path, action="append", help="glossary location (repeat: priority order)")
    parser.add_argument("--only", action="append", help="documents whose name contains this (repeat)")
    parser.add_argument("--top", type=int, default=50, help="candidates counted for discovery")
    parser.add_argument("--limit", type=int, default=20, help="misses and false tags listed per document")
    args = parser.parse_args()
    logging.getLogger("jieba").setLevel(logging.WARNING)
    console = Console(width=160)
    started = time.perf_counter()
    resources = Resources.load(args.glossary or [ROOT / "glossary"])
    console.print(f"glossary: {len(resources.glossary):,} entries ({time.perf_counter() - started:.1f} s with jieba)")
    results = measure(annotated(args.only), resources)
    print_corpus([evaluation for _, _, evaluation in results], console, args.limit)
    corpus = [evaluation for gold, _, evaluation in results if not gold.by_entity]
    if corpus:
        total = sum((evaluation.overall for evaluation in corpus[1:]), corpus[0].overall)
        console.print(f"corpus documents together: precision {total.precision:.3f}, recall {total.recall:.3f}")
    print_discovery(results, args.top, console)


if __name__ == "__main__":
    main()
