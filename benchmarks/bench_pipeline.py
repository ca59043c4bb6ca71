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

from ccpipe.extract import extract
from ccpipe.publish.html import render_html
from ccpipe.publish.json import document_json
from ccpipe.publish.pdf import render_pdf
from ccpipe.runs.pipeline import Resources, align_document, normalize_document, segment_document, tag_document

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
    extracted = timed("extract", repeat, lambda: extract(SAMPLE))
    document = timed("normalize", repeat, lambda: normalize_document(extracted))
    document = timed("segment", repeat, lambda: segment_document(document, resources.segmenter))
    matches, issues = timed("tag", repeat, lambda: tag_document(document, resources.matcher))
    document = timed("align", repeat, lambda: align_document(document, matches, resources.glossary, issues))
    timed("json", repeat, lambda: document_json(document))
    html = timed("html", repeat, lambda: render_html(document))
    timed("pdf", max(1, repeat // 3), lambda: render_pdf(html))


if __name__ == "__main__":
    main()
