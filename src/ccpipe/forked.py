"""Run one function in a forked child under a time and memory limit, so that nothing it does can hang,
exhaust or crash the process that called it.

Used for every stage of a document (:func:`ccpipe.runs.pipeline.run_stage`) and for extraction
(:mod:`ccpipe.extract.limits`). The child is a plain ``os.fork`` (nothing is imported again; the result
comes back pickled over a pipe) and is made to never outlive its purpose:

* it dies with the process that forked it (``PR_SET_PDEATHSIG``), so a run killed with ``kill -9``
  leaves no child behind;
* it enforces its time limit itself too (``SIGALRM`` with the default action, and ``RLIMIT_CPU``, which
  programs it starts inherit), in case the parent is stopped or stuck;
* it holds no run lock: descriptors registered with :func:`close_in_children` are closed at the fork;
* it leads its own process group, so the parent kills the programs it started (tesseract, pandoc) with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import os
import pickle
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Generic, TypeVar, cast

from ccpipe.errors import CcpipeError

T = TypeVar("T")

# The child's own timer fires this long after the parent's deadline: the parent normally reports first.
CHILD_GRACE_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1
try:  # resolved before any fork: a child must not need the dynamic loader (another thread may hold its lock)
    _prctl: Callable[..., int] | None = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _prctl = None
_held_descriptors: set[int] = set()
# The pipe to the parent, inside a child only: what extend_deadline() writes to.
_to_parent: Connection | None = None


class StopRequested(BaseException):
    """A stop was requested (:func:`request_stop`) while waiting for a child: the child is killed.

    A BaseException, like KeyboardInterrupt, so that no per-document guard mistakes it for a failure."""


_stop_event = threading.Event()
# How often a parent waiting for its child looks whether a stop was requested.
_STOP_POLL_SECONDS = 0.2


def request_stop() -> None:
    """Ask every wait for a child to stop (safe in a signal handler: it only sets a flag)."""
    _stop_event.set()


def clear_stop() -> None:
    _stop_event.clear()


def stop_requested() -> bool:
    return _stop_event.is_set()


def check_stop() -> None:
    """Raise :class:`StopRequested` if a stop was requested."""
    if _stop_event.is_set():
        raise StopRequested("stop requested")


class ChildFailed(Exception):
    """The child did not deliver a result."""


class ChildTimeout(ChildFailed):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds  # the limit that passed, extensions included
        super().__init__(f"did not finish within {seconds:.4g} s")


class ChildOutOfMemory(ChildFailed):
    def __init__(self) -> None:
        super().__init__("ran out of memory")


class ChildCrashed(ChildFailed):
    def __init__(self, exitcode: int | None) -> None:
        self.exitcode = exitcode
        super().__init__(self.describe())

    @property
    def signal_name(self) -> str | None:
        if self.exitcode is None or self.exitcode >= 0:
            return None
        try:
            return signal.Signals(-self.exitcode).name
        except ValueError:
            return f"signal {-self.exitcode}"

    def describe(self) -> str:
        name = self.signal_name
        return f"killed by {name}" if name else f"stopped without a result (exit status {self.exitcode})"


def close_in_children(fd: int) -> None:
    """Have every process forked from now on drop ``fd`` (a lock file): a child must never hold the run lock."""
    _held_descriptors.add(fd)


def release_in_children(fd: int) -> None:
    _held_descriptors.discard(fd)


def _drop_held_descriptors() -> None:
    # Pointing the descriptor at /dev/null releases this process's share of the lock's open file while
    # keeping the number valid for the file object that still refers to it.
    if not _held_descriptors:
        return
    null = os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)
    for fd in _held_descriptors:
        with contextlib.suppress(OSError):
            os.dup2(null, fd, inheritable=False)
    os.close(null)
    _held_descriptors.clear()


os.register_at_fork(after_in_child=_drop_held_descriptors)


def extend_deadline(seconds: float) -> None:
    """From inside a child: ask for ``seconds`` more (OCR adds time per page); a no-op elsewhere."""
    if _to_parent is None or seconds <= 0:
        return
    remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    if remaining > 0:
        signal.setitimer(signal.ITIMER_REAL, remaining + seconds)
    soft, _ = resource.getrlimit(resource.RLIMIT_CPU)
    if soft != resource.RLIM_INFINITY:
        _limit_cpu(soft + math.ceil(seconds))
    _to_parent.send(("extend", seconds))


def run_forked(
    function: Callable[[], T], *, seconds: float, memory_mb: int | None, max_seconds: float | None = None
) -> T:
    """``function()`` run in a forked child; raises what it raised, or a :class:`ChildFailed`.

    ``seconds`` may grow by what the child asks for (:func:`extend_deadline`), up to ``max_seconds``.
    ``memory_mb`` is how much address space the child may add to what it starts with."""
    return start_forked(function, seconds=seconds, memory_mb=memory_mb, max_seconds=max_seconds).result()


class ForkedChild(Generic[T]):
    """A child started by :func:`start_forked`: :meth:`result` waits for it, :meth:`stop` kills it."""

    def __init__(self, pid: int, receiver: Connection, seconds: float, max_seconds: float | None) -> None:
        self.pid, self._receiver, self._seconds, self._max_seconds = pid, receiver, seconds, max_seconds

    def result(self) -> T:
        """What the child's function returned; raises what it raised, or a :class:`ChildFailed`."""
        try:
            return cast(T, _await(self.pid, self._receiver, self._seconds, self._max_seconds))
        finally:
            self.stop()

    def stop(self) -> None:
        if not self._receiver.closed:
            self._receiver.close()
            _stop(self.pid)


