"""A rich progress bar for batch runs (the CLI's; the library itself prints nothing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from ccpipe.runs.incremental import Plan
from ccpipe.runs.runner import DocReport


class BatchProgress:
    """Hooks for :func:`ccpipe.runs.runner.run_batch`: one bar over the documents that need building."""

    def __init__(self, progress: Progress | None, console: Console) -> None:
        self._progress, self._console = progress, console
        self._task: TaskID | None = None
        self._stage: TaskID | None = None
        self._stages: tuple[str, ...] = ()

    def planned(self, plan: Plan) -> None:
        if self._progress is not None and plan.build:
            from ccpipe.runs.pipeline import STAGE_NAMES  # the pipeline's own list, loaded once there is work

            self._stages = STAGE_NAMES
            self._task = self._progress.add_task("documents", total=len(plan.build))
            self._stage = self._progress.add_task("stage", total=len(self._stages))

    def stage(self, name: str) -> None:
        """The current document's stage, as a second bar under the batch's."""
        if self._progress is not None and self._stage is not None:
            self._progress.update(self._stage, description=f"  {name}", completed=self._stages.index(name) + 1)

    def done(self, report: DocReport) -> None:
        if self._progress is None or self._task is None:
            return
        mark = "[green]done[/]" if report.status == "built" else f"[red]{report.error_code}[/]"
        # A file name may hold brackets that rich would read as markup: shown as it is (already escaped).
        self._progress.console.print(f"{mark} {escape(report.source)}", highlight=False)
        self._progress.advance(self._task)


@contextmanager
def batch_progress(console: Console, silent: bool) -> Iterator[BatchProgress]:
    if silent:
        yield BatchProgress(None, console)
        return
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        yield BatchProgress(progress, console)
