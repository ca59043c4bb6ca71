"""Runs that nothing stops or corrupts (issue 10): killed runs, colliding names, odd file names, budgets, full and
read-only disks, passwords, sources that are not regular files in the source folder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ccpipe.machine import child_pids
from ccpipe.runs.incremental import read_record, recorded_ids
from ccpipe.runs.lock import run_lock
from ccpipe.runs.runner import run_batch

from .conftest import ROOT, child_env, run_config, shared_file

TEXT = "《巴黎协定》要求发达国家为发展中国家提供资金支持。绿色气候基金已批准100亿美元。\n"


def cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "ccpipe.cli", "run", *map(str, args), "--glossary", str(ROOT / "glossary"),
            "--formats", "json,html"]  # fmt: skip


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def descendants_of(pid: int) -> list[int]:
    found = child_pids(pid)
    for child in list(found):
        found += descendants_of(child)
    return found


def threads_of(pid: int) -> int:
    try:
        return len(list(Path(f"/proc/{pid}/task").iterdir()))
    except OSError:
        return 0


def ocr_env() -> dict[str, str]:
    """Two OCR threads whatever the machine's cores, so that extraction_running_ocr finds them."""
    return {**child_env(), "CCPIPE_OCR_WORKERS": "2"}


def extraction_running_ocr(run: subprocess.Popen[bytes], limit: float = 180) -> int:
    """The run's extraction child, once it recognises pages (well inside extraction): the one process under the
    run with OCR's threads (a page-rendering thread and one recognising thread per core)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and run.poll() is None:
        for process in descendants_of(run.pid):
            if threads_of(process) >= 3:
                return process
        time.sleep(0.05)
    pytest.fail("the run never reached OCR")


@pytest.fixture
def scan_and_texts(tmp_path: Path) -> Path:
    source = tmp_path / "source_docs"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    shutil.copy(shared_file("pdf", "scanned-no-text-layer.pdf"), source / "b-scan.pdf")
    (source / "c.txt").write_text(TEXT.replace("100亿", "300亿"), encoding="utf-8")
    return source


@pytest.mark.slow
def test_a_run_killed_mid_extraction_leaves_no_child_and_no_lock(tmp_path: Path, scan_and_texts: Path) -> None:
    output = tmp_path / "output"
    run = subprocess.Popen(cli(scan_and_texts, "--output", output, "--quiet"), cwd=tmp_path, env=ocr_env())
    child = extraction_running_ocr(run)
    os.kill(run.pid, signal.SIGKILL)  # the run only: its child must go by itself
    run.wait()
    other = tmp_path / "other"
    other.mkdir()
    (other / "d.txt").write_text(TEXT, encoding="utf-8")
    at_once = subprocess.run(cli(other, "--output", output), cwd=tmp_path, capture_output=True, text=True, timeout=300,
                             env=child_env())  # fmt: skip
    assert at_once.returncode == 0, at_once.stderr
    assert "RUN_LOCKED" not in at_once.stderr
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(child), "the extraction child outlived the run"


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_stops_a_run_cleanly(tmp_path: Path, scan_and_texts: Path, workers: int) -> None:
    output = tmp_path / "output"
    run = subprocess.Popen(cli(scan_and_texts, "--output", output, "--workers", str(workers)), cwd=tmp_path,
                           stderr=subprocess.PIPE, text=True, env=ocr_env())  # fmt: skip
    child = extraction_running_ocr(run)
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 143, stderr
    assert "RUN_INTERRUPTED" in stderr and "Traceback" not in stderr
    assert not alive(child)
    recorded = set(recorded_ids(output))
    if workers == 1:
        assert recorded == {"a"}  # the scan was abandoned, c not started
    else:  # a and c were built beside the scan, or abandoned with it: what finished is recorded
        assert recorded <= {"a", "c"}
    assert not list(output.rglob("*.tmp")) and not (output / "b-scan").exists()
    if recorded:
        manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
        assert {doc["id"] for doc in manifest["documents"]} == recorded
    with run_lock(output):  # free at once
        pass


def test_every_source_gets_its_own_stable_output_folder(tmp_path: Path) -> None:
    source = tmp_path / "source_docs"
    for folder in ("2023", "2024"):
        (source / folder).mkdir(parents=True)
        (source / folder / "report.txt").write_text(TEXT.replace("100", folder), encoding="utf-8")
    shutil.copy(shared_file("docx", "lists-tables-equations.docx"), source / "ext.docx")
    (source / "ext.html").write_text(f"<h1>标题</h1><p>{TEXT}</p>", encoding="utf-8")
    (source / "ext.md").write_text(f"# 标题\n\n{TEXT}", encoding="utf-8")
    (source / "ext.txt").write_text(TEXT, encoding="utf-8")
    config = run_config(source, tmp_path / "output")
    first = {Path(doc.source).relative_to(source).as_posix(): doc.document_id for doc in run_batch(config).documents}
    assert first == {"2023/report.txt": "report", "2024/report.txt": "2024-report", "ext.docx": "ext",
                     "ext.html": "ext-html", "ext.md": "ext-md", "ext.txt": "ext-txt"}  # fmt: skip
    for doc_id, name in [("report", "report.txt"), ("2024-report", "report.txt"), ("ext-md", "ext.md")]:
        document = json.loads((config.output_dir / doc_id / "document.json").read_text(encoding="utf-8"))
        assert document["document"]["id"] == doc_id and document["document"]["source"]["path"] == name
    assert {doc.status for doc in run_batch(config).documents} == {"unchanged"}
    # A content change keeps the id; a newcomer with a taken name takes a new one and moves nobody.
    (source / "2023" / "report.txt").write_text(TEXT + "中国与欧盟加强合作。\n", encoding="utf-8")
    (source / "report.md").write_text(TEXT, encoding="utf-8")
    again = {Path(doc.source).name: (doc.status, doc.document_id) for doc in run_batch(config).documents}
    assert again["report.md"] == ("built", "report-md")
    assert read_record(config.output_dir, "report") is not None
    assert set(recorded_ids(config.output_dir)) == {*first.values(), "report-md"}


def test_file_names_of_any_length_and_character(tmp_path: Path) -> None:
    source = tmp_path / "source_docs"
    source.mkdir()
    names = ["a" * 246 + ".txt", "气候" * 40 + ".txt", "x\x1b[31m\u202egpj.txt", "[red]括号.txt", "b.txt"]
    for number, name in enumerate(names):
        (source / name).write_text(TEXT.replace("100", str(number + 1)), encoding="utf-8")
    result = run_batch(run_config(source, tmp_path / "output"))
    assert [doc.status for doc in result.documents] == ["built"] * len(names)
    assert result.report_path is not None and result.report_path.is_file()
    assert all(len(doc_id.encode()) <= 100 for doc_id in recorded_ids(tmp_path / "output"))


def test_the_budget_stops_a_stage_that_takes_too_long_or_too_much() -> None:
    from ccpipe.errors import DocumentCrashedError, DocumentOutOfMemoryError, DocumentTimeoutError
    from ccpipe.runs.budget import within_budget

    with pytest.raises(DocumentTimeoutError, match="DOCUMENT_TIMEOUT"):
        within_budget("tag", Path("slow.txt"), lambda: time.sleep(30), spent=0.0, seconds=0.5, memory_mb=512)
    with pytest.raises(DocumentOutOfMemoryError, match="DOCUMENT_OUT_OF_MEMORY"):
        within_budget("segment", Path("big.txt"), lambda: bytearray(2 << 30), spent=0.0, seconds=60, memory_mb=256)
    with pytest.raises(DocumentCrashedError, match="SIGKILL"):  # as the kernel's out-of-memory killer does
        within_budget("publish", Path("bad.txt"), lambda: os.kill(os.getpid(), signal.SIGKILL), spent=0.0,
                      seconds=60, memory_mb=512)  # fmt: skip
    with pytest.raises(DocumentTimeoutError, match="within the document's 10 s"):
        within_budget("align", Path("late.txt"), lambda: 1, spent=10.0, seconds=10, memory_mb=512)


def test_a_document_over_its_budget_fails_alone(tmp_path: Path) -> None:
    source = tmp_path / "source_docs"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    config = run_config(source, tmp_path / "output")
    tight = replace(config, source=replace(config.source, document_seconds=0.001))
    failed = run_batch(tight).documents[0]
    assert failed.status == "failed" and failed.error_code in ("DOCUMENT_TIMEOUT", "EXTRACT_TIMEOUT")
    assert [doc.status for doc in run_batch(config).documents] == ["built"]  # the limits are in the key


def test_a_new_password_retries_a_document_that_failed_for_its_password(tmp_path: Path) -> None:
    source = tmp_path / "source_docs"
    source.mkdir()
    shutil.copy(shared_file("malformed", "password-protected.pdf"), source / "locked.pdf")
    wrong = run_config(source, tmp_path / "output", password="wrong")
    assert [(doc.status, doc.error_code) for doc in run_batch(wrong).documents] == [("failed", "PDF_ENCRYPTED")]
    assert [doc.status for doc in run_batch(wrong).documents] == ["failed_before"]
    right = run_config(source, tmp_path / "output", password="test")
    assert [doc.status for doc in run_batch(right).documents] == ["built"]
    assert [doc.status for doc in run_batch(wrong).documents] == ["unchanged"]  # a success does not depend on it
    failure = run_batch(run_config(source, tmp_path / "other", password="wrong"))
    assert failure.documents[0].error_code == "PDF_ENCRYPTED"
    recorded = read_record(tmp_path / "other", "locked")
    assert recorded is not None and recorded.key.password not in ("", "wrong")  # kept hashed, never as typed


def test_links_out_of_the_source_folder_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "source_docs"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    (source / "passwd.txt").symlink_to("/etc/passwd")
    (source / "alias.txt").symlink_to(source / "a.txt")
    result = run_batch(run_config(source, tmp_path / "output"))
    statuses = {Path(doc.source).name: (doc.status, doc.error_code) for doc in result.documents}
    assert statuses == {"a.txt": ("built", None), "alias.txt": ("built", None),
                        "passwd.txt": ("refused", "SOURCE_OUTSIDE_FOLDER")}  # fmt: skip
    assert not result.ok
    published = "".join(p.read_text(errors="replace") for p in (tmp_path / "output").rglob("*.json"))
    assert "root:" not in published
    followed = run_batch(run_config(source, tmp_path / "output", follow_symlinks=True))
    assert {Path(doc.source).name: doc.status for doc in followed.documents}["passwd.txt"] == "built"


def test_fifos_and_devices_are_refused_without_blocking(tmp_path: Path) -> None:
    source = tmp_path / "source_docs"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(source / "pipe.txt")
    named = tmp_path / "named.pdf"
    os.mkfifo(named)
    done = subprocess.run(cli(source, named, "/dev/zero", "--output", tmp_path / "output", "--json"), cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env=child_env())  # fmt: skip
    assert done.returncode == 1, done.stderr
    reports = {Path(doc["source"]).name: (doc["status"], doc["error_code"]) for doc in json.loads(done.stdout)}
    refused = ("refused", "SOURCE_NOT_REGULAR")
    assert reports == {"a.txt": ("built", None), "pipe.txt": refused, "named.pdf": refused, "zero": refused}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB file system of its own (tmpfs): it fills up, and it can be made read-only."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)]).returncode:
        pytest.skip("needs root to mount a small tmpfs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    with (disk / "filler").open("ab") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_full_disk_fails_the_document_and_keeps_its_old_outputs(tmp_path: Path, small_disk: Path) -> None:
    source = tmp_path / "source_docs"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    config = run_config(source, small_disk / "output")
    assert [doc.status for doc in run_batch(config).documents] == ["built"]
    before, record = snapshot(small_disk / "output" / "a"), read_record(config.output_dir, "a")
    (source / "a.txt").write_text(TEXT * 50, encoding="utf-8")
    fill(small_disk)
    result = run_batch(config)
    assert [(doc.status, doc.error_code) for doc in result.documents] == [("failed", "OUTPUT_NO_SPACE")]
    assert "free some space" in str(result.documents[0].error)
    assert snapshot(small_disk / "output" / "a") == before  # all old, never a mix
    assert read_record(config.output_dir, "a") == record
    assert not list(small_disk.rglob("*.tmp"))


def test_no_space_at_all_and_a_read_only_disk_end_with_a_code(tmp_path: Path, small_disk: Path) -> None:
    source = tmp_path / "source_docs"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    (small_disk / "output").mkdir()
    fill(small_disk)
    full = subprocess.run(cli(source, "--output", small_disk / "output"), cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env=child_env())  # fmt: skip
    assert full.returncode == 1 and "Traceback" not in full.stderr, full.stderr
    assert "OUTPUT_NO_SPACE" in full.stderr
    (small_disk / "filler").unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    read_only = subprocess.run(cli(source, "--output", small_disk / "output"), cwd=tmp_path, capture_output=True,
                               text=True, timeout=300, env=child_env())  # fmt: skip
    assert read_only.returncode == 2 and "Traceback" not in read_only.stderr, read_only.stderr
    assert "OUTPUT_NOT_WRITABLE" in read_only.stderr
