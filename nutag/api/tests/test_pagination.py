"""Every list of the API pages the same way (``nutag/api/pagination.py``): the schema says so
for each list, the parameters behave the same everywhere, and a page costs the same number of
queries however many rows the list holds."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nutag.factories import make_concern

pytestmark = pytest.mark.django_db


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_no_operation_answers_a_bare_list(client: Client) -> None:
    """A list is always ``{count, offset, limit, items}`` and takes ``offset`` and ``limit``."""
    schema = client.get("/api/v1/openapi.json").json()
    lists = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ok = operation["responses"].get("200") or operation["responses"].get("201")
            if not ok or "content" not in ok:
                continue
            body = _resolve(schema, ok["content"]["application/json"]["schema"])
            assert body.get("type") != "array", (method, path)
            if set(body.get("properties", {})) >= {"count", "offset", "limit", "items"}:
                lists += 1
                names = {p["name"] for p in operation.get("parameters", [])}
                assert {"offset", "limit"} <= names, (method, path)
    assert lists >= 18  # people, children, articles, columns, concerns, polls, tasks, rounds …


def test_conflicts_are_declared_where_a_version_is_compared(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for step in ("accept", "start", "answer", "pass", "close", "reopen"):
        responses = schema["paths"][f"/api/v1/concerns/{{concern_id}}/{step}"]["post"]["responses"]
        assert "409" in responses, step


def test_out_of_range_parameters_are_brought_back_not_refused(cast, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cast.township1_officer)
    make_concern(unit=cast.village1a)
    url = f"/api/v1/units/{cast.township1.code}/concerns"
    body = client.get(url, {"offset": -5, "limit": 100000}).json()
    assert (body["offset"], body["limit"], body["count"]) == (0, 200, 1)
    assert client.get(url, {"limit": 0}).json()["limit"] == 1
    assert client.get(url, {"offset": 10}).json() == {
        "count": 1,
        "offset": 10,
        "limit": 50,
        "items": [],
    }
    assert client.get(url, {"limit": "many"}).status_code == 400


def _poll(client: Client, code: str, n: int) -> None:
    now = timezone.now()
    body = {
        "question": f"议事 {n}",
        "options": ["同意", "不同意"],
        "opens_at": now.isoformat(),
        "closes_at": (now + dt.timedelta(days=1)).isoformat(),
    }
    r = client.post(f"/api/v1/units/{code}/polls", json.dumps(body), "application/json")
    assert r.status_code == 201


def test_polls_page_and_stay_with_their_unit(cast) -> None:  # type: ignore[no-untyped-def]
    secretary = Client()
    secretary.force_login(cast.village1a_secretary)
    for n in range(3):
        _poll(secretary, cast.village1a.code, n)
    url = f"/api/v1/units/{cast.village1a.code}/polls"
    stranger = Client()
    stranger.force_login(cast.village2a_secretary)
    assert stranger.get(url).status_code == 404
    first = secretary.get(url, {"limit": 2}).json()
    rest = secretary.get(url, {"limit": 2, "offset": 2}).json()
    assert first["count"] == rest["count"] == 3
    questions = [p["question"] for p in first["items"] + rest["items"]]
    assert questions == ["议事 2", "议事 1", "议事 0"]  # newest first, none twice


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_page_of_concerns_costs_the_same_for_more_rows(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.township1_officer)
    url = f"/api/v1/units/{cast.township1.code}/concerns?limit=5"
    for _ in range(5):
        make_concern(unit=cast.village1a)
    _queries(client, url)  # warm the session and the caches
    five = _queries(client, url)
    for _ in range(7):
        make_concern(unit=cast.village1b)
    assert _queries(client, url) == five  # a page of 5 out of 12: the same queries


def test_every_operation_on_an_object_declares_404(client: Client) -> None:
    """An id or a code in the path can be missing or out of reach: 404 is declared."""
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                assert "404" in operation["responses"], (method, path)
