"""Places and bookings as their readers may see them."""

from __future__ import annotations

from django.db.models import QuerySet

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q, subtrees_q
from nutag.orgs.permissions import Perm, granted_paths, is_platform_admin
from nutag.tourism.models import Booking, BookingState, Place, PlaceKind
from nutag.tourism.permissions import can_edit_place, can_view_booking


def access_place(*, user: AnyUser, pk: int) -> Place:
    """A listed place (anyone), or an unlisted one for its host and managers; else 404."""
    place = Place.objects.select_related("unit").filter(pk=pk).first()
    if place is None or (not place.listed and not can_edit_place(user, place)):
        raise NotFound
    return place


def access_booking(*, user: AnyUser, pk: int) -> Booking:
    """A booking for its visitor, the place's host and its managers; else 404."""
    booking = (
        Booking.objects.select_related("place", "place__unit", "visitor").filter(pk=pk).first()
    )
    if booking is None or not can_view_booking(user, booking):
        raise NotFound
    return booking


def places_of_subtree(*, unit: Unit, kind: str = "") -> QuerySet[Place]:
    """The listed places of ``unit`` and below, events by date, then by name."""
    rows = Place.objects.filter(subtree_q(unit.path, "unit_path"), listed=True)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("unit").order_by("kind", "starts_on", "name", "pk")


def places_by_kind(*, unit: Unit) -> list[tuple[str, object, list[Place]]]:
    """(kind, label, places) for each kind with places, in the kinds' order: one query."""
    rows = list(places_of_subtree(unit=unit))
    return [
        (kind, label, [p for p in rows if p.kind == kind])
        for kind, label in PlaceKind.choices
        if any(p.kind == kind for p in rows)
    ]


def my_bookings(*, user: AnyUser) -> QuerySet[Booking]:
    """The bookings ``user`` asked for, newest first."""
    if not user.is_authenticated:
        return Booking.objects.none()
    return (
        Booking.objects.filter(visitor_id=user.pk)
        .select_related("place", "place__unit")
        .order_by("-first_day", "-pk")
    )


def bookings_to_answer(*, user: AnyUser) -> QuerySet[Booking]:
    """Bookings of the places ``user`` hosts or manages (``Perm.WRITE_ARTICLES`` at or above
    the place's unit), requests first, then by first day."""
    if not user.is_authenticated:
        return Booking.objects.none()
    paths = granted_paths(user=user, perm=Perm.WRITE_ARTICLES)
    rows = Booking.objects.filter(place__host_id=user.pk)
    if is_platform_admin(user):
        rows = Booking.objects.all()
    elif paths:
        rows = Booking.objects.filter(subtrees_q(paths, "unit_path")) | rows
    return rows.select_related("place", "place__unit", "visitor").order_by(
        "state", "first_day", "pk"
    )


def has_confirmed_booking(*, user: AnyUser, place: Place) -> bool:
    if not user.is_authenticated:
        return False
    return Booking.objects.filter(
        place=place, visitor_id=user.pk, state=BookingState.CONFIRMED
    ).exists()
