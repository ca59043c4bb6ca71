"""Unattended runs: the drop-in watcher (flows/watch.py) and the scheduled deployment (flows/serve.py)."""

from __future__ import annotations

import contextvars
import json
import re
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from ccpipe.cli import app
from ccpipe.hashing import sha256_of
from ccpipe.runs.incremental import read_record, record_path
from ccpipe.runs.lock import run_lock
from ccpipe.runs.runner import RunConfig, RunResult, run_batch

if TYPE_CHECKING:
    from flows.watch import WatchOptions
from ccpipe.terms.glossary import glossary_fingerprint

from .conftest import ROOT, run_config, shared_file

# Watching and serving start Prefect and wait for files: `pytest -m "not slow"` leaves them out.
pytestmark = pytest.mark.slow

# The default settings' watch options (a test that needs others says so).
WATCH_DEFAULTS = {"workers": 2, "debounce": 1.5, "pdf_grace": 30.0, "dask_address": None, "max_runs": None}


def _config(tmp_path: Path) -> RunConfig:
    return run_config(tmp_path / "source_docs", tmp_path / "output", cache_dir=tmp_path / "cache")


def _start_watch(
    config: RunConfig, options: WatchOptions
) -> tuple[threading.Thread, threading.Event, threading.Event, list[RunResult]]:
    """``watch`` in a thread, with its stop and ready events and the results of its runs."""
    from flows.watch import watch

    stop, ready, results = threading.Event(), threading.Event(), list[RunResult]()
    # The thread runs in a copy of this context, so it talks to the test harness's Prefect server.
    context = contextvars.copy_context()
    watcher = threading.Thread(
        target=context.run, args=(watch, config, options, stop, ready, results.append), daemon=True
    )
    watcher.start()
    return watcher, stop, ready, results


