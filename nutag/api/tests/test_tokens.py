"""API tokens: made, scoped, revoked; the gate in front of every router; the schema says so."""

import json

import pytest
from django.test import Client

from nutag.api.models import ApiToken
from nutag.api.tokens import token_create, token_revoke
from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.people.models import Person

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def make(user, scope="read", name="报表"):  # type: ignore[no-untyped-def]
    return token_create(acting_user=user, name=name, scope=scope)


# --- refused first ---------------------------------------------------------------------------


def test_unknown_malformed_or_revoked_token_is_401_never_anonymous(cast):
    c = Client()
    url = f"/api/v1/units/{cast.banner.code}"
    assert c.get(url).status_code == 200  # public without any token
    for header in ("Bearer ntg_nope", "Bearer", "Basic abc", "Bearer " + "x" * 500):
        r = c.get(url, HTTP_AUTHORIZATION=header)
        assert r.status_code == 401, header
        assert r.json()["detail"]
        assert r["WWW-Authenticate"].startswith("Bearer")
    token, raw = make(cast.village1a_secretary)
    token_revoke(acting_user=cast.village1a_secretary, pk=token.pk)
    assert c.get(url, **bearer(raw)).status_code == 401


def test_token_of_a_switched_off_login_is_401(cast):
    _token, raw = make(cast.village1a_secretary)
    cast.village1a_secretary.is_active = False
    cast.village1a_secretary.save()
    r = Client().get(f"/api/v1/units/{cast.village1a.code}/people", **bearer(raw))
    assert r.status_code == 401


def test_read_token_cannot_write(cast):
    _token, raw = make(cast.village1a_secretary, scope="read")
    before = Person.objects.count()
    r = Client().post(
        f"/api/v1/units/{cast.village1a.code}/people",
        json.dumps({"name": "读令牌", "gender": "f"}),
        content_type="application/json",
        **bearer(raw),
    )
    assert r.status_code == 403
    assert Person.objects.count() == before


def test_token_reaches_only_what_its_login_reaches(cast):
    _token, raw = make(cast.village1a_secretary)
    c = Client()
    assert c.get(f"/api/v1/units/{cast.village1b.code}/people", **bearer(raw)).status_code == 404
    assert c.get(f"/api/v1/units/{cast.township1.code}/people", **bearer(raw)).status_code == 404
    assert c.get(f"/api/v1/units/{cast.village1a.code}/people", **bearer(raw)).status_code == 200


def test_token_is_for_the_api_only(cast):
    _token, raw = make(cast.village1a_secretary, scope="write")
    r = Client().get(f"/desk/u/{cast.village1a.code}/", **bearer(raw))
    assert r.status_code == 302  # the workbench still asks for a login


def test_nobody_revokes_or_sees_another_logins_token(cast):
    token, _raw = make(cast.village1a_secretary)
    with pytest.raises(NotFound):
        token_revoke(acting_user=cast.admin, pk=token.pk)
    c = Client()
    c.force_login(cast.admin)
    assert c.delete(f"/api/v1/me/tokens/{token.pk}").status_code == 404
    assert c.get("/api/v1/me/tokens").json()["items"] == []
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_system_and_anonymous_make_no_tokens(cast):
    with pytest.raises(NotFound):
        token_create(acting_user=SYSTEM, name="x", scope="read")
    r = Client().post(
        "/api/v1/me/tokens", json.dumps({"name": "x"}), content_type="application/json"
    )
    assert r.status_code == 401


def test_bad_input_is_400_in_the_one_error_shape(cast):
    c = Client()
    c.force_login(cast.resident)

    def post(data):  # type: ignore[no-untyped-def]
        return c.post("/api/v1/me/tokens", json.dumps(data), content_type="application/json")

    for bad in ({"name": "   "}, {"name": "x", "scope": "admin"}, {"name": "x" * 81}):
        response = post(bad)
        assert response.status_code == 400
        assert set(response.json()) == {"detail", "errors"}
    assert not ApiToken.objects.exists()


# --- what works ------------------------------------------------------------------------------


def test_write_token_writes_without_csrf_and_is_audited_without_its_secret(cast):
    c = Client(enforce_csrf_checks=True)
    c.force_login(cast.village1a_secretary)
    c.get("/desk/login/")
    r = c.post(
        "/api/v1/me/tokens",
        json.dumps({"name": "旗里报表", "scope": "write"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=c.cookies["csrftoken"].value,
    )
    assert r.status_code == 201
    raw = r.json()["token"]
    row = ApiToken.objects.get()
    assert raw.startswith("ntg_") and raw not in (row.digest, row.prefix)
    assert raw.startswith(row.prefix)
    entry = AuditEntry.objects.get(object_type="api.apitoken")
    assert raw not in json.dumps(entry.changes) and row.digest not in json.dumps(entry.changes)
    # Another client, no session, no CSRF token: the token alone.
    r = Client(enforce_csrf_checks=True).post(
        f"/api/v1/units/{cast.village1a.code}/people",
        json.dumps({"name": "令牌写入", "gender": "f"}),
        content_type="application/json",
        **bearer(raw),
    )
    assert r.status_code == 201, r.content
    assert Person.objects.filter(name="令牌写入", unit=cast.village1a).exists()
    listed = c.get("/api/v1/me/tokens").json()["items"]
    assert [t["name"] for t in listed] == ["旗里报表"]
    assert "token" not in listed[0]
    assert listed[0]["last_used_at"] is not None


def test_revoked_through_the_api(cast):
    token, raw = make(cast.village1a_secretary, scope="write")
    c = Client()
    r = c.delete(f"/api/v1/me/tokens/{token.pk}", **bearer(raw))
    assert r.status_code == 200 and r.json()["revoked_at"]
    assert c.get("/api/v1/me/tokens", **bearer(raw)).status_code == 401


def test_schema_declares_the_token_and_its_refusals(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    people = schema["paths"]["/api/v1/units/{code}/people"]
    assert {"token": []} in people["get"]["security"]
    assert "401" in people["get"]["responses"]
    assert {"401", "403"} <= set(people["post"]["responses"])
    assert "401" in schema["paths"]["/api/v1/units/{code}"]["get"]["responses"]
