from __future__ import annotations

import json

import pytest
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.disclosure import services
from nutag.disclosure.models import Disclosure, DisclosureStatus
from nutag.disclosure.tests.helpers import finance_draft, signed

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict | None = None):  # type: ignore[no-untyped-def, type-arg]
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_out_of_reach_is_404(cast):
    d = finance_draft(cast.village1a)
    other = _client(cast.village2a_secretary)
    assert other.get(f"/api/v1/disclosures/{d.pk}").status_code == 404
    assert _post(other, f"/api/v1/disclosures/{d.pk}/submit").status_code == 404
    assert (
        _post(
            other,
            f"/api/v1/disclosures/{d.pk}/finance-lines",
            {"direction": "income", "item": "x", "amount": "1"},
        ).status_code
        == 404
    )
    r = _post(
        other,
        f"/api/v1/units/{cast.village1a.code}/disclosures",
        {"kind": "finance", "period": "2026-Q2", "title": "越权"},
    )
    assert r.status_code == 404
    assert other.get(f"/api/v1/units/{cast.village1a.code}/disclosures").json()["count"] == 0
    assert other.get("/api/v1/disclosures/99999999999").status_code == 404
    assert Client().get(f"/api/v1/disclosures/{d.pk}").status_code == 401


def test_bad_input_is_400(cast):
    c = _client(cast.village1a_officer)
    url = f"/api/v1/units/{cast.village1a.code}/disclosures"
    for body in (
        {"kind": "finance", "period": "2026-Q5", "title": "x"},
        {"kind": "nope", "period": "2026-Q3", "title": "x"},
        {"kind": "finance", "period": "2026-Q3", "title": " "},
        {"kind": "finance", "period": "2026-Q3", "title": "x", "income_total": "-5"},
    ):
        assert _post(c, url, body).status_code == 400, body
    d = finance_draft(cast.village1a)
    r = _post(
        c,
        f"/api/v1/disclosures/{d.pk}/finance-lines",
        {"direction": "income", "item": "x", "amount": "-1"},
    )
    assert r.status_code == 400


def test_create_lines_submit_sign_off_and_409_after(cast):
    c = _client(cast.village1a_officer)
    r = _post(
        c,
        f"/api/v1/units/{cast.village1a.code}/disclosures",
        {
            "kind": "finance",
            "period": "2026-Q3",
            "title": "API公开",
            "income_total": "100.50",
            "spending_total": "0",
        },
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = _post(
        c,
        f"/api/v1/disclosures/{pk}/finance-lines",
        {"direction": "income", "item": "租金", "amount": "100"},
    )
    assert r.status_code == 201
    r = _post(c, f"/api/v1/disclosures/{pk}/submit")
    assert r.status_code == 400 and "0.50" in json.dumps(r.json(), ensure_ascii=False)
    _post(
        c,
        f"/api/v1/disclosures/{pk}/finance-lines",
        {"direction": "income", "item": "杂项", "amount": "0.5"},
    )
    _post(
        c,
        f"/api/v1/disclosures/{pk}/subsidy-lines",
        {"household": "王小明", "kind": "低保", "amount": "10"},
    )
    assert _post(c, f"/api/v1/disclosures/{pk}/submit").status_code == 200
    assert _post(c, f"/api/v1/disclosures/{pk}/sign-off").status_code == 404  # officers do not sign
    s = _client(cast.village1a_secretary)
    r = _post(s, f"/api/v1/disclosures/{pk}/sign-off")
    assert r.status_code == 200 and r.json()["status"] == "signed_off"
    r = _post(
        c,
        f"/api/v1/disclosures/{pk}/finance-lines",
        {"direction": "income", "item": "补", "amount": "1"},
    )
    assert r.status_code == 409
    assert Disclosure.objects.get(pk=pk).finance.count() == 2
    # names are masked in the API, for the writers too
    body = c.get(f"/api/v1/disclosures/{pk}").json()
    assert body["subsidies"][0]["household"] == "王**"


def test_list_shows_drafts_to_writers_only(cast):
    finance_draft(cast.village1a, code="2026-Q2")
    done = signed(cast.village1a)
    writers = (
        _client(cast.village1a_officer)
        .get(f"/api/v1/units/{cast.village1a.code}/disclosures")
        .json()
    )
    assert writers["count"] == 2
    resident = _client(cast.resident).get(f"/api/v1/units/{cast.village1a.code}/disclosures").json()
    assert [row["id"] for row in resident["items"]] == [done.pk]
    assert _client(cast.resident).get(f"/api/v1/disclosures/{done.pk}").status_code == 200


def test_stats_carry_disclosure(cast, client):
    d = signed(cast.village1a)
    services.disclosure_correct(acting_user=SYSTEM, disclosure=d, note="x")
    data = client.get(f"/api/v1/units/{cast.banner.code}/stats").json()
    periods = data["disclosure"]["periods"]
    assert data["disclosure"]["kind"] == "finance" and len(periods) == 2
    assert all(p["units"] == 3 for p in periods)
    assert Disclosure.objects.filter(status=DisclosureStatus.DRAFT).count() == 1
