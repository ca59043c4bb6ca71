"""Figures a reader can trust: the quantities stage against the hand-made reference of benchmarks/data/figures.yaml.

Extraction and normalisation of the referenced corpus documents take about half a minute, so their result is
cached per document in pytest's cache, keyed by the file's hash and a fingerprint of every source module the
quantities stage does not own: a change to extraction or normalisation reads the documents again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from benchmarks.bench_figures import (
    SHARED,
    Analysed,
    Expected,
    TextIndex,
    figures_of,
    judge,
    load_reference,
    read_documents,
    score,
    summary,
)

from ccpipe import __version__
from ccpipe.models import Block, BlockKind, Document, Quantity, QuantityKind

from .conftest import ROOT

# Right figures (value, unit, qualifier and English together) on the reference; raise it when the stage gets better.
PINNED_RIGHT = 417  # 420 before three entries of gov.cn metadata tables left the text (now page metadata)
_OWN = ("text/quantities/", "publish/")  # what this test measures: never part of the cache key


def _fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in sorted((ROOT / "src" / "ccpipe").rglob("*.py")):
        relative = path.relative_to(ROOT / "src" / "ccpipe").as_posix()
        if not relative.startswith(_OWN):
            digest.update(relative.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def reference() -> list[Expected]:
    return load_reference()


@pytest.fixture(scope="session")
def analysed(reference: list[Expected], request: pytest.FixtureRequest) -> Analysed:
    """Every referenced document read once (from pytest's cache when extraction is unchanged), then quantified."""
    cache = getattr(request.config, "cache", None)  # None with -p no:cacheprovider: read every document
    fingerprint = _fingerprint()
    keys = {}
    for doc in sorted({e.doc for e in reference}):
        path = SHARED / doc
        if not path.exists():
            pytest.fail(f"missing shared test material {path}")
        keys[doc] = f"ccpipe/figures/{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}-{fingerprint}"
    documents = {doc: cache.get(key, None) if cache else None for doc, key in keys.items()}
    missing = [doc for doc, cached in documents.items() if cached is None]
    for doc, document in read_documents(missing).items():
        documents[doc] = document.model_dump_json()
        if cache:
            cache.set(keys[doc], documents[doc])
    return {doc: figures_of(Document.model_validate_json(text)) for doc, text in documents.items()}


def test_reference_is_large_and_covers_every_kind(reference: list[Expected]) -> None:
    assert len(reference) >= 180
    assert {e.kind for e in reference} == {*QuantityKind, "none"}


def test_figures_reference_total(reference: list[Expected], analysed: Analysed) -> None:
    verdicts = score(reference, analysed)
    right, total = summary(verdicts)["total"]
    misses = "\n".join(f"{v.expected.context} {v.expected.text}: {v.wrong}" for v in verdicts if not v.right)
    assert right / total >= 0.97, misses
    assert right == PINNED_RIGHT, f"{right} right (pinned {PINNED_RIGHT}): update the pin if better\n{misses}"


def test_every_reference_context_is_found(reference: list[Expected], analysed: Analysed) -> None:
    verdicts = score(reference, analysed)
    assert not [v.expected.context for v in verdicts if "context" in v.wrong]


def test_a_name_is_right_only_without_a_quantity() -> None:
    """The scorer itself: a `none` entry is wrong as soon as a quantity covers it."""
    text = "芯联集成三期等项目加快建设"
    blocks = [Block(id="b1", kind=BlockKind.PARAGRAPH, page=1, pages=[1], text=text)]
    name = Expected("d", text, "三期", "none", None, None, None, None)
    phase = Quantity(block_id="b1", start=4, end=6, text="三期", kind=QuantityKind.COUNT, value=3.0)
    assert judge(name, TextIndex(blocks), []).right
    assert judge(name, TextIndex(blocks), [phase]).wrong == ["not an amount"]


def test_the_scorer_reads_the_reference_it_is_given(tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text("- {doc: d, context: 约10亿美元, text: 约10亿美元, kind: money, value: 1.0e9, unit: USD, "
                    "qualifier: about, english: about US$1 billion}\n", encoding="utf-8")  # fmt: skip
    (entry,) = load_reference(path)
    assert (entry.value, entry.unit, entry.qualifier) == (1.0e9, "USD", "about")
