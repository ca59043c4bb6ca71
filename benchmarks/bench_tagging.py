"""Tagging speed: the Aho-Corasick matcher against a naive regex alternation, with and without UNBIS.

`.venv/bin/python benchmarks/bench_tagging.py [--megabytes 2] [--repeat 3] [--glossary DIR]` tags the
sample report's text (one block per paragraph) and the seven corpus work reports (Word) repeated to about
the given size, with the curated glossary alone and with the UNBIS thesaurus added (every concept with both
an English and a Chinese label), word-boundary checks on (the run's jieba tokenizer), and prints glossary
load and matcher build times and throughput in Chinese characters per second: "cold" for one pass over the
distinct text with an empty word-boundary cache, "ours" for the repeated text (jieba's answers for runs
seen before are cached). The naive matcher (the tagger before the automaton: one regex of every
surface, longest first) is slow enough with UNBIS that it runs on a slice of the text; its rate is
per character either way.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import time
from collections.abc import Callable, Sized
from pathlib import Path

import jieba

from ccpipe.extract import extract
from ccpipe.models import Category
from ccpipe.terms.glossary import Glossary, GlossaryEntry, load_glossary
from ccpipe.terms.tag import Matcher
from ccpipe.terms.words import WordBoundaries

ROOT = Path(__file__).resolve().parent.parent
TEXT = ROOT.parent / "shared" / "fixtures" / "reference" / "global-climate-cooperation-2023.txt"
UNBIS = ROOT.parent / "shared" / "fixtures" / "glossary" / "unbis-thesaurus.json"
REPORTS = ROOT.parent / "shared" / "corpus" / "docx"
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


def distinct_blocks() -> list[str]:
    """The sample report's paragraphs and the seven work reports' blocks (Word files: extracted in a blink)."""
    blocks = [line.strip() for line in TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted(REPORTS.glob("*.docx")):
        blocks.extend(block.text for block in extract(path).blocks if block.text.strip())
    return blocks


def blocks_of(megabytes: float, distinct: list[str]) -> list[str]:
    size, blocks = 0, []
    while size < megabytes * 1_000_000:
        for paragraph in distinct:
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


def cold_rate(glossary: Glossary, tokenizer: jieba.Tokenizer, blocks: list[str]) -> float:
    """Chinese characters per second of one pass over text never seen, with an empty word-boundary cache."""
    matcher = Matcher(glossary, levels=supplementary_levels(glossary), words=WordBoundaries(tokenizer))
    han = sum(len(_HAN.findall(block)) for block in blocks)
    start = time.perf_counter()
    for block in blocks:
        matcher.find("b", block)
    return han / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-share", type=float, default=0.05, help="share of the text the naive matcher tags")
    parser.add_argument("--glossary", type=Path, default=ROOT / "glossary", help="the curated glossary to measure")
    parser.add_argument("--no-unbis", action="store_true", help="skip the curated + UNBIS row")
    args = parser.parse_args()
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    distinct = distinct_blocks()
    blocks = blocks_of(args.megabytes, distinct)
    naive_blocks = blocks[: max(1, int(len(blocks) * args.naive_share))]
    print(f"text: {sum(len(b) for b in blocks):,} characters in {len(blocks):,} blocks ({len(distinct):,} distinct)")
    load_seconds = best_of(args.repeat, lambda: load_glossary(args.glossary))
    curated = load_glossary(args.glossary)
    rows = [("curated", curated, load_seconds)]
    if not args.no_unbis:
        start = time.perf_counter()
        combined = unbis_glossary(curated)
        rows.append(("curated + UNBIS", combined, load_seconds + time.perf_counter() - start))
    columns = (
        ("entries", 7),
        ("load s", 7),
        ("build s", 8),
        ("cold zh/s", 11),
        ("ours zh/s", 12),
        ("naive zh/s", 11),
        ("speed-up", 8),
    )
    print(f"{'glossary':<18} " + " ".join(f"{name:>{width}}" for name, width in columns))
    for name, glossary, loaded in rows:
        start = time.perf_counter()
        matcher = Matcher(glossary, levels=supplementary_levels(glossary), words=WordBoundaries(tokenizer))
        build = time.perf_counter() - start
        cold = cold_rate(glossary, tokenizer, distinct)
        ours, found = rate(matcher.find, blocks, args.repeat)
        naive, _ = rate(NaiveMatcher(glossary).find, naive_blocks, 1)
        print(
            f"{name:<18} {len(glossary):>7,} {loaded:>7.2f} {build:>8.2f} {cold:>11,.0f} {ours:>12,.0f} "
            f"{naive:>11,.0f} {ours / naive:>7.1f}x   ({found:,} matches)"
        )


if __name__ == "__main__":
    main()
