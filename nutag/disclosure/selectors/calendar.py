"""The disclosure calendar: for each village and community of a subtree, whether its finance
disclosure of the current and the last period is published on time, late, missing (overdue)
or not yet due. Two reads, whatever the subtree's size, plus the banner's rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from nutag.disclosure.models import Disclosure, DisclosureStatus
from nutag.disclosure.periods import (
    CALENDAR_KIND,
    CALENDAR_UNIT_KINDS,
    Period,
    calendar_quarters,
    due_date,
    due_days_for,
)
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.paths import subtree_q

ON_TIME, LATE, MISSING, NOT_YET_DUE = "on_time", "late", "missing", "not_yet_due"
MAX_ROWS = 500  # a banner has a few hundred villages and communities at most


@dataclasses.dataclass(frozen=True)
class Cell:
    state: str
    disclosure_id: int | None = None
    signed_off_on: dt.date | None = None


@dataclasses.dataclass(frozen=True)
class CalendarRow:
    unit: Unit
    cells: list[Cell]


@dataclasses.dataclass(frozen=True)
class Calendar:
    periods: list[Period]
    due: list[dt.date]
    rows: list[CalendarRow]

    @property
    def columns(self) -> list[tuple[Period, dt.date]]:
        return list(zip(self.periods, self.due, strict=True))


def state_of(*, signed_off_at: dt.datetime | None, due: dt.date, today: dt.date) -> str:
    if signed_off_at is not None:
        return ON_TIME if timezone.localdate(signed_off_at) <= due else LATE
    return MISSING if today > due else NOT_YET_DUE


def unit_calendar(*, unit: Unit, today: dt.date | None = None) -> Calendar:
    today = today or timezone.localdate()
    current, last = calendar_quarters(today)
    periods = [current, last]
    due_days = due_days_for(unit)
    dues = [due_date(p, due_days) for p in periods]
    units = list(
        Unit.objects.filter(
            subtree_q(unit.path), kind__in=CALENDAR_UNIT_KINDS, status=UnitStatus.ACTIVE
        ).order_by("path")[:MAX_ROWS]
    )
    first_versions = Disclosure.objects.filter(
        subtree_q(unit.path, "unit_path"),
        kind=CALENDAR_KIND,
        version=1,
        period_start__in=[p.start for p in periods],
    ).values_list("unit_id", "period_start", "pk", "status", "signed_off_at")
    found = {
        (unit_id, start): (pk, signed if status == DisclosureStatus.SIGNED_OFF else None)
        for unit_id, start, pk, status, signed in first_versions
    }
    rows = []
    for u in units:
        cells = []
        for period, due in zip(periods, dues, strict=True):
            pk, signed = found.get((u.pk, period.start), (None, None))
            cells.append(
                Cell(
                    state=state_of(signed_off_at=signed, due=due, today=today),
                    disclosure_id=pk if signed else None,
                    signed_off_on=timezone.localdate(signed) if signed else None,
                )
            )
        rows.append(CalendarRow(unit=u, cells=cells))
    return Calendar(periods=periods, due=dues, rows=rows)
