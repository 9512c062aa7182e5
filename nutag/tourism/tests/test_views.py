"""The tourism pages: negatives first, then the map, the booking form and the host's answer."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.factories import UserFactory, make_place
from nutag.tourism import services
from nutag.tourism.models import Booking, BookingState, ContactShown, Place, PlaceKind

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _days(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def test_place_of_another_unit_code_is_404(cast):
    place = make_place(unit=cast.village1a)
    assert _client().get(f"/u/{cast.village2a.code}/tourism/{place.pk}/").status_code == 404
    assert _client().get(f"/u/{cast.village1a.code}/tourism/999999/").status_code == 404


def test_unlisted_place_is_404_to_visitors(cast):
    place = make_place(unit=cast.village1a)
    Place.objects.filter(pk=place.pk).update(listed=False)
    url = f"/u/{cast.village1a.code}/tourism/{place.pk}/"
    assert _client(cast.resident).get(url).status_code == 404
    assert _client(cast.village1a_secretary).get(url).status_code == 200


def test_adding_a_place_out_of_reach_is_404(cast):
    url = f"/u/{cast.village1a.code}/tourism/new/"
    assert _client(cast.resident).get(url).status_code == 404
    assert _client(cast.village2a_secretary).get(url).status_code == 404
    assert "/login/" in _client().get(url)["Location"]


def test_anonymous_booking_goes_to_login(cast):
    place = make_place(unit=cast.village1a)
    r = _client().post(
        f"/u/{cast.village1a.code}/tourism/{place.pk}/",
        {"first_day": _days(1), "last_day": _days(1), "party": "1"},
    )
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert not Booking.objects.exists()


def test_booking_refusal_keeps_what_was_typed(cast):
    place = make_place(unit=cast.village1a, capacity=4)
    r = _client(cast.resident).post(
        f"/u/{cast.village1a.code}/tourism/{place.pk}/",
        {"first_day": _days(1), "last_day": _days(2), "party": "9", "note": "我们带孩子"},
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "我们带孩子" in body
    assert 'class="error' in body or "errorlist" in body or "field-error" in body
    assert not Booking.objects.exists()


def test_someone_else_s_booking_is_404(cast):
    place = make_place(unit=cast.village1a)
    booking = services.booking_request(
        acting_user=cast.resident,
        place=place,
        first_day=timezone.localdate(),
        last_day=timezone.localdate(),
        party=1,
    ).booking
    for user in (cast.volunteer, cast.village2a_secretary):
        assert _client(user).get(f"/tourism/bookings/{booking.pk}/").status_code == 404
        _client(user).post(f"/tourism/bookings/{booking.pk}/", {"action": "confirm"})
    assert Booking.objects.get(pk=booking.pk).state == BookingState.REQUESTED


def test_the_banner_page_has_the_map_and_the_lists(cast):
    for unit, lat, lon in (
        (cast.banner, "49.33", "119.43"),
        (cast.village1a, "49.60", "119.90"),
        (cast.village2a, "48.90", "118.80"),
        (cast.township1, "49.50", "119.70"),
    ):
        services.unit_point_set(acting_user=SYSTEM, unit=unit, lat=Decimal(lat), lon=Decimal(lon))
    make_place(unit=cast.village1a, kind=PlaceKind.SIGHT, name="莫日格勒河")
    make_place(
        unit=cast.village2a,
        kind=PlaceKind.EVENT,
        name="那达慕大会",
        starts_on=dt.date(2026, 7, 11),
        lat=Decimal("49.0"),
        lon=Decimal("119.0"),
    )
    make_place(unit=cast.village1a, name="其其格牧家乐")
    r = _client().get("/tourism/", follow=True)
    assert r.status_code == 200
    body = r.content.decode()
    assert "<svg" in body and "<polygon" in body
    assert body.count("<circle") >= 4 + 3
    for name in ("莫日格勒河", "那达慕大会", "其其格牧家乐"):
        assert name in body
    assert "<script>" not in body and "onclick" not in body
    assert "http://" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )
    assert len(r.content) < 14 * 1024
    # the map holds links: a group a screen reader enters, not an image whose children it
    # skips; each link says which place it opens
    svg = body.split("<svg", 1)[1].split(">", 1)[0]
    assert 'role="group"' in svg and 'role="img"' not in svg
    links = re.findall(
        r"<a href=\"[^\"]+\"( aria-label=\"[^\"]+\")?>", body.split("<svg", 1)[1].split("</svg>")[0]
    )
    assert len(links) == 3 and all(links), "a link on the map without a name"
    assert 'aria-label="1 ' in body


def test_phone_as_the_host_wants(cast):
    place = make_place(
        unit=cast.village1a, phone="13812345678", contact_shown=ContactShown.LOGGED_IN
    )
    url = f"/u/{cast.village1a.code}/tourism/{place.pk}/"
    assert "13812345678" not in _client().get(url).content.decode()
    assert "13812345678" in _client(cast.resident).get(url).content.decode()
    booked = make_place(unit=cast.village1a, phone="13912345678", contact_shown=ContactShown.BOOKED)
    url = f"/u/{cast.village1a.code}/tourism/{booked.pk}/"
    assert "13912345678" not in _client(cast.resident).get(url).content.decode()
    b = services.booking_request(
        acting_user=cast.resident,
        place=booked,
        first_day=timezone.localdate(),
        last_day=timezone.localdate(),
        party=1,
    ).booking
    services.booking_confirm(acting_user=SYSTEM, booking=b)
    assert "13912345678" in _client(cast.resident).get(url).content.decode()


def test_book_then_host_confirms_then_visitor_sees_it(cast):
    host = UserFactory()
    place = make_place(unit=cast.village1a, host=host)
    r = _client(cast.resident).post(
        f"/u/{cast.village1a.code}/tourism/{place.pk}/",
        {"first_day": _days(1), "last_day": _days(2), "party": "2", "note": "晚上到"},
    )
    booking = Booking.objects.get()
    assert r["Location"] == f"/tourism/bookings/{booking.pk}/"
    listing = _client(host).get("/tourism/bookings/").content.decode()
    assert place.name in listing
    r = _client(host).post(
        f"/tourism/bookings/{booking.pk}/", {"action": "confirm", "answer": "欢迎"}
    )
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED and booking.answer == "欢迎"
    page = _client(cast.resident).get(f"/tourism/bookings/{booking.pk}/").content.decode()
    assert "欢迎" in page


def test_secretary_adds_a_place_with_the_form(cast):
    r = _client(cast.village1a_secretary).post(
        f"/u/{cast.village1a.code}/tourism/new/",
        {
            "kind": "stay",
            "name": "巴雅尔牧家乐",
            "months": ["6", "7", "8"],
            "contact_shown": "everyone",
            "capacity": "6",
            "phone": "13812345678",
        },
    )
    place = Place.objects.get(name="巴雅尔牧家乐")
    assert r.status_code == 302
    assert place.host == cast.village1a_secretary and place.months == [6, 7, 8]
    r = _client(cast.village1a_secretary).post(
        f"/u/{cast.village1a.code}/tourism/new/",
        {
            "kind": "stay",
            "name": "无主",
            "contact_shown": "everyone",
            "capacity": "2",
            "host": "nobody-here",
        },
    )
    assert r.status_code == 200 and "nobody-here" in r.content.decode()


def test_the_tourism_column_lists_the_places(cast):
    make_place(unit=cast.village1a, kind=PlaceKind.SIGHT, name="呼和诺尔湖")
    body = _client().get(f"/u/{cast.village1a.code}/c/tourism/").content.decode()
    assert "呼和诺尔湖" in body


def _png():  # type: ignore[no-untyped-def]
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buf, "PNG")
    return SimpleUploadedFile("photo.png", buf.getvalue(), content_type="image/png")


def test_editing_a_place_out_of_reach_is_404(cast):
    place = make_place(unit=cast.village1a)
    url = f"/u/{cast.village1a.code}/tourism/{place.pk}/edit/"
    for user in (cast.resident, cast.village2a_secretary, cast.volunteer):
        assert _client(user).get(url).status_code == 404
    assert _client(place.host).get(url).status_code == 200
    assert _client(cast.village1a_officer).get(url).status_code == 200


def test_host_edits_the_place_and_adds_a_photo(cast):
    place = make_place(unit=cast.village1a, months=[7])
    r = _client(place.host).post(
        f"/u/{cast.village1a.code}/tourism/{place.pk}/edit/",
        {
            "kind": "stay",
            "name": "改名牧家乐",
            "months": ["6", "7"],
            "contact_shown": "everyone",
            "capacity": "5",
            "host": place.host.username,
            "listed": "on",
            "photos": _png(),
        },
    )
    assert r.status_code == 302
    place.refresh_from_db()
    assert place.name == "改名牧家乐" and place.months == [6, 7] and place.capacity == 5
    assert len(place.photos) == 1
    page = _client().get(f"/u/{cast.village1a.code}/tourism/{place.pk}/").content.decode()
    assert "<picture>" in page
