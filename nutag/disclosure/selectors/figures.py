"""The disclosure figures of a unit's subtree: for the current and the last period, how many
villages and communities published their finance disclosure on time, late, or not at all.

A fixed number of reads whatever the subtree's size (``DISCLOSURE_FIGURE_QUERIES``): the
banner's rules, the count of units that must publish, and the first versions signed off,
grouped by period with the on-time ones counted in SQL; each over an index range of a path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from nutag.disclosure.models import Disclosure, DisclosureStatus
from nutag.disclosure.periods import (
    CALENDAR_KIND,
    CALENDAR_UNIT_KINDS,
    calendar_quarters,
    due_date,
    rules_for,
)
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.paths import subtree_q

# The reads of ``disclosure_figures`` (tests that count a dashboard's queries add this).
DISCLOSURE_FIGURE_QUERIES = 3


@dataclasses.dataclass(frozen=True)
class PeriodFigures:
    period: str  # "2026-Q3"
    label: str
    start: dt.date
    end: dt.date
    due_on: dt.date
    units: int  # villages and communities that must publish
    on_time: int
    late: int
    missing: int  # due and not published
    not_yet_due: int

    @property
    def published(self) -> int:
        return self.on_time + self.late


@dataclasses.dataclass(frozen=True)
class DisclosureFigures:
    kind: str
    due_days: int
    periods: list[PeriodFigures]  # the current period first, then the last

    def as_api(self) -> dict[str, object]:
        """The figures as ``"disclosure"`` in the stats API."""
        return {
            "kind": self.kind,
            "due_days": self.due_days,
            "periods": [
                {
                    "period": p.period,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "due_on": p.due_on.isoformat(),
                    "units": p.units,
                    "on_time": p.on_time,
                    "late": p.late,
                    "missing": p.missing,
                    "not_yet_due": p.not_yet_due,
                }
                for p in self.periods
            ],
        }


def _deadline(due: dt.date) -> dt.datetime:
    """The first moment after the due day, in the server's time zone."""
    return timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time.min))


def disclosure_figures(*, unit: Unit, today: dt.date | None = None) -> DisclosureFigures:
    today = today or timezone.localdate()
    periods = list(calendar_quarters(today))
    due_days = rules_for(unit).due_days  # 1 read
    dues = [due_date(p, due_days) for p in periods]
    units = Unit.objects.filter(  # 1 read
        subtree_q(unit.path), kind__in=CALENDAR_UNIT_KINDS, status=UnitStatus.ACTIVE
    ).count()
    on_time_q = Q()
    for period, due in zip(periods, dues, strict=True):
        on_time_q |= Q(period_start=period.start, signed_off_at__lt=_deadline(due))
    rows = (  # 1 read
        Disclosure.objects.filter(
            subtree_q(unit.path, "unit_path"),
            kind=CALENDAR_KIND,
            version=1,
            status=DisclosureStatus.SIGNED_OFF,
            period_start__in=[p.start for p in periods],
            unit__kind__in=CALENDAR_UNIT_KINDS,
            unit__status=UnitStatus.ACTIVE,
        )
        .values("period_start")
        .annotate(published=Count("id"), on_time=Count("id", filter=on_time_q))
        .values_list("period_start", "published", "on_time")
    )
    counts = {start: (published, on_time) for start, published, on_time in rows}
    result = []
    for period, due in zip(periods, dues, strict=True):
        published, on_time = counts.get(period.start, (0, 0))
        unpublished = max(units - published, 0)
        overdue = today > due
        result.append(
            PeriodFigures(
                period=period.code,
                label=period.label,
                start=period.start,
                end=period.end,
                due_on=due,
                units=units,
                on_time=on_time,
                late=published - on_time,
                missing=unpublished if overdue else 0,
                not_yet_due=0 if overdue else unpublished,
            )
        )
    return DisclosureFigures(kind=str(CALENDAR_KIND), due_days=due_days, periods=result)
