"""Python's cyclic garbage collector, kept out of the way of bulk work.

Loading the run's tools and rendering a PDF each allocate millions of objects that live either for the whole
run or until the work is done, and none of them in cycles worth collecting meanwhile. At Python's default
threshold the collector runs every 700 allocations, and each pass of the oldest generation walks the whole
heap, jieba's dictionary (half a million objects) included: a sixth of WeasyPrint's rendering time, and more
of loading. Inside :func:`fewer_collections` the heap that existed before is frozen and the young generation
collected every 50,000 allocations; threads of one process may enter at once, and the first one in sets
the collector up, the last one out restores it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Allocations between two young-generation collections inside fewer_collections() (Python's default is 700).
BULK_THRESHOLD = 50_000

_lock = threading.Lock()
_users = 0
_saved: tuple[int, int, int] = gc.get_threshold()
_froze = False


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect rarely, and never the objects that existed on entry (unless a caller froze them already)."""
    global _users, _saved, _froze
    with _lock:
        if _users == 0:
            _saved = gc.get_threshold()
            _froze = gc.get_freeze_count() == 0  # a heap frozen by the caller stays frozen after
            if _froze:
                gc.freeze()
            gc.set_threshold(BULK_THRESHOLD, *_saved[1:])
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                gc.set_threshold(*_saved)
                if _froze:
                    gc.unfreeze()


@contextmanager
def frozen() -> Iterator[None]:
    """Keep every object alive now out of all collections until the block ends: for what lives as long as a
    run (its tools), and before forking workers, whose collections would otherwise write to, and so copy,
    every page of the heap they share with the run's process."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
