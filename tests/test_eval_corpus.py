"""Tagging quality pinned on the annotated documents: the sample in the quick suite with one corpus document
(the Zhejiang work report, a Word file that builds in a blink), every annotated corpus document in the slow one.

The floors are the scores measured with the project glossary (nested mentions included); raise them when the
glossary grows, never lower them to let a change through. ``benchmarks/bench_terms.py`` prints the details.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ccpipe.cli import app
from ccpipe.models import Document
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.terms.evaluate import Evaluation, combine, evaluate, load_gold

from .conftest import DATA, SHARED

CORPUS_GOLD = DATA / "entities"
# (precision, recall) floors per annotated corpus document, and for all of them together.
FLOORS = {
    "cn-climate-white-paper-2021.zh": (0.99, 0.95),
    "cn-peak-2030-action-plan-2021.zh": (0.98, 0.99),
    "icma-climate-transition-finance-handbook-2020.zh": (0.99, 0.94),
    "mee-national-ets-allowance-allocation-power-2019-2020": (0.99, 0.99),
    "sanming-green-finance-carbon-peak-plan-2022": (0.99, 0.96),
    "zhejiang-2025-government-work-report": (0.99, 0.91),
}
TOTAL_FLOOR = (0.99, 0.96)


def corpus_evaluation(name: str, resources: Resources) -> Evaluation:
    gold = load_gold(CORPUS_GOLD / f"{name}.yaml")
    assert gold.source is not None
    return evaluate(build_document(SHARED / gold.source, resources), gold, resources.glossary)


def assert_floor(evaluation: Evaluation, floor: tuple[float, float]) -> None:
    score = evaluation.overall
    assert score.precision >= floor[0], (evaluation.name, score, evaluation.false_tags[:20])
    assert score.recall >= floor[1], (evaluation.name, score, evaluation.misses[:20])


def test_the_sample_meets_the_bar_with_nested_mentions(sample_document: Document) -> None:
    evaluation = evaluate(sample_document, load_gold(DATA / "sample_entities.yaml"))
    assert evaluation.overall.precision >= 0.98 and evaluation.overall.recall >= 0.98, evaluation.false_tags
    assert evaluation.nested.tagged >= 40 and evaluation.nested.false_positives <= 1


def test_a_work_report_keeps_its_scores(resources: Resources) -> None:
    name = "zhejiang-2025-government-work-report"
    assert_floor(corpus_evaluation(name, resources), FLOORS[name])


@pytest.mark.slow
def test_every_annotated_corpus_document_keeps_its_scores(resources: Resources) -> None:
    evaluations = [corpus_evaluation(name, resources) for name in FLOORS]
    for evaluation in evaluations:
        assert_floor(evaluation, FLOORS[evaluation.name])
    assert_floor(combine(evaluations), TOTAL_FLOOR)


def test_the_eval_command_reports_per_document_and_in_total(tmp_path: Path) -> None:
    golds = [
        "--gold",
        str(DATA / "sample_entities.yaml"),
        "--gold",
        str(CORPUS_GOLD / "zhejiang-2025-government-work-report.yaml"),
    ]
    result = CliRunner().invoke(app, ["eval", *golds, "--limit", "3"])
    assert result.exit_code == 0, result.output
    for text in ("Tagging per annotated document", "sample_entities", "zhejiang-2025", "total", "Total by category"):
        assert text in result.output
    failing = CliRunner().invoke(app, ["eval", *golds, "--fail-under", "0.99"])
    assert failing.exit_code == 1
