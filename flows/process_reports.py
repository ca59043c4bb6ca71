"""The batch flow: the library's run steps, with each document's stages as Prefect tasks in between.

Planning, build records, the catalogue and the run report are the library's (:func:`ccpipe.runs.runner.open_batch`,
``Batch.record``, ``Batch.finish``); the stages are the library's one list (:data:`ccpipe.runs.pipeline.STAGES`),
each run through :func:`ccpipe.runs.pipeline.run_stage`. This module only adds Prefect's concerns: one task per
document-stage, documents in parallel on the task runner (threads by default, a Dask cluster when given),
retries where they help. Tasks get the run's shared tools from :func:`ccpipe.runs.pipeline.shared_resources`,
built once per process and glossary version, so the same tasks work in threads, worker processes and Dask
workers, and a long-lived watcher never builds with a glossary that has since been edited.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ThreadPoolTaskRunner

from ccpipe.errors import OutputError
from ccpipe.runs.incremental import Planned
from ccpipe.runs.options import SourceOptions
from ccpipe.runs.pipeline import (
    STAGES,
    DocumentFailed,
    Outcome,
    Resources,
    Work,
    failed_outcome,
    has_edition,
    publish_stage,
    run_edition_stage,
    run_stage,
    shared_resources,
)
from ccpipe.runs.runner import RunConfig, RunResult, open_batch


def _resources(config: RunConfig) -> Resources:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return shared_resources(config.glossaries, config.cache_dir)


# Stages get no retries: a corrupt PDF stays corrupt however often it is read. Their inputs hold documents
# that are not worth hashing, so nothing is cached by input either.
@task(name="stage", task_run_name="{name} {work.path.name}", cache_policy=NO_CACHE)
def stage_task(name: str, work: Work, config: RunConfig) -> Work:
    return run_stage(name, work, _resources(config))


@task(name="editions", task_run_name="editions {work.path.name}", cache_policy=NO_CACHE)
def edition_task(work: Work, edition: Path | None, config: RunConfig) -> Work:
    """Aligns a paired document, or one whose file holds both editions; passes any other one unchanged."""
    if not has_edition(work, edition):
        return work
    return run_edition_stage(work, _resources(config), edition)


def _transient(exc: BaseException | None) -> bool:
    """A write that met a file-system hiccup (a full disk being cleared, a network share): worth retrying."""
    return isinstance(exc, DocumentFailed) and isinstance(exc.__cause__, OSError | OutputError)


@task(
    name="publish",
    task_run_name="publish {work.path.name}",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=1,
    retry_condition_fn=lambda _task, _run, state: _transient(state.result(raise_on_failure=False)),
)
def publish_task(work: Work, config: RunConfig) -> Outcome:
    return publish_stage(work, config.publishing)


def submit_document(
    planned: Planned, config: RunConfig, edition: Path | None = None, source: SourceOptions | None = None
) -> list[PrefectFuture[Any]]:
    """Submit one document's chain of stage tasks (aligning with its English ``edition`` if it has one,
    publishing last); the runner runs documents in parallel, and a failed stage leaves the rest unrun."""
    # Futures go in where values are declared: Prefect resolves them, its type hints do not know that.
    previous: Any = Work(planned.path, source or config.source, planned.document_id)
    chain: list[PrefectFuture[Any]] = []
    for name, _ in STAGES:
        previous = stage_task.submit(name, previous, config)
        chain.append(previous)
    previous = edition_task.submit(previous, edition, config)
    chain.append(previous)
    chain.append(publish_task.submit(previous, config))
    return chain


def outcome_of(path: Path, chain: list[PrefectFuture[Any]]) -> Outcome:
    """The document's outcome: from publishing, or from the first stage that failed."""
    last = chain[-1]
    if last.state.is_completed():
        outcome: Outcome = last.result()
        return outcome
    failed = next((future for future in chain if future.state.is_failed() or future.state.is_crashed()), None)
    error: Any = failed.state.result(raise_on_failure=False) if failed else RuntimeError("a stage did not finish")
    if isinstance(error, DocumentFailed):
        return error.outcome
    return failed_outcome(path, error if isinstance(error, BaseException) else RuntimeError(str(error)))


# The default runner; flows/run.py sizes it from the settings (or swaps in Dask).
_THREADS: Any = ThreadPoolTaskRunner(max_workers=4)


@flow(name="process-reports", task_runner=_THREADS)
def process_reports(config: RunConfig) -> RunResult:
    """Build every new or changed document under the configured sources and refresh the catalogue."""
    logger = get_run_logger()
    with open_batch(config) as batch:
        editions = batch.plan.editions
        chains = [
            (planned, submit_document(planned, config, editions.get(planned.path), batch.source_options))
            for planned in batch.plan.build
        ]
        wait([future for _, chain in chains for future in chain])
        for planned, chain in chains:
            report = batch.record(planned, outcome_of(planned.path, chain))
            if report.status == "built":
                logger.info("[%s] done %s in %.1f s", report.document_id, report.source, report.seconds)
            else:
                logger.error("[%s] failed: %s", report.source, report.error)
        return batch.finish()
