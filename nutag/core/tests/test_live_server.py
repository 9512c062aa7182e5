"""The browser tests' live server: one request at a time on the suite's in-memory SQLite.

CI (session 10) failed once with ``on_commit() cannot be used in manual transaction
management`` in a browser test: two requests ran at once on the one connection object that
the live server's threads share with the tests on in-memory SQLite
(``nutag/browser_fixtures.py`` explains). ``live_server`` now serves those requests one at a
time; these tests hold it to that.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import re
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from nutag.browser_fixtures import OneRequestAtATimeServer, on_memory_sqlite, one_at_a_time
from nutag.core.actors import SYSTEM
from nutag.factories import TEST_PASSWORD, make_elder, make_youth_record
from nutag.youth import services as youth_services


class _Body:
    """A response body that records whether the lock was held while read and closed."""

    def __init__(self, lock: threading.Lock, seen: list[str]) -> None:
        self.lock = lock
        self.seen = seen

    def __iter__(self) -> Iterator[bytes]:
        self.seen.append(f"read locked={self.lock.locked()}")
        yield b"one"
        yield b"two"

    def close(self) -> None:
        self.seen.append(f"close locked={self.lock.locked()}")


def test_the_application_its_body_and_its_close_all_run_inside_the_lock() -> None:
    lock = threading.Lock()
    seen: list[str] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> _Body:
        seen.append(f"call locked={lock.locked()}")
        start_response("200 OK", [])
        return _Body(lock, seen)

    body = one_at_a_time(app, lock, lambda: True)({}, lambda *args: None)

    assert list(body) == [b"one", b"two"]
    assert seen == ["call locked=True", "read locked=True", "close locked=True"]
    assert not lock.locked()


def test_a_failing_application_releases_the_lock() -> None:
    lock = threading.Lock()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        one_at_a_time(app, lock, lambda: True)({}, lambda *args: None)
    assert not lock.locked()


def test_a_second_request_waits_for_the_first() -> None:
    lock = threading.Lock()
    inside = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        name = environ["name"]
        order.append(f"{name} in")
        if name == "first":
            inside.set()
            release.wait(10)
        order.append(f"{name} out")
        return [b""]

    serial = one_at_a_time(app, lock, lambda: True)
    first = threading.Thread(target=serial, args=({"name": "first"}, lambda *a: None))
    first.start()
    inside.wait(10)
    second = threading.Thread(target=serial, args=({"name": "second"}, lambda *a: None))
    second.start()
    # The second thread is blocked on the lock the first holds: still running, not entered.
    second.join(0.5)
    assert second.is_alive()
    assert order == ["first in"]
    release.set()
    first.join(10)
    second.join(10)
    assert order == ["first in", "first out", "second in", "second out"]


def test_without_need_the_application_runs_as_it_is() -> None:
    lock = threading.Lock()
    seen: list[bool] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> _Body:
        seen.append(lock.locked())
        return _Body(lock, [])

    body = one_at_a_time(app, lock, lambda: False)({}, lambda *args: None)

    assert isinstance(body, _Body)  # not read into a list: streamed as Django returns it
    assert seen == [False]


@pytest.mark.django_db(transaction=True)
def test_the_live_server_serves_one_at_a_time_exactly_on_memory_sqlite(live_server: Any) -> None:
    on_sqlite = connection.vendor == "sqlite"
    assert on_memory_sqlite() is on_sqlite  # the suite's SQLite is in memory
    server = live_server.thread.httpd
    assert isinstance(server, OneRequestAtATimeServer)
    url = f"{live_server.url}/desk/login/"
    assert _answers(url)
    answered = threading.Event()

    def fetch() -> None:
        if _answers(url):
            answered.set()

    # Held by the test, the lock keeps the server from answering on SQLite only. The request
    # is let through before the test ends, so no request outlives it (its database goes).
    client = threading.Thread(target=fetch)
    with server.one_at_a_time:
        client.start()
        answered_while_held = answered.wait(3 if on_sqlite else 60)
    client.join(60)
    assert answered.is_set()
    assert answered_while_held is not on_sqlite


def _answers(url: str) -> bool:
    request = urllib.request.Request(url)  # noqa: S310 (our own server)
    return _status(urllib.request.build_opener(), request) == "200"


def _status(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> str:
    """The HTTP status the server answers ``request`` with, as text."""
    try:
        with opener.open(request, timeout=60) as response:
            return str(response.status)
    except urllib.error.HTTPError as error:
        return str(error.code)


@pytest.mark.django_db(transaction=True)
def test_pages_and_logins_at_once_all_answer(live_server: Any, cast: Any) -> None:
    """What CI met, made likely: a five elder's visit page (an audit row and an ``on_commit``)
    asked again and again while others log in (a session made in a transaction), eight
    clients at once, the interpreter switching threads as often as it can. Served
    concurrently on one shared connection, about one request in twenty-five failed here
    ("on_commit() cannot be used in manual transaction management", "cannot start a
    transaction within a transaction"); one at a time, none does."""
    record = make_youth_record(unit=cast.village1a, name="巴特尔")
    elder = make_elder(unit=cast.village1a, username="elder")
    pair = youth_services.pairing_create(
        acting_user=SYSTEM, record=record, elders=[elder], started_on=dt.date(2025, 9, 1)
    )
    assert elder.user is not None
    client = Client()
    client.force_login(elder.user)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    visit = f"{live_server.url}/desk/youth/pairs/{pair.pk}/visit/"
    login = f"{live_server.url}/desk/login/"
    answers: list[str] = []  # list.append holds under any thread switch

    def visits() -> None:
        opener = urllib.request.build_opener()
        for _ in range(30):
            request = urllib.request.Request(visit, headers={"Cookie": cookie})  # noqa: S310
            answers.append("visit " + _status(opener, request))

    def logins() -> None:
        for _ in range(15):
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
            )
            form = opener.open(login, timeout=60).read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
            assert token is not None
            data = urllib.parse.urlencode(
                {"username": "elder", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token[1]}
            ).encode()
            request = urllib.request.Request(login, data=data, headers={"Referer": login})  # noqa: S310
            answers.append("login " + _status(opener, request))

    clients = [threading.Thread(target=visits) for _ in range(4)]
    clients += [threading.Thread(target=logins) for _ in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for each in clients:
            each.start()
        for each in clients:
            each.join(300)
    finally:
        sys.setswitchinterval(interval)
    assert Counter(answers) == {"visit 200": 120, "login 200": 60}
