"""OCR accuracy and speed on a scanned copy of the sample report (see make_scan.py).

`.venv/bin/python benchmarks/bench_ocr.py [--workers N ...]` scans the sample (150 dpi, skewed, blurred,
speckled), extracts it, and prints for each worker count: seconds per page (wall clock and CPU), the
character error rate against the reference text, the 一、…四、 headings found, and running-header text
left inside body blocks. Wall-clock time depends on what else the machine runs; CPU time less so.
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.make_scan import SAMPLE, make_scan

from ccpipe.extract import extract
from ccpipe.extract.accuracy import measure
from ccpipe.extract.ocr import ocr_options
from ccpipe.machine import available_cores
from ccpipe.models import BlockKind, Document
from ccpipe.runs.pipeline import normalize_document

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "fixtures" / "reference" / "global-climate-cooperation-2023.txt"
_CHAPTER = re.compile(r"^[一二三四五六七八九十]+、")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def report(document: Document, pages: int, wall: float, cpu: float, workers: int) -> str:
    accuracy = measure(document, REFERENCE.read_text(encoding="utf-8"))
    chapters = [b.text for b in document.blocks if b.kind == BlockKind.HEADING and _CHAPTER.match(b.text)]
    headers = {f.text for f in document.furniture if f.kind == "header"}
    leaked = sum(any(h in b.text for h in headers) for b in document.blocks if b.kind != BlockKind.TITLE)
    confidence = min((entry.confidence for entry in document.document.source.ocr), default=0.0)
    return (
        f"workers {workers}: {wall / pages:.2f} s/page wall, {cpu / pages:.2f} s/page CPU; "
        f"CER {accuracy.cer:.3%}; chapter headings {len(chapters)} ({'/'.join(h[:2] for h in chapters)}); "
        f"blocks with header text {leaked}; lowest page confidence {confidence}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="*", default=[available_cores()])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scan = make_scan(SAMPLE, Path(folder) / "scanned-sample.pdf")
        for workers in args.workers:
            started, cpu = time.perf_counter(), cpu_seconds()
            with ocr_options(workers=workers):
                extracted = extract(scan)
            wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            print(report(normalize_document(extracted), extracted.source.pages, wall, cpu, workers), flush=True)


if __name__ == "__main__":
    main()
