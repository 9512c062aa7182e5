"""The disclosure figures of a unit's subtree: for the current and the last period, how many
villages and communities published their finance disclosure on time, late, or not at all.

A fixed number of reads whatever the subtree's size (``DISCLOSURE_FIGURE_QUERIES``): the
banner's rules, the count of units that must publish, and the first versions signed off,
grouped by period with the on-time ones counted in SQL; each over an index range of a path
(all three as fixed SQL: ``periods.due_days_for``, ``_counts``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import connections
from django.utils import timezone

from nutag.core.db import read_alias
from nutag.disclosure.models import Disclosure, DisclosureStatus
from nutag.disclosure.periods import (
    CALENDAR_KIND,
    CALENDAR_UNIT_KINDS,
    calendar_quarters,
    due_date,
    due_days_for,
)
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.paths import range_sql

# The reads of ``disclosure_figures`` (tests that count a dashboard's queries add this).
DISCLOSURE_FIGURE_QUERIES = 3
# ... and with the units counted by the caller (``units_by_kind``: the dashboard page).
DISCLOSURE_DASHBOARD_QUERIES = DISCLOSURE_FIGURE_QUERIES - 1


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


def _counts(
    path: str, periods: list[Any], dues: list[dt.date], units: int | None = None
) -> tuple[int, list[tuple[Any, int, int]]]:
    """The active villages and communities of the subtree (one range of the ``(kind, path)``
    index per kind, less the closed ones through ``(status, path)``), and the first versions
    signed off by period with the on-time ones, read from the disclosures' own path range,
    each one's unit looked up by id (``CROSS JOIN`` keeps that order on SQLite, whose planner
    cannot tell a province's range from a village's). Fixed SQL: building the querysets cost
    more than running them (issue 17)."""
    alias = read_alias()
    ops = connections[alias].ops
    table, unit = Disclosure._meta.db_table, Unit._meta.db_table
    u_range, bounds = range_sql('"path"', path)
    d_range, _ = range_sql('d."unit_path"', path)
    kinds = [str(k) for k in CALENDAR_UNIT_KINDS]
    kind_marks = ", ".join("%s" for _ in kinds)
    closed = sorted(str(s) for s in UnitStatus if s != UnitStatus.ACTIVE)
    closed_marks = ", ".join("%s" for _ in closed)
    units_sql = (
        f'SELECT (SELECT COUNT(*) FROM {unit} WHERE "kind" IN ({kind_marks}) AND {u_range}) - '  # noqa: S608
        f'(SELECT COUNT(*) FROM {unit} WHERE "status" IN ({closed_marks}) AND {u_range} '
        # ``kind || ''``: through the few closed units' (status, path) index, not (kind, path)
        f"AND (\"kind\" || '') IN ({kind_marks}))"
    )
    on_time = " OR ".join('(d."period_start" = %s AND d."signed_off_at" < %s)' for _ in periods)
    starts = ", ".join("%s" for _ in periods)
    rows_sql = (
        f'SELECT d."period_start", COUNT(*), COUNT(CASE WHEN {on_time} THEN 1 END) '  # noqa: S608
        f'FROM {table} d CROSS JOIN {unit} u WHERE {d_range} AND d."kind" = %s '
        'AND d."version" = 1 AND d."status" = %s '
        f'AND d."period_start" IN ({starts}) AND u."id" = d."unit_id" '
        f'AND u."kind" IN ({kind_marks}) AND u."status" = %s GROUP BY d."period_start"'
    )
    rows_params: list[Any] = []
    for period, due in zip(periods, dues, strict=True):
        rows_params += [
            ops.adapt_datefield_value(period.start),
            ops.adapt_datetimefield_value(_deadline(due)),
        ]
    rows_params += [*bounds, str(CALENDAR_KIND), str(DisclosureStatus.SIGNED_OFF)]
    rows_params += [ops.adapt_datefield_value(p.start) for p in periods]
    rows_params += [*kinds, str(UnitStatus.ACTIVE)]
    with connections[alias].cursor() as cursor:
        if units is None:  # not counted by the caller already
            cursor.execute(units_sql, [*kinds, *bounds, *closed, *bounds, *kinds])
            units = int(cursor.fetchone()[0])
        cursor.execute(rows_sql, rows_params)
        rows = [(_day(start), int(n), int(in_time)) for start, n, in_time in cursor.fetchall()]
    return units, rows


def _day(value: Any) -> dt.date:
    """A date as raw SQL returns it (SQLite: text, unless the column's type converts it)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def disclosure_figures(
    *,
    unit: Unit,
    today: dt.date | None = None,
    units_by_kind: Mapping[str, int] | None = None,
) -> DisclosureFigures:
    """``units_by_kind``: the subtree's active units by kind when the caller has them (the
    dashboard's seed table); the villages and communities are then not counted again (one
    read less)."""
    today = today or timezone.localdate()
    periods = list(calendar_quarters(today))
    due_days = due_days_for(unit)  # 1 read
    dues = [due_date(p, due_days) for p in periods]
    known = (
        None
        if units_by_kind is None
        else sum(units_by_kind.get(str(k), 0) for k in CALENDAR_UNIT_KINDS)
    )
    units, rows = _counts(unit.path, periods, dues, known)  # 2 reads (1 when known)
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
