"""Batch runs shared by the CLI and the Prefect flow: plan, build what changed, record, finish.

The run steps are the library's and only the library's: :func:`open_batch` takes the run lock, sweeps
partial writes and plans; :meth:`Batch.record` writes a document's build record and reports it;
:meth:`Batch.finish` prunes, refreshes the catalogue, notifies and writes the run report. The CLI drives
them with :func:`run_batch`; the flow drives the same steps with Prefect tasks in between.

Planning reads hashes only, so a run with nothing to do finishes in about a second and writes nothing:
the NLP stack and the publishers are imported only when there is a document to build.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ccpipe.atomic import TEMP_SUFFIX, write_atomic
from ccpipe.errors import CcpipeError, InternalError, output_error
from ccpipe.extract.sources import find_sources
from ccpipe.forked import StopRequested
from ccpipe.runs.incremental import (
    BuildKey,
    Plan,
    Planned,
    failure_record,
    password_fingerprint,
    plan_run,
    prune,
    success_record,
    write_record,
)
from ccpipe.runs.lock import run_lock

# Imported at run time, not only for type checking: Prefect validates the flow's RunConfig parameter
# from these annotations.
from ccpipe.runs.notify import SmtpSettings
from ccpipe.runs.options import PublishOptions, SourceOptions
from ccpipe.terms.fingerprint import glossary_fingerprint
from ccpipe.textutil import visible
from ccpipe.translate.pairs import find_pairs

if TYPE_CHECKING:
    from ccpipe.runs.pipeline import Outcome

RUNS_DIR = "runs"


@dataclass(frozen=True)
class RunConfig:
    """One run's configuration, derived from :class:`ccpipe.runs.config.Settings` (``Settings.run_config``)."""

    sources: tuple[Path, ...]
    glossaries: tuple[Path, ...]
    cache_dir: Path
    source: SourceOptions
    publishing: PublishOptions
    prune: bool
    follow_symlinks: bool
    catalogue: bool
    base_url: str | None
    smtp: SmtpSettings | None
    recipients: tuple[str, ...]
    # Explicit [Chinese, English] edition pairs, beside those recognised by file name.
    pairs: tuple[tuple[Path, Path], ...] = ()
    # Documents built at once by `ccpipe run` (worker processes; see ccpipe.runs.parallel).
    workers: int = 1

    @property
    def output_dir(self) -> Path:
        return self.publishing.output_dir


@dataclass
class DocReport:
    source: str
    status: str  # built | unchanged | failed | failed_before | refused | removed
    document_id: str | None = None
    error_code: str | None = None
    error: str | None = None
    seconds: float = 0.0  # the document's own time in its stages


@dataclass
class RunResult:
    documents: list[DocReport] = field(default_factory=list)
    report_path: Path | None = None
    changed_briefs: list[str] = field(default_factory=list)
    # Problems after the documents were built (e-mail): reported, never a reason to lose the run report.
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(doc.status in ("failed", "refused") for doc in self.documents)


class RunInterrupted(StopRequested):
    """The run was asked to stop (:func:`ccpipe.forked.request_stop`, e.g. on SIGTERM): the current document is
    abandoned, what is done is kept."""


def plan(config: RunConfig) -> Plan:
    sources, refused = find_sources(list(config.sources), follow_symlinks=config.follow_symlinks)
    options = config.source
    key = BuildKey(
        source_sha256="",
        glossary=glossary_fingerprint(config.glossaries),
        version="",
        formats=sorted(config.publishing.formats),
        languages=list(config.publishing.languages),
        password=password_fingerprint(options.password),
        limits=f"extract={options.extract_seconds:g}s document={options.document_seconds:g}s/{options.memory_mb}MB",
    )
    work = plan_run(sources, config.output_dir, key, find_pairs(sources, config.pairs))
    work.refused[:0] = refused
    return work


def has_work(work: Plan, config: RunConfig) -> bool:
    """Whether a run would change anything: documents to build, or stale outputs to prune."""
    return bool(work.build) or (config.prune and bool(work.stale))


