"""The tourism API: places (paginated, public), bookings with an Idempotency-Key, host actions
with the pages' rights; out of reach is 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from nutag.factories import UserFactory, make_place
from nutag.tourism.models import Booking, BookingState, ContactShown, PlaceKind

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _day(n: int = 1) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def _post(client, url, body, **headers):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_booking_needs_a_login(cast):
    place = make_place(unit=cast.village1a)
    r = _post(
        _client(),
        f"/api/v1/places/{place.pk}/bookings",
        {"first_day": _day(), "last_day": _day(), "party": 1},
    )
    assert r.status_code == 401
    assert not Booking.objects.exists()


def test_missing_place_and_other_s_booking_are_404(cast):
    assert _client().get("/api/v1/places/999999").status_code == 404
    place = make_place(unit=cast.village1a)
    r = _post(
        _client(cast.resident),
        f"/api/v1/places/{place.pk}/bookings",
        {"first_day": _day(), "last_day": _day(), "party": 1},
    )
    assert r.status_code == 201, r.json()
    booking_id = r.json()["id"]
    for user in (cast.volunteer, cast.village2a_secretary):
        assert _client(user).get(f"/api/v1/bookings/{booking_id}").status_code == 404
        r = _post(_client(user), f"/api/v1/bookings/{booking_id}/confirm", {"answer": ""})
        assert r.status_code == 404
    assert Booking.objects.get(pk=booking_id).state == BookingState.REQUESTED


def test_refusals_are_400_with_the_field(cast):
    place = make_place(unit=cast.village1a, capacity=4)
    r = _post(
        _client(cast.resident),
        f"/api/v1/places/{place.pk}/bookings",
        {"first_day": _day(), "last_day": _day(), "party": 5},
    )
    assert r.status_code == 400
    assert "party" in r.json()["errors"]
    r = _post(
        _client(cast.resident),
        f"/api/v1/places/{place.pk}/bookings",
        {"first_day": _day(-2), "last_day": _day(-1), "party": 1},
    )
    assert r.status_code == 400 and "first_day" in r.json()["errors"]


def test_idempotency_key_returns_the_first_booking(cast):
    place = make_place(unit=cast.village1a)
    body = {"first_day": _day(), "last_day": _day(2), "party": 2, "note": "两个人"}
    url = f"/api/v1/places/{place.pk}/bookings"
    one = _post(_client(cast.resident), url, body, HTTP_IDEMPOTENCY_KEY="abc-1")
    two = _post(_client(cast.resident), url, body, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert one.status_code == 201 and two.status_code == 200
    assert one.json()["id"] == two.json()["id"]
    assert Booking.objects.count() == 1


def test_places_are_paginated_and_phone_masked(cast):
    make_place(
        unit=cast.village1a,
        kind=PlaceKind.SIGHT,
        name="河",
        phone="13812345678",
        contact_shown=ContactShown.LOGGED_IN,
    )
    make_place(unit=cast.village2a, kind=PlaceKind.SIGHT, name="湖")
    r = _client().get(f"/api/v1/units/{cast.township1.code}/places")
    data = r.json()
    assert set(data) == {"count", "offset", "limit", "items"}
    assert data["count"] == 1 and data["items"][0]["name"] == "河"
    assert data["items"][0]["phone"] != "13812345678"
    r = _client(cast.resident).get(f"/api/v1/places/{data['items'][0]['id']}")
    assert r.json()["phone"] == "13812345678"
    assert _client().get(f"/api/v1/units/{cast.banner.code}/places?kind=stay").json()["count"] == 0


def test_host_confirms_and_visitor_cancels(cast):
    host = UserFactory()
    place = make_place(unit=cast.village1a, host=host)
    r = _post(
        _client(cast.resident),
        f"/api/v1/places/{place.pk}/bookings",
        {"first_day": _day(), "last_day": _day(), "party": 2},
    )
    booking_id = r.json()["id"]
    listing = _client(host).get("/api/v1/bookings?role=host").json()
    assert listing["count"] == 1
    r = _post(_client(host), f"/api/v1/bookings/{booking_id}/confirm", {"answer": "好"})
    assert r.status_code == 200 and r.json()["state"] == "confirmed"
    r = _post(_client(host), f"/api/v1/bookings/{booking_id}/decline", {"answer": ""})
    assert r.status_code == 400  # already answered
    r = _client(cast.resident).post(f"/api/v1/bookings/{booking_id}/cancel")
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    assert _client(cast.resident).get("/api/v1/bookings").json()["count"] == 1


def test_stats_carry_the_tourism_figures(cast):
    make_place(unit=cast.village1a, kind=PlaceKind.SIGHT, name="河")
    data = _client(cast.admin).get(f"/api/v1/units/{cast.banner.code}/stats").json()
    assert data["economy"]["tourism"]["places_by_kind"]["sight"] == 1
