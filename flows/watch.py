"""Drop-in runs: watch the source folder and run the flow as soon as a new or changed file is completely written.

The watcher (watchfiles, inotify) is only a trigger: what to build is decided by the run's plan, so a burst
of events, a file touched without changing, or events that came while a run was busy cost nothing and
miss nothing. Before a run, every source file must have kept its size and modification time for ``debounce``
seconds (a copy still in progress keeps growing), and a changed PDF must end with ``%%EOF`` (a PDF writer
may pause mid-file) — for at most ``pdf_grace`` seconds, after which it is built anyway and, if broken,
reported as such; when it is finished later its new hash rebuilds it.

The first run of a session starts Prefect's embedded server (unless PREFECT_API_URL names a standing
one); later runs reuse it, so only the first drop-in pays the ~15 s start-up. Usage:
    ccpipe watch [--config ccpipe.toml] [--debounce SECONDS] [--prune] [--dask local|ADDRESS]
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType

from watchfiles import Change
from watchfiles import watch as watch_changes

from ccpipe.errors import CcpipeError
from ccpipe.extract.sources import find_sources, is_source
from ccpipe.runs.config import Settings, load_settings
from ccpipe.runs.runner import RunConfig, RunResult
from flows.run import run_if_needed

# How often the watcher wakes without events: to notice a stop request and to retry a run that failed
# as a whole (the output folder locked by another ccpipe run, the Prefect server away, a broken glossary).
WAKE_MS = 1_000
RETRY_SECONDS = 30.0
RETRY = "retry"
POLL_SECONDS = 0.25
PDF_TAIL_BYTES = 2048

Snapshot = dict[Path, tuple[int, int]]


def echo(line: str) -> None:
    print(f"{datetime.now():%H:%M:%S} {line}", flush=True)


@dataclass(frozen=True)
class WatchOptions:
    """How to watch, from the settings (:meth:`from_settings`): no defaults of its own."""

    workers: int
    debounce: float  # seconds a source's size and mtime must stay unchanged before a run
    pdf_grace: float  # seconds after its last write a PDF without %%EOF is built anyway
    dask_address: str | None
    max_runs: int | None  # stop after this many flow runs (scripts and tests)

    @classmethod
    def from_settings(cls, settings: Settings, max_runs: int | None = None) -> WatchOptions:
        return cls(settings.workers, settings.watch_debounce, settings.watch_pdf_grace, settings.dask_address, max_runs)


def watch(
    config: RunConfig,
    options: WatchOptions,
    stop: threading.Event | None = None,
    ready: threading.Event | None = None,
    on_run: Callable[[RunResult], None] | None = None,
    say: Callable[[str], None] = echo,
) -> int:
    """Catch up, then run the flow whenever sources change, until ``stop`` is set, Ctrl-C or ``max_runs``.

    ``ready`` is set once the watcher is listening and the catch-up run is done. Returns the number of
    flow runs made."""
    stop = stop or threading.Event()
    # A missing source is the folder documents will be dropped into: create it to watch it.
    folders = [path.parent if path.is_file() else path for path in config.sources]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)

    def relevant(change: Change, path: str) -> bool:
        # A deletion matters only when pruning: otherwise it changes nothing in output/.
        return is_source(Path(path)) and (change != Change.deleted or config.prune)

    runs = 0
    connected = False

    def connect() -> bool:
        """Reach the Prefect API before the first run. Without PREFECT_API_URL this starts the embedded
        server (~15 s; later runs reuse it): files dropped meanwhile must be complete too, so settle again."""
        nonlocal connected
        if not connected:
            say("connecting to Prefect (the embedded server starts with the first run)")
            started = time.monotonic()
            _check_api()
            connected = True
            if time.monotonic() - started > options.debounce:
                return wait_until_written(config.sources, changed, options, stop)
        return True

    pending = True  # the catch-up run: whatever changed while nobody was watching
    changed: set[Path] = set()
    retry_at: float | None = None
    say(f"watching {', '.join(map(str, folders))} (Ctrl-C to stop)")
    # The watcher starts before the catch-up run, so a file dropped during it is not missed; with no
    # events it still wakes every WAKE_MS to check ``stop`` and pending retries.
    for changes in watch_changes(
        *folders, watch_filter=relevant, stop_event=stop, rust_timeout=WAKE_MS, yield_on_timeout=True
    ):
        if changes:
            pending = True
            changed |= {Path(path) for _, path in changes}
        if retry_at is not None and time.monotonic() >= retry_at:
            pending, retry_at = True, None
        if pending and retry_at is None:
            if not wait_until_written(config.sources, changed, options, stop):
                break
            outcome = run_once(config, options, say, connect)
            pending, changed = False, set()
            if outcome == RETRY:
                retry_at = time.monotonic() + RETRY_SECONDS
                say(f"will try again in {RETRY_SECONDS:.0f} s")
            elif isinstance(outcome, RunResult):
                runs += 1
                if on_run is not None:
                    on_run(outcome)
        if ready is not None and not ready.is_set() and retry_at is None:
            ready.set()
        if stop.is_set() or (options.max_runs is not None and runs >= options.max_runs):
            break
    say(f"stopped after {runs} run(s)")
    return runs


def run_once(
    config: RunConfig, options: WatchOptions, say: Callable[[str], None], connect: Callable[[], bool] = lambda: True
) -> RunResult | str | None:
    """Plan, and run the flow only when there is work (after ``connect``, which returns False when stopped).

    Returns the run's result, None when there was nothing to do, or RETRY when the run failed as a whole
    (reported; a document's own failure is part of the result): a watcher outlives a bad run."""

    def announce() -> bool:
        if not connect():
            return False
        say("new or changed documents: running the flow")
        return True

    try:
        ran = run_if_needed(config, options.workers, options.dask_address, before_run=announce)
    except CcpipeError as exc:
        say(exc.message)
        return RETRY
    except Exception as exc:
        say(f"run failed: {type(exc).__name__}: {exc}")
        return RETRY
    if ran.result is None:
        return None
    for line in ran.lines:
        say(line)
    return ran.result


def _check_api() -> None:
    from prefect.client.orchestration import get_client

    # Without an API URL, getting a client starts the embedded server (it stays up for the session).
    with get_client(sync_client=True) as client:
        error = client.api_healthcheck()
    if error is not None:
        raise error


def wait_until_written(
    sources: Iterable[Path], changed: set[Path], options: WatchOptions, stop: threading.Event
) -> bool:
    """Block until no source has changed size or mtime for ``options.debounce`` seconds and every changed
    PDF is complete (or past its grace); False if ``stop`` was set meanwhile."""
    sources = list(sources)
    before = snapshot(sources)
    quiet_since = time.monotonic()
    while True:
        if stop.wait(POLL_SECONDS):
            return False
        now = snapshot(sources)
        if now != before:
            before, quiet_since = now, time.monotonic()
            continue
        if time.monotonic() - quiet_since < options.debounce:
            continue
        unfinished = [p for p in changed if p in now and not pdf_complete(p) and _age(now[p]) < options.pdf_grace]
        if not unfinished:
            return True


def snapshot(sources: Iterable[Path]) -> Snapshot:
    state: Snapshot = {}
    for path in find_sources(list(sources))[0]:
        try:
            info = path.stat()
        except OSError:
            continue  # deleted between listing and stat
        state[path] = (info.st_size, info.st_mtime_ns)
    return state


def pdf_complete(path: Path) -> bool:
    """Not a PDF, or a PDF whose last bytes hold the end-of-file marker (writers may add a newline after)."""
    if path.suffix.lower() != ".pdf":
        return True
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - PDF_TAIL_BYTES))
            return b"%%EOF" in handle.read()
    except OSError:
        return True  # gone: the run's plan will not see it either


def _age(state: tuple[int, int]) -> float:
    return time.time() - state[1] / 1e9


def main(
    config_file: Path | None = None,
    *,
    debounce: float | None = None,
    prune: bool = False,
    dask_address: str | None = None,
    max_runs: int | None = None,
) -> int:
    """``ccpipe watch``: 0 on a clean stop, 2 on a configuration error."""
    try:
        settings = load_settings(config_file, watch_debounce=debounce, dask_address=dask_address)
    except CcpipeError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    from flows import settings as prefect_settings

    prefect_settings.apply()
    stop = threading.Event()
    options = WatchOptions.from_settings(settings, max_runs)

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        # First SIGTERM: finish the run in progress, then stop; a second one stops at once.
        if stop.is_set():
            raise KeyboardInterrupt
        echo(f"{signal.Signals(signum).name}: stopping after the current run")
        stop.set()

    previous = signal.signal(signal.SIGTERM, request_stop)
    try:
        watch(settings.run_config(prune=prune), options, stop)
    except KeyboardInterrupt:
        echo("interrupted")
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0