@dataclass
class Batch:
    """A run in progress, under the run lock: the plan and the reports so far."""

    config: RunConfig
    plan: Plan
    reports: list[DocReport] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reports = skipped_reports(self.plan)

    @property
    def source_options(self) -> SourceOptions:
        """How this batch's documents are read: a document alone in the batch gets the run's workers for its
        pages (several documents get one worker each instead; the result is the same either way)."""
        source = self.config.source
        if len(self.plan.build) == 1 and self.config.workers > 1:
            return replace(source, page_processes=self.config.workers)
        return source

    def record(self, planned: Planned, outcome: Outcome) -> DocReport:
        """Write the build record (after the outputs, so a killed run rebuilds) and report the document.

        The record keeps the fingerprint of the glossary the document was really built with: if the
        glossary was edited during the run, the next run sees the difference and builds it again.
        Never raises: a record that cannot be written (a full disk) fails this document, not the run."""
        if outcome.glossary:
            planned = planned._replace(key=planned.key.model_copy(update={"glossary": outcome.glossary}))
        try:
            report = self._write_record(planned, outcome)
        except OSError as exc:
            report = self._failed(planned, output_error(exc, self.config.output_dir / ".state"), outcome.seconds)
        except Exception as exc:  # a bug: this document is reported, the batch goes on
            error = InternalError(planned.path, f"recording the build failed ({type(exc).__name__}: {exc})")
            report = self._failed(planned, error, outcome.seconds)
        self.reports.append(report)
        return report

    def _write_record(self, planned: Planned, outcome: Outcome) -> DocReport:
        seconds = round(outcome.seconds, 2)
        output_dir = self.config.output_dir
        if outcome.ok and outcome.document_id:
            write_record(output_dir, success_record(planned, output_dir, outcome.outputs))
            return DocReport(visible(str(planned.path)), "built", outcome.document_id, seconds=seconds)
        code, error = outcome.error_code or "INTERNAL_ERROR", outcome.error or ""
        write_record(output_dir, failure_record(planned, output_dir, code, error))
        return DocReport(visible(str(planned.path)), "failed", planned.document_id, code, error, seconds)

    @staticmethod
    def _failed(planned: Planned, error: CcpipeError, seconds: float) -> DocReport:
        shown = visible(str(planned.path))
        return DocReport(shown, "failed", planned.document_id, error.code, error.message, round(seconds, 2))

    def finish(self) -> RunResult:
        """Prune if asked; when anything changed, refresh the catalogue, notify and write the run report.

        A full or read-only disk here is a warning of the run (its documents are already recorded)."""
        result = RunResult(documents=self.reports)
        try:
            if self.config.prune:
                removed = prune(self.config.output_dir, self.plan.stale)
                self.reports += [DocReport(source=doc_id, status="removed", document_id=doc_id) for doc_id in removed]
            if not any(doc.status in ("built", "failed", "removed") for doc in self.reports):
                return result  # nothing changed: not a byte of output/ is touched
            if self.config.catalogue:
                _catalogue_and_notify(self.config, result)
            result.report_path = write_run_report(self.config.output_dir, result)
        except OSError as exc:
            error = output_error(exc, self.config.output_dir)
            result.warnings.append(f"{error.message} (the catalogue or the run report is not up to date)")
        return result


def _catalogue_and_notify(config: RunConfig, result: RunResult) -> None:
    from ccpipe.catalog import update_catalogue

    catalogue = update_catalogue(config.output_dir, base_url=config.base_url)
    result.changed_briefs = [entry.id for entry in catalogue.changed]
    if config.smtp is None or not config.recipients or not catalogue.changed:
        return
    from ccpipe.runs.notify import send_new_briefs

    try:
        send_new_briefs(catalogue.changed, config.smtp, list(config.recipients), config.output_dir,
                        base_url=config.base_url)  # fmt: skip
    except CcpipeError as exc:  # the briefs are built and recorded: a mail problem must not lose the report
        result.warnings.append(exc.message)
    except Exception as exc:
        result.warnings.append(f"NOTIFY_SMTP_FAILED: e-mail of new briefs not sent ({type(exc).__name__}: {exc})")


@contextmanager
def open_batch(config: RunConfig) -> Iterator[Batch]:
    """Take the run lock, sweep what a killed run left half-written, and plan."""
    with run_lock(config.output_dir):
        sweep_partial_writes(config.output_dir)
        yield Batch(config, plan(config))


