"""The batch flow: every document in source_docs/ through every stage, one task per document-stage.

Run: ``python flows/process_reports.py [--source DIR] [--output DIR] [--glossary DIR]``. With no
PREFECT_API_URL set, Prefect starts its embedded server for the run; nothing to start by hand.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `flows` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows import settings

settings.apply()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from ccpipe.models import DocIssue, Document, Extracted  # noqa: E402
from ccpipe.pipeline import (  # noqa: E402
    DEFAULT_SOURCE_OPTIONS,
    Outcome,
    Resources,
    SourceOptions,
    align_document,
    discover_document,
    extract_source,
    find_sources,
    guarded,
    normalize_document,
    segment_document,
    tag_document,
)
from ccpipe.publish.writer import FORMATS, publish  # noqa: E402
from ccpipe.quantities import quantify_document  # noqa: E402
from ccpipe.runner import summary_lines  # noqa: E402
from ccpipe.tag import Match  # noqa: E402

# Inputs hold parsers and tokenizers that cannot be hashed, so tasks are not cached by input; stages
# other than publishing get no retries: a corrupt PDF stays corrupt however often it is read.


@task(name="extract", task_run_name="extract {path.name}", cache_policy=NO_CACHE)
def extract_task(path: Path, options: SourceOptions) -> Extracted:
    return extract_source(path, options)


@task(name="normalize", task_run_name="normalize {extracted.source.path}", cache_policy=NO_CACHE)
def normalize_task(extracted: Extracted) -> Document:
    return normalize_document(extracted)


@task(name="segment", task_run_name="segment {document.document.id}", cache_policy=NO_CACHE)
def segment_task(document: Document, resources: Resources) -> Document:
    return segment_document(document, resources.segmenter)


@task(name="tag", task_run_name="tag {document.document.id}", cache_policy=NO_CACHE)
def tag_task(document: Document, resources: Resources) -> tuple[list[Match], list[DocIssue]]:
    return tag_document(document, resources.matcher)


@task(name="align", task_run_name="align {document.document.id}", cache_policy=NO_CACHE)
def align_task(document: Document, matches: list[Match], issues: list[DocIssue], resources: Resources) -> Document:
    return align_document(document, matches, resources.glossary, issues)


@task(name="quantify", task_run_name="quantify {document.document.id}", cache_policy=NO_CACHE)
def quantify_task(document: Document) -> Document:
    return quantify_document(document)


@task(name="discover", task_run_name="discover {document.document.id}", cache_policy=NO_CACHE)
def discover_task(document: Document, resources: Resources) -> Document:
    return discover_document(document, resources.discoverer)


# Writing can meet a transient file-system error; a retry is worth it there and nowhere else.
@task(
    name="publish",
    task_run_name="publish {document.document.id}",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=1,
)
def publish_task(document: Document, output_dir: Path, formats: tuple[str, ...]) -> list[Path]:
    return publish(document, output_dir / document.document.id, formats)


def process_one(
    path: Path, resources: Resources, output_dir: Path, formats: tuple[str, ...], options: SourceOptions
) -> Outcome:
    def work() -> tuple[str, list[Path]]:
        document = normalize_task(extract_task(path, options))
        document = segment_task(document, resources)
        matches, issues = tag_task(document, resources)
        document = quantify_task(align_task(document, matches, issues, resources))
        document = discover_task(document, resources)
        return document.document.id, publish_task(document, output_dir, formats)

    return guarded(path, work)


@flow(name="process-reports")
def process_reports(
    source_dir: Path = Path("source_docs"),
    output_dir: Path = Path("output"),
    glossary_dir: Path = Path("glossary"),
    formats: tuple[str, ...] = FORMATS,
    options: SourceOptions = DEFAULT_SOURCE_OPTIONS,
) -> list[Outcome]:
    """Process every supported file under ``source_dir``; one outcome per document."""
    logger = get_run_logger()
    logging.getLogger("jieba").setLevel(logging.WARNING)
    resources = Resources.load(glossary_dir, Path(".cache"))
    outcomes = []
    for path in find_sources([source_dir]):
        outcome = process_one(path, resources, output_dir, formats, options)
        outcomes.append(outcome)
        if outcome.ok:
            logger.info("done %s -> %s", path.name, output_dir / str(outcome.document_id))
        else:
            logger.error("failed %s", outcome.error)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Process every document in a folder with Prefect.")
    parser.add_argument("--source", type=Path, default=Path("source_docs"))
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--glossary", type=Path, default=Path("glossary"))
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated: {','.join(FORMATS)}")
    args = parser.parse_args(argv)
    formats = tuple(part.strip() for part in args.formats.split(",") if part.strip())
    outcomes = process_reports(args.source, args.output, args.glossary, formats)
    print("\n".join(["", *summary_lines(outcomes)]))
    return 0 if all(outcome.ok for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
