"""Tourism over JSON, with the pages' rights.

- ``GET /api/v1/units/{code}/places`` (the listed places of the unit and below, paginated;
  ``kind`` filters) and ``GET /api/v1/places/{place_id}`` (one place; its phone as the host
  wants it shown: masked otherwise). Open to anyone, like the pages.
- ``POST /api/v1/places/{place_id}/bookings`` (a login asks for days; ``Idempotency-Key``:
  the same key from the same login returns the first booking, 200 instead of 201).
- ``GET /api/v1/bookings`` (``role=visitor``: mine; ``role=host``: those of the places I
  host or manage), ``GET /api/v1/bookings/{booking_id}``, and ``POST
  /api/v1/bookings/{booking_id}/confirm`` / ``decline`` (host or managers) / ``cancel`` (the
  visitor). Anything out of reach answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Date,
    ErrorOut,
    JsonInt,
    UnitRef,
    text,
    unit_ref,
)
from nutag.core.errors import NotFound
from nutag.core.masking import mask_phone
from nutag.orgs.selectors import get_unit_by_code
from nutag.tourism import services
from nutag.tourism.models import Booking, Place, PlaceKind
from nutag.tourism.permissions import can_book, can_see_phone
from nutag.tourism.selectors import (
    access_booking,
    access_place,
    bookings_to_answer,
    has_confirmed_booking,
    my_bookings,
    places_of_subtree,
)

session = SessionAuth()
tourism = Router(tags=["tourism"])


class TourismPlaceOut(Schema):
    id: int
    unit: UnitRef
    kind: str
    kind_label: str
    name: str
    description: str
    months: list[int]
    starts_on: dt.date | None
    ends_on: dt.date | None
    phone: str  # as the host wants it shown: masked otherwise
    lat: float | None  # the place's, else its unit's (None: neither is known)
    lon: float | None
    capacity: int
    takes_bookings: bool
    photos: list[str]  # URLs of the pictures (the widest JPEG)


class TourismBookingIn(Schema):
    first_day: Date
    last_day: Date
    party: JsonInt  # 1 to the place's capacity: a domain rule (the capacity is the place's)
    note: Annotated[str, text(500)] = ""


class TourismBookingOut(Schema):
    id: int
    place_id: int
    place: str
    first_day: dt.date
    last_day: dt.date
    party: int
    note: str
    state: str
    state_label: str
    answer: str


class BookingAnswerIn(Schema):
    answer: Annotated[str, text(300)] = ""


def _point(place: Place) -> tuple[float | None, float | None]:
    if place.lat is not None and place.lon is not None:
        return float(place.lat), float(place.lon)
    point = getattr(place.unit, "tourism_point", None)
    if point is None:
        return None, None
    return float(point.lat), float(point.lon)


def _place_out(request: HttpRequest, place: Place, *, detail: bool) -> dict[str, Any]:
    from django.core.files.storage import default_storage

    phone = place.phone
    if phone:
        confirmed = detail and has_confirmed_booking(user=request.user, place=place)
        if not can_see_phone(request.user, place, has_confirmed=confirmed):
            phone = mask_phone(phone)
    lat, lon = _point(place)
    return {
        "id": place.pk,
        "unit": unit_ref(place.unit),
        "kind": place.kind,
        "kind_label": place.get_kind_display(),
        "name": place.name,
        "description": place.description,
        "months": place.months,
        "starts_on": place.starts_on,
        "ends_on": place.ends_on,
        "phone": phone,
        "lat": lat,
        "lon": lon,
        "capacity": place.capacity,
        "takes_bookings": place.takes_bookings,
        "photos": [default_storage.url(p["name"]) for p in place.photos if p.get("name")],
    }


def _booking_out(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "place_id": booking.place_id,
        "place": booking.place.name,
        "first_day": booking.first_day,
        "last_day": booking.last_day,
        "party": booking.party,
        "note": booking.note,
        "state": booking.state,
        "state_label": booking.get_state_display(),
        "answer": booking.answer,
    }


@tourism.get("/units/{code}/places", response={200: Page[TourismPlaceOut], 404: ErrorOut})
def places_list(
    request: HttpRequest,
    code: str,
    kind: str = "",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    rows = places_of_subtree(unit=unit, kind=kind if kind in PlaceKind.values else "")
    return page(
        rows.select_related("unit__tourism_point"),
        offset=offset,
        limit=limit,
        out=lambda p: _place_out(request, p, detail=False),
    )


@tourism.get("/places/{place_id}", response={200: TourismPlaceOut, 404: ErrorOut})
def place_detail(request: HttpRequest, place_id: int) -> dict[str, Any]:
    return _place_out(request, access_place(user=request.user, pk=place_id), detail=True)


IDEMPOTENCY = {
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,100}$"},
            "description": "The same key from the same login returns the first booking.",
        }
    ]
}


@tourism.post(
    "/places/{place_id}/bookings",
    auth=session,
    response={200: TourismBookingOut, 201: TourismBookingOut, **WRITE_ERRORS},
    openapi_extra=IDEMPOTENCY,
)
def booking_create(request: HttpRequest, place_id: int, payload: TourismBookingIn) -> Any:
    place = access_place(user=request.user, pk=place_id)
    if not can_book(request.user, place):
        raise NotFound
    done = services.booking_request(
        acting_user=request.user,
        place=place,
        first_day=payload.first_day,
        last_day=payload.last_day,
        party=payload.party,
        note=payload.note,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(201 if done.created else 200, _booking_out(done.booking))


@tourism.get("/bookings", auth=session, response={200: Page[TourismBookingOut], **READ_ERRORS})
def bookings_list(
    request: HttpRequest,
    role: str = "visitor",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    rows = (
        bookings_to_answer(user=request.user) if role == "host" else my_bookings(user=request.user)
    )
    return page(rows, offset=offset, limit=limit, out=_booking_out)


@tourism.get(
    "/bookings/{booking_id}", auth=session, response={200: TourismBookingOut, **READ_ERRORS}
)
def booking_detail(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    return _booking_out(access_booking(user=request.user, pk=booking_id))


@tourism.post(
    "/bookings/{booking_id}/confirm",
    auth=session,
    response={200: TourismBookingOut, **WRITE_ERRORS},
)
def booking_confirm(
    request: HttpRequest, booking_id: int, payload: BookingAnswerIn
) -> dict[str, Any]:
    booking = access_booking(user=request.user, pk=booking_id)
    done = services.booking_confirm(
        acting_user=request.user, booking=booking, answer=payload.answer
    )
    return _booking_out(done)


@tourism.post(
    "/bookings/{booking_id}/decline",
    auth=session,
    response={200: TourismBookingOut, **WRITE_ERRORS},
)
def booking_decline(
    request: HttpRequest, booking_id: int, payload: BookingAnswerIn
) -> dict[str, Any]:
    booking = access_booking(user=request.user, pk=booking_id)
    done = services.booking_decline(
        acting_user=request.user, booking=booking, answer=payload.answer
    )
    return _booking_out(done)


@tourism.post(
    "/bookings/{booking_id}/cancel", auth=session, response={200: TourismBookingOut, **WRITE_ERRORS}
)
def booking_cancel(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    booking = access_booking(user=request.user, pk=booking_id)
    return _booking_out(services.booking_cancel(acting_user=request.user, booking=booking))
