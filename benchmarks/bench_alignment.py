"""Alignment quality and time on the corpus pair: precision and recall of links against the hand reference.

`.venv/bin/python benchmarks/bench_alignment.py [--reference FILE]` builds both editions of the ICMA
Climate Transition Finance Handbook (../shared/corpus/pairs/), aligns them, and prints per level
(paragraphs, sentences) the links predicted, in the reference, correct, precision and recall, the share of
links below the confidence threshold (and how many of those are right anyway), the distribution of
confidences, and the seconds the alignment took (the editions' own builds are timed apart).
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

from ccpipe.models import LinkLevel
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.translate.align import align_pair, with_alignment
from ccpipe.translate.evaluate import predicted_links, read_reference, score

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT.parent / "shared" / "corpus" / "pairs"
NAME = "icma-climate-transition-finance-handbook-2020"
REFERENCE = ROOT / "benchmarks" / "data" / "alignment" / f"{NAME}.yaml"
BANDS = (0.0, 0.5, 0.7, 0.9, 0.95, 1.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    args = parser.parse_args()
    resources = Resources.load(ROOT / "glossary", ROOT / ".cache")
    start = time.perf_counter()
    zh = build_document(PAIRS / f"{NAME}.zh.pdf", resources)
    en = build_document(PAIRS / f"{NAME}.en.pdf", resources)
    built = time.perf_counter() - start
    start = time.perf_counter()
    document = with_alignment(zh, align_pair(zh, en, resources.glossary))
    aligned = time.perf_counter() - start
    print(f"editions built in {built:.1f} s; aligned in {aligned:.2f} s")
    scores = score(document, read_reference(args.reference))
    print(f"{'level':<10}{'predicted':>10}{'reference':>10}{'correct':>9}{'precision':>11}{'recall':>8}{'low':>6}")
    for level, result in scores.items():
        print(
            f"{level.value:<10}{result.predicted:>10}{result.reference:>10}{result.correct:>9}"
            f"{result.precision:>11.3f}{result.recall:>8.3f}{result.low_share:>6.1%}"
            f"  (of the low ones, {result.low_correct} right)"
        )
    for level, links in predicted_links(document).items():
        counts = [sum(1 for _, c in links if low <= c < high) for low, high in itertools.pairwise(BANDS)]
        bands = ", ".join(
            f"[{low:.2f}, {min(high, 1):.2f}): {n}" for (low, high, n) in zip(BANDS, BANDS[1:], counts, strict=False)
        )
        print(f"confidence of {level.value} links: {bands}")
    links = document.alignment.links if document.alignment else []
    one_sided = sum(1 for link in links if link.level == LinkLevel.BLOCK and not (link.source and link.target))
    codes = sorted({issue.code for issue in document.issues if issue.code.startswith("ALIGN")})
    print(f"one-sided paragraph links: {one_sided}; issues: {codes}")


if __name__ == "__main__":
    main()
