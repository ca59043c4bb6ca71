"""A figure found in text, before it becomes a :class:`ccpipe.models.Quantity` of a block."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ccpipe.models import QuantityKind


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: QuantityKind
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    iso: str | None = None
    change: str | None = None


def overlaps(found: Iterable[Found], start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps any of ``found``."""
    return any(f.start < end and start < f.end for f in found)
