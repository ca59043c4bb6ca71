"""Evaluation results as terminal tables: per document, per category, then every miss and false tag."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from ccpipe.terms.evaluate import Evaluation, Score, combine

_SCORE_COLUMNS = ("gold", "tagged", "correct", "precision", "recall", "F1")


def _cells(score: Score) -> list[str]:
    counts = [str(score.gold), str(score.tagged), str(score.true_positives)]
    return counts + [f"{value:.3f}" for value in (score.precision, score.recall, score.f1)]


def score_table(title: str, first: str, rows: Sequence[tuple[str, Score]], total: tuple[str, Score]) -> Table:
    table = Table(title=title)
    table.add_column(first)
    for column in _SCORE_COLUMNS:
        table.add_column(column, justify="right")
    for index, (name, score) in enumerate(rows):
        table.add_row(name, *_cells(score), end_section=index == len(rows) - 1)
    table.add_row(total[0], *_cells(total[1]))
    return table


def print_evaluation(evaluation: Evaluation, console: Console, limit: int = 0) -> None:
    """One document's category table, then its misses, false tags and English differences (``limit`` each, 0: all)."""
    console.print(
        score_table(
            f"Tagging against the hand annotation {evaluation.name}".rstrip(),
            "category",
            list(evaluation.by_category.items()),
            ("overall", evaluation.overall),
        )
    )
    print_details(evaluation, console, limit)


def print_details(evaluation: Evaluation, console: Console, limit: int = 0) -> None:
    """Nested mentions, misses, false tags and English differences of one document (``limit`` each, 0: all)."""
    nested = evaluation.nested
    console.print(f"Nested mentions: {nested.tagged} tagged, {nested.true_positives} of them annotated")
    for title, items in (("Missed", evaluation.misses), ("False tags", evaluation.false_tags)):
        console.print(f"{title}: {sum(n for _, n in items)}" + ("" if items else " (none)"))
        for (text, entity), count in items[: limit or None]:
            console.print(f"  {text}" + (f"  → {entity}" if entity else "") + f"  ×{count}", markup=False)
    print_english(evaluation, console, limit)


def print_english(evaluation: Evaluation, console: Console, limit: int = 0) -> None:
    differences = evaluation.english_differs
    if not differences:
        return
    console.print(f"English differs from the annotation: {sum(d.count for d in differences)} mention(s)")
    for item in differences[: limit or None]:
        console.print(
            f"  {item.surface}: annotated '{item.gold}', glossary '{item.tagged}'  ×{item.count}", markup=False
        )


def print_corpus(evaluations: Sequence[Evaluation], console: Console, limit: int = 20) -> Evaluation:
    """Every document's score, the total by category, then each document's details; returns the total."""
    total = combine(evaluations)
    rows = [(evaluation.name, evaluation.overall) for evaluation in evaluations]
    console.print(score_table("Tagging per annotated document", "document", rows, ("total", total.overall)))
    console.print(
        score_table("Total by category", "category", list(total.by_category.items()), ("total", total.overall))
    )
    nested = total.nested
    console.print(f"Nested mentions: {nested.tagged} tagged, {nested.true_positives} of them annotated")
    for evaluation in evaluations:
        console.rule(evaluation.name)
        print_details(evaluation, console, limit)
    return total
