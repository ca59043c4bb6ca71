"""`ccpipe run` with worker processes: the same outputs, records and report as one document at a time."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from ccpipe.runs.runner import DocReport, RunConfig, run_batch

from .conftest import SHARED, run_config, shared_file

CORPUS = SHARED / "corpus"
_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """Small real documents of three formats, one of them broken (it fails the same way in both runs)."""
    folder = tmp_path / "source_docs"
    folder.mkdir()
    for path in sorted((CORPUS / "html").glob("*.html")):
        shutil.copy(path, folder / path.name)
    shutil.copy(CORPUS / "docx" / "hebei-2025-government-work-report.docx", folder)
    shutil.copy(shared_file("malformed", "empty-zero-bytes.pdf"), folder / "broken.pdf")
    (folder / "note.txt").write_text("《巴黎协定》要求发达国家为发展中国家提供资金支持。\n", encoding="utf-8")
    return folder


def _outputs(folder: Path) -> dict[str, bytes]:
    """Every output but the lock (it names the process) and the run report (it names the time)."""
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    files = {name: data for name, data in files.items() if name != ".lock" and not name.startswith("runs/")}
    # The catalogue says when it was written.
    for name in ("feed.xml", "manifest.json", "index.html"):
        files[name] = _STAMP.sub(b"<time>", files[name])
    return files


def _report(config: RunConfig) -> list[dict[str, object]]:
    (report,) = (config.output_dir / "runs").glob("*.json")
    documents: list[dict[str, object]] = json.loads(report.read_text(encoding="utf-8"))["documents"]
    return [{key: value for key, value in doc.items() if key != "seconds"} for doc in documents]


def _statuses(documents: list[DocReport]) -> list[tuple[str, str]]:
    return [(Path(doc.source).name, doc.status) for doc in documents]


def test_two_workers_give_the_outputs_of_one(sources: Path, tmp_path: Path) -> None:
    one = run_config(sources, tmp_path / "one", workers=1)
    two = replace(one, publishing=replace(one.publishing, output_dir=tmp_path / "two"), workers=2)
    assert one.workers == 1 and two.workers == 2
    sequential, parallel = run_batch(one), run_batch(two)
    assert _statuses(parallel.documents) == _statuses(sequential.documents)
    assert ("broken.pdf", "failed") in _statuses(parallel.documents)
    assert sum(status == "built" for _, status in _statuses(parallel.documents)) == 5
    assert _outputs(two.output_dir) == _outputs(one.output_dir)
    assert _report(two) == _report(one)
    # A second parallel run finds nothing to do.
    assert {doc.status for doc in run_batch(two).documents} == {"unchanged", "failed_before"}


def test_workers_default_to_the_cores() -> None:
    config = run_config(Path("source_docs"), Path("output"))
    assert config.workers >= 1
    assert run_config(Path("source_docs"), Path("output"), workers=3).workers == 3


def test_pages_read_by_two_processes_are_the_pages_read_by_one() -> None:
    """A long PDF alone in its batch is read by several processes: page for page what one process reads."""
    from ccpipe.extract.pages import MIN_PAGES_PER_PROCESS, pages_in_processes
    from ccpipe.extract.pdf import extract_pdf

    path = CORPUS / "pdf" / "guangdong-14fyp-climate-change-plan-2022.pdf"
    alone = extract_pdf(path)
    assert len(alone.pages) >= 2 * MIN_PAGES_PER_PROCESS  # so that two processes do read it
    with pages_in_processes(2):
        shared = extract_pdf(path)
    assert shared == alone


def test_a_document_alone_in_its_batch_gets_the_workers_for_its_pages(tmp_path: Path) -> None:
    from ccpipe.runs.runner import open_batch

    folder = tmp_path / "source_docs"
    folder.mkdir()
    shutil.copy(CORPUS / "pdf" / "guangdong-14fyp-climate-change-plan-2022.pdf", folder)
    config = run_config(folder, tmp_path / "out", workers=2)
    with open_batch(config) as batch:
        assert batch.source_options.page_processes == 2
    shutil.copy(CORPUS / "docx" / "hebei-2025-government-work-report.docx", folder)
    with open_batch(config) as batch:  # two documents: a worker each, one process per document's pages
        assert batch.source_options.page_processes == 1
    with open_batch(replace(config, workers=1)) as batch:
        assert batch.source_options.page_processes == 1
