"""The tourism figures of a unit's subtree: places by kind, bookings by state from this year on
(this year's and those already booked for the coming seasons: in December a banner officer
sees next summer's bookings, not a row of zeros).

Two queries whatever the subtree's size, each over the ``unit_path`` index range of its
table. Shown on the dashboard and as ``"economy": {"tourism": …}`` in the stats API.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import connections
from django.utils import timezone

from nutag.core.db import read_alias
from nutag.orgs.models import Unit
from nutag.orgs.paths import range_sql
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
    # Fixed SQL (building the two querysets cost more than running them: issue 17).
    alias = read_alias()
    in_range, bounds = range_sql('"unit_path"', unit.path)
    from_day = connections[alias].ops.year_lookup_bounds_for_date_field(today.year)[0]
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f'SELECT "kind", COUNT(*) FROM {Place._meta.db_table} '  # noqa: S608
            f'WHERE {in_range} AND "listed" = %s GROUP BY "kind"',
            [*bounds, True],
        )
        kinds = dict(cursor.fetchall())
        cursor.execute(
            f'SELECT "state", COUNT(*), SUM("party") FROM {Booking._meta.db_table} '  # noqa: S608
            f'WHERE {in_range} AND "first_day" >= %s GROUP BY "state"',
            [*bounds, from_day],
        )
        rows = [{"state": st, "n": n, "people": p} for st, n, p in cursor.fetchall()]
    by_kind = {kind: kinds.get(kind, 0) for kind in PlaceKind.values}
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
