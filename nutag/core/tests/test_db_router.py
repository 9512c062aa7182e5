"""The replica router's decisions, without a replica (nutag/core/db.py).

The real streaming replica is exercised by test_replica.py (CI's PostgreSQL pass); these run
in every pass and check the rules: which views, when pinned, the cookie.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import ResolverMatch

from nutag.core import db
from nutag.core.db import PIN_COOKIE, REPLICA, ReplicaMiddleware, ReplicaRouter, is_write
from nutag.orgs.models import Unit

VIEWS = ["site-*", "unit-figures*", "*:unit_stats", "*-export"]


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "replica_configured", lambda: True)


def serve(
    view: Callable[[HttpRequest], HttpResponse],
    *,
    method: str = "get",
    url_name: str = "unit-figures",
    cookies: dict[str, str] | None = None,
) -> HttpResponse:
    """Through the middleware as Django runs it: __call__, process_view, the view."""
    request = getattr(RequestFactory(), method)("/somewhere/")
    request.COOKIES.update(cookies or {})
    request.resolver_match = ResolverMatch(view, (), {}, url_name=url_name, namespaces=["api-1"])

    def get_response(req: HttpRequest) -> HttpResponse:
        middleware.process_view(req, view, (), {})
        return view(req)

    middleware = ReplicaMiddleware(get_response)
    with override_settings(NUTAG_REPLICA_VIEWS=VIEWS):
        return middleware(request)


def reads_from() -> str:
    return ReplicaRouter().db_for_read(Unit) or DEFAULT_DB_ALIAS


# --- the primary, whenever there is a doubt -------------------------------------------------


def test_no_replica_configured_reads_the_primary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "replica_configured", lambda: False)
    seen = []
    serve(lambda r: seen.append(reads_from()) or HttpResponse())
    assert seen == [DEFAULT_DB_ALIAS]


def test_outside_a_request_reads_the_primary(configured: None) -> None:
    assert reads_from() == DEFAULT_DB_ALIAS
    assert db.read_alias() == DEFAULT_DB_ALIAS


@pytest.mark.parametrize("url_name", ["desk-home", "voice-concern-new", "login", None])
def test_views_not_listed_read_the_primary(configured: None, url_name: str | None) -> None:
    seen = []
    serve(lambda r: seen.append(reads_from()) or HttpResponse(), url_name=url_name or "")
    assert seen == [DEFAULT_DB_ALIAS]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_methods_read_the_primary_and_pin_the_browser(configured: None, method: str) -> None:
    seen = []
    response = serve(lambda r: seen.append(reads_from()) or HttpResponse(), method=method)
    assert seen == [DEFAULT_DB_ALIAS]
    assert response.cookies[PIN_COOKIE]["max-age"] == 10
    assert response.cookies[PIN_COOKIE]["httponly"]


def test_a_pinned_browser_reads_the_primary(configured: None) -> None:
    seen = []
    serve(lambda r: seen.append(reads_from()) or HttpResponse(), cookies={PIN_COOKIE: "1"})
    assert seen == [DEFAULT_DB_ALIAS]


@pytest.mark.django_db(transaction=True)  # no test-wide transaction: it pins
def test_reads_after_a_write_in_the_request_read_the_primary(configured: None) -> None:
    seen = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(reads_from())
        Unit.objects.filter(pk=-1).update(name="x")  # a write statement, even of no row
        seen.append(reads_from())
        seen.append(db.read_alias())
        return HttpResponse()

    response = serve(view)
    assert seen == [REPLICA, DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS]
    assert PIN_COOKIE in response.cookies


@pytest.mark.django_db(transaction=True)  # no test-wide transaction: it pins
def test_reads_inside_a_transaction_read_the_primary(configured: None) -> None:
    seen = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(reads_from())
        with transaction.atomic():
            seen.append(reads_from())
        seen.append(reads_from())  # and stay there
        return HttpResponse()

    serve(view)
    assert seen == [REPLICA, DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS]


# --- the replica, for the listed views ------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["unit-figures", "unit-figures-export", "site-home", "unit_stats", "people-export"]
)
def test_listed_views_read_the_replica_without_pinning(configured: None, url_name: str) -> None:
    seen = []
    response = serve(lambda r: seen.append(reads_from()) or HttpResponse(), url_name=url_name)
    assert seen == [REPLICA]
    assert PIN_COOKIE not in response.cookies


def test_setting_a_relation_on_an_unsaved_object_is_not_a_write(configured: None) -> None:
    seen = []

    def view(request: HttpRequest) -> HttpResponse:
        parent = Unit(name="p")
        parent._state.db = REPLICA
        Unit(name="c", merged_into=parent)  # Django asks the router for a write database
        seen.append(reads_from())
        return HttpResponse()

    serve(view)
    assert seen == [REPLICA]


# --- what counts as a write -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "t" VALUES (1)',
        'UPDATE "t" SET "a" = 1',
        'DELETE FROM "t"',
        'SELECT "id" FROM "t" WHERE "id" = 1 FOR UPDATE',
        'SELECT "id" FROM "t" FOR NO KEY UPDATE SKIP LOCKED',
        "WITH x AS (DELETE FROM t RETURNING id) SELECT * FROM x",
        "SAVEPOINT s1",
        "TRUNCATE t",
        "SELECT nextval('t_id_seq')",
    ],
)
def test_writes_are_recognised(sql: str) -> None:
    assert is_write(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "t"."updated_at", "t"."deleted" FROM "t"',
        "  select 1",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "EXPLAIN SELECT 1",
        "SET TIME ZONE 'UTC'",
    ],
)
def test_reads_are_recognised(sql: str) -> None:
    assert not is_write(sql)
