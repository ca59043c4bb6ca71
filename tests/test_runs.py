"""Unattended runs without Prefect: incremental skips, glossary changes, pruning, the lock, kill -9, config."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from ccpipe.errors import ConfigError
from ccpipe.publish.json import validate_document
from ccpipe.runs.config import load_settings
from ccpipe.runs.incremental import read_record, record_path, recorded_ids, write_record
from ccpipe.runs.lock import RunLockedError, run_lock
from ccpipe.runs.notify import SmtpSettings
from ccpipe.runs.runner import RunConfig, run_batch, summary_lines

from .conftest import ROOT, SAMPLE_PDF, child_env, run_config

TEXT = "《巴黎协定》要求发达国家为发展中国家提供资金支持。绿色气候基金已批准100亿美元。\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def workspace(tmp_path: Path) -> RunConfig:
    source = tmp_path / "source_docs"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    (source / "b.txt").write_text(TEXT.replace("100亿", "200亿"), encoding="utf-8")
    glossary = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", glossary)
    return run_config(source, tmp_path / "output", glossaries=[glossary])


def statuses(config: RunConfig) -> dict[str, str]:
    return {Path(doc.source).name: doc.status for doc in run_batch(config).documents}


def test_second_run_does_nothing_and_changes_no_byte(workspace: RunConfig) -> None:
    assert statuses(workspace) == {"a.txt": "built", "b.txt": "built"}
    before = snapshot(workspace.output_dir)
    assert {"index.html", "feed.xml", "manifest.json"} <= set(before)
    assert statuses(workspace) == {"a.txt": "unchanged", "b.txt": "unchanged"}
    assert snapshot(workspace.output_dir) == before


def test_only_the_changed_document_is_rebuilt(workspace: RunConfig) -> None:
    run_batch(workspace)
    record_b = read_record(workspace.output_dir, "b")
    (workspace.sources[0] / "a.txt").write_text(TEXT + "中国与欧盟加强合作。\n", encoding="utf-8")
    assert statuses(workspace) == {"a.txt": "built", "b.txt": "unchanged"}
    assert read_record(workspace.output_dir, "b") == record_b


def test_a_glossary_change_rebuilds_and_a_damaged_output_is_redone(workspace: RunConfig) -> None:
    run_batch(workspace)
    (workspace.glossaries[0] / "local.yaml").write_text(
        "- {id: demo-fund, category: fund, zh: 资金支持, en: financial support}\n", encoding="utf-8"
    )
    assert statuses(workspace) == {"a.txt": "built", "b.txt": "built"}
    document = json.loads((workspace.output_dir / "a" / "document.json").read_text(encoding="utf-8"))
    assert "financial support" in {m["en"] for m in document["mentions"]}
    (workspace.output_dir / "b" / "brief.html").write_text("truncated", encoding="utf-8")
    assert statuses(workspace) == {"a.txt": "unchanged", "b.txt": "built"}


def test_a_build_from_before_the_english_edition_is_redone(workspace: RunConfig) -> None:
    """Every document now gets brief.en.html with its HTML brief: a build recorded without it is redone once."""
    run_batch(workspace)
    record = read_record(workspace.output_dir, "a")
    assert record is not None and "brief.en.html" in record.outputs
    old = record.model_copy(update={"outputs": {k: v for k, v in record.outputs.items() if k != "brief.en.html"}})
    write_record(workspace.output_dir, old)
    assert statuses(workspace) == {"a.txt": "built", "b.txt": "unchanged"}
    assert statuses(workspace) == {"a.txt": "unchanged", "b.txt": "unchanged"}


def test_brief_languages_are_part_of_the_build_key(workspace: RunConfig) -> None:
    run_batch(workspace)
    bilingual = (workspace.output_dir / "a" / "brief.html").read_bytes()
    english_only = replace(workspace, publishing=replace(workspace.publishing, languages=("en",)))
    assert statuses(english_only) == {"a.txt": "built", "b.txt": "built"}
    assert (workspace.output_dir / "a" / "brief.html").read_bytes() != bilingual
    assert statuses(english_only) == {"a.txt": "unchanged", "b.txt": "unchanged"}


def test_a_failing_mail_server_never_costs_the_run_report(workspace: RunConfig) -> None:
    port = _closed_port()
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="ccpipe@example.org", starttls=False, timeout=5)
    config = replace(workspace, smtp=smtp, recipients=("team@example.org",))
    result = run_batch(config)
    assert [doc.status for doc in result.documents] == ["built", "built"]
    assert result.report_path is not None and result.report_path.is_file()
    report = json.loads(result.report_path.read_text(encoding="utf-8"))
    assert report["warnings"] and report["warnings"][0].startswith("NOTIFY_SMTP_FAILED")
    assert any(line.startswith("  WARNING NOTIFY_SMTP_FAILED") for line in summary_lines(result.documents,
               warnings=result.warnings))  # fmt: skip


def _closed_port() -> int:
    with socket.socket() as sock:  # bound and closed again: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_deleted_sources_are_pruned_only_when_asked(workspace: RunConfig) -> None:
    run_batch(workspace)
    (workspace.sources[0] / "b.txt").unlink()
    assert statuses(workspace) == {"a.txt": "unchanged"}
    assert (workspace.output_dir / "b" / "document.json").exists()
    pruned = run_batch(replace(workspace, prune=True))
    assert [(doc.source, doc.status) for doc in pruned.documents if doc.status == "removed"] == [("b", "removed")]
    assert not (workspace.output_dir / "b").exists()
    manifest = json.loads((workspace.output_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [doc["id"] for doc in manifest["documents"]] == ["a"]


def test_failures_are_reported_and_not_retried_until_the_file_changes(workspace: RunConfig) -> None:
    broken = workspace.sources[0] / "empty.pdf"
    broken.write_bytes(b"")
    result = run_batch(workspace)
    assert not result.ok
    failed = next(doc for doc in result.documents if doc.status == "failed")
    assert failed.error_code == "SOURCE_EMPTY" and "empty.pdf" in str(failed.error)
    report = json.loads(Path(str(result.report_path)).read_text(encoding="utf-8"))
    assert {doc["status"] for doc in report["documents"]} == {"built", "failed"}
    assert statuses(workspace)["empty.pdf"] == "failed_before"
    broken.write_text(TEXT, encoding="utf-8")  # fixed (a .pdf that is text now fails differently: rebuilt)
    assert statuses(workspace)["empty.pdf"] == "failed"


def test_two_runs_never_write_the_same_output(workspace: RunConfig) -> None:
    with run_lock(workspace.output_dir), pytest.raises(RunLockedError, match="RUN_LOCKED"):
        run_batch(workspace)


def _all_outputs_valid(output: Path) -> None:
    assert not list(output.rglob(".*.tmp")), "a partial write was left behind"
    for document in output.glob("*/document.json"):
        validate_document(json.loads(document.read_text(encoding="utf-8")))
        html = (document.parent / "brief.html").read_text(encoding="utf-8")
        assert html.rstrip().endswith("</html>")
        assert (document.parent / "brief.pdf").read_bytes().rstrip().endswith(b"%%EOF")


@pytest.mark.slow
def test_kill_minus_nine_mid_batch_then_rerun(tmp_path: Path) -> None:
    source = tmp_path / "source_docs"
    source.mkdir()
    for name in ("one", "two", "three"):
        shutil.copy(SAMPLE_PDF, source / f"{name}.pdf")
    output = tmp_path / "output"
    command = [sys.executable, "-m", "ccpipe.cli", "run", str(source), "--output", str(output),
               "--glossary", str(ROOT / "glossary"), "--formats", "json,html,pdf", "--quiet"]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, start_new_session=True, env=child_env())
    deadline = time.monotonic() + 120
    while not record_path(output, "one").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)  # well into the second document
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert record_path(output, "one").exists(), "the first document should have finished"
    assert set(recorded_ids(output)) != {"one", "two", "three"}, "killed too late to test anything"
    rerun = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
                           env=child_env())  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert set(recorded_ids(output)) == {"one", "two", "three"}
    _all_outputs_valid(output)


def test_configuration_file_environment_and_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "ccpipe.toml"
    config.write_text(
        'output_dir = "published"\nformats = ["json", "pdf"]\nschedule = "30 5 * * 1"\n', encoding="utf-8"
    )
    settings = load_settings(config)
    assert (settings.output_dir, settings.formats, settings.schedule) == (
        Path("published"),
        ["json", "pdf"],
        "30 5 * * 1",
    )
    monkeypatch.setenv("CCPIPE_OUTPUT_DIR", "from-env")
    assert load_settings(config).output_dir == Path("from-env")
    assert load_settings(config, output_dir=Path("from-flag")).output_dir == Path("from-flag")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('formats = ["json", "epub"]\n', "formats"),
        ('schedule = "every morning"\n', "schedule"),
        ("extract_timeout = -5\n", "extract_timeout"),
        ('output_directory = "x"\n', "output_directory"),
        ("[smtp]\nport = 25\n", "smtp.host"),
    ],
)
def test_invalid_configuration_fails_at_start_naming_the_key(tmp_path: Path, text: str, key: str) -> None:
    config = tmp_path / "ccpipe.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert caught.value.code == "CONFIG_INVALID" and key in str(caught.value)
