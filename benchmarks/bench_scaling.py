"""How the cost of each stage grows with the text: CPU seconds and peak memory for texts of growing size.

    .venv/bin/python benchmarks/bench_scaling.py [--sizes 62000 250000 1000000] [--formats json,html] [--one-line]

Each size is a text file cut from the sample's reference text (blank-line paragraphs; ``--one-line``: a single
paragraph without any line break), built by the library's stages and published, each size in a fresh process.
CPU time counts the stages' children (every stage runs in one), so it is measured, not wall time on a busy
machine. Near-linear means the last column stays about flat as the size grows.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "fixtures" / "reference" / "global-climate-cooperation-2023.txt"


def cpu() -> float:
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def text_of(size: int, one_line: bool) -> str:
    reference = REFERENCE.read_text(encoding="utf-8")
    if one_line:
        reference = "".join(reference.split())
    return (reference * (size // len(reference) + 1))[:size]


def measure(size: int, formats: list[str], one_line: bool, folder: Path) -> dict[str, object]:
    """One size, in this process: seconds of CPU per stage, and the peak memory of any stage's child."""
    from ccpipe.runs.config import Settings
    from ccpipe.runs.pipeline import STAGES, Work, publish_stage, run_stage, shared_resources

    settings = Settings(output_dir=folder / "output", formats=formats, glossaries=[ROOT / "glossary"])
    source = folder / f"text-{size}.txt"
    source.write_text(text_of(size, one_line) + "\n", encoding="utf-8")
    resources = shared_resources(settings.glossaries, folder / "cache")
    work = Work(source, settings.source_options())
    seconds: dict[str, float] = {}
    for name, _ in STAGES:
        started = cpu()
        work = run_stage(name, work, resources)
        seconds[name] = round(cpu() - started, 2)
    started = cpu()
    publish_stage(work, settings.publish_options())
    seconds["publish"] = round(cpu() - started, 2)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return {"size": size, "blocks": len(work.built.blocks), "seconds": seconds, "peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[62_000, 250_000, 1_000_000])
    parser.add_argument("--formats", default="json,html")
    parser.add_argument("--one-line", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    formats = args.formats.split(",")
    if args.child:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(measure(args.child, formats, args.one_line, Path(folder))))
        return
    print(f"{'characters':>10} {'blocks':>6} {'CPU s':>7} {'peak MB':>7} {'µs/char':>7}  per stage (CPU s)")
    for size in args.sizes:
        command = [sys.executable, __file__, "--child", str(size), "--formats", args.formats]
        done = subprocess.run(command + (["--one-line"] if args.one_line else []), capture_output=True, text=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        total = sum(row["seconds"].values())
        stages = " ".join(f"{name} {value}" for name, value in row["seconds"].items())
        print(f"{size:>10,} {row['blocks']:>6} {total:>7.1f} {row['peak_mb']:>7} {total / size * 1e6:>7.1f}  {stages}")


if __name__ == "__main__":
    main()