def _files(folder: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.flow
def test_watch_builds_a_dropped_file_once_it_is_complete(prefect_harness: None, tmp_path: Path) -> None:
    from flows.watch import WatchOptions

    config = _config(tmp_path)
    source, output = config.sources[0], config.output_dir
    source.mkdir()
    (source / "old.txt").write_text("《巴黎协定》。\n", encoding="utf-8")
    assert [doc.status for doc in run_batch(config).documents] == ["built"]
    old_outputs, old_record = _files(output / "old"), record_path(output, "old").read_bytes()

    options = WatchOptions(workers=2, debounce=1.0, pdf_grace=30.0, dask_address=None, max_runs=1)
    watcher, stop, ready, results = _start_watch(config, options)
    try:
        assert ready.wait(60), "the watcher did not start"
        # A PDF written in two parts with a pause longer than the debounce: without the %%EOF check the
        # first part alone (a broken PDF) would be built.
        data = shared_file("pdf", "borderless-table.pdf").read_bytes()
        target = source / "dropped.pdf"
        with target.open("wb") as handle:
            handle.write(data[: len(data) // 2])
            handle.flush()
            time.sleep(2.5)
            handle.write(data[len(data) // 2 :])
        watcher.join(90)
        assert not watcher.is_alive(), "no run within 90 s"
    finally:
        stop.set()
        watcher.join(10)

    assert len(results) == 1
    statuses = {Path(doc.source).name: doc.status for doc in results[0].documents}
    assert statuses == {"dropped.pdf": "built", "old.txt": "unchanged"}
    built = json.loads((output / "dropped" / "document.json").read_text(encoding="utf-8"))
    assert built["document"]["source"]["sha256"] == sha256_of(target)  # built from the complete file
    assert (output / "dropped" / "brief.html").is_file()
    assert "dropped" in (output / "index.html").read_text(encoding="utf-8")
    assert "dropped" in (output / "feed.xml").read_text(encoding="utf-8")
    # The document that was already built was not touched.
    assert _files(output / "old") == old_outputs
    assert record_path(output, "old").read_bytes() == old_record


@pytest.mark.flow
def test_an_edited_glossary_reaches_the_next_document_of_a_running_watch(prefect_harness: None, tmp_path: Path) -> None:
    """The watcher is one long-lived process: its cached tools must follow the glossary, not its first load."""
    from flows.watch import WatchOptions

    glossary = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", glossary)
    config = run_config(tmp_path / "source_docs", tmp_path / "output", glossaries=[glossary], formats=["json"])
    source, output = config.sources[0], config.output_dir
    source.mkdir()
    text = "绿色气候基金支持零碳走廊建设。\n"
    options = WatchOptions(**{**WATCH_DEFAULTS, "debounce": 0.5, "max_runs": 2})
    watcher, stop, ready, results = _start_watch(config, options)
    try:
        assert ready.wait(60), "the watcher did not start"
        (source / "first.txt").write_text(text, encoding="utf-8")
        _wait_for(lambda: len(results) == 1, "the first drop was not built")
        (glossary / "added.yaml").write_text(
            "- id: zero-carbon-corridor\n  category: concept\n  zh: 零碳走廊\n  en: zero-carbon corridor\n",
            encoding="utf-8",
        )
        (source / "second.txt").write_text(text, encoding="utf-8")
        watcher.join(120)
        assert not watcher.is_alive(), "no second run within 120 s"
    finally:
        stop.set()
        watcher.join(10)

    def entities(doc_id: str) -> set[str]:
        document = json.loads((output / doc_id / "document.json").read_text(encoding="utf-8"))
        return {mention["entity_id"] for mention in document["mentions"]}

    assert "zero-carbon-corridor" in entities("second")
    # The glossary changed, so the first document was built again with it too, and both records say so.
    assert "zero-carbon-corridor" in entities("first")
    assert {Path(doc.source).name: doc.status for doc in results[1].documents} == {
        "first.txt": "built",
        "second.txt": "built",
    }
    fingerprint = glossary_fingerprint([glossary])
    assert all(read_record(output, doc_id).key.glossary == fingerprint for doc_id in ("first", "second"))


def _wait_for(condition: Callable[[], bool], failure: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.2)


def test_watch_stops_on_request_without_running(tmp_path: Path) -> None:
    from flows.watch import WatchOptions, watch

    config = _config(tmp_path)  # an empty source folder: nothing to run, no Prefect server started
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch, args=(config, WatchOptions(**WATCH_DEFAULTS), stop, ready), daemon=True)
    watcher.start()
    assert ready.wait(30)
    stop.set()
    watcher.join(10)
    assert not watcher.is_alive()
    assert not config.output_dir.exists()


def test_pdf_complete_wants_the_end_of_file_marker(tmp_path: Path) -> None:
    from flows.watch import pdf_complete

    data = shared_file("pdf", "borderless-table.pdf").read_bytes()
    (tmp_path / "half.pdf").write_bytes(data[: len(data) // 2])
    (tmp_path / "whole.pdf").write_bytes(data + b"\r\n")
    (tmp_path / "note.txt").write_text("无")
    assert not pdf_complete(tmp_path / "half.pdf")
    assert pdf_complete(tmp_path / "whole.pdf") and pdf_complete(tmp_path / "note.txt")


def test_the_scheduled_deployment_has_the_cron_schedule_and_json_parameters(tmp_path: Path) -> None:
    from flows.serve import DEPLOYMENT, deployment, local_timezone

    config_file = tmp_path / "ccpipe.toml"
    config_file.write_text('schedule = "0 6 * * *"\n')
    built = deployment("30 5 * * 1", config_file, tmp_path, prune=True, timezone="Asia/Shanghai")

    assert built.name == DEPLOYMENT
    assert built.entrypoint == "flows.serve.scheduled_run"  # importable from any folder (installed package)
    [schedule] = built.schedules
    assert schedule.schedule.cron == "30 5 * * 1" and schedule.schedule.timezone == "Asia/Shanghai"
    assert json.loads(json.dumps(built.parameters)) == {
        "config_file": str(config_file), "workdir": str(tmp_path), "prune": True
    }  # fmt: skip
    assert ZoneInfo(local_timezone())


@pytest.mark.flow
def test_scheduled_run_resolves_the_configuration_against_its_folder(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.serve import scheduled_run

    work = tmp_path / "site"
    (work / "in").mkdir(parents=True)
    (work / "in" / "note.txt").write_text("绿色气候基金。\n", encoding="utf-8")
    (work / "ccpipe.toml").write_text(
        f'source_dir = "in"\noutput_dir = "out"\nformats = ["json"]\nglossaries = ["{ROOT / "glossary"}"]\n'
    )
    monkeypatch.chdir(tmp_path)  # a worker may start the run anywhere

    lines = scheduled_run(config_file="ccpipe.toml", workdir=str(work))

    assert lines[0].startswith("1 document(s) done, 0 failed")
    assert (work / "out" / "note" / "document.json").is_file()
    assert scheduled_run(config_file="ccpipe.toml", workdir=str(work))[0].startswith("0 document(s) done")


def test_cli_refuses_a_bad_schedule_or_configuration(tmp_path: Path) -> None:
    runner = CliRunner()
    bad_cron = runner.invoke(app, ["serve", "--cron", "every morning"])
    assert bad_cron.exit_code == 2 and "five fields" in bad_cron.output
    bad_zone = runner.invoke(app, ["serve", "--timezone", "Mars/Olympus"])
    assert bad_zone.exit_code == 2 and "Mars/Olympus" in bad_zone.output
    missing = runner.invoke(app, ["watch", "--config", str(tmp_path / "nowhere.toml")])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_the_example_configuration_names_every_setting_and_loads(tmp_path: Path) -> None:
    from ccpipe.runs.config import Settings, load_settings
    from ccpipe.runs.notify import SmtpSettings

    # Uncommenting every "# key = value" and "# [table]" line of the example gives a valid ccpipe.toml.
    lines = (ROOT / "ccpipe.toml.example").read_text(encoding="utf-8").splitlines()
    active = [m.group(1) for line in lines if (m := re.match(r"^# (\[\w+\]|\w+ = .*)$", line))]
    (tmp_path / "ccpipe.toml").write_text("\n".join(active) + "\n", encoding="utf-8")
    settings = load_settings(tmp_path / "ccpipe.toml")
    keys = {line.split(" = ")[0] for line in active if " = " in line}
    tables = {line.strip("[]") for line in active if line.startswith("[")}
    assert set(Settings.model_fields) | set(SmtpSettings.model_fields) == keys | tables
    assert settings.smtp is not None and settings.schedule == Settings().schedule


@pytest.mark.flow
def test_watch_retries_a_run_that_finds_the_output_locked(prefect_harness: None, tmp_path: Path) -> None:
    from flows.watch import RETRY, WatchOptions, run_once

    config = _config(tmp_path)
    config.sources[0].mkdir()
    (config.sources[0] / "note.txt").write_text("绿色气候基金。\n", encoding="utf-8")
    said: list[str] = []
    with run_lock(config.output_dir):  # another ccpipe run holds the output folder
        assert run_once(config, WatchOptions(**WATCH_DEFAULTS), said.append) == RETRY
    assert any("RUN_LOCKED" in line for line in said)
    assert not (config.output_dir / "note").exists()
