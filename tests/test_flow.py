"""End to end through Prefect (embedded server via one session-wide test harness)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE_PDF, shared_file

pytestmark = pytest.mark.flow


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from flows import settings

    settings.apply()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def test_flow_processes_a_batch_and_isolates_the_broken_file(prefect_harness: None, tmp_path: Path) -> None:
    from flows.process_reports import process_reports

    source = tmp_path / "source_docs"
    source.mkdir()
    shutil.copy(SAMPLE_PDF, source / SAMPLE_PDF.name)
    shutil.copy(shared_file("malformed", "password-protected.pdf"), source / "locked.pdf")
    (source / "note.txt").write_bytes("《巴黎协定》与绿色气候基金。\n".encode("gb18030"))
    output = tmp_path / "output"

    outcomes = process_reports(source, output, ROOT / "glossary")

    by_name = {outcome.source.name: outcome for outcome in outcomes}
    assert set(by_name) == {SAMPLE_PDF.name, "locked.pdf", "note.txt"}
    assert by_name["locked.pdf"].error_code == "PDF_ENCRYPTED"
    assert "locked.pdf" in str(by_name["locked.pdf"].error)
    assert by_name["note.txt"].ok and by_name[SAMPLE_PDF.name].ok
    sample_dir = output / str(by_name[SAMPLE_PDF.name].document_id)
    assert {p.name for p in sample_dir.iterdir()} == {
        "document.json",
        "candidates.csv",
        "brief.html",
        "brief.pdf",
        "brief.docx",
        "brief.md",
    }
    note = json.loads((output / "note" / "document.json").read_text(encoding="utf-8"))
    assert note["document"]["source"]["encoding"] == "gb18030"
    assert {m["en"] for m in note["mentions"]} == {"Paris Agreement", "Green Climate Fund"}
    assert not list(output.rglob("*.tmp"))
