"""Time each stage on the sample report: `.venv/bin/python benchmarks/bench_pipeline.py [--repeat N]`.

Timing lives here, never in pass/fail tests. Prints the median of N runs per stage.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ccpipe.publish.html import render_html
from ccpipe.publish.json import document_json
from ccpipe.publish.pdf import render_pdf
from ccpipe.runs.pipeline import STAGES, Resources, Work, default_source_options, run_stage

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source_docs" / "全球应对气候变化合作进展评估及相关建议.pdf"
T = TypeVar("T")


def timed(name: str, repeat: int, work: Callable[[], T]) -> T:
    seconds = []
    result = work()
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - start)
    print(f"{name:<10} {statistics.median(seconds) * 1000:9.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as cache:
        resources = timed("glossary", repeat, lambda: Resources.load(ROOT / "glossary", Path(cache)))
    work = Work(SAMPLE, default_source_options())
    for name, _ in STAGES:  # the pipeline's own stage list, each stage timed on the previous one's result
        before = work
        work = timed(name, repeat, lambda: run_stage(name, before, resources))  # noqa: B023 (called at once)
    document = work.built
    timed("json", repeat, lambda: document_json(document))
    html = timed("html", repeat, lambda: render_html(document))
    timed("pdf", max(1, repeat // 3), lambda: render_pdf(html))


if __name__ == "__main__":
    main()
