"""Real servers for end-to-end tests: daphne subprocesses on the test database.

`server` runs `daphne config.asgi:application` against the database pytest-django
made for this session (data must be committed: these tests use `transactional_db`), with
Redis when REDIS_URL is set. `browser` is Playwright driving Debian's chromium.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import CHROMIUM, needs

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The URL of the test database this session uses, for a server subprocess."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class LiveServer:
    """One daphne process; stop() and start() again keep its port (a restart)."""

    def __init__(self, port: int | None = None, env: dict[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.env = env or {}
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(tempfile.gettempdir()) / f"visioning-daphne-{self.port}.log"

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        env.pop("STRICT_SERVICES", None)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "config.asgi:application",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited: {self.log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("daphne did not start within 30 s")

    def stop(self, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture
def server(transactional_db) -> Iterator[LiveServer]:
    server = LiveServer()
    server.start()
    yield server
    server.stop()
    server.log.unlink(missing_ok=True)


@pytest.fixture
def second_server(transactional_db) -> Iterator[LiveServer]:
    server = LiveServer()
    server.start()
    yield server
    server.stop()
    server.log.unlink(missing_ok=True)


# Module scope: Playwright's sync API runs an event loop in this thread while it is
# started, and the async tests of other modules need the thread's loop to themselves.
@pytest.fixture(scope="module")
def _playwright():
    needs("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def contexts(browser):
    """Opens browser contexts, phone-sized unless told otherwise; closes them after."""
    opened = []

    def new_context(**kwargs):
        context = browser.new_context(**{"viewport": {"width": 390, "height": 844}, **kwargs})
        opened.append(context)
        return context

    yield new_context
    for context in opened:
        context.close()


@pytest.fixture(autouse=True)
def _chromium_for_browser_tests(request):
    """Skip a browser test before its server starts when there is no chromium."""
    if request.node.get_closest_marker("browser"):
        needs("chromium")


@pytest.fixture(autouse=True)
def fresh_live_engine():
    """Overrides the in-process one: here the live engine runs in the server processes,
    and an async fixture would clash with the event loop Playwright runs."""
    yield


@pytest.fixture(autouse=True)
def _allow_sync_orm_in_playwright(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class RedisServer:
    """A private Redis on its own port, for tests that restart it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture
def private_redis():
    needs("redis")
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not on PATH")
    server = RedisServer()
    server.start()
    yield server
    server.stop()
