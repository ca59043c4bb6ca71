"""Soak: 200 mixed and hostile documents, built while this process kills and restarts the run at random moments.

    .venv/bin/python benchmarks/soak.py [--documents 200] [--kills 20] [--formats json,html] [--seed 10]
                                        [--wait 3 45] [--workdir DIR] [--keep]

The source folder holds the corpus (../shared/corpus), the fixtures (../shared/fixtures: text-layer and scanned
PDFs, malformed PDFs, Word files), the sample report and generated hostile files (names of 250 bytes, control
and bidi characters in names, stems shared by several files and folders, empty and undecodable files, a FIFO,
links into and out of the folder, a zip bomb, an unclosed <svg>, formulas for spreadsheets, a 1 MB text, a
single line of 200,000 characters, a PDF cut in half), topped up to ``--documents`` with text documents made
from the sample's reference text. Then ``--kills`` times: start ``ccpipe run`` (its own session), wait a random
moment, kill it (SIGKILL, every third time SIGTERM), and start the next one at once. A last run goes to the end.

At the end every source must have a complete, valid output set or a recorded failure (or refusal) with a code;
no process of any run may be left; the output folder's lock must be free; no temporary file may be left. The
figures are printed. Not a test: it takes tens of minutes and its timings depend on the machine.
"""

from __future__ import annotations

import argparse
import fcntl
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ccpipe.machine import child_pids

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "source_docs" / "全球应对气候变化合作进展评估及相关建议.pdf"
REFERENCE = SHARED / "fixtures" / "reference" / "global-climate-cooperation-2023.txt"
TEXT = "《巴黎协定》要求发达国家为发展中国家提供资金支持。绿色气候基金已批准100亿美元。"


@dataclass
class Kill:
    signal: str
    after: float  # seconds the run had been going
    stage_child: bool  # a stage or extraction child was running when the signal came
    exit_status: int | None
    records: int  # build records after the run ended
    locked: bool  # the run found the lock held (RUN_LOCKED)
    traceback: bool


@dataclass
class Soak:
    sources: Path
    output: Path
    formats: str
    sessions: list[int] = field(default_factory=list)
    kills: list[Kill] = field(default_factory=list)


# --- the documents ---------------------------------------------------------------------------------------


def real_documents(folder: Path) -> list[Path]:
    """The corpus, the fixtures and the sample, each under its own name."""
    copied = []
    for path in [*sorted((SHARED / "corpus").rglob("*.*")), *sorted((SHARED / "fixtures").glob("*/*.*")), SAMPLE]:
        if path.suffix.lower() not in (".pdf", ".docx", ".html", ".md", ".txt") or "reference" in path.parts:
            continue
        target = folder / "real" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
        copied.append(target)
    return copied


