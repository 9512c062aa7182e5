"""The tourism figures of a unit's subtree: places by kind, bookings by state from this year on
(this year's and those already booked for the coming seasons: in December a banner officer
sees next summer's bookings, not a row of zeros).

Two queries whatever the subtree's size, each over the ``unit_path`` index range of its
table. Shown on the dashboard and as ``"economy": {"tourism": …}`` in the stats API.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, Sum
from django.utils import timezone

from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.tourism.models import Booking, BookingState, Place, PlaceKind

# The queries of ``tourism_figures`` (tests that count a dashboard's queries add this).
TOURISM_FIGURE_QUERIES = 2


@dataclasses.dataclass(frozen=True)
class TourismFigures:
    places: int
    places_by_kind: dict[str, int]  # kind → listed places
    year: int
    bookings_by_state: dict[str, int]  # state → bookings starting this year or later
    guests_confirmed: int  # people in the confirmed bookings starting this year or later

    def as_api(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def tourism_figures(*, unit: Unit, today: dt.date | None = None) -> TourismFigures:
    today = today or timezone.localdate()
    within = subtree_q(unit.path, "unit_path")
    kinds = dict(
        Place.objects.filter(within, listed=True)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_kind = {kind: kinds.get(kind, 0) for kind in PlaceKind.values}
    rows = (
        Booking.objects.filter(within, first_day__year__gte=today.year)
        .values("state")
        .annotate(n=Count("id"), people=Sum("party"))
        .order_by()
    )
    states = dict.fromkeys(BookingState.values, 0)
    guests = 0
    for row in rows:
        states[row["state"]] = row["n"]
        if row["state"] == BookingState.CONFIRMED:
            guests = row["people"] or 0
    return TourismFigures(
        places=sum(by_kind.values()),
        places_by_kind=by_kind,
        year=today.year,
        bookings_by_state=states,
        guests_confirmed=guests,
    )


def tourism_dashboard(*, unit: Unit) -> dict[str, object]:
    """The dashboard's tourism block: the figures with their labels."""
    figures = tourism_figures(unit=unit)
    kinds = dict(PlaceKind.choices)
    states = dict(BookingState.choices)
    return {
        "figures": figures,
        "kinds": [(kinds[k], n) for k, n in figures.places_by_kind.items()],
        "states": [(states[s], n) for s, n in figures.bookings_by_state.items()],
    }
