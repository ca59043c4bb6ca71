"""Batch runs shared by the CLI and the Prefect flow: discovery, per-file outcomes, the summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .pipeline import DEFAULT_SOURCE_OPTIONS, Outcome, Resources, SourceOptions, find_sources, process_file
from .publish.writer import FORMATS


@dataclass(frozen=True)
class RunConfig:
    sources: tuple[Path, ...] = (Path("source_docs"),)
    output_dir: Path = Path("output")
    glossary_dir: Path = Path("glossary")
    formats: tuple[str, ...] = FORMATS
    cache_dir: Path = Path(".cache")
    source_options: SourceOptions = DEFAULT_SOURCE_OPTIONS


def run_batch(config: RunConfig, on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Process every source file; one file's failure never stops the others."""
    resources = Resources.load(config.glossary_dir, config.cache_dir)
    outcomes = []
    for path in find_sources(list(config.sources)):
        outcome = process_file(path, resources, config.output_dir, config.formats, config.source_options)
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return outcomes


def summary_lines(outcomes: Iterable[Outcome]) -> list[str]:
    """A human summary: counts, then one line per failed document with its reason."""
    outcomes = list(outcomes)
    failed = [outcome for outcome in outcomes if not outcome.ok]
    lines = [f"{len(outcomes) - len(failed)} document(s) done, {len(failed)} failed"]
    lines += [f"  FAILED {outcome.source.name}: {outcome.error}" for outcome in failed]
    return lines
