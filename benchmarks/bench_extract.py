"""Extraction speed: ccpipe's reconstruction against plain pdfplumber ``extract_text()``.

`.venv/bin/python benchmarks/bench_extract.py [--repeat N]` prints pages per second for each file and
the overhead of the reconstruction (tables, columns, line rebuilding) over plain text extraction.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from ccpipe.extract import extract

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    ROOT / "source_docs" / "全球应对气候变化合作进展评估及相关建议.pdf",
    ROOT.parent / "shared" / "fixtures" / "pdf" / "running-headers-quarterly-report.pdf",
]


def plain(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def ours(path: Path) -> int:
    return extract(path).source.pages


def seconds(work: Callable[[Path], int], path: Path, repeat: int) -> tuple[float, int]:
    times, pages = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        pages = work(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    print(f"{'file':<40} {'pages':>5} {'plain p/s':>10} {'ccpipe p/s':>11} {'overhead':>9}")
    for path in FILES:
        base, pages = seconds(plain, path, repeat)
        mine, _ = seconds(ours, path, repeat)
        print(f"{path.name[:40]:<40} {pages:>5} {pages / base:>10.1f} {pages / mine:>11.1f} {mine / base - 1:>9.0%}")


if __name__ == "__main__":
    main()
