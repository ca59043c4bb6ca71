"""The batch flow: every new or changed document through every stage, one task per document-stage.

Documents run concurrently (each a chain of tasks submitted to the task runner: threads by default,
a Dask cluster when one is given); tasks load the run's shared tools once per process, so the same
tasks work in threads, worker processes and Dask workers. Planning, records, run reports and the
catalogue are the library's (ccpipe.runs.runner); this module only adds orchestration.
"""

from __future__ import annotations

import logging
import time
from functools import cache
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ThreadPoolTaskRunner

from ccpipe.models import DocIssue, Document, Extracted
from ccpipe.publish.writer import publish
from ccpipe.runs.lock import run_lock
from ccpipe.runs.pipeline import (
    Outcome,
    Resources,
    SourceOptions,
    align_document,
    discover_document,
    extract_source,
    normalize_document,
    segment_document,
    tag_document,
)
from ccpipe.runs.runner import (
    DocReport,
    RunConfig,
    RunResult,
    finish_run,
    plan,
    record_outcome,
    skipped_reports,
    sweep_partial_writes,
)
from ccpipe.terms.tag import Match
from ccpipe.text.quantities import quantify_document


@cache
def _resources(glossaries: tuple[Path, ...], cache_dir: Path) -> Resources:
    """The glossary, matcher and tokenizer, built once per process (thread, worker or Dask worker)."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return Resources.load(glossaries, cache_dir)


# Stages get no retries: a corrupt PDF stays corrupt however often it is read. Inputs hold tokenizers
# and automata that cannot be hashed, so nothing is cached by input either.
@task(name="extract", task_run_name="extract {path.name}", cache_policy=NO_CACHE)
def extract_task(path: Path, options: SourceOptions) -> Extracted:
    return extract_source(path, options)


@task(name="normalize", task_run_name="normalize {extracted.source.path}", cache_policy=NO_CACHE)
def normalize_task(extracted: Extracted) -> Document:
    return normalize_document(extracted)


@task(name="segment", task_run_name="segment {document.document.id}", cache_policy=NO_CACHE)
def segment_task(document: Document, config: RunConfig) -> Document:
    return segment_document(document, _resources(config.glossaries, config.cache_dir).segmenter)


@task(name="tag", task_run_name="tag {document.document.id}", cache_policy=NO_CACHE)
def tag_task(document: Document, config: RunConfig) -> tuple[list[Match], list[DocIssue]]:
    return tag_document(document, _resources(config.glossaries, config.cache_dir).matcher)


@task(name="align", task_run_name="align {document.document.id}", cache_policy=NO_CACHE)
def align_task(document: Document, tagged: tuple[list[Match], list[DocIssue]], config: RunConfig) -> Document:
    matches, issues = tagged
    return align_document(document, matches, _resources(config.glossaries, config.cache_dir).glossary, issues)


@task(name="quantify", task_run_name="quantify {document.document.id}", cache_policy=NO_CACHE)
def quantify_task(document: Document) -> Document:
    return quantify_document(document)


@task(name="discover", task_run_name="discover {document.document.id}", cache_policy=NO_CACHE)
def discover_task(document: Document, config: RunConfig) -> Document:
    return discover_document(document, _resources(config.glossaries, config.cache_dir).discoverer)


# Writing can meet a transient file-system error (a full disk being cleared, a network share): retry
# there only, and only for OSError.
@task(
    name="publish",
    task_run_name="publish {document.document.id}",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=1,
    retry_condition_fn=lambda _task, _run, state: isinstance(state.result(raise_on_failure=False), OSError),
)
def publish_task(document: Document, config: RunConfig) -> list[Path]:
    return publish(document, config.output_dir / document.document.id, config.formats)


def submit_document(path: Path, config: RunConfig) -> list[PrefectFuture[Any]]:
    """Submit one document's chain of stage tasks (returned in order, publishing last); the runner runs
    independent documents in parallel, and a failed stage leaves the rest of its chain unrun."""
    # Futures go in where values are declared: Prefect resolves them, its type hints do not know that.
    chain: list[Any] = [extract_task.submit(path, config.source_options())]
    chain.append(normalize_task.submit(chain[-1]))
    chain.append(segment_task.submit(chain[-1], config))
    chain.append(tag_task.submit(chain[-1], config))
    chain.append(align_task.submit(chain[-2], chain[-1], config))
    chain.append(quantify_task.submit(chain[-1]))
    chain.append(discover_task.submit(chain[-1], config))
    chain.append(publish_task.submit(chain[-1], config))
    return chain


def _outcome(path: Path, chain: list[PrefectFuture[Any]]) -> Outcome:
    """The document's outcome: its outputs, or the error of the first stage that failed."""
    if chain[-1].state.is_completed():
        outputs: list[Path] = chain[-1].result()
        return Outcome(source=path, document_id=outputs[0].parent.name if outputs else None, outputs=outputs)
    failed = next((future for future in chain if future.state.is_failed() or future.state.is_crashed()), None)
    error: Any = failed.state.result(raise_on_failure=False) if failed else "a stage did not finish"
    code = getattr(error, "code", None) or "INTERNAL_ERROR"
    message = getattr(error, "message", None) or f"{path}: {type(error).__name__}: {error}"
    return Outcome(source=path, error_code=code, error=message)


# The default runner; flows/run.py sizes it from the configuration (or swaps in Dask).
_THREADS: Any = ThreadPoolTaskRunner(max_workers=4)


@flow(name="process-reports", task_runner=_THREADS)
def process_reports(config: RunConfig | None = None) -> RunResult:
    """Build every new or changed document under the configured sources and refresh the catalogue."""
    config = config or RunConfig()
    logger = get_run_logger()
    with run_lock(config.output_dir):
        sweep_partial_writes(config.output_dir)
        work = plan(config)
        reports: list[DocReport] = skipped_reports(work)
        started = time.monotonic()
        chains = [(path, key, submit_document(path, config)) for path, key in work.build]
        wait([future for _, _, chain in chains for future in chain])
        for path, key, chain in chains:
            report = record_outcome(config.output_dir, path, key, _outcome(path, chain), time.monotonic() - started)
            reports.append(report)
            if report.status == "built":
                logger.info("[%s] done %s", report.document_id, path.name)
            else:
                logger.error("[%s] failed: %s", path.name, report.error)
        return finish_run(config, work, reports)
