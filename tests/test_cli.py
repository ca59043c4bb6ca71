"""The ccpipe command on real files: a batch with a good and a broken document."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ccpipe.cli import app

from .conftest import ROOT, shared_file

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
