"""The ccpipe command on real files: a batch with a good and a broken document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from ccpipe.cli import app

from .conftest import ROOT, child_env, shared_file

runner = CliRunner()


def test_run_reports_the_broken_file_and_still_processes_the_good_one(tmp_path: Path) -> None:
    good = tmp_path / "briefing.txt"
    good.write_text("中国与欧盟在《巴黎协定》框架下开展合作。\n", encoding="utf-8")
    out = tmp_path / "out"
    empty = shared_file("malformed", "empty-zero-bytes.pdf")
    result = runner.invoke(
        app,
        ["run", str(good), str(empty), "--output", str(out), "--glossary", str(ROOT / "glossary"), "--formats", "json"],
    )
    assert result.exit_code == 1
    assert "SOURCE_EMPTY" in result.output and "empty-zero-bytes.pdf" in result.output
    assert "1 document(s) done, 1 failed" in result.output
    document = json.loads((out / "briefing" / "document.json").read_text(encoding="utf-8"))
    assert {m["en"] for m in document["mentions"]} >= {"Paris Agreement", "China"}


def test_broken_glossary_stops_the_run_with_a_clear_message(tmp_path: Path) -> None:
    glossary = tmp_path / "bad.yaml"
    glossary.write_text("- {id: x, category: fund, zh: 基金}\n", encoding="utf-8")
    (tmp_path / "note.txt").write_text("绿色气候基金。\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path), "--glossary", str(glossary), "--output", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "GLOSSARY_INVALID" in result.output and "entry 'x'" in result.output


def test_validate_rejects_a_tampered_document(tmp_path: Path) -> None:
    golden = json.loads((ROOT / "tests" / "golden" / "sample" / "document.json").read_text(encoding="utf-8"))
    golden["mentions"][0]["end"] += 2
    path = tmp_path / "document.json"
    path.write_text(json.dumps(golden, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1 and "invalid" in result.output


def test_accuracy_command_on_the_golden_sample() -> None:
    result = runner.invoke(
        app,
        [
            "accuracy",
            str(ROOT / "tests" / "golden" / "sample" / "document.json"),
            str(shared_file("reference", "global-climate-cooperation-2023.txt")),
        ],
    )
    assert result.exit_code == 0
    assert "character error rate 0.0" in result.output


def test_run_outside_the_project_uses_the_shipped_glossary(tmp_path: Path) -> None:
    """`cd /tmp && ccpipe run report.txt --output out`: a real process in a folder with no glossary/."""
    (tmp_path / "report.txt").write_text("各国应落实《巴黎协定》，推动碳达峰。\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ccpipe.cli", "run", "report.txt", "--output", "out", "--formats", "json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env=child_env(),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    document = json.loads((tmp_path / "out" / "report" / "document.json").read_text(encoding="utf-8"))
    assert {"paris-agreement", "carbon-peaking"} <= {m["entity_id"] for m in document["mentions"]}


def test_a_missing_glossary_is_a_clear_error(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("《巴黎协定》。\n", encoding="utf-8")
    missing = tmp_path / "no-such-glossary"
    result = runner.invoke(app, ["run", str(note), "--output", str(tmp_path / "out"), "--glossary", str(missing)])
    assert result.exit_code == 2
    assert "GLOSSARY_NOT_FOUND" in result.output and str(missing) in result.output
    assert not (tmp_path / "out").exists()  # stopped before any document was touched


def test_validate_a_folder_checks_every_document_under_it(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("中国与欧盟在《巴黎协定》框架下开展合作。\n", encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(note), "--output", str(out), "--formats", "json"]).exit_code == 0
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 0 and "valid" in result.output
    broken = out / "copy" / "document.json"
    broken.parent.mkdir()
    data = json.loads((out / "note" / "document.json").read_text(encoding="utf-8"))
    data["mentions"][0]["start"] += 1  # the offset no longer points at the mention's text
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 1
    assert "CONTRACT_VIOLATION" in result.output and "copy" in result.output
