"""Pytest fixtures for browser tests (tests marked ``browser``) in Debian's Chromium.

Loaded from ``nutag/conftest.py`` with ``pytest_plugins = ["nutag.browser_fixtures"]``.

- Tests marked ``browser`` need ``/usr/bin/chromium`` (``apt-get install chromium``) and the
  ``playwright`` Python package. When either is missing they are skipped with the reason,
  unless ``NUTAG_REQUIRE_BROWSER=1`` (as in CI): then they fail, so a CI machine that lost
  its browser cannot pass silently.
- No ``playwright install``: Playwright drives the system Chromium through
  ``browser_type_launch_args``. This works with pytest-playwright installed (its ``browser``
  fixture picks up the override) and without it (we start Playwright ourselves).
- ``phone_page`` is a page in a fresh 360 x 740 touch context, the size of a common phone.
- ``live_server`` is pytest-django's, except that on the suite's in-memory SQLite it serves
  one request at a time (``OneRequestAtATimeServer``). Made after the test database exists
  (as in a whole run), pytest-django's server shares the tests' one connection object with
  every request thread, and two requests at once (a page and its favicon, two of Chromium's
  connections) interleave ``Atomic``'s state on it: one thread's ``__exit__`` has left the
  block but not yet turned autocommit back on when the other asks ``on_commit``, which
  raises "cannot be used in manual transaction management" (CI, session 10). Made before
  (a browser test first), the threads have connections of their own to the shared-cache
  database, which fails any collision at once ("database table is locked"). The tests' own
  code shares that connection too: it reads the database after waiting for the page, never
  while a request may still run. PostgreSQL runs the server threaded, as before.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Playwright's sync API keeps an event loop running in the main thread for the whole session,
# and Django refuses ORM calls from a thread with a running loop. The tests' ORM calls are
# synchronous anyway (live_server serves from its own thread), so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}


def browser_required() -> bool:
    """True when a missing browser must fail the run instead of skipping (CI)."""
    return os.environ.get("NUTAG_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def browser_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"browser test needs Chromium at {CHROMIUM} (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return 'browser test needs the playwright package (pip install -e ".[dev]")'
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") is None:
        return
    reason = browser_missing_reason()
    if reason is None:
        return
    if browser_required():
        pytest.fail(f"NUTAG_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Launch Debian's Chromium headless, quiet on a machine with no outside network."""
    return {"executable_path": str(CHROMIUM), "headless": True, "args": list(CHROMIUM_ARGS)}


@pytest.fixture(scope="session")
def nutag_browser(
    request: pytest.FixtureRequest, browser_type_launch_args: dict[str, Any]
) -> Iterator[Browser]:
    """One Chromium for the session: pytest-playwright's when it is active, else our own."""
    if request.config.pluginmanager.has_plugin("playwright"):
        yield request.getfixturevalue("browser")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**browser_type_launch_args)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def phone_page(nutag_browser: Browser) -> Iterator[Page]:
    """A page on a 360 x 740 touch screen, in a context of its own (fresh cookies)."""
    context = nutag_browser.new_context(
        viewport=PHONE_VIEWPORT,  # type: ignore[arg-type]
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


AXE = Path(__file__).resolve().parent / "browser_support" / "axe.min.js"
AXE_IMPACTS = ("serious", "critical")


def axe_problems(page: Page) -> list[str]:
    """The serious and critical accessibility violations axe-core finds in ``page`` (WCAG 2.x
    A and AA rules and best practices), one line each: rule, impact, the first elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    results = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
        for v in results
        if v["impact"] in AXE_IMPACTS
    ]


def until(page: Page, expression: str, arg: Any = None, *, seconds: float = 15) -> Any:
    """Evaluate ``expression`` (a function of ``arg``, or an expression) in ``page`` again and
    again until its value is truthy, and return that value; a promise is awaited.

    Not ``page.wait_for_function``: it takes a returned promise itself for a truthy value,
    so a wait on the caches or on IndexedDB returned at once (and a test went offline while
    the lesson's PDF was still on its way into the cache)."""
    deadline = time.monotonic() + seconds
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"never true in {seconds} s: {expression[:200]}")
        time.sleep(0.1)


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def one_at_a_time(
    application: WsgiApp, lock: threading.Lock, needed: Callable[[], bool]
) -> WsgiApp:
    """``application`` run under ``lock`` when ``needed()``: from the call until its response
    is closed (when Django sends ``request_finished``), the body read inside the lock."""

    def serial(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not needed():
            return application(environ, start_response)
        with lock:
            result = application(environ, start_response)
            try:
                return list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()

    return serial


def on_memory_sqlite() -> bool:
    """True when this thread's default database is SQLite in memory (the suite's SQLite)."""
    from django.db import connection

    return connection.vendor == "sqlite" and bool(connection.is_in_memory_db())  # type: ignore[attr-defined]


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """Django's threaded test server (a thread per connection, so keep-alive connections do
    not hold each other up) whose application runs one request at a time on SQLite."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.one_at_a_time = threading.Lock()

    def set_app(self, application: Any) -> None:  # wsgiref types it loosely
        super().set_app(one_at_a_time(application, self.one_at_a_time, on_memory_sqlite))


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's ``live_server`` (same address options) on ``OneRequestAtATimeServer``.

    The choice is made per request, not here: this session fixture can be made before the
    test database exists, while the settings still name the configured one."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.server_class = OneRequestAtATimeServer  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop()
