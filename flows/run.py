"""`make run`: plan first, and start Prefect (embedded server, task runner) only when there is work.

A run with nothing new or changed prints its summary and exits in about a second without touching a
byte of output/ — no server start, no NLP stack. :func:`run_if_needed` is that rule, for `make run`,
`ccpipe serve` and `ccpipe watch` alike. Usage:
    python -m flows.run [--config ccpipe.toml] [--source DIR] [--output DIR] [--prune] [--dask ADDRESS|local]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ccpipe.errors import CcpipeError
from ccpipe.runs.config import load_settings
from ccpipe.runs.runner import RunConfig, RunResult, has_work, plan, skipped_reports, summary_lines


@dataclass
class Ran:
    """What :func:`run_if_needed` did: the flow's result (None when there was nothing to do) and the summary."""

    result: RunResult | None = None
    lines: list[str] = field(default_factory=list)


def _ready() -> bool:
    return True


def run_if_needed(
    config: RunConfig, workers: int, dask_address: str | None = None, before_run: Callable[[], bool] = _ready
) -> Ran:
    """Plan; when there is work, call ``before_run`` (False: stop, nothing run) and run the flow."""
    work = plan(config)
    stale = [] if config.prune else work.stale
    if not has_work(work, config):
        return Ran(None, summary_lines(skipped_reports(work), work.stale))
    if not before_run():
        return Ran()
    from flows import settings as prefect_settings

    prefect_settings.apply()
    from flows.process_reports import process_reports
    from flows.runners import task_runner

    result = process_reports.with_options(task_runner=task_runner(workers, dask_address))(config)
    return Ran(result, summary_lines(result.documents, stale, result.warnings))


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Process new or changed documents with Prefect.")
    parser.add_argument("--config", type=Path, default=None, help="ccpipe.toml (default: ./ccpipe.toml if present)")
    parser.add_argument("--source", type=Path, dest="source_dir")
    parser.add_argument("--output", type=Path, dest="output_dir")
    parser.add_argument("--glossary", type=Path, action="append", dest="glossaries")
    parser.add_argument("--formats", type=lambda text: [f.strip() for f in text.split(",") if f.strip()])
    parser.add_argument("--workers", type=int)
    parser.add_argument("--prune", action="store_true", help="remove outputs of deleted sources")
    parser.add_argument("--dask", metavar="ADDRESS", dest="dask_address", help="a Dask cluster ('local' starts one)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        flags = {key: value for key, value in vars(args).items() if key not in ("config", "prune")}
        settings = load_settings(args.config, **flags)
        ran = run_if_needed(settings.run_config(prune=args.prune), settings.workers, settings.dask_address)
    except CcpipeError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print("\n".join(["", *ran.lines] if ran.result else ran.lines))
    return 0 if ran.result is None or ran.result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
