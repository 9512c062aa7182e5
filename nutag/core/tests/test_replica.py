"""Reads on a real streaming replica of the test PostgreSQL (nutag/core/db.py).

Run only when ``DATABASE_REPLICA_URL`` names a hot standby of ``DATABASE_URL`` (``.ci/run``
starts one in its PostgreSQL pass, made with ``pg_basebackup -R``). The settings make the
``replica`` alias a test mirror of ``default``; the ``real_replica`` fixture points it at the
standby, where the test database arrives by streaming replication. The tests are
transactional: what they write is committed on the primary, then waited for on the standby.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import dj_database_url
import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import ResolverMatch

from nutag.core.db import PIN_COOKIE, REPLICA, ReplicaMiddleware
from nutag.factories import Cast
from nutag.orgs.models import Unit

REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")

pytestmark = [
    pytest.mark.skipif(
        not REPLICA_URL, reason="needs DATABASE_REPLICA_URL: a streaming replica (.ci/run)"
    ),
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
]


def one(alias: str, sql: str, params: tuple[object, ...] = ()) -> object:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None
    return row[0]


def wait_for_replica(seconds: float = 30) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    lsn = one(DEFAULT_DB_ALIAS, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + seconds
    while not one(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,)):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


@pytest.fixture
def real_replica() -> Iterator[None]:
    replica = connections[REPLICA]
    mirrored = replica.settings_dict
    parsed = dj_database_url.parse(REPLICA_URL)
    replica.close()
    replica.settings_dict = {
        **connections[DEFAULT_DB_ALIAS].settings_dict,  # the test database's name
        **{key: parsed[key] for key in ("HOST", "PORT", "USER", "PASSWORD")},
    }
    assert one(REPLICA, "SELECT pg_is_in_recovery()") is True
    assert one(DEFAULT_DB_ALIAS, "SELECT pg_is_in_recovery()") is False
    try:
        yield
    finally:
        replica.close()
        replica.settings_dict = mirrored


@pytest.fixture
def replicated_cast(cast: Cast, real_replica: None) -> Cast:
    wait_for_replica()
    return cast


def captured() -> tuple[CaptureQueriesContext, CaptureQueriesContext]:
    return (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]),
        CaptureQueriesContext(connections[REPLICA]),
    )


def test_the_dashboard_reads_from_the_replica(replicated_cast: Cast) -> None:
    primary, replica = captured()
    with primary, replica:
        response = Client().get(f"/u/{replicated_cast.banner.code}/figures/")
    assert response.status_code == 200
    assert replicated_cast.banner.name in response.content.decode()
    assert len(replica.captured_queries) > 0
    assert primary.captured_queries == []
    assert PIN_COOKIE not in response.cookies


def test_public_pages_and_stats_api_read_from_the_replica(replicated_cast: Cast) -> None:
    code = replicated_cast.banner.code
    for url in (f"/u/{code}/", f"/api/v1/units/{code}/stats"):
        primary, replica = captured()
        with primary, replica:
            response = Client().get(url)
        assert response.status_code == 200, url
        assert len(replica.captured_queries) > 0, url
        assert primary.captured_queries == [], (
            url,
            [q["sql"][:40] for q in primary.captured_queries],
            [q["sql"][:40] for q in replica.captured_queries],
        )


def test_pages_not_listed_read_from_the_primary(replicated_cast: Cast) -> None:
    client = Client()
    client.force_login(replicated_cast.banner_officer)
    primary, replica = captured()
    with primary, replica:
        response = client.get(f"/desk/u/{replicated_cast.banner.code}/")
    assert response.status_code == 200
    assert replica.captured_queries == []
    assert len(primary.captured_queries) > 0


def test_a_read_after_a_write_in_the_same_request_goes_to_the_primary(
    replicated_cast: Cast,
) -> None:
    seen: dict[str, object] = {}

    def view(request: HttpRequest) -> HttpResponse:
        before = Unit.objects.get(pk=replicated_cast.village1a.pk)
        seen["before"] = before._state.db
        Unit.objects.filter(pk=before.pk).update(name="写后即读村")
        after = Unit.objects.get(pk=before.pk)  # not yet on the replica, maybe
        seen["after"] = after._state.db
        seen["name"] = after.name
        seen["in recovery"] = one(after._state.db or DEFAULT_DB_ALIAS, "SELECT pg_is_in_recovery()")
        return HttpResponse("ok")

    middleware = ReplicaMiddleware(view)
    request = RequestFactory().get("/u/x/figures/")
    request.resolver_match = ResolverMatch(view, (), {}, url_name="unit-figures")
    response = _through(middleware, request, view)
    assert seen == {
        "before": REPLICA,
        "after": DEFAULT_DB_ALIAS,
        "name": "写后即读村",
        "in recovery": False,
    }
    # The browser that wrote reads from the primary for a while: the pin cookie.
    assert PIN_COOKIE in response.cookies

    pinned = RequestFactory().get("/u/x/figures/")
    pinned.COOKIES[PIN_COOKIE] = "1"
    pinned.resolver_match = request.resolver_match
    seen.clear()
    _through(middleware, pinned, view)
    assert seen["before"] == DEFAULT_DB_ALIAS


def test_a_post_reads_and_writes_on_the_primary(replicated_cast: Cast) -> None:
    client = Client()
    client.force_login(replicated_cast.banner_officer)
    primary, replica = captured()
    with primary, replica:
        response = client.post(f"/u/{replicated_cast.banner.code}/figures/")
    assert response.status_code in {200, 405}
    assert replica.captured_queries == []


def _through(middleware: ReplicaMiddleware, request: HttpRequest, view: object) -> HttpResponse:
    """Run ``middleware`` as Django does: __call__, with process_view before the view."""
    inner = middleware.get_response

    def get_response(req: HttpRequest) -> HttpResponse:
        middleware.process_view(req, inner, (), {})
        return inner(req)

    middleware.get_response = get_response
    try:
        return middleware(request)
    finally:
        middleware.get_response = inner