def hostile_documents(folder: Path) -> list[Path]:
    """Files made to break a run: names, kinds, collisions, sizes, formats."""
    made: list[Path] = []

    def write(relative: str, data: bytes | str) -> None:
        path = folder / "hostile" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        made.append(path)

    write("a" * 246 + ".txt", TEXT)
    write("气候" * 40 + ".txt", TEXT)
    write("invoice\u202efdp.exe\x1b[2J.txt", TEXT)
    write("[bold]rich markup[/].txt", TEXT)
    for suffix, body in ((".txt", TEXT), (".md", f"# 标题\n\n{TEXT}\n"), (".html", f"<h1>标题</h1><p>{TEXT}</p>")):
        write("ext" + suffix, body)
    for year in ("2023", "2024", "2025"):
        write(f"{year}/report.txt", TEXT.replace("100", year))
    write("empty.pdf", b"")
    write("empty.txt", "   \n\n")
    write("latin1.txt", "Caf\xe9 na\xefve \xff\xfe".encode("latin-1") * 3)
    write("gb18030.txt", (TEXT * 3).encode("gb18030"))
    write("text-named.pdf", TEXT)
    write("garbage.pdf", bytes(random.Random(1).getrandbits(8) for _ in range(50_000)))
    write("half.pdf", SAMPLE.read_bytes()[: SAMPLE.stat().st_size // 2])
    write("svg.html", f"<h1>标题<svg onload=alert(1)></h1><p>{TEXT}</p><h2>第二节</h2><p>{TEXT}</p>")
    write("formulas.txt", "\n\n".join(f'“=HYPERLINK(\\"http://x.invalid\\",\\"{n}\\")”倡议。{TEXT}' for n in range(5)))
    write("nested.html", "<div>" * 5000 + TEXT + "</div>" * 5000)
    reference = REFERENCE.read_text(encoding="utf-8")
    write("big-1mb.txt", reference * 45)
    write("one-line.txt", "".join(reference.split()) * 26)
    write("bomb.docx", zip_bomb())
    fifo = folder / "hostile" / "pipe.txt"
    os.mkfifo(fifo)
    made.append(fifo)
    for name, target in (("passwd.txt", Path("/etc/passwd")), ("inside.txt", folder / "hostile" / "ext.txt")):
        (folder / "hostile" / name).symlink_to(target)
        made.append(folder / "hostile" / name)
    return made


def zip_bomb() -> bytes:
    source = SHARED / "fixtures" / "docx" / "lists-tables-equations.docx"
    with zipfile.ZipFile(source) as original:
        parts = {info.filename: original.read(info) for info in original.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name, data in parts.items():
            if name == "word/document.xml":
                cut = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:cut] + b" " * (200 << 20) + data[cut:]
            bomb.writestr(name, data)
    return out.getvalue()


def filler_documents(folder: Path, count: int, rng: random.Random) -> list[Path]:
    """Text documents cut from the reference text: different content, same kind."""
    paragraphs = [p for p in REFERENCE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    made = []
    for index in range(count):
        chosen = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(3, 12)))
        path = folder / "filler" / f"note-{index:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"气候合作简报第{index + 1}号\n\n" + "\n\n".join(chosen) + "\n", encoding="utf-8")
        made.append(path)
    return made


# --- the runs --------------------------------------------------------------------------------------------


def command(soak: Soak, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ccpipe.cli", "run", str(soak.sources), "--output", str(soak.output),
            "--glossary", str(ROOT / "glossary"), "--formats", soak.formats, *extra]  # fmt: skip


def records(output: Path) -> int:
    state = output / ".state"
    return len(list(state.glob("*.json"))) if state.is_dir() else 0


def kill_once(soak: Soak, wait: float, signum: signal.Signals) -> Kill:
    started = time.monotonic()
    run = subprocess.Popen(command(soak, "--quiet"), stderr=subprocess.PIPE, text=True, start_new_session=True)
    soak.sessions.append(run.pid)
    try:
        run.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        stage_child = bool(child_pids(run.pid))
        run.send_signal(signum)
    else:
        stage_child = False
    try:
        _, stderr = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # a stop that does not stop is a finding: say so, then end it
        run.kill()
        _, stderr = run.communicate()
        stderr += "\nSOAK: the run did not stop within 60 s of the signal"
    if "Traceback" in stderr or "SOAK:" in stderr:
        (soak.output.parent / f"run-{len(soak.sessions)}.stderr").write_text(stderr, encoding="utf-8")
    shown = signum.name if run.returncode in (-9, -15, 143) else "none (finished)"
    elapsed = round(time.monotonic() - started, 1)
    locked, traceback = "RUN_LOCKED" in stderr, "Traceback" in stderr or "SOAK:" in stderr
    return Kill(shown, elapsed, stage_child, run.returncode, records(soak.output), locked, traceback)


def final_run(soak: Soak) -> tuple[float, list[dict[str, object]], str]:
    started = time.monotonic()
    run = subprocess.run(command(soak, "--json"), capture_output=True, text=True, start_new_session=True, check=False)
    return round(time.monotonic() - started, 1), json.loads(run.stdout or "[]"), run.stderr


# --- the checks ------------------------------------------------------------------------------------------


def session_processes(sessions: list[int]) -> list[str]:
    """Processes still in a session of one of the runs (their children, tesseract, pandoc)."""
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in sessions and fields[0] != "Z":
            shown = (entry / "cmdline").read_bytes().replace(b"\0", b" ")[:80]
            left.append(f"{entry.name} {shown!r}")
    return left


def lock_free(output: Path) -> bool:
    with (output / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
    return True


def check_outputs(soak: Soak, reports: list[dict[str, object]]) -> list[str]:
    """Every source accounted for: a complete valid output set, or a code."""
    sys.path.insert(0, str(ROOT / "src"))
    from ccpipe.publish.json import validate_document
    from ccpipe.runs.incremental import read_records

    problems = []
    recorded = read_records(soak.output)
    for report in reports:
        status, doc_id = report["status"], report.get("document_id")
        if status in ("failed", "failed_before", "refused"):
            if not report.get("error_code"):
                problems.append(f"{report['source']}: {status} without a code")
            continue
        record = recorded.get(str(doc_id))
        folder = soak.output / str(doc_id)
        if record is None or not folder.is_dir():
            problems.append(f"{report['source']}: {status} without a record or folder")
            continue
        validate_document(json.loads((folder / "document.json").read_text(encoding="utf-8")))
        if "html" in soak.formats and not (folder / "brief.html").read_text(encoding="utf-8").rstrip().endswith(
            "</html>"
        ):
            problems.append(f"{report['source']}: brief.html incomplete")
        if set(record.outputs) != {p.name for p in folder.iterdir()}:
            problems.append(f"{report['source']}: outputs {sorted(p.name for p in folder.iterdir())} != record")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--formats", default="json,html")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--wait", type=float, nargs=2, default=(3.0, 45.0), metavar=("MIN", "MAX"))
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--generated-only", action="store_true", help="leave out the corpus and fixtures (a quick try)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="ccpipe-soak-"))
    soak = Soak(work / "source_docs", work / "output", args.formats)
    documents = [] if args.generated_only else real_documents(soak.sources)
    documents += hostile_documents(soak.sources)
    documents += filler_documents(soak.sources, max(0, args.documents - len(documents)), rng)
    kinds = Counter(p.suffix.lower() or "none" for p in documents)
    print(f"{len(documents)} sources in {soak.sources}: {dict(sorted(kinds.items()))}")
    started = time.monotonic()
    for number in range(args.kills):
        signum = signal.SIGTERM if number % 3 == 2 else signal.SIGKILL
        kill = kill_once(soak, rng.uniform(*args.wait), signum)
        soak.kills.append(kill)
        print(f"run {number + 1:2d}: {kill.signal:>16} after {kill.after:6.1f} s, stage child running: "
              f"{'yes' if kill.stage_child else 'no '}, exit {kill.exit_status}, {kill.records} records"
              f"{', RUN_LOCKED' if kill.locked else ''}{', TRACEBACK' if kill.traceback else ''}")  # fmt: skip
    seconds, reports, stderr = final_run(soak)
    again, second, _ = final_run(soak)
    time.sleep(2)
    statuses = Counter(str(r["status"]) for r in reports)
    codes = Counter(str(r["error_code"]) for r in reports if r.get("error_code"))
    problems = check_outputs(soak, reports)
    left = session_processes(soak.sessions)
    temporaries = [str(p) for p in soak.output.rglob("*.tmp")]
    print(f"\nkilled {len(soak.kills)} times ({sum(k.signal == 'SIGKILL' for k in soak.kills)} SIGKILL, "
          f"{sum(k.signal == 'SIGTERM' for k in soak.kills)} SIGTERM, "
          f"{sum(k.stage_child for k in soak.kills)} while a stage child ran); "
          f"RUN_LOCKED after a kill: {sum(k.locked for k in soak.kills)}; "
          f"tracebacks: {sum(k.traceback for k in soak.kills) + ('Traceback' in stderr)}")  # fmt: skip
    print(f"final run: {seconds} s, {dict(statuses)}; a second run: {again} s, "
          f"{dict(Counter(str(r['status']) for r in second))}")  # fmt: skip
    print(f"failures and refusals by code: {dict(sorted(codes.items()))}")
    print(f"sources without a complete output set or a code: {len(problems)}", *problems[:10], sep="\n  ")
    print(f"processes of any run left: {len(left)}", *left[:10], sep="\n  ")
    print(
        f"lock free: {lock_free(soak.output)}; temporary files left: {len(temporaries)}", *temporaries[:5], sep="\n  "
    )
    print(f"total {round(time.monotonic() - started)} s; reports in {soak.output / 'runs'}")
    clean = not problems and not left and not temporaries and len(reports) == len(documents) and lock_free(soak.output)
    if not args.keep and args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
