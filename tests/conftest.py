"""Shared fixtures: real files only (the sample report, ../shared fixtures, the project glossary)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccpipe.models import Document
from ccpipe.runs.pipeline import Resources, build_document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"
SAMPLE_PDF = ROOT / "source_docs" / "全球应对气候变化合作进展评估及相关建议.pdf"
REFERENCE_TXT = FIXTURES / "reference" / "global-climate-cooperation-2023.txt"
GOLDEN = ROOT / "tests" / "golden"
DATA = ROOT / "tests" / "data"
# Set CCPIPE_UPDATE_GOLDEN=1 to rewrite golden files on purpose (then review the diff).
UPDATE_GOLDEN = os.environ.get("CCPIPE_UPDATE_GOLDEN") == "1"


def shared_file(*parts: str) -> Path:
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing shared test material {path}; the project expects ../shared beside it")
    return path


@pytest.fixture(scope="session")
def resources(tmp_path_factory: pytest.TempPathFactory) -> Resources:
    return Resources.load(ROOT / "glossary", tmp_path_factory.mktemp("jieba-cache"))


@pytest.fixture(scope="session")
def sample_document(resources: Resources) -> Document:
    return build_document(SAMPLE_PDF, resources)


@pytest.fixture(scope="session")
def reference_text() -> str:
    return shared_file("reference", "global-climate-cooperation-2023.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test server (temporary database) for every flow test of the session: it takes ~15 s to start."""
    from flows import settings

    settings.apply()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