def start_forked(
    function: Callable[[], T], *, seconds: float, memory_mb: int | None, max_seconds: float | None = None
) -> ForkedChild[T]:
    """``function()`` started in a forked child (see :func:`run_forked`); the caller goes on meanwhile."""
    receive_fd, send_fd = os.pipe()
    parent = os.getpid()
    # Frozen objects are left alone by the child's garbage collector, so it does not copy every page of
    # the parent's memory just to scan it.
    gc.freeze()
    try:
        pid = os.fork()
    finally:
        if os.getpid() == parent:
            gc.unfreeze()
    if pid == 0:  # the child: never returns
        os.close(receive_fd)
        _child(Connection(send_fd, readable=False), function, parent, seconds, memory_mb)
    os.close(send_fd)
    with contextlib.suppress(OSError):  # the child does it too: whichever runs first
        os.setpgid(pid, pid)
    return ForkedChild(pid, Connection(receive_fd, writable=False), seconds, max_seconds)


def _await(pid: int, receiver: Connection, seconds: float, max_seconds: float | None) -> object:
    started = time.monotonic()
    deadline = started + seconds
    cap = started + max_seconds if max_seconds is not None else math.inf
    while True:
        check_stop()
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not receiver.poll(min(remaining, _STOP_POLL_SECONDS)):
            if time.monotonic() < deadline:
                continue
            raise ChildTimeout(deadline - started)
        try:
            with _collector_paused():  # a document is a million small objects: collecting while they arrive is waste
                kind, value = receiver.recv()
        except EOFError:
            raise _ended(pid, deadline - started) from None
        if kind == "extend":
            deadline = min(deadline + float(value), cap)
        elif kind == "done":
            return value
        elif kind == "memory":
            raise ChildOutOfMemory()
        elif kind == "raised" and isinstance(value, BaseException):
            raise value
        else:
            raise RuntimeError(f"a forked child sent an unexpected message {kind!r}")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ended(pid: int, limit: float) -> ChildFailed:
    """What a child that closed its pipe without a result died of (its own timer is a timeout)."""
    exitcode = _reap(pid, timeout=5.0)
    if exitcode in (-signal.SIGALRM, -signal.SIGXCPU):
        return ChildTimeout(limit)
    return ChildCrashed(exitcode)


def _reap(pid: int, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            _reaped.add(pid)
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    return None


_reaped: set[int] = set()


def _stop(pid: int) -> None:
    """Kill the child's process group (the programs it started too), then reap the child."""
    if pid in _reaped:  # already reaped: its number may belong to someone else now
        _reaped.discard(pid)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)  # before reaping: an unreaped child keeps its number taken
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _child(
    sender: Connection, function: Callable[[], object], parent: int, seconds: float, memory_mb: int | None
) -> None:
    """The forked child: set its limits, run, send one result, exit (never returns, never raises)."""
    global _to_parent
    code = 0
    try:
        die_with_parent(parent)
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
        for handled in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
            signal.signal(handled, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, seconds + CHILD_GRACE_SECONDS)
        _limit_cpu(math.ceil(seconds + CHILD_GRACE_SECONDS))
        _to_parent = sender
        unlimited = resource.getrlimit(resource.RLIMIT_AS)
        if memory_mb is not None:
            _limit_memory(memory_mb)
        message: tuple[str, object]
        try:
            message = ("done", function())
        except BaseException as exc:  # everything goes to the parent, which raises it there
            message = ("memory", None) if _out_of_memory(exc) else ("raised", _portable(exc))
        resource.setrlimit(resource.RLIMIT_AS, unlimited)  # the limit guards the work, not reporting it
        gc.disable()  # nothing is left to collect before the child exits
        sender.send(message)
        sender.close()
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when the thread that forked it ends (Linux; elsewhere a no-op); exit
    at once if ``parent`` is gone already."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)


def _limit_cpu(seconds: int) -> None:
    # The hard limit a little above the soft one: SIGXCPU first (a timeout), SIGKILL if it is ignored.
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    wanted = seconds + 5
    if hard != resource.RLIM_INFINITY:
        seconds, wanted = min(seconds, hard), min(wanted, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, wanted))


def _limit_memory(megabytes: int) -> None:
    try:
        with open("/proc/self/statm") as statm:  # first field: the address space in use, in pages
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # not Linux: no limit rather than a wrong one
    limit = current + megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is, or was raised while handling, a MemoryError (pdfplumber wraps pdfminer's)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, MemoryError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling (ccpipe's errors do), else a RuntimeError saying what it was.

    An unexpected error (a bug) carries the child's traceback as a note, since its frames stay there.
    """
    if not isinstance(exc, CcpipeError):
        exc.add_note("in a forked child process:\n" + "".join(traceback.format_exception(exc)))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        plain = RuntimeError(f"{type(exc).__name__}: {exc}")
        plain.__notes__ = list(getattr(exc, "__notes__", []))
        return plain
    return exc
