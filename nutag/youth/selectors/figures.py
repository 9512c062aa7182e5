"""The youth figures of a unit's subtree: counts only, never a person.

A fixed number of queries whatever the subtree's size (seven), each over the ``unit_path``
index range of its table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils import timezone

from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.youth.models import Activity, GoodDeed, Need, Pairing, RecordStatus, Visit, YouthRecord

MONTHS = 6
# A circumstance held by fewer young people than this in the subtree is left out of
# ``by_circumstance``: "one child in trouble with the law" in a village names the child.
SMALLEST_SHOWN = 3
# The queries of ``youth_figures`` (tests that count a dashboard's queries add this).
YOUTH_FIGURE_QUERIES = 7


@dataclasses.dataclass(frozen=True)
class YouthFigures:
    young_people: int
    by_circumstance: dict[str, int]  # circumstance code → young people (SMALLEST_SHOWN or more)
    pairs: int
    visits_by_month: dict[str, int]  # "2026-11" → visits, the last MONTHS months
    needs: int
    needs_resolved: int
    good_deeds: int  # this year
    people_helped: int  # by this year's good deeds
    activities: int = 0  # held this year (up to today)
    participants: int = 0  # young people checked in at this year's activities
    names: dict[str, str] = dataclasses.field(default_factory=dict)  # code → name, for pages

    def as_api(self) -> dict[str, object]:
        """The figures as ``"youth"`` in the stats API (codes, not names)."""
        data = dataclasses.asdict(self)
        del data["names"]
        return data


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _month_starts(today: dt.date) -> list[dt.date]:
    """The first days of the last ``MONTHS`` months, this one included, oldest first."""
    firsts = [today.replace(day=1)]
    for _ in range(MONTHS - 1):
        firsts.insert(0, (firsts[0] - dt.timedelta(days=1)).replace(day=1))
    return firsts


def youth_figures(*, unit: Unit, today: dt.date | None = None) -> YouthFigures:
    today = today or timezone.localdate()
    within = subtree_q(unit.path, "unit_path")
    active = YouthRecord.objects.filter(within, status=RecordStatus.ACTIVE)
    young_people = active.count()
    # From the records' path range out to their circumstances (an outer join keeps that
    # order; the inner join from the circumstances walked every record of every unit).
    rows = [
        row
        for row in active.values("circumstances__code", "circumstances__name")
        .annotate(n=Count("id"))
        .order_by("circumstances__code")
        if row["circumstances__code"] is not None
    ]
    by_circumstance = {row["circumstances__code"]: row["n"] for row in rows}
    names = {row["circumstances__code"]: row["circumstances__name"] for row in rows}
    by_circumstance = {k: n for k, n in by_circumstance.items() if n >= SMALLEST_SHOWN}
    pairs = Pairing.objects.filter(within, ended_on__isnull=True).count()
    # One query of conditional counts, one per month (no date function per row: SQLite's
    # month truncation is a Python callback).
    firsts = _month_starts(today)
    bounds = [*firsts[1:], _next_month(firsts[-1])]
    counted = Visit.objects.filter(within, visited_on__gte=firsts[0], visited_on__lt=bounds[-1])
    months = counted.aggregate(
        **{
            f"m{i}": Count("id", filter=Q(visited_on__gte=first, visited_on__lt=end))
            for i, (first, end) in enumerate(zip(firsts, bounds, strict=True))
        }
    )
    visits_by_month = {
        first.strftime("%Y-%m"): months[f"m{i}"]
        for i, first in enumerate(firsts)
        if months[f"m{i}"]
    }
    needs = Need.objects.filter(within).aggregate(
        total=Count("id"), resolved=Count("id", filter=Q(resolved_on__isnull=False))
    )
    deeds = GoodDeed.objects.filter(within, done_on__year=today.year).aggregate(
        n=Count("id"), helped=Sum("people_helped")
    )
    held = Activity.objects.filter(within, held_on__year=today.year, held_on__lte=today).aggregate(
        n=Count("id", distinct=True),
        took_part=Count("signups", filter=Q(signups__checked_in_at__isnull=False)),
    )
    return YouthFigures(
        activities=held["n"],
        participants=held["took_part"],
        young_people=young_people,
        by_circumstance=by_circumstance,
        pairs=pairs,
        visits_by_month=visits_by_month,
        needs=needs["total"],
        needs_resolved=needs["resolved"],
        good_deeds=deeds["n"],
        people_helped=deeds["helped"] or 0,
        names=names,
    )


def youth_dashboard(*, unit: Unit) -> dict[str, object]:
    """The dashboard's youth block: the figures, the circumstances' names, the months' bars."""
    figures = youth_figures(unit=unit)
    names = figures.names
    peak = max(figures.visits_by_month.values(), default=0)
    return {
        "figures": figures,
        "circumstances": [
            (names.get(code, code), n) for code, n in figures.by_circumstance.items()
        ],
        "months": [
            (month, n, round(100 * n / peak) if peak else 0)
            for month, n in figures.visits_by_month.items()
        ],
    }
