"""The HTML brief in a real browser: headless Chromium loads it with no console error and no network request,
the view switch runs, and screenshots at desktop and phone widths can be taken (look at them when changing CSS:
CCPIPE_KEEP_SCREENSHOTS=dir keeps them)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccpipe.models import Document
from ccpipe.publish.writer import publish

# A real browser takes tens of seconds: `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    # Chromium asks a Google server for the time when it starts; that is the browser, not the page.
    "--disable-features=NetworkTimeServiceQuerying",
    "--enable-logging=stderr",
    "--v=0",
]


# Chromium's own services (sign-in, component updates, variations, network time) call Google hosts at
# startup whatever the page, and which ones varies by machine: not the brief's doing. The control test
# below proves that a page's own request to any other host is caught; the static test in test_publish
# rejects every http(s) resource, Google's included.
BROWSER_DOMAINS = ("google.com", "googleapis.com", "gstatic.com", "gvt1.com", "googleusercontent.com")


def _browser_own(host: str) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in BROWSER_DOMAINS)


class _Trap:
    """A proxy that answers nothing and records every connection: any request the page makes lands here."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.requests: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.requests.append(conn.recv(200))
                except OSError:
                    self.requests.append(b"?")

    def page_requests(self) -> list[str]:
        """Hosts (or URLs) requested, less the browser's own services."""
        found = []
        for request in self.requests:
            target = request.split(b" ")[1].decode("ascii", "replace") if b" " in request else "?"
            host = re.sub(r"^https?://", "", target).split("/")[0].split(":")[0]
            if not _browser_own(host):
                found.append(target)
        return found


@pytest.fixture(scope="module")
def brief_html(sample_document: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: `make test` installs it (apt package chromium)")
    out = tmp_path_factory.mktemp("browser")
    return next(p for p in publish(sample_document, out, ("json", "html")) if p.name == "brief.html")


@pytest.fixture(scope="module")
def trap() -> Iterator[_Trap]:
    trap = _Trap()
    yield trap
    trap.server.close()


def _chromium(args: list[str], profile: Path, trap: _Trap) -> subprocess.CompletedProcess[str]:
    # Every request, even to a local file server, would have to go through the trap proxy.
    proxy = [f"--proxy-server=http://127.0.0.1:{trap.port}", "--proxy-bypass-list=<-loopback>"]
    command = [CHROMIUM, *FLAGS, *proxy, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def test_opens_without_console_error_or_request_and_runs_the_switch(
    brief_html: Path, trap: _Trap, tmp_path: Path
) -> None:
    done = _chromium(["--dump-dom", brief_html.as_uri() + "#view=en"], tmp_path / "profile", trap)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console(done.stderr) == []
    assert trap.page_requests() == []
    # The script ran: the switch is visible and the address chose the English-glossed view.
    assert re.search(r'<html[^>]*data-view="en"', done.stdout)
    assert re.search(r'<div id="views"[^>]*>', done.stdout)
    assert not re.search(r'<div id="views"[^>]*hidden', done.stdout)


def test_the_checks_catch_errors_and_requests(tmp_path: Path) -> None:
    trap = _Trap()
    broken = tmp_path / "broken.html"
    page = '<link rel="stylesheet" href="https://cdn.example.org/fonts.css"><script>undefinedFunction();</script>'
    broken.write_text(f"<!DOCTYPE html><title>x</title>{page}", encoding="utf-8")
    done = _chromium(["--dump-dom", broken.as_uri()], tmp_path / "profile", trap)
    trap.server.close()
    assert any("Uncaught" in line for line in _console(done.stderr)), done.stderr[-2000:]
    assert any("cdn.example.org" in target for target in trap.page_requests())


@pytest.mark.parametrize("width", [1200, 400])
def test_screenshots(brief_html: Path, trap: _Trap, tmp_path: Path, width: int) -> None:
    shot = tmp_path / f"brief-{width}.png"
    done = _chromium([f"--window-size={width},2400", f"--screenshot={shot}", brief_html.as_uri()], tmp_path / "p", trap)
    assert done.returncode == 0 and shot.stat().st_size > 50_000, done.stderr[-2000:]
    assert _console(done.stderr) == [] and trap.page_requests() == []
    keep = os.environ.get("CCPIPE_KEEP_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
