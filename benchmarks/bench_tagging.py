"""Tagging speed: the Aho-Corasick matcher against a naive regex alternation, with and without UNBIS.

`.venv/bin/python benchmarks/bench_tagging.py [--megabytes 2] [--repeat 3]` tags the sample report's
text (one block per paragraph) repeated to about the given size, with the curated glossary alone and
with the UNBIS thesaurus added (every concept with both an English and a Chinese label, built here
until the termbase importer lands), and prints glossary load and matcher build times and throughput in
Chinese characters per second. The naive matcher (the tagger before the automaton: one regex of every
surface, longest first) is slow enough with UNBIS that it runs on a slice of the text; its rate is
per character either way.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable, Sized
from pathlib import Path

from ccpipe.models import Category
from ccpipe.terms.glossary import Glossary, GlossaryEntry, load_glossary
from ccpipe.terms.tag import Matcher

ROOT = Path(__file__).resolve().parent.parent
TEXT = ROOT.parent / "shared" / "fixtures" / "reference" / "global-climate-cooperation-2023.txt"
UNBIS = ROOT.parent / "shared" / "fixtures" / "glossary" / "unbis-thesaurus.json"
_HAN = re.compile(r"[\u3400-\u9fff]")


def unbis_glossary(curated: Glossary) -> Glossary:
    """The curated glossary plus every UNBIS concept whose labels no curated surface already claims.

    Single-character Chinese labels are left out: the glossary rules forbid them as surfaces.
    """
    claimed = {surface for entry in curated.entries for surface in entry.surfaces()}
    extra = []
    for topic in json.loads(UNBIS.read_text(encoding="utf-8"))["topics"]:
        zh, en = topic["labels"].get("zh", "").strip(), topic["labels"].get("en", "").strip()
        if len(zh) < 2 or not en or zh in claimed or en in claimed:
            continue
        claimed.update((zh, en))
        ident = "unbis-" + re.sub(r"[^a-z0-9]+", "-", topic["identifier"].lower()).strip("-")
        extra.append(GlossaryEntry(id=ident, category=Category.CONCEPT, zh=zh, en=en))
    return Glossary([*curated.entries, *extra], curated.fingerprint + "+unbis")


def supplementary_levels(glossary: Glossary) -> dict[str, int]:
    """UNBIS entries rank below the curated ones (see ``Matcher(levels=...)``)."""
    return {entry.id: 1 for entry in glossary.entries if entry.id.startswith("unbis-")}


class NaiveMatcher:
    """The regex-alternation tagger this project started with, kept as the baseline."""

    def __init__(self, glossary: Glossary) -> None:
        owner = {surface: entry.id for entry in glossary.entries for surface in entry.surfaces()}
        forms = sorted(owner, key=lambda form: (-len(form), form))
        self._owner = owner
        self._pattern = re.compile("|".join(self._form(form) for form in forms))

    @staticmethod
    def _form(form: str) -> str:
        body = r"\s+".join(re.escape(part) for part in form.split(" "))
        if form[0].isascii() and form[0].isalnum():
            body = r"(?<![A-Za-z0-9])" + body
        if form[-1].isascii() and form[-1].isalnum():
            body += r"(?![A-Za-z0-9])"
        return body

    def find(self, block_id: str, text: str) -> list[tuple[int, int]]:
        return [hit.span() for hit in self._pattern.finditer(text)]


def blocks_of(megabytes: float) -> list[str]:
    paragraphs = [line.strip() for line in TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    size, blocks = 0, []
    while size < megabytes * 1_000_000:
        for paragraph in paragraphs:
            blocks.append(paragraph)
            size += len(paragraph.encode("utf-8"))
    return blocks


def best_of(repeat: int, work: Callable[[], object]) -> float:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return min(seconds) if repeat > 1 else statistics.median(seconds)


def rate(find: Callable[[str, str], Sized], blocks: list[str], repeat: int) -> tuple[float, int]:
    """Chinese characters per second over ``blocks``, and the number of matches."""
    han = sum(len(_HAN.findall(block)) for block in blocks)
    found = sum(len(find("b", block)) for block in blocks)
    seconds = best_of(repeat, lambda: [find("b", block) for block in blocks])
    return han / seconds, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-share", type=float, default=0.05, help="share of the text the naive matcher tags")
    args = parser.parse_args()
    blocks = blocks_of(args.megabytes)
    naive_blocks = blocks[: max(1, int(len(blocks) * args.naive_share))]
    print(f"text: {sum(len(b) for b in blocks):,} characters in {len(blocks):,} blocks")
    load_seconds = best_of(args.repeat, lambda: load_glossary(ROOT / "glossary"))
    curated = load_glossary(ROOT / "glossary")
    start = time.perf_counter()
    combined = unbis_glossary(curated)
    unbis_seconds = time.perf_counter() - start
    columns = ("entries", 7), ("load s", 7), ("build s", 8), ("ours zh/s", 12), ("naive zh/s", 11), ("speed-up", 8)
    print(f"{'glossary':<18} " + " ".join(f"{name:>{width}}" for name, width in columns))
    for name, glossary, loaded in [
        ("curated", curated, load_seconds),
        ("curated + UNBIS", combined, load_seconds + unbis_seconds),
    ]:
        start = time.perf_counter()
        matcher = Matcher(glossary, levels=supplementary_levels(glossary))
        build = time.perf_counter() - start
        ours, found = rate(matcher.find, blocks, args.repeat)
        naive, _ = rate(NaiveMatcher(glossary).find, naive_blocks, 1)
        print(
            f"{name:<18} {len(glossary):>7,} {loaded:>7.2f} {build:>8.2f} {ours:>12,.0f} {naive:>11,.0f} "
            f"{ours / naive:>7.1f}x   ({found:,} matches)"
        )


if __name__ == "__main__":
    main()
