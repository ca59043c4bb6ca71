"""Shared fixtures: real files only (the sample report, ../shared fixtures, the project glossary)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccpipe.models import Document
from ccpipe.runs.config import Settings
from ccpipe.runs.options import PublishOptions
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.runs.runner import RunConfig

ROOT = Path(__file__).resolve().parent.parent
# The shared material sits beside the project; CCPIPE_SHARED points elsewhere (a git worktree, CI).
SHARED = Path(os.environ.get("CCPIPE_SHARED", ROOT.parent / "shared"))
FIXTURES = SHARED / "fixtures"
SAMPLE_PDF = ROOT / "source_docs" / "全球应对气候变化合作进展评估及相关建议.pdf"
REFERENCE_TXT = FIXTURES / "reference" / "global-climate-cooperation-2023.txt"
GOLDEN = ROOT / "tests" / "golden"
DATA = ROOT / "tests" / "data"
# Set CCPIPE_UPDATE_GOLDEN=1 to rewrite golden files on purpose (then review the diff). A run with it on always
# fails (see pytest_sessionfinish), so it can never be left on by accident in CI.
UPDATE_GOLDEN = os.environ.get("CCPIPE_UPDATE_GOLDEN") == "1"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if UPDATE_GOLDEN:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print("\nCCPIPE_UPDATE_GOLDEN=1: golden files were rewritten, not checked; review the diff, then run "
              "the tests again without it")  # fmt: skip


def publish_options(output: Path, formats: tuple[str, ...] = ("json", "html")) -> PublishOptions:
    return Settings(output_dir=output, formats=list(formats)).publish_options()


def run_config(sources: Path, output: Path, *, prune: bool = False, **settings: object) -> RunConfig:
    """A run configuration as the settings make it: the project glossary, json and html unless told."""
    values: dict[str, object] = {"glossaries": [ROOT / "glossary"], "formats": ["json", "html"], **settings}
    return Settings(source_dir=sources, output_dir=output, **values).run_config(prune=prune)


def small_pair(folder: Path) -> Path:
    """``folder`` holding a short Chinese report and its official English edition (Markdown, paired by name)."""
    folder.mkdir(parents=True)
    (folder / "report.zh.md").write_text(
        "# 气候合作报告\n\n## 一、总体情况\n\n中国与欧盟在《巴黎协定》框架下开展合作。2023年双方举行了高级别对话。\n",
        encoding="utf-8",
    )
    (folder / "report.en.md").write_text(
        "# Climate Cooperation Report\n\n## I. Overview\n\nChina and the European Union cooperate under the Paris "
        "Agreement. In 2023 the two sides held a high-level dialogue.\n",
        encoding="utf-8",
    )
    return folder


def child_env() -> dict[str, str]:
    """The environment for a ccpipe child process: it must import this checkout's ccpipe, whether installed
    in editable mode or (a git worktree) put on PYTHONPATH."""
    paths = [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


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
