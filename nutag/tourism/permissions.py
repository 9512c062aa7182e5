"""Who may do what with tourist places and bookings: one rule per action (docs/permissions.md).

- Places are promoted by those who write for the unit's site (``Perm.WRITE_ARTICLES``:
  officers and secretaries of the unit or above): add a place, edit it, add photos, name its
  host (``can_manage_places``, ``can_edit_place``).
- A booking is answered (confirmed, declined) by the place's host or by those who manage the
  unit's places (``can_answer_booking``); it is requested by any login but the host
  (``can_book``) and cancelled by its visitor (``can_cancel_booking``). A booking is seen by
  its visitor, the host and the managers (``can_view_booking``); anyone else gets 404.
- Bookings need a login, like every other request on the platform: the visitor is
  accountable, is told the answer through the notifications, and the host's calendar is not
  open to anonymous spam. A visitor without a login phones the contact shown.
"""

from __future__ import annotations

from nutag.core.actors import AnyUser
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_unit_perm
from nutag.tourism.models import Booking, BookingState, ContactShown, Place


def _unit(place: Place) -> Unit:
    """The place's unit as far as rights go (its path): no query."""
    return Unit(pk=place.unit_id, path=place.unit_path)


def _logged_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_manage_places(user: AnyUser, unit: Unit) -> bool:
    """Add places at ``unit`` and see the bookings of its places."""
    return has_unit_perm(user=user, perm=Perm.WRITE_ARTICLES, unit=unit)


def is_host(user: AnyUser, place: Place) -> bool:
    return _logged_in(user) and place.host_id is not None and place.host_id == user.pk


def can_edit_place(user: AnyUser, place: Place) -> bool:
    """Edit a place, add its photos: its host or its managers."""
    return is_host(user, place) or can_manage_places(user, _unit(place))


def can_book(user: AnyUser, place: Place) -> bool:
    """Ask for a booking: any login but the place's host, if the place takes bookings."""
    return _logged_in(user) and place.takes_bookings and not is_host(user, place)


def can_view_booking(user: AnyUser, booking: Booking) -> bool:
    if _logged_in(user) and booking.visitor_id == user.pk:
        return True
    return can_edit_place(user, booking.place)


def can_answer_booking(user: AnyUser, booking: Booking) -> bool:
    """Confirm or decline: the host or the managers, while it is requested."""
    return booking.state == BookingState.REQUESTED and can_edit_place(user, booking.place)


def can_cancel_booking(user: AnyUser, booking: Booking) -> bool:
    """The visitor cancels their own request or confirmed booking."""
    return (
        _logged_in(user)
        and booking.visitor_id == user.pk
        and booking.state in (BookingState.REQUESTED, BookingState.CONFIRMED)
    )


def can_see_phone(user: AnyUser, place: Place, *, has_confirmed: bool) -> bool:
    """The place's phone, as the host wants it shown (``contact_shown``)."""
    if place.contact_shown == ContactShown.EVERYONE:
        return True
    if can_edit_place(user, place):
        return True
    if place.contact_shown == ContactShown.LOGGED_IN:
        return _logged_in(user)
    return has_confirmed
