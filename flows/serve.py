"""Scheduled runs: serve a deployment of the batch flow on a cron schedule (``ccpipe serve``).

Deployment parameters travel as JSON through the Prefect API, so the served flow is a thin wrapper,
``scheduled_run(config_file, workdir, prune)``, that loads the settings itself and runs
``process_reports`` as a subflow. Relative paths in the settings are resolved against ``workdir``, the
folder ``ccpipe serve`` was started in, because a worker may start the run elsewhere.

Prefect's embedded (ephemeral) server does not run the scheduler service, so a schedule served against
it never fires. Without PREFECT_API_URL, ``ccpipe serve`` therefore starts ``prefect server start`` (with
its scheduler) for its own lifetime, on port 4200 when free, and stops it on exit; with PREFECT_API_URL
it serves against that standing server. Usage:
    ccpipe serve [--config ccpipe.toml] [--cron "0 6 * * *"] [--prune]
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from prefect import flow, get_run_logger
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from ccpipe.errors import CcpipeError
from ccpipe.runs.config import load_settings
from ccpipe.runs.runner import RunConfig

DEPLOYMENT = "ccpipe-scheduled"
DEFAULT_PORT = 4200
SERVER_START_SECONDS = 180.0


@flow(name="scheduled-run")
def scheduled_run(config_file: str | None = None, workdir: str | None = None, prune: bool = False) -> list[str]:
    """Load the settings and build every new or changed document; returns the run's summary lines."""
    from flows.run import run_if_needed

    logger = get_run_logger()
    base = Path(workdir) if workdir else Path.cwd()
    settings = load_settings(_resolve(base, Path(config_file)) if config_file else _default_config(base))
    config = resolve_paths(settings.run_config(prune=prune), base)
    # Nothing new: no subflow, no task, not a byte of output/ touched.
    lines = run_if_needed(config, settings.workers, settings.dask_address).lines
    for line in lines:
        logger.info(line)
    return lines


def _default_config(base: Path) -> Path | None:
    path = base / "ccpipe.toml"
    return path if path.is_file() else None


def _resolve(base: Path, path: Path) -> Path:
    return path if path.is_absolute() else base / path


def resolve_paths(config: RunConfig, base: Path) -> RunConfig:
    """The run configuration with every relative path made absolute against ``base``."""
    publishing = config.publishing
    return replace(
        config,
        sources=tuple(_resolve(base, p) for p in config.sources),
        glossaries=tuple(_resolve(base, p) for p in config.glossaries),
        cache_dir=_resolve(base, config.cache_dir),
        publishing=replace(
            publishing,
            output_dir=_resolve(base, publishing.output_dir),
            catalog_dirs=tuple(_resolve(base, p) for p in publishing.catalog_dirs),
        ),
    )


def local_timezone() -> str:
    """The machine's IANA time zone (TZ, else /etc/localtime), so "0 6 * * *" means 6:00 here; else UTC."""
    candidates = [os.environ.get("TZ", "").removeprefix(":")]
    with suppress(OSError):
        candidates.append(str(Path("/etc/localtime").resolve()).partition("zoneinfo/")[2])
    for name in candidates:
        with suppress(ValueError, ZoneInfoNotFoundError):
            if name and ZoneInfo(name):
                return name
    return "UTC"


def deployment(
    cron: str,
    config_file: Path | None = None,
    workdir: Path | None = None,
    prune: bool = False,
    timezone: str | None = None,
) -> RunnerDeployment:
    """The scheduled deployment (nothing is sent to a server until it is served or applied)."""
    parameters: dict[str, Any] = {
        "config_file": str(config_file.resolve()) if config_file else None,
        "workdir": str((workdir or Path.cwd()).resolve()),
        "prune": prune,
    }
    # A module entrypoint: the flows package is installed, so a worker finds it from any folder.
    built = scheduled_run.to_deployment(
        name=DEPLOYMENT,
        schedules=[Cron(cron, timezone=timezone or local_timezone())],
        parameters=parameters,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    # Called outside an event loop, Prefect's sync/async dual method returns the value itself.
    assert isinstance(built, RunnerDeployment)
    return built


def _port_free(port: int) -> bool:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        # As the server will bind it: a port left in TIME_WAIT by the previous session is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def local_server(port: int | None = None) -> Iterator[str]:
    """Run ``prefect server start`` (API, UI and scheduler) for the duration of the block; yields its API URL."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    port = port or (DEFAULT_PORT if _port_free(DEFAULT_PORT) else _free_port())
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    # Its own session, so Ctrl-C reaches only this process, which still needs the server to pause the schedule
    # on the way out (and then stops it); on Linux it is also told to stop if this process dies (kill -9).
    process = subprocess.Popen(
        command,
        env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
        start_new_session=True,
        preexec_fn=_stop_with_parent if sys.platform == "linux" else None,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(url, process)
        # This process and the flow-run processes the runner starts (it passes the current settings on).
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _stop_with_parent() -> None:
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prefect server exited with code {process.returncode} while starting")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"prefect server did not answer at {url} within {SERVER_START_SECONDS:.0f} s")


def main(
    config_file: Path | None = None, *, cron: str | None = None, timezone: str | None = None, prune: bool = False
) -> int:
    """``ccpipe serve``: serve until Ctrl-C/SIGTERM (0), 2 on a configuration error."""
    from prefect import serve
    from prefect.settings import PREFECT_API_URL

    try:
        settings = load_settings(config_file, schedule=cron)
        scheduled = deployment(settings.schedule, config_file, Path.cwd(), prune, timezone)
    except CcpipeError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except ValueError as exc:  # an unknown time zone
        print(f"CONFIG_INVALID: {exc}", file=sys.stderr)
        return 2
    if PREFECT_API_URL.value():
        serve(scheduled)
        return 0
    print("PREFECT_API_URL is not set: starting a Prefect server for this session", flush=True)
    try:
        with local_server() as url:
            print(f"Prefect server at {url.removesuffix('/api')}", flush=True)
            serve(scheduled)
    except KeyboardInterrupt:
        pass
    return 0
