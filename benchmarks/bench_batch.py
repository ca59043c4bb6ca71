"""Documents per minute through the Prefect flow: sequential, threads and a local Dask cluster.

    .venv/bin/python benchmarks/bench_batch.py [--formats json,html] [--copies 4] [--workers 2] [--modes ...]

The batch is real files: the sample report under ``--copies`` names, the text-layer PDFs of
../shared/fixtures/pdf (the scanned ones would time OCR instead) and the Word fixtures. Each mode builds the
whole batch into a fresh output folder against a temporary Prefect database; the embedded server is started
before timing, while the glossary and tokenizer load (and the Dask cluster start) count, as they would in a
real run. Timing lives here, never in pass/fail tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccpipe.publish.writer import FORMATS
from ccpipe.runs.config import Settings
from ccpipe.runs.runner import RunConfig

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source_docs" / "全球应对气候变化合作进展评估及相关建议.pdf"
FIXTURES = ROOT.parent / "shared" / "fixtures"
MODES = ("sequential", "threads", "dask", "dask-warm")


@dataclass
class Timing:
    mode: str
    workers: int
    seconds: float
    built: int
    failed: int


def batch(folder: Path, copies: int) -> list[Path]:
    """Copy the benchmark documents into ``folder``."""
    folder.mkdir(parents=True)
    for index in range(copies):
        shutil.copy(SAMPLE, folder / f"sample-{index + 1}.pdf")
    pdfs = [p for p in sorted((FIXTURES / "pdf").glob("*.pdf")) if not p.name.startswith("scanned")]
    for path in [*pdfs, *sorted((FIXTURES / "docx").glob("*.docx"))]:
        shutil.copy(path, folder / path.name)
    return sorted(folder.iterdir())


@contextmanager
def runner_for(mode: str, workers: int, warm_up: RunConfig) -> Iterator[tuple[int, Any]]:
    """The task runner of a mode. "dask" starts its cluster inside the flow run, as ``--dask local`` does;
    "dask-warm" runs on a cluster started and warmed up (tools loaded in every worker) beforehand, as a
    standing cluster would be."""
    from flows.runners import task_runner
    from prefect.task_runners import ThreadPoolTaskRunner

    if mode == "sequential":
        yield 1, ThreadPoolTaskRunner(max_workers=1)
    elif mode != "dask-warm":
        yield workers, task_runner(workers, "local" if mode == "dask" else None)
    else:
        import dask
        from distributed import LocalCluster
        from flows.process_reports import process_reports

        dask.config.set({"distributed.worker.daemon": False})
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster:
            runner = task_runner(workers, cluster.scheduler_address)
            for _ in range(workers):  # one small document per worker is not guaranteed: warm up a few times
                shutil.rmtree(warm_up.output_dir, ignore_errors=True)
                process_reports.with_options(task_runner=runner)(warm_up)
            yield workers, task_runner(workers, cluster.scheduler_address)


def measure(mode: str, workers: int, config: RunConfig, warm_up: RunConfig) -> Timing:
    from flows.process_reports import process_reports

    from ccpipe.runs import pipeline

    # Every mode loads the glossary and tokenizer itself (Dask workers always do).
    pipeline._shared.clear()
    with runner_for(mode, workers, warm_up) as (used, runner):
        start = time.perf_counter()
        result = process_reports.with_options(task_runner=runner)(config)
        seconds = time.perf_counter() - start
    built = sum(1 for doc in result.documents if doc.status == "built")
    return Timing(mode, used, seconds, built, sum(1 for doc in result.documents if doc.status == "failed"))


def table(timings: list[Timing], documents: int) -> str:
    base = next((t.seconds for t in timings if t.mode == "sequential"), None)
    rows = [f"{'mode':<11} {'workers':>7} {'seconds':>8} {'docs/min':>9} {'speed-up':>9} {'built':>6} {'failed':>6}"]
    for t in timings:
        speedup = f"{base / t.seconds:8.2f}x" if base else f"{'-':>9}"
        rows.append(f"{t.mode:<11} {t.workers:>7} {t.seconds:8.1f} {documents / t.seconds * 60:9.1f} {speedup} "
                    f"{t.built:>6} {t.failed:>6}")  # fmt: skip
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--formats", default="json,html", help=f"comma-separated, from {','.join(FORMATS)}")
    parser.add_argument("--copies", type=int, default=4, help="copies of the sample report in the batch")
    parser.add_argument("--workers", type=int, default=2, help="workers of the parallel modes")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, from {','.join(MODES)}")
    args = parser.parse_args()
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]

    # Prefect and Dask log every task run; set before either is imported (Dask workers inherit it).
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    from flows import settings

    settings.apply()
    from prefect.testing.utilities import prefect_test_harness

    with tempfile.TemporaryDirectory() as scratch, prefect_test_harness(server_startup_timeout=180):
        sources = batch(Path(scratch) / "source_docs", args.copies)
        print(f"{len(sources)} documents, formats {','.join(formats)}, {args.workers} workers for parallel modes")
        timings = []
        small = Path(scratch) / "warm-up"
        small.mkdir()
        for index in range(4):
            (small / f"note-{index}.txt").write_text("《巴黎协定》与绿色气候基金。\n", encoding="utf-8")
        for mode in modes:
            settings = Settings(
                source_dir=Path(scratch) / "source_docs",
                output_dir=Path(scratch) / f"output-{mode}",
                glossaries=[ROOT / "glossary"],
                formats=list(formats),
                cache_dir=Path(scratch) / "cache",
            )
            config = settings.run_config()
            warm_up = settings.model_copy(update={"output_dir": Path(scratch) / "output-warm-up"}).run_config([small])
            timings.append(measure(mode, args.workers, config, warm_up))
            print(f"  {mode}: {timings[-1].seconds:.1f} s", flush=True)
        print()
        print(table(timings, len(sources)))


if __name__ == "__main__":
    main()
