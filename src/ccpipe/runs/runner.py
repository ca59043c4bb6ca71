"""Batch runs shared by the CLI and the Prefect flow: plan, build what changed, record, report.

Planning reads hashes only, so a run with nothing to do finishes in about a second and writes nothing:
the NLP stack and the publishers are imported only when there is a document to build.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ccpipe.atomic import write_atomic
from ccpipe.extract.sources import find_sources
from ccpipe.publish.writer import FORMATS
from ccpipe.runs.incremental import BuildKey, Plan, failure_record, plan_run, prune, success_record, write_record
from ccpipe.runs.lock import run_lock

# Imported at run time, not only for type checking: Prefect validates the flow's RunConfig parameter
# from these annotations.
from ccpipe.runs.notify import SmtpSettings
from ccpipe.terms.glossary import glossary_fingerprint

if TYPE_CHECKING:
    from ccpipe.runs.pipeline import Outcome, SourceOptions

RUNS_DIR = "runs"


@dataclass(frozen=True)
class RunConfig:
    sources: tuple[Path, ...] = (Path("source_docs"),)
    output_dir: Path = Path("output")
    glossaries: tuple[Path, ...] = (Path("glossary"),)
    formats: tuple[str, ...] = FORMATS
    cache_dir: Path = Path(".cache")
    password: str | None = None
    extract_seconds: float = 120.0
    prune: bool = False
    catalogue: bool = True
    base_url: str | None = None
    smtp: SmtpSettings | None = None
    recipients: tuple[str, ...] = ()

    def source_options(self) -> SourceOptions:
        from ccpipe.runs.pipeline import SourceOptions

        return SourceOptions(password=self.password, extract_seconds=self.extract_seconds)


@dataclass
class DocReport:
    source: str
    status: str  # built | unchanged | failed | failed_before | removed
    document_id: str | None = None
    error_code: str | None = None
    error: str | None = None
    seconds: float = 0.0


@dataclass
class RunResult:
    documents: list[DocReport] = field(default_factory=list)
    report_path: Path | None = None
    changed_briefs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(doc.status == "failed" for doc in self.documents)


def plan(config: RunConfig) -> Plan:
    sources = find_sources(list(config.sources))
    return plan_run(sources, config.output_dir, glossary_fingerprint(config.glossaries), config.formats)


def run_batch(
    config: RunConfig,
    on_done: Callable[[DocReport], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> RunResult:
    """Build every new or changed document; one file's failure never stops the others."""
    with run_lock(config.output_dir):
        sweep_partial_writes(config.output_dir)
        work = plan(config)
        if on_plan is not None:
            on_plan(work)
        reports = skipped_reports(work)
        if work.build:
            from ccpipe.runs.pipeline import Resources, process_file

            resources = Resources.load(config.glossaries, config.cache_dir)
            for path, key in work.build:
                start = time.monotonic()
                hook = on_stage or (lambda _stage: None)
                outcome = process_file(
                    path, resources, config.output_dir, config.formats, config.source_options(), hook
                )
                report = record_outcome(config.output_dir, path, key, outcome, time.monotonic() - start)
                reports.append(report)
                if on_done is not None:
                    on_done(report)
        return finish_run(config, work, reports)


def sweep_partial_writes(output_dir: Path) -> list[Path]:
    """Delete temporary files left by a run that was killed mid-write (call with the run lock held).

    Outputs are written to ``.<name>.<random>.tmp`` and renamed into place, so a kill leaves at most such
    a file beside a complete old (or no) output; the document has no new build record and is rebuilt."""
    leftovers = sorted(output_dir.rglob(".*.tmp"))
    for path in leftovers:
        path.unlink(missing_ok=True)
    return leftovers


def skipped_reports(work: Plan) -> list[DocReport]:
    unchanged = [DocReport(source=str(path), status="unchanged") for path in work.unchanged]
    earlier = [
        DocReport(source=r.source, status="failed_before", document_id=r.document_id, error_code=r.error_code,
                  error=r.error)
        for r in work.failed_before
    ]  # fmt: skip
    return unchanged + earlier


def record_outcome(output_dir: Path, path: Path, key: BuildKey, outcome: Outcome, seconds: float) -> DocReport:
    """Write the build record (after the outputs, so a killed run rebuilds) and report the document."""
    if outcome.ok and outcome.document_id:
        write_record(output_dir, success_record(path, key, outcome.document_id, outcome.outputs))
        return DocReport(str(path), "built", outcome.document_id, seconds=round(seconds, 2))
    code, error = outcome.error_code or "INTERNAL_ERROR", outcome.error or ""
    write_record(output_dir, failure_record(path, key, code, error))
    return DocReport(str(path), "failed", None, code, error, round(seconds, 2))


def finish_run(config: RunConfig, work: Plan, reports: list[DocReport]) -> RunResult:
    """Prune if asked; when anything changed, write the run report and refresh the catalogue."""
    if config.prune:
        reports += [DocReport(source=doc_id, status="removed", document_id=doc_id) for doc_id in prune(
            config.output_dir, work.stale)]  # fmt: skip
    result = RunResult(documents=reports)
    if not any(doc.status in ("built", "failed", "removed") for doc in reports):
        return result  # nothing changed: not a byte of output/ is touched
    if config.catalogue:
        from ccpipe.catalog import update_catalogue

        catalogue = update_catalogue(config.output_dir, base_url=config.base_url)
        result.changed_briefs = [entry.id for entry in catalogue.changed]
        if config.smtp is not None and config.recipients and catalogue.changed:
            from ccpipe.runs.notify import send_new_briefs

            send_new_briefs(catalogue.changed, config.smtp, list(config.recipients), config.output_dir,
                            base_url=config.base_url)  # fmt: skip
    result.report_path = write_run_report(config.output_dir, result)
    return result


def write_run_report(output_dir: Path, result: RunResult) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    payload = {"finished": stamp, "documents": [asdict(doc) for doc in result.documents],
               "summary": summary_lines(result.documents)}  # fmt: skip
    data = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    return write_atomic(output_dir / RUNS_DIR / f"{stamp}.json", data.encode("utf-8"))


def summary_lines(documents: Iterable[DocReport], stale: Iterable[str] = ()) -> list[str]:
    """A human summary: counts, then one line per failed document with its reason."""
    documents = list(documents)
    count = {status: sum(1 for d in documents if d.status == status) for status in
             ("built", "unchanged", "failed", "failed_before", "removed")}  # fmt: skip
    lines = [
        f"{count['built']} document(s) done, {count['failed']} failed, {count['unchanged']} unchanged (skipped)"
        + (f", {count['failed_before']} failed before (skipped until the file or glossary changes)"
           if count["failed_before"] else "")
        + (f", {count['removed']} removed" if count["removed"] else "")
    ]  # fmt: skip
    lines += [f"  FAILED {Path(d.source).name}: {d.error}" for d in documents if d.status == "failed"]
    lines += [f"  FAILED EARLIER {Path(d.source).name}: {d.error}" for d in documents if d.status == "failed_before"]
    lines += [f"  stale output of a deleted source: {doc_id} (remove with --prune)" for doc_id in stale]
    return lines
