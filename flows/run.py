"""`make run`: plan first, and start Prefect (embedded server, task runner) only when there is work.

A run with nothing new or changed prints its summary and exits in about a second without touching a
byte of output/ — no server start, no NLP stack. Usage:
    python -m flows.run [--config ccpipe.toml] [--source DIR] [--output DIR] [--prune] [--dask ADDRESS|local]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ccpipe.errors import CcpipeError
from ccpipe.runs.config import load_settings
from ccpipe.runs.runner import plan, skipped_reports, summary_lines


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Process new or changed documents with Prefect.")
    parser.add_argument("--config", type=Path, default=None, help="ccpipe.toml (default: ./ccpipe.toml if present)")
    parser.add_argument("--source", type=Path, dest="source_dir")
    parser.add_argument("--output", type=Path, dest="output_dir")
    parser.add_argument("--glossary", type=Path, action="append", dest="glossaries")
    parser.add_argument("--formats", type=lambda text: [f.strip() for f in text.split(",") if f.strip()])
    parser.add_argument("--workers", type=int)
    parser.add_argument("--prune", action="store_true", help="remove outputs of deleted sources")
    parser.add_argument("--dask", metavar="ADDRESS", help="run tasks on a Dask cluster ('local' starts one)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        settings = load_settings(
            args.config,
            source_dir=args.source_dir,
            output_dir=args.output_dir,
            glossaries=args.glossaries,
            formats=args.formats,
            workers=args.workers,
        )
        config = settings.run_config(prune=args.prune)
        work = plan(config)
    except CcpipeError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    if not work.build and not (config.prune and work.stale):
        print("\n".join(summary_lines(skipped_reports(work), work.stale)))
        return 0
    from flows import settings as prefect_settings

    prefect_settings.apply()
    from flows.process_reports import process_reports
    from flows.runners import task_runner

    result = process_reports.with_options(task_runner=task_runner(settings.workers, args.dask))(config)
    print("\n".join(["", *summary_lines(result.documents, [] if config.prune else work.stale)]))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
