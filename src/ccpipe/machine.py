"""What this process may use of the machine, read without importing anything heavy."""

from __future__ import annotations

import os
from pathlib import Path


def available_cores() -> int:
    """The cores this process may run on (a container's or taskset's share, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def child_pids(pid: int) -> list[int]:
    """The processes ``pid`` started that are still there, whichever of its threads started them (Linux /proc;
    empty when ``pid`` is gone or elsewhere). For watching a run from outside: tests, soak and benchmarks."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
    except OSError:
        return []
    return found