def run_batch(
    config: RunConfig,
    on_done: Callable[[DocReport], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> RunResult:
    """Build every new or changed document, ``config.workers`` at a time, recording them in plan order; one
    file's failure never stops the others. ``on_stage`` hears stages only when documents are built one at a time."""
    with open_batch(config) as batch:
        if on_plan is not None:
            on_plan(batch.plan)
        try:
            _build_all(batch, on_done, on_stage or _no_stage)
        except (StopRequested, KeyboardInterrupt):
            # The document in progress is abandoned (its child killed, its old outputs untouched); what was
            # built is recorded, catalogued and reported, and the next run builds the rest.
            left = len(batch.plan.build) - sum(1 for doc in batch.reports if doc.status in ("built", "failed"))
            # A worker killed after its grace period may have left a staged folder: the lock is still ours.
            sweep_partial_writes(config.output_dir)
            result = batch.finish()
            result.warnings.append(f"RUN_INTERRUPTED: stopped on request; {left} document(s) left for the next run")
            raise RunStopped(result) from None
        return batch.finish()


class RunStopped(RunInterrupted):
    """A run that stopped on request, with the result of what it did before."""

    def __init__(self, result: RunResult) -> None:
        self.result = result
        super().__init__("the run was stopped")


def _build_all(batch: Batch, on_done: Callable[[DocReport], None] | None, on_stage: Callable[[str], None]) -> None:
    if not batch.plan.build:
        return
    from ccpipe.runs.parallel import build_in_order
    from ccpipe.runs.pipeline import shared_resources

    config = replace(batch.config, source=batch.source_options)
    # Loaded here, before any worker is forked: every worker starts with them.
    resources = shared_resources(config.glossaries, config.cache_dir)
    for planned, outcome in build_in_order(batch.plan.build, config, resources, on_stage, batch.plan.editions):
        report = batch.record(planned, outcome)
        if on_done is not None:
            on_done(report)


def _no_stage(stage: str) -> None:
    """No one listens to stage starts."""


def sweep_partial_writes(output_dir: Path) -> list[Path]:
    """Delete temporary files left by a run that was killed mid-write (call with the run lock held).

    Outputs are written to ``.<name>.<random>.tmp`` files and folders and renamed into place, so a kill leaves
    at most such a temporary beside a complete old (or no) output; the document has no new build record and
    is rebuilt. What cannot be removed (a read-only disk) is left for a later run."""
    leftovers = sorted(output_dir.rglob(f".*{TEMP_SUFFIX}"))
    for path in leftovers:
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
    return leftovers


def skipped_reports(work: Plan) -> list[DocReport]:
    unchanged = [DocReport(visible(str(item.path)), "unchanged", item.document_id) for item in work.unchanged]
    earlier = [
        DocReport(source=r.source, status="failed_before", document_id=r.document_id, error_code=r.error_code,
                  error=r.error)
        for r in work.failed_before
    ]  # fmt: skip
    refused = [
        DocReport(source=visible(str(r.path)), status="refused", error_code=r.error.code, error=r.error.message)
        for r in work.refused
    ]
    return refused + unchanged + earlier


def _shown(source: str) -> str:
    return visible(Path(source).name)


def write_run_report(output_dir: Path, result: RunResult) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    payload = {"finished": stamp, "documents": [asdict(doc) for doc in result.documents],
               "summary": summary_lines(result.documents), "warnings": result.warnings}  # fmt: skip
    data = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    return write_atomic(output_dir / RUNS_DIR / f"{stamp}.json", data.encode("utf-8"))


def summary_lines(documents: Iterable[DocReport], stale: Iterable[str] = (), warnings: Iterable[str] = ()) -> list[str]:
    """A human summary: counts, then one line per failed document with its reason, then warnings."""
    documents = list(documents)
    count = {status: sum(1 for d in documents if d.status == status) for status in
             ("built", "unchanged", "failed", "failed_before", "refused", "removed")}  # fmt: skip
    lines = [
        f"{count['built']} document(s) done, {count['failed']} failed, {count['unchanged']} unchanged (skipped)"
        + (f", {count['failed_before']} failed before (skipped until the file, the glossary or the password "
           "changes)" if count["failed_before"] else "")
        + (f", {count['refused']} refused" if count["refused"] else "")
        + (f", {count['removed']} removed" if count["removed"] else "")
    ]  # fmt: skip
    lines += [f"  FAILED {_shown(d.source)}: {d.error}" for d in documents if d.status == "failed"]
    lines += [f"  FAILED EARLIER {_shown(d.source)}: {d.error}" for d in documents if d.status == "failed_before"]
    lines += [f"  REFUSED {_shown(d.source)}: {d.error}" for d in documents if d.status == "refused"]
    lines += [f"  stale output of a deleted source: {doc_id} (remove with --prune)" for doc_id in stale]
    lines += [f"  WARNING {warning}" for warning in warnings]
    return lines
