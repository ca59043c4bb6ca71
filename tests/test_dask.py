"""The flow on a local Dask cluster: tasks, their inputs and results cross process boundaries (pickled)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ccpipe.publish.json import validate_document

from .conftest import SAMPLE_PDF, run_config, shared_file

pytestmark = [pytest.mark.flow, pytest.mark.slow]


def test_flow_on_a_local_dask_cluster(prefect_harness: None, tmp_path: Path) -> None:
    from flows.process_reports import process_reports
    from flows.runners import task_runner

    source = tmp_path / "source_docs"
    source.mkdir()
    # The same report under two names is two documents (ids come from file names).
    shutil.copy(SAMPLE_PDF, source / "report-a.pdf")
    shutil.copy(SAMPLE_PDF, source / "report-b.pdf")
    shutil.copy(shared_file("pdf", "borderless-table.pdf"), source / "borderless-table.pdf")
    shutil.copy(shared_file("docx", "lists-tables-equations.docx"), source / "lists.docx")
    (source / "note.txt").write_text("《巴黎协定》与绿色气候基金。\n", encoding="utf-8")
    output = tmp_path / "output"
    # json and html only: PDF rendering would dominate the time without exercising anything more.
    config = run_config(source, output, cache_dir=tmp_path / "cache")

    result = process_reports.with_options(task_runner=task_runner(2, "local"))(config)

    statuses = {Path(doc.source).name: (doc.status, doc.error) for doc in result.documents}
    assert statuses == {name: ("built", None) for name in
                        ("report-a.pdf", "report-b.pdf", "borderless-table.pdf", "lists.docx", "note.txt")}  # fmt: skip
    for doc in result.documents:
        folder = output / str(doc.document_id)
        assert {p.name for p in folder.iterdir()} >= {"document.json", "brief.html"}
        validate_document(json.loads((folder / "document.json").read_text(encoding="utf-8")))
    same = [
        json.loads((output / name / "document.json").read_text(encoding="utf-8")) for name in ("report-a", "report-b")
    ]
    assert same[0]["blocks"] == same[1]["blocks"]  # workers built the same document from the same bytes
    assert (output / "index.html").is_file() and (output / "feed.xml").is_file()
    assert not list(output.rglob("*.tmp"))
