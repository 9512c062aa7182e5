"""Every write of tourism: places (with photos), units' coordinates for the map, and the
booking workflow (requested → confirmed / declined, cancelled by the visitor).

Each write checks its rule (``tourism.permissions``), is atomic, writes an audit row and
tells the other side through ``nutag.notify`` once the transaction commits. A booking is
refused with a clear message outside the place's season, for a past day, for more people
than the place takes, or when the confirmed bookings of one of its days leave too little
room; confirming checks the room again under a lock on the place, so two hosts' clicks never
overbook it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import SYSTEM, Actor, SystemActor
from nutag.core.audit import audit_record, diff
from nutag.core.errors import NotFound
from nutag.core.media import image_files, saving, store_image
from nutag.core.models import AuditAction
from nutag.core.text import clean_phone
from nutag.notify.models import Kind
from nutag.notify.services import notify_people, notify_units
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, require
from nutag.people.models import Person
from nutag.sites.events import announce_site_change
from nutag.tourism.models import Booking, BookingState, ContactShown, Place, PlaceKind, UnitPoint
from nutag.tourism.permissions import (
    can_book,
    can_cancel_booking,
    can_edit_place,
    can_manage_places,
)

MAX_PHOTOS = 6
MAX_DAYS = 30  # the longest booking
MAX_AHEAD_DAYS = 400  # how far ahead a booking may be asked for
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def _unit_of(place: Place) -> Unit:
    return Unit(pk=place.unit_id, path=place.unit_path)


def _is_system(actor: Actor) -> bool:
    return isinstance(actor, SystemActor)


# --- coordinates ---------------------------------------------------------------------------


@transaction.atomic
def unit_point_set(*, acting_user: Actor, unit: Unit, lat: Decimal, lon: Decimal) -> UnitPoint:
    """Set ``unit``'s coordinates (those who manage its places)."""
    require(acting_user, can_manage_places, unit)
    point = UnitPoint.objects.filter(unit=unit).first() or UnitPoint(unit=unit)
    before = {"lat": str(point.lat), "lon": str(point.lon)} if point.pk else {}
    point.lat, point.lon = Decimal(str(lat)), Decimal(str(lon))
    point.full_clean()
    point.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=point,
        unit=unit,
        changes=diff(before, {"lat": str(point.lat), "lon": str(point.lon)}),
    )
    return point


# --- places --------------------------------------------------------------------------------


@dataclasses.dataclass
class PlaceInput:
    kind: str
    name: str
    description: str = ""
    months: list[int] = dataclasses.field(default_factory=list)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    phone: str = ""
    contact_shown: str = ContactShown.EVERYONE
    lat: Decimal | None = None
    lon: Decimal | None = None
    capacity: int = 0
    host: User | None = None


