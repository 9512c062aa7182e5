"""Places and bookings through the services: negatives first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.factories import PersonFactory, UserFactory, make_place
from nutag.notify.models import Kind, Notification
from nutag.tourism import services
from nutag.tourism.models import Booking, BookingState, PlaceKind

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _ask(place, user, first=TODAY, days=1, party=2, **kw):  # type: ignore[no-untyped-def]
    return services.booking_request(
        acting_user=user,
        place=place,
        first_day=first,
        last_day=first + dt.timedelta(days=days - 1),
        party=party,
        today=TODAY,
        **kw,
    )


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- places --------------------------------------------------------------------------------


def test_place_out_of_reach_is_refused(cast):
    data = services.PlaceInput(kind=PlaceKind.SIGHT, name="河")
    for user in (cast.village2a_secretary, cast.resident, cast.volunteer):
        with pytest.raises(NotFound):
            services.place_create(acting_user=user, unit=cast.village1a, data=data)
    with pytest.raises(NotFound):  # the township above the village's secretary
        services.place_create(acting_user=cast.village1a_secretary, unit=cast.township1, data=data)


def test_place_bad_input_is_refused_with_messages(cast):
    cases = [
        (services.PlaceInput(kind="zoo", name="x"), "kind"),
        (services.PlaceInput(kind=PlaceKind.SIGHT, name="  "), "name"),
        (services.PlaceInput(kind=PlaceKind.EVENT, name="那达慕"), "starts_on"),
        (
            services.PlaceInput(
                kind=PlaceKind.EVENT,
                name="那达慕",
                starts_on=dt.date(2026, 7, 10),
                ends_on=dt.date(2026, 7, 1),
            ),
            "ends_on",
        ),
        (services.PlaceInput(kind=PlaceKind.STAY, name="牧家乐", capacity=0), "capacity"),
        (services.PlaceInput(kind=PlaceKind.SIGHT, name="x", months=[13]), "months"),
        (services.PlaceInput(kind=PlaceKind.SIGHT, name="x", lat=Decimal("49.1")), "lat"),
        (services.PlaceInput(kind=PlaceKind.SIGHT, name="x", phone="12"), "phone"),
        (services.PlaceInput(kind=PlaceKind.SIGHT, name="x", capacity=5), "host"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as err:
            services.place_create(
                acting_user=cast.village1a_secretary, unit=cast.village1a, data=data
            )
        assert field in err.value.message_dict, field


def test_place_create_is_audited(cast):
    place = services.place_create(
        acting_user=cast.village1a_officer,
        unit=cast.village1a,
        data=services.PlaceInput(
            kind=PlaceKind.SIGHT, name=" 莫日格勒河 ", months=[8, 6, 7], phone="138 1234 5678"
        ),
    )
    assert place.name == "莫日格勒河"
    assert place.months == [6, 7, 8]
    assert place.phone == "13812345678"
    assert place.unit_path == cast.village1a.path
    assert AuditEntry.objects.filter(object_type="tourism.place", object_id=str(place.pk)).exists()


def test_unit_point_needs_the_right(cast):
    with pytest.raises(NotFound):
        services.unit_point_set(
            acting_user=cast.resident, unit=cast.village1a, lat=Decimal(49), lon=Decimal(119)
        )
    point = services.unit_point_set(
        acting_user=SYSTEM, unit=cast.village1a, lat=Decimal("49.3"), lon=Decimal("119.4")
    )
    assert point.lat == Decimal("49.3")


# --- bookings: refusals --------------------------------------------------------------------


def test_booking_needs_a_login_and_not_the_host(cast):
    host = UserFactory()
    place = make_place(unit=cast.village1a, host=host)
    with pytest.raises(NotFound):
        _ask(place, SYSTEM)
    with pytest.raises(NotFound):
        _ask(place, host)


def test_place_without_capacity_takes_no_booking(cast):
    sight = make_place(unit=cast.village1a, kind=PlaceKind.SIGHT, name="河")
    with pytest.raises(NotFound):
        _ask(sight, cast.resident)


def test_past_days_are_refused(cast):
    place = make_place(unit=cast.village1a)
    with pytest.raises(ValidationError) as err:
        _ask(place, cast.resident, first=TODAY - dt.timedelta(days=1))
    assert "first_day" in err.value.message_dict


def test_days_out_of_order_are_refused(cast):
    place = make_place(unit=cast.village1a)
    with pytest.raises(ValidationError) as err:
        services.booking_request(
            acting_user=cast.resident,
            place=place,
            first_day=TODAY + dt.timedelta(days=3),
            last_day=TODAY,
            party=1,
            today=TODAY,
        )
    assert "last_day" in err.value.message_dict


def test_outside_the_season_is_refused_with_the_day(cast):
    place = make_place(unit=cast.village1a, months=[6, 7, 8])
    with pytest.raises(ValidationError) as err:
        _ask(place, cast.resident, first=dt.date(2026, 8, 30), days=3)
    assert "2026-09-01" in _message(err.value)
    event = make_place(
        unit=cast.village1a,
        kind=PlaceKind.EVENT,
        name="那达慕",
        starts_on=dt.date(2026, 7, 11),
        ends_on=dt.date(2026, 7, 13),
        capacity=100,
    )
    with pytest.raises(ValidationError):
        _ask(event, cast.resident, first=dt.date(2026, 7, 13), days=2)
    assert _ask(event, cast.resident, first=dt.date(2026, 7, 11), days=3).created


def test_party_over_capacity_is_refused(cast):
    place = make_place(unit=cast.village1a, capacity=4)
    with pytest.raises(ValidationError) as err:
        _ask(place, cast.resident, party=5)
    assert "party" in err.value.message_dict
    assert "4" in _message(err.value)


def test_overlap_with_confirmed_bookings_beyond_capacity_is_refused(cast):
    place = make_place(unit=cast.village1a, capacity=4)
    first = _ask(place, cast.volunteer, days=3, party=3).booking
    services.booking_confirm(acting_user=place.host, booking=first)
    with pytest.raises(ValidationError) as err:
        _ask(place, cast.resident, first=TODAY + dt.timedelta(days=2), party=2)
    assert "only 1" in _message(err.value) or "1" in _message(err.value)
    # the day after the confirmed stay is free
    assert _ask(place, cast.resident, first=TODAY + dt.timedelta(days=3), party=4).created


def test_confirming_rechecks_the_room(cast):
    place = make_place(unit=cast.village1a, capacity=4)
    a = _ask(place, cast.volunteer, party=3).booking
    b = _ask(place, cast.resident, party=3).booking  # both requested: room not yet taken
    services.booking_confirm(acting_user=place.host, booking=a)
    with pytest.raises(ValidationError):
        services.booking_confirm(acting_user=place.host, booking=b)
    assert Booking.objects.get(pk=b.pk).state == BookingState.REQUESTED


def test_answers_out_of_reach_and_twice_are_refused(cast):
    place = make_place(unit=cast.village1a)
    booking = _ask(place, cast.resident).booking
    for user in (cast.resident, cast.village2a_secretary, cast.volunteer):
        with pytest.raises(NotFound):
            services.booking_confirm(acting_user=user, booking=booking)
        with pytest.raises(NotFound):
            services.booking_decline(acting_user=user, booking=booking)
    services.booking_decline(acting_user=cast.village1a_secretary, booking=booking, answer="满了")
    with pytest.raises(ValidationError):
        services.booking_confirm(acting_user=place.host, booking=booking)


def test_only_the_visitor_cancels(cast):
    place = make_place(unit=cast.village1a)
    booking = _ask(place, cast.resident).booking
    for user in (place.host, cast.volunteer, cast.village1a_secretary):
        with pytest.raises(NotFound):
            services.booking_cancel(acting_user=user, booking=booking)
    services.booking_cancel(acting_user=cast.resident, booking=booking)
    with pytest.raises(ValidationError):
        services.booking_cancel(acting_user=cast.resident, booking=booking)


def test_bad_idempotency_key_is_refused(cast):
    place = make_place(unit=cast.village1a)
    with pytest.raises(ValidationError):
        _ask(place, cast.resident, idempotency_key="no spaces allowed")


# --- bookings: the workflow ----------------------------------------------------------------


def test_same_key_returns_the_first_booking(cast):
    place = make_place(unit=cast.village1a)
    one = _ask(place, cast.resident, idempotency_key="k-1")
    two = _ask(place, cast.resident, idempotency_key="k-1")
    assert one.created and not two.created
    assert one.booking.pk == two.booking.pk
    assert Booking.objects.filter(place=place).count() == 1


def test_workflow_notifies_host_and_visitor(cast, django_capture_on_commit_callbacks):
    host_user = UserFactory()
    PersonFactory(unit=cast.village1a, name="主人", user=host_user)
    place = make_place(unit=cast.village1a, host=host_user)
    with django_capture_on_commit_callbacks(execute=True):
        booking = _ask(place, cast.resident, days=2).booking
    assert Notification.objects.filter(
        kind=Kind.BOOKING_REQUESTED, recipient__user=host_user
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_confirm(acting_user=host_user, booking=booking, answer="欢迎")
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED and booking.answered_at is not None
    assert Notification.objects.filter(
        kind=Kind.BOOKING_CONFIRMED, recipient__user=cast.resident
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(acting_user=cast.resident, booking=booking)
    assert Notification.objects.filter(
        kind=Kind.BOOKING_CANCELLED, recipient__user=host_user
    ).exists()
    assert AuditEntry.objects.filter(object_type="tourism.booking").count() == 3


def test_today_is_the_default_day(cast):
    place = make_place(unit=cast.village1a)
    today = timezone.localdate()
    done = services.booking_request(
        acting_user=cast.resident, place=place, first_day=today, last_day=today, party=1
    )
    assert done.created


def test_a_new_place_purges_its_unit_and_the_units_above(cast, django_capture_on_commit_callbacks):
    from nutag.sites.events import site_changed

    received: list[dict] = []  # type: ignore[type-arg]

    def receiver(sender, **kwargs):  # type: ignore[no-untyped-def]
        received.append(kwargs)

    site_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_place(unit=cast.village1a, kind=PlaceKind.SIGHT, name="河")
    finally:
        site_changed.disconnect(receiver)
    purged = set(received[0]["unit_ids"])
    assert {cast.village1a.pk, cast.township1.pk, cast.banner.pk} <= purged
    assert cast.village1b.pk not in purged and cast.township2.pk not in purged
