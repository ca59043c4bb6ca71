"""The documents of a batch built in worker processes, their outcomes handed back in plan order.

Workers are forked from the run's process after it loaded the shared resources (glossary, matcher, jieba's
dictionary), so each starts with them in place instead of loading its own, and they share those pages until
written. A worker builds and publishes whole documents (:func:`ccpipe.runs.pipeline.process_file`); the run's
process keeps the lock and records each outcome in plan order, so the build records, the run report and the
catalogue are those of a sequential run. A worker dies with the run (``PR_SET_PDEATHSIG``): a run killed with
``kill -9`` leaves nobody writing to its output folder. A worker that dies itself fails the one document it
was building; the documents after it are built by new workers.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterator, Mapping
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from ccpipe.collector import frozen
from ccpipe.forked import StopRequested, check_stop, die_with_parent, request_stop

# The pool's modules load when a pool is made.
if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from ccpipe.runs.incremental import Planned
    from ccpipe.runs.pipeline import Outcome, Resources
    from ccpipe.runs.runner import RunConfig

# How often the run, waiting for its workers, looks whether a stop was requested.
_STOP_POLL_SECONDS = 0.2
# How long stopped workers get to abandon their documents cleanly before they are killed.
_STOP_GRACE_SECONDS = 10.0


def build_in_order(
    planned: list[Planned],
    config: RunConfig,
    resources: Resources,
    on_stage: Callable[[str], None],
    editions: Mapping[Path, Path] | None = None,
) -> Iterator[tuple[Planned, Outcome]]:
    """Each planned document with its outcome, in plan order; in parallel when ``config.workers`` allows.

    ``editions``: a document's official English edition, to align it with. ``on_stage`` hears the stages of
    documents built in this process only (one at a time). A stop requested meanwhile
    (:func:`ccpipe.forked.request_stop`) raises :class:`ccpipe.forked.StopRequested` between documents, or
    while waiting for workers (they are killed)."""
    editions = editions or {}
    from ccpipe.runs.pipeline import process_file

    workers = min(config.workers, len(planned))
    if workers <= 1:
        with frozen():  # the run's tools live as long as the run
            for item in planned:
                check_stop()
                edition = editions.get(item.path)
                yield item, process_file(item.path, resources, config.source, config.publishing, on_stage, edition,
                                         item.document_id)  # fmt: skip
        return
    _load_before_forking(config)
    with frozen():  # the run's tools live as long as the run
        yield from _in_workers(planned, config, workers, editions)


def _in_workers(
    planned: list[Planned], config: RunConfig, workers: int, editions: Mapping[Path, Path]
) -> Iterator[tuple[Planned, Outcome]]:
    left = list(planned)
    while left:
        broken = len(left)
        with _pool(workers) as pool:
            futures = [pool.submit(_build, item, config, editions.get(item.path)) for item in left]
            for index, (item, future) in enumerate(zip(left, futures, strict=True)):
                try:
                    outcome = _outcome(item.path, future)
                except StopRequested:
                    # Stop the workers first, then record what they finished: a document finished meanwhile, its
                    # result on its way, is recorded too rather than left on disk without a record.
                    from concurrent.futures import wait

                    _stop_pool(pool)
                    wait(futures[index:], timeout=_STOP_GRACE_SECONDS)
                    yield from _finished(left[index:], futures[index:])  # built already: recorded, not lost
                    raise
                if outcome is None:
                    broken = index
                    break
                yield item, outcome
        if broken == len(left):
            return
        # A worker died and took the pool with it. The first document not done is built again alone: it completes
        # (another document killed the worker) or breaks its own pool (it did, and fails); the rest go on.
        item = left[broken]
        with _pool(1) as pool:
            future = pool.submit(_build, item, config, editions.get(item.path))
            yield item, _outcome(item.path, future) or _crashed(item.path)
        left = left[broken + 1 :]


def _finished(items: list[Planned], futures: list[Future[Outcome]]) -> Iterator[tuple[Planned, Outcome]]:
    """The documents among ``items`` whose worker has finished building them."""
    for item, future in zip(items, futures, strict=True):
        if future.done() and not future.cancelled() and future.exception() is None:
            yield item, future.result()


def _load_before_forking(config: RunConfig) -> None:
    """What every document needs and each worker would otherwise load for itself: jieba's tag and IDF tables
    (discovery) and the publishers."""
    from ccpipe.publish.writer import prepare
    from ccpipe.text import lexicon

    lexicon.preload(config.cache_dir)
    prepare(config.publishing.formats)


def _outcome(path: Path, future: Future[Outcome]) -> Outcome | None:
    """The worker's outcome; None when the pool broke before this document was done."""
    from concurrent.futures import TimeoutError as Pending
    from concurrent.futures.process import BrokenProcessPool

    try:
        while True:
            try:
                return future.result(timeout=_STOP_POLL_SECONDS)
            except Pending:
                check_stop()  # a stop was requested (SIGTERM): the pool's workers are killed on the way out
    except BrokenProcessPool:
        return None
    except Exception as exc:  # process_file returns failures as outcomes: this is a result that did not arrive
        from ccpipe.runs.pipeline import failed_outcome

        return failed_outcome(path, exc)


def _crashed(path: Path) -> Outcome:
    from ccpipe.runs.pipeline import Outcome

    message = f"INTERNAL_ERROR: {path}: the worker process building it died; please report this with the file"
    return Outcome(source=path, error_code="INTERNAL_ERROR", error=message)


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start with the parent's modules and resources in place (copy-on-write).
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent,
                               initargs=(os.getpid(),))  # fmt: skip
    try:
        yield pool
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or failed: stop the workers now rather than finish the batch.
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and stop the workers (a second call finds them stopped)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # None once shut down
    pool.shutdown(wait=False, cancel_futures=True)
    _stop_workers(processes)


def _stop_workers(processes: list[BaseProcess]) -> None:
    """Stop each worker as a run stops (SIGTERM: the document in progress is abandoned, its child killed and
    what it staged removed), and kill those that have not ended within the grace period."""
    for process in processes:
        with contextlib.suppress(OSError):
            process.terminate()
    deadline = time.monotonic() + _STOP_GRACE_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            with contextlib.suppress(OSError):
                process.kill()
            process.join(1.0)


def _build(item: Planned, config: RunConfig, edition: Path | None) -> Outcome:
    """In a worker: one document built and published with the resources forked from the run's process."""
    from ccpipe.runs.pipeline import process_file, shared_resources

    resources = shared_resources(config.glossaries, config.cache_dir)
    return process_file(item.path, resources, config.source, config.publishing, edition=edition,
                        document_id=item.document_id)  # fmt: skip


def _die_with_parent(parent: int) -> None:
    """In a new worker: die when the run's process ends; leave Ctrl-C to the run, which stops the workers; on
    SIGTERM (from the run, stopping) abandon the document in progress as a stopped run does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_requested)
    die_with_parent(parent)


def _stop_requested(signum: int, frame: FrameType | None) -> None:
    request_stop()  # the wait for the stage's child raises StopRequested: the child is killed, its staging removed
