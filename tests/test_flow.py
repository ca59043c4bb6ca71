"""End to end through Prefect (embedded server via the session-wide test harness of conftest.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import SAMPLE_PDF, run_config, shared_file

pytestmark = [pytest.mark.flow, pytest.mark.slow]


def test_flow_processes_a_batch_and_isolates_the_broken_file(prefect_harness: None, tmp_path: Path) -> None:
    from flows.process_reports import process_reports

    source = tmp_path / "source_docs"
    source.mkdir()
    shutil.copy(SAMPLE_PDF, source / SAMPLE_PDF.name)
    shutil.copy(shared_file("malformed", "password-protected.pdf"), source / "locked.pdf")
    (source / "note.txt").write_bytes("《巴黎协定》与绿色气候基金。\n".encode("gb18030"))
    output = tmp_path / "output"
    config = run_config(source, output, formats=["json", "html", "pdf", "docx", "md"])

    result = process_reports(config)

    by_name = {Path(doc.source).name: doc for doc in result.documents}
    assert set(by_name) == {SAMPLE_PDF.name, "locked.pdf", "note.txt"}
    assert by_name["locked.pdf"].error_code == "PDF_ENCRYPTED"
    assert "locked.pdf" in str(by_name["locked.pdf"].error)
    assert by_name["note.txt"].status == "built" and by_name[SAMPLE_PDF.name].status == "built"
    # Each document's own time, not the time since the batch began: a one-line note is quicker than the report.
    assert 0 < by_name["note.txt"].seconds < by_name[SAMPLE_PDF.name].seconds
    sample_dir = output / str(by_name[SAMPLE_PDF.name].document_id)
    expected = {
        "document.json",
        "candidates.csv",
        "brief.html",
        "brief.pdf",
        "brief.docx",
        "brief.md",
        "brief.en.html",
        "brief.en.pdf",
    }
    assert {p.name for p in sample_dir.iterdir()} == expected
    note = json.loads((output / "note" / "document.json").read_text(encoding="utf-8"))
    assert note["document"]["source"]["encoding"] == "gb18030"
    assert {m["en"] for m in note["mentions"]} == {"Paris Agreement", "Green Climate Fund"}
    assert not list(output.rglob("*.tmp"))
    assert (output / "index.html").is_file() and (output / "feed.xml").is_file()
    assert result.report_path is not None and result.report_path.parent == output / "runs"

    # Nothing changed: the second run builds nothing and touches no byte of output/.
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    again = process_reports(config)
    assert {doc.status for doc in again.documents} == {"unchanged", "failed_before"}
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
