"""The logins API: requests to join and invitations, with the pages' rights and refusals."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from nutag.factories import PersonFactory
from nutag.people.accounts import services
from nutag.people.models import JoinRequest


def _join(cast) -> JoinRequest:  # type: ignore[no-untyped-def]
    return services.join_request_create(
        acting_user=AnonymousUser(),
        unit=cast.village1a,
        data=services.JoinInput(name="乌云", phone="13800000001", password="grass-wind-horse-2026"),
    )


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _post(c: Client, path: str, data: dict) -> object:
    return c.post(path, json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_join_requests_refused_like_the_pages(cast):
    join = _join(cast)
    code = cast.village1a.code
    assert _client().get(f"/api/v1/units/{code}/join-requests").status_code == 401
    for user in (cast.village2a_secretary, cast.village1a_officer, cast.resident):
        c = _client(user)
        assert c.get(f"/api/v1/units/{code}/join-requests").status_code == 404
        r = _post(c, f"/api/v1/join-requests/{join.pk}/approve", {})
        assert r.status_code == 404
        r = _post(c, f"/api/v1/join-requests/{join.pk}/decline", {"reason": "不认识"})
        assert r.status_code == 404
    assert JoinRequest.objects.get(pk=join.pk).status == "pending"


@pytest.mark.django_db
def test_secretary_lists_and_approves_once(cast):
    roster = PersonFactory(unit=cast.village1a, name="乌云", phone="13800000001")
    join = _join(cast)
    c = _client(cast.township1_secretary)
    body = c.get(f"/api/v1/units/{cast.township1.code}/join-requests").json()
    listed = body["items"]
    assert body["count"] == 1 and body["offset"] == 0
    assert [j["id"] for j in listed] == [join.pk] and listed[0]["matches"] == [roster.pk]
    declined = c.get(f"/api/v1/units/{cast.township1.code}/join-requests?status=declined")
    assert declined.json()["items"] == []
    stranger = PersonFactory(unit=cast.village2a, name="外人")
    r = _post(c, f"/api/v1/join-requests/{join.pk}/approve", {"person_id": stranger.pk})
    assert r.status_code == 404
    r = _post(c, f"/api/v1/join-requests/{join.pk}/approve", {"person_id": roster.pk})
    assert r.status_code == 200 and r.json()["person_id"] == roster.pk
    again = _post(c, f"/api/v1/join-requests/{join.pk}/decline", {"reason": "重复"})
    assert again.status_code == 400 and again.json()["detail"]


@pytest.mark.django_db
def test_decline_needs_a_reason(cast):
    join = _join(cast)
    c = _client(cast.village1a_secretary)
    r = _post(c, f"/api/v1/join-requests/{join.pk}/decline", {"reason": " "})
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = _post(c, f"/api/v1/join-requests/{join.pk}/decline", {"reason": "名册上查无此人"})
    assert r.status_code == 200 and r.json()["status"] == "declined"


@pytest.mark.django_db
def test_invitations_list_has_no_link(cast):
    person = PersonFactory(unit=cast.village1a, name="巴图")
    issued = services.invitation_issue(acting_user=cast.village1a_officer, person=person)
    assert (
        _client(cast.village2a_secretary)
        .get(f"/api/v1/units/{cast.village1a.code}/invitations")
        .status_code
        == 404
    )
    r = _client(cast.village1a_officer).get(f"/api/v1/units/{cast.village1a.code}/invitations")
    assert r.status_code == 200
    assert r.json()["count"] == 1 and issued.token not in r.content.decode()
    assert r.json()["items"][0]["person_name"] == "巴图"