def _place_errors(data: PlaceInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.kind not in PlaceKind.values:
        errors["kind"] = [_("Choose a sight, a herding-family stay or an event.")]
    if not " ".join((data.name or "").split()):
        errors["name"] = [_("Give the place a name.")]
    if any(not isinstance(m, int) or not 1 <= m <= 12 for m in data.months):
        errors["months"] = [_("Months are numbers from 1 to 12.")]
    if data.kind == PlaceKind.EVENT:
        if data.starts_on is None:
            errors["starts_on"] = [_("Give the event's first day.")]
        elif data.ends_on is not None and data.ends_on < data.starts_on:
            errors["ends_on"] = [_("The last day cannot come before the first day.")]
    if data.kind == PlaceKind.STAY and data.capacity < 1:
        errors["capacity"] = [_("Say how many guests the stay takes.")]
    if data.capacity < 0:
        errors["capacity"] = [_("The number of guests cannot be negative.")]
    if (data.lat is None) != (data.lon is None):
        errors["lat"] = [_("Give both the latitude and the longitude, or neither.")]
    phone = clean_phone(data.phone or "")
    if data.phone and not 5 <= len(phone) <= 20:
        errors["phone"] = [_("Enter a phone number of 5 to 20 digits.")]
    if data.capacity > 0 and data.host is None:
        errors["host"] = [_("A place that takes bookings needs a host to answer them.")]
    return errors


def _apply(place: Place, data: PlaceInput) -> None:
    place.kind = data.kind
    place.name = " ".join(data.name.replace("\x00", "").split())[:80]
    place.description = (
        (data.description or "").replace("\x00", "").replace("\r\n", "\n").strip()[:3000]
    )
    place.months = sorted(set(data.months))
    place.starts_on = data.starts_on if data.kind == PlaceKind.EVENT else None
    place.ends_on = (data.ends_on or data.starts_on) if data.kind == PlaceKind.EVENT else None
    place.phone = clean_phone(data.phone or "")
    place.contact_shown = data.contact_shown
    place.lat, place.lon = data.lat, data.lon
    place.capacity = data.capacity
    place.host = data.host


_FIELDS = ("kind", "name", "months", "starts_on", "ends_on", "capacity", "host_id", "listed")


def _snap(place: Place) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    return {f: plain(getattr(place, f)) for f in _FIELDS}


def _announce(place: Place) -> None:
    """Purge the cached site pages of the place's unit and of every unit above it: their
    tourism columns list the places of their subtree."""
    step = Unit.steplen
    paths = [place.unit_path[:n] for n in range(step, len(place.unit_path) + 1, step)]
    ids = list(Unit.objects.filter(path__in=paths).values_list("pk", flat=True))
    announce_site_change(unit_ids=[place.unit_id, *ids])


def place_create(
    *, acting_user: Actor, unit: Unit, data: PlaceInput, photos: Sequence[Any] = ()
) -> Place:
    """A place at ``unit``, with up to ``MAX_PHOTOS`` photos (checked and re-encoded)."""
    require(acting_user, can_manage_places, unit)
    errors = _place_errors(data)
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)d photos.") % {"n": MAX_PHOTOS}]
    if errors:
        raise ValidationError(errors)

    def run(written: list[str]) -> Place:
        stored = []
        for upload in photos:
            image = store_image(upload, folder="tourism")
            written.extend(image_files(image.as_dict()))
            stored.append(image.as_dict())
        place = Place(unit=unit, unit_path=unit.path, photos=stored)
        _apply(place, data)
        place.full_clean()
        place.save()
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=place,
            unit=unit,
            changes=diff({}, _snap(place)),
        )
        _announce(place)
        return place

    return saving(run)


@transaction.atomic
def place_update(*, acting_user: Actor, place: Place, data: PlaceInput, listed: bool) -> Place:
    require(acting_user, can_edit_place, place)
    errors = _place_errors(data)
    if errors:
        raise ValidationError(errors)
    place = Place.objects.select_for_update().get(pk=place.pk)
    before = _snap(place)
    _apply(place, data)
    place.listed = listed
    place.full_clean()
    place.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=place,
        unit=_unit_of(place),
        changes=diff(before, _snap(place)),
    )
    _announce(place)
    return place


def place_photo_add(*, acting_user: Actor, place: Place, photo: Any) -> Place:
    require(acting_user, can_edit_place, place)
    if len(place.photos) >= MAX_PHOTOS:
        raise ValidationError({"photo": [_("At most %(n)d photos.") % {"n": MAX_PHOTOS}]})

    def run(written: list[str]) -> Place:
        image = store_image(photo, folder="tourism")
        written.extend(image_files(image.as_dict()))
        locked = Place.objects.select_for_update().get(pk=place.pk)
        locked.photos = [*locked.photos, image.as_dict()]
        locked.save(update_fields=["photos"])
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=locked,
            unit=_unit_of(locked),
            changes={"photos": [len(locked.photos) - 1, len(locked.photos)]},
        )
        _announce(locked)
        return locked

    return saving(run)


# --- bookings ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Requested:
    booking: Booking
    created: bool  # False: the idempotency key had already made it


def _fmt(day: dt.date) -> str:
    return day.isoformat()


