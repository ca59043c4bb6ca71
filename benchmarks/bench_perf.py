"""How fast ccpipe is, as ratios that survive a busy machine: one run prints every number of issue 14.

    .venv/bin/python benchmarks/bench_perf.py [--repeat 3] [--formats json,html,pdf,docx,md] [--corpus-limit N]

* the sample end to end: a cold `ccpipe run` (a new process, all formats) against a cold process doing plain
  pdfplumber ``extract_text`` of the same file;
* the PDF brief: CPU seconds per page of the print variant, and of the screen markup it replaced;
* start-up: `ccpipe --help`, and a `ccpipe run` over ../shared/corpus with nothing to do;
* corpus throughput, documents per minute, with 1 and 2 worker processes, and the outputs compared byte for byte;
* peak memory (RSS) of the run's process and of each worker.

CPU seconds (user + system, children included) are the numbers to compare on a shared machine; wall seconds
are printed beside them, with the load average, and medians are taken over ``--repeat`` runs. Timing lives
here, never in pass/fail tests.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ccpipe.machine import child_pids

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source_docs" / "全球应对气候变化合作进展评估及相关建议.pdf"
CORPUS = ROOT.parent / "shared" / "corpus"
CCPIPE = [sys.executable, "-m", "ccpipe.cli"]
RAW = "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    [p.extract_text() for p in pdf.pages]\n"


@dataclass
class Sample:
    cpu: float
    wall: float
    peaks: dict[str, float]  # process role -> peak RSS in MB


def run(command: list[str], cwd: Path) -> Sample:
    """Run a command to the end: its CPU seconds (children included), wall seconds and peak RSS per process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, tuple[str, float]] = {}
    watcher = threading.Thread(target=_watch_memory, args=(process, peaks), daemon=True)
    watcher.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode not in (0, 1):  # 1: a document failed, which the corpus may do
        raise RuntimeError(f"{command} failed: {stderr.decode(errors='replace')[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    roles: dict[str, float] = {}
    for role, megabytes in peaks.values():
        roles[role] = max(roles.get(role, 0.0), megabytes)
    return Sample(cpu, wall, roles)


def _watch_memory(process: subprocess.Popen[bytes], peaks: dict[int, tuple[str, float]]) -> None:
    """Poll the high-water mark (VmHWM) of the run's process and of every process under it."""
    while process.poll() is None:
        for pid, role in _descendants(process.pid):
            peak = _high_water_mb(pid)
            if peak:
                peaks[pid] = (role, max(peak, peaks.get(pid, (role, 0.0))[1]))
        time.sleep(0.2)


def _descendants(pid: int, role: str = "run") -> list[tuple[int, str]]:
    """The process and those under it, each with its role: the run, its workers or extraction children (forked
    copies of it: their RSS counts the pages they share with it), a PDF renderer, pandoc."""
    found = [(pid, role)]
    for child in child_pids(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ccpipe.publish.renderer" in command:
            found.append((child, "pdf renderer"))
        elif b"pandoc" in command:
            found.append((child, "pandoc"))
        else:
            found += _descendants(child, "worker/extraction")
    return found


def _high_water_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _peaks(samples: list[Sample]) -> str:
    roles: dict[str, float] = {}
    for sample in samples:
        for role, megabytes in sample.peaks.items():
            roles[role] = max(roles.get(role, 0.0), megabytes)
    return ", ".join(f"{role} {megabytes:.0f} MB" for role, megabytes in sorted(roles.items()))


def medians(samples: list[Sample]) -> tuple[float, float]:
    return statistics.median(s.cpu for s in samples), statistics.median(s.wall for s in samples)


def line(name: str, samples: list[Sample], extra: str = "") -> tuple[float, float]:
    cpu, wall = medians(samples)
    print(f"  {name:<46} {cpu:7.2f} s CPU {wall:7.2f} s wall  {extra}", flush=True)
    return cpu, wall


def end_to_end(scratch: Path, repeat: int, formats: str) -> None:
    print("sample, cold processes")
    source = scratch / "sample"
    source.mkdir()
    shutil.copy(SAMPLE, source)
    # A fresh output folder each time: everything is built.
    ours = [run(_run_command(source, scratch / f"sample-out-{index}", formats), scratch) for index in range(repeat)]
    raw = [run([sys.executable, "-c", RAW, str(SAMPLE)], scratch) for _ in range(repeat)]
    cpu, wall = line(f"ccpipe run ({formats})", ours, f"peak RSS: {_peaks(ours)}")
    raw_cpu, raw_wall = line("pdfplumber extract_text", raw)
    print(f"  {'ratio (target <= 4x)':<46} {cpu / raw_cpu:7.1f} x CPU {wall / raw_wall:7.1f} x wall")


# One render in a fresh process, as a renderer process does it: WeasyPrint imported and its fonts found first
# (a one-line warm-up), then the brief. Renders repeated in one long-lived process drift slower (up to 40%).
RENDER_ONCE = """import sys, time
import pypdfium2
from ccpipe.publish.pdf import render_pdf
html = open(sys.argv[1], encoding="utf-8").read()
render_pdf("<p>warm-up</p>")
started = time.process_time()
pdf = render_pdf(html)
print(time.process_time() - started, len(pypdfium2.PdfDocument(pdf)))
"""


def pdf_pages(scratch: Path, repeat: int) -> None:
    print("PDF brief of the sample, each render in a fresh process (CPU seconds per page)")
    from ccpipe.publish.build import build_brief
    from ccpipe.publish.html import render_brief_html, render_print_html
    from ccpipe.runs.pipeline import Resources, build_document

    with tempfile.TemporaryDirectory() as cache:
        brief = build_brief(build_document(SAMPLE, Resources.load(ROOT / "glossary", Path(cache))))
    for name, html in (("print variant (brief.pdf)", render_print_html(brief)),
                       ("screen markup, as before", render_brief_html(brief))):  # fmt: skip
        page = scratch / "brief-for-pdf.html"
        page.write_text(html, encoding="utf-8")
        seconds, pages = [], 0
        for _ in range(repeat):
            out = subprocess.run([sys.executable, "-c", RENDER_ONCE, str(page)], capture_output=True, check=True)
            cpu, count = out.stdout.split()
            seconds.append(float(cpu))
            pages = int(count)
        per_page = statistics.median(seconds) / pages
        print(f"  {name:<46} {per_page:7.3f} s/page  ({pages} pages, {statistics.median(seconds):.2f} s)")


def _run_command(source: Path, output: Path, formats: str, *extra: str) -> list[str]:
    return [*CCPIPE, "run", str(source), "--output", str(output), "--formats", formats, "--glossary",
            str(ROOT / "glossary"), "--quiet", *extra]  # fmt: skip


def start_up(scratch: Path, repeat: int, built: tuple[Path, Path] | None, formats: str) -> None:
    print("start-up, cold processes")
    line("ccpipe --help (target <= 0.4 s)", [run([*CCPIPE, "--help"], scratch) for _ in range(repeat)])
    if built is not None:
        command = _run_command(*built, formats)
        line("no-op ccpipe run over the corpus (target <= 0.6 s)", [run(command, scratch) for _ in range(repeat)])


def throughput(scratch: Path, formats: str, limit: int | None) -> tuple[Path, Path]:
    """Build the corpus with 1, then 2 workers; the corpus and the 1-worker output, for the no-op run."""
    source = CORPUS
    documents = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    if limit is not None:
        source = scratch / "corpus"
        source.mkdir()
        for path in documents[:limit]:
            shutil.copy(path, source / path.name)
        documents = documents[:limit]
    print(f"corpus throughput: {len(documents)} documents of {source}, formats {formats}")
    outputs = {}
    per_minute = {}
    for workers in (1, 2):
        output = scratch / f"corpus-{workers}"
        sample = run(_run_command(source, output, formats, "--workers", str(workers)), scratch)
        per_minute[workers] = len(documents) / sample.wall * 60
        line(f"{workers} worker(s): {per_minute[workers]:.1f} documents/min", [sample], f"peak RSS: {_peaks([sample])}")
        outputs[workers] = output
    print(f"  {'speed-up with 2 workers (target >= 1.8x)':<46} {per_minute[2] / per_minute[1]:7.2f} x")
    same = _same_outputs(outputs[1], outputs[2])
    print(f"  {'outputs of 1 and 2 workers byte-identical':<46} {same}")
    return source, outputs[1]


def _same_outputs(one: Path, two: Path) -> bool:
    """Every document's outputs and build record alike (the catalogue and run report carry times)."""
    names = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file() and p.parent != one and "runs" not in
                   p.parts)  # fmt: skip
    others = sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file() and p.parent != two and "runs" not in
                    p.parts)  # fmt: skip
    return names == others and all(filecmp.cmp(one / n, two / n, shallow=False) for n in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (medians are printed)")
    parser.add_argument("--formats", default="json,html,pdf,docx,md")
    parser.add_argument("--corpus-limit", type=int, default=None, help="only the first N corpus documents")
    parser.add_argument("--skip-corpus", action="store_true", help="no throughput and no no-op run")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="ccpipe-bench-") as tmp:
        scratch = Path(tmp)
        end_to_end(scratch, args.repeat, args.formats)
        pdf_pages(scratch, args.repeat)
        built = None if args.skip_corpus else throughput(scratch, args.formats, args.corpus_limit)
        start_up(scratch, max(args.repeat, 5), built, args.formats)
    print(f"load average at the end {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
