"""A document's budget: the time and memory all its stages together may take.

Each stage of a document runs in a forked child (:func:`ccpipe.forked.run_forked`) given what is left of
the document's time and its memory budget, so a document that would take an hour, exhaust the machine's
memory or crash a native library fails with a code of its own while the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ccpipe.errors import DocumentCrashedError, DocumentOutOfMemoryError, DocumentTimeoutError
from ccpipe.forked import ChildCrashed, ChildOutOfMemory, ChildTimeout, run_forked

T = TypeVar("T")

# Defaults of the document_timeout and document_memory_mb settings (see ccpipe.runs.config.Settings).
DOCUMENT_SECONDS = 1800.0
DOCUMENT_MEMORY_MB = 6144


def within_budget(
    stage: str, path: Path, function: Callable[[], T], *, spent: float, seconds: float, memory_mb: int
) -> T:
    """``function()`` (one stage of the document at ``path``) with what is left of the document's budget."""
    remaining = seconds - spent
    if remaining <= 0:
        raise over_time(stage, path, seconds)
    try:
        return run_forked(function, seconds=remaining, memory_mb=memory_mb)
    except ChildTimeout:
        raise over_time(stage, path, seconds) from None
    except ChildOutOfMemory:
        detail = f"the {stage} stage needed more than the document's {memory_mb} MB of memory"
        raise DocumentOutOfMemoryError(path, detail) from None
    except ChildCrashed as exc:
        raise DocumentCrashedError(path, f"the {stage} stage crashed on it ({exc.describe()})") from None


def over_time(stage: str, path: Path, seconds: float) -> DocumentTimeoutError:
    return DocumentTimeoutError(path, f"its stages did not finish within the document's {seconds:.4g} s (at {stage})")