def booked_per_day(
    place: Place, first: dt.date, last: dt.date, *, exclude: int | None = None
) -> dict[dt.date, int]:
    """People of the confirmed bookings on each day from ``first`` to ``last``."""
    rows = Booking.objects.filter(
        place=place, state=BookingState.CONFIRMED, first_day__lte=last, last_day__gte=first
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    taken: dict[dt.date, int] = {}
    for booking in rows.only("first_day", "last_day", "party"):
        for day in booking.days():
            if first <= day <= last:
                taken[day] = taken.get(day, 0) + booking.party
    return taken


def _room_error(place: Place, first: dt.date, last: dt.date, party: int, exclude: int | None):
    taken = booked_per_day(place, first, last, exclude=exclude)
    for day in sorted(taken):
        free = place.capacity - taken[day]
        if party > free:
            return _("On %(day)s only %(free)d places are left.") % {
                "day": _fmt(day),
                "free": max(free, 0),
            }
    return None


def _booking_errors(
    place: Place, first: dt.date, last: dt.date, party: int, today: dt.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not place.takes_bookings:
        errors["__all__"] = [_("This place takes no bookings: call the contact shown.")]
        return errors
    if last < first:
        errors["last_day"] = [_("The last day cannot come before the first day.")]
        return errors
    if first < today:
        errors["first_day"] = [_("The first day has passed: choose a day from today on.")]
        return errors
    if (first - today).days > MAX_AHEAD_DAYS:
        errors["first_day"] = [_("Bookings are taken up to a year ahead.")]
        return errors
    if (last - first).days + 1 > MAX_DAYS:
        errors["last_day"] = [_("A booking is at most %(n)d days.") % {"n": MAX_DAYS}]
        return errors
    closed = [
        first + dt.timedelta(days=i)
        for i in range((last - first).days + 1)
        if not place.open_on(first + dt.timedelta(days=i))
    ]
    if closed:
        errors["first_day"] = [
            _("%(day)s is outside the season of this place.") % {"day": _fmt(closed[0])}
        ]
        return errors
    if party < 1:
        errors["party"] = [_("At least one person.")]
    elif party > place.capacity:
        errors["party"] = [
            _("This place takes at most %(n)d people a day.") % {"n": place.capacity}
        ]
    return errors


def _person_ids(users: Iterable[int | None]) -> list[int]:
    ids = [u for u in users if u is not None]
    if not ids:
        return []
    return list(Person.objects.filter(user_id__in=ids).values_list("pk", flat=True))


def _notify_host(booking: Booking, kind: str) -> None:
    place = booking.place
    params = {
        "place": place.name,
        "first": _fmt(booking.first_day),
        "last": _fmt(booking.last_day),
        "party": booking.party,
    }
    link = f"/tourism/bookings/{booking.pk}/"
    key = f"tourism:{kind}:{booking.pk}"
    people = _person_ids([place.host_id])
    if people:
        notify_people(
            acting_user=SYSTEM,
            kind=kind,
            person_ids=people,
            params=params,
            event_key=key,
            link=link,
        )
    else:  # no host with a record: the unit's officers
        notify_units(
            acting_user=SYSTEM,
            kind=kind,
            units=[place.unit],
            perm=Perm.WRITE_ARTICLES,
            params=params,
            event_key=key,
            link=link,
        )


def _notify_visitor(booking: Booking, kind: str) -> None:
    people = _person_ids([booking.visitor_id])
    if people:
        notify_people(
            acting_user=SYSTEM,
            kind=kind,
            person_ids=people,
            params={
                "place": booking.place.name,
                "first": _fmt(booking.first_day),
                "last": _fmt(booking.last_day),
                "party": booking.party,
            },
            event_key=f"tourism:{kind}:{booking.pk}",
            link=f"/tourism/bookings/{booking.pk}/",
        )


def _existing(user: Actor, key: str) -> Booking | None:
    return (
        Booking.objects.select_related("place").filter(visitor_id=user.pk, idempotency_key=key)
    ).first()


def booking_request(
    *,
    acting_user: Actor,
    place: Place,
    first_day: dt.date,
    last_day: dt.date,
    party: int,
    note: str = "",
    idempotency_key: str = "",
    today: dt.date | None = None,
) -> Requested:
    """A login asks for ``party`` people from ``first_day`` to ``last_day`` (inclusive).
    With ``idempotency_key`` the same key from the same login returns the first booking."""
    if not isinstance(acting_user, User) or not can_book(acting_user, place):
        raise NotFound
    key = (idempotency_key or "").strip()
    if key:
        if not KEY_PATTERN.match(key):
            raise ValidationError({"idempotency_key": [_("The Idempotency-Key is not valid.")]})
        first = _existing(acting_user, key)
        if first is not None:
            return Requested(first, False)
    try:
        with transaction.atomic():
            return _request(
                acting_user=acting_user,
                place=place,
                first_day=first_day,
                last_day=last_day,
                party=party,
                note=note,
                key=key,
                today=today or timezone.localdate(),
            )
    except IntegrityError:
        if key:
            first = _existing(acting_user, key)
            if first is not None:
                return Requested(first, False)
        raise


def _request(
    *,
    acting_user: User,
    place: Place,
    first_day: dt.date,
    last_day: dt.date,
    party: int,
    note: str,
    key: str,
    today: dt.date,
) -> Requested:
    errors = _booking_errors(place, first_day, last_day, party, today)
    if not errors:
        full = _room_error(place, first_day, last_day, party, None)
        if full:
            errors["first_day"] = [full]
    if errors:
        raise ValidationError(errors)
    booking = Booking(
        place=place,
        unit_id=place.unit_id,
        unit_path=place.unit_path,
        visitor=acting_user,
        first_day=first_day,
        last_day=last_day,
        party=party,
        note=(note or "").replace("\x00", "").replace("\r\n", "\n").strip()[:500],
        idempotency_key=key,
    )
    booking.full_clean(exclude=["idempotency_key"])
    booking.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=booking,
        unit=_unit_of(place),
        changes=diff(
            {},
            {"first_day": _fmt(first_day), "last_day": _fmt(last_day), "party": party},
        ),
    )
    transaction.on_commit(lambda: _notify_host(booking, Kind.BOOKING_REQUESTED))
    return Requested(booking, True)


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("place").get(pk=booking.pk)


def _answer(
    *, acting_user: Actor, booking: Booking, state: str, answer: str, now: dt.datetime
) -> Booking:
    booking.state = state
    booking.answer = (answer or "").replace("\x00", "").strip()[:300]
    booking.answered_at = now
    booking.save(update_fields=["state", "answer", "answered_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=booking,
        unit=_unit_of(booking.place),
        changes={"state": [BookingState.REQUESTED, state]},
    )
    return booking


def _may_answer(acting_user: Actor, booking: Booking) -> bool:
    """Out of reach (not the host nor a manager) is 404, whatever the state."""
    return _is_system(acting_user) or can_edit_place(acting_user, booking.place)  # type: ignore[arg-type]


@transaction.atomic
def booking_confirm(
    *, acting_user: Actor, booking: Booking, answer: str = "", now: dt.datetime | None = None
) -> Booking:
    """The host (or a manager) confirms: refused if confirmed bookings already fill a day."""
    if not _may_answer(acting_user, booking):
        raise NotFound
    Place.objects.select_for_update().filter(pk=booking.place_id).first()  # one at a time
    booking = _locked(booking)
    if booking.state != BookingState.REQUESTED:
        raise ValidationError(_("This booking has already been answered."))
    full = _room_error(booking.place, booking.first_day, booking.last_day, booking.party, None)
    if full:
        raise ValidationError(full)
    _answer(
        acting_user=acting_user,
        booking=booking,
        state=BookingState.CONFIRMED,
        answer=answer,
        now=now or timezone.now(),
    )
    transaction.on_commit(lambda: _notify_visitor(booking, Kind.BOOKING_CONFIRMED))
    return booking


@transaction.atomic
def booking_decline(
    *, acting_user: Actor, booking: Booking, answer: str = "", now: dt.datetime | None = None
) -> Booking:
    if not _may_answer(acting_user, booking):
        raise NotFound
    booking = _locked(booking)
    if booking.state != BookingState.REQUESTED:
        raise ValidationError(_("This booking has already been answered."))
    _answer(
        acting_user=acting_user,
        booking=booking,
        state=BookingState.DECLINED,
        answer=answer,
        now=now or timezone.now(),
    )
    transaction.on_commit(lambda: _notify_visitor(booking, Kind.BOOKING_DECLINED))
    return booking


@transaction.atomic
def booking_cancel(*, acting_user: Actor, booking: Booking) -> Booking:
    """The visitor takes back a request or a confirmed booking."""
    if not _is_system(acting_user) and (
        not acting_user.is_authenticated or booking.visitor_id != acting_user.pk
    ):
        raise NotFound
    booking = _locked(booking)
    if not _is_system(acting_user) and not can_cancel_booking(acting_user, booking):  # type: ignore[arg-type]
        raise ValidationError(_("This booking can no longer be cancelled."))
    before = booking.state
    booking.state = BookingState.CANCELLED
    booking.save(update_fields=["state"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=booking,
        unit=_unit_of(booking.place),
        changes={"state": [before, BookingState.CANCELLED]},
    )
    transaction.on_commit(lambda: _notify_host(booking, Kind.BOOKING_CANCELLED))
    return booking
