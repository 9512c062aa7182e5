"""The youth figures of a unit's subtree: counts only, never a person.

Two statements of fixed SQL whatever the subtree's size (the circumstances, grouped; one row
of every other count), each part over the ``unit_path`` index range of its table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import connections
from django.utils import timezone

from nutag.core.db import read_alias
from nutag.orgs.models import Unit
from nutag.orgs.paths import range_sql
from nutag.youth.models import (
    Activity,
    Circumstance,
    GoodDeed,
    Need,
    Pairing,
    RecordStatus,
    SignUp,
    Visit,
    YouthRecord,
)

MONTHS = 6
# A circumstance held by fewer young people than this in the subtree is left out of
# ``by_circumstance``: "one child in trouble with the law" in a village names the child.
SMALLEST_SHOWN = 3
# The queries of ``youth_figures`` (tests that count a dashboard's queries add this).
YOUTH_FIGURE_QUERIES = 2


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


def _circumstances_sql(path: str) -> tuple[str, list[Any]]:
    """Young people in care by circumstance: from the records' path range out to their
    circumstances (an outer join keeps that order; the inner join from the circumstances
    walked every record of every unit)."""
    record, circumstance = YouthRecord._meta.db_table, Circumstance._meta.db_table
    link = YouthRecord.circumstances.through._meta.db_table
    r_range, bounds = range_sql('r."unit_path"', path)
    sql = (
        f'SELECT c."code", c."name", COUNT(r."id") FROM {record} r '  # noqa: S608
        f'LEFT OUTER JOIN {link} rc ON rc."youthrecord_id" = r."id" '
        f'LEFT OUTER JOIN {circumstance} c ON c."id" = rc."circumstance_id" '
        f'WHERE {r_range} AND r."status" = %s GROUP BY c."code", c."name" ORDER BY c."code"'
    )
    return sql, [*bounds, RecordStatus.ACTIVE.value]


def _counts_sql(
    path: str, months: list[tuple[Any, Any]], years: list[Any], today: Any
) -> tuple[str, list[Any]]:
    """One row: the visits of each month (conditional counts in one pass over the visits'
    range: no date function per row, SQLite's month truncation is a Python callback), then
    every other count as a scalar subquery over its own table's path range."""
    record, pairing, visit = (
        YouthRecord._meta.db_table,
        Pairing._meta.db_table,
        Visit._meta.db_table,
    )
    need, deed, activity = Need._meta.db_table, GoodDeed._meta.db_table, Activity._meta.db_table
    signup = SignUp._meta.db_table
    in_range, bounds = range_sql('"unit_path"', path)
    a_range, _ = range_sql('a."unit_path"', path)
    each = 'COUNT(CASE WHEN "visited_on" >= %s AND "visited_on" < %s THEN 1 END)'
    sql = (
        f"SELECT {', '.join(each for _ in months)}, "  # noqa: S608
        f'(SELECT COUNT(*) FROM {record} WHERE {in_range} AND "status" = %s), '
        f'(SELECT COUNT(*) FROM {pairing} WHERE {in_range} AND "ended_on" IS NULL), '
        f"(SELECT COUNT(*) FROM {need} WHERE {in_range}), "
        f'(SELECT COUNT("resolved_on") FROM {need} WHERE {in_range}), '
        f'(SELECT COUNT(*) FROM {deed} WHERE {in_range} AND "done_on" BETWEEN %s AND %s), '
        f'(SELECT SUM("people_helped") FROM {deed} WHERE {in_range} '
        'AND "done_on" BETWEEN %s AND %s), '
        f'(SELECT COUNT(*) FROM {activity} WHERE {in_range} AND "held_on" BETWEEN %s AND %s '
        'AND "held_on" <= %s), '
        f'(SELECT COUNT(*) FROM {signup} s INNER JOIN {activity} a ON a."id" = s."activity_id" '
        f'WHERE {a_range} AND a."held_on" BETWEEN %s AND %s AND a."held_on" <= %s '
        'AND s."checked_in_at" IS NOT NULL) '
        f'FROM {visit} WHERE {in_range} AND "visited_on" >= %s AND "visited_on" < %s'
    )
    params: list[Any] = [v for pair in months for v in pair]
    params += [*bounds, RecordStatus.ACTIVE.value, *bounds, *bounds, *bounds]
    params += [*bounds, *years, *bounds, *years]
    params += [*bounds, *years, today, *bounds, *years, today]
    params += [*bounds, months[0][0], months[-1][1]]
    return sql, params


def youth_figures(*, unit: Unit, today: dt.date | None = None) -> YouthFigures:
    """Two statements of fixed SQL (issue 17: building seven querysets cost more than
    running them); ``tests/test_figures_recount.py`` checks them against an ORM recount."""
    today = today or timezone.localdate()
    alias = read_alias()
    ops = connections[alias].ops
    firsts = _month_starts(today)
    bounds = [*firsts[1:], _next_month(firsts[-1])]
    months = [
        (ops.adapt_datefield_value(first), ops.adapt_datefield_value(end))
        for first, end in zip(firsts, bounds, strict=True)
    ]
    years = ops.year_lookup_bounds_for_date_field(today.year)
    with connections[alias].cursor() as cursor:
        cursor.execute(*_circumstances_sql(unit.path))
        rows = [row for row in cursor.fetchall() if row[0] is not None]
        cursor.execute(*_counts_sql(unit.path, months, years, ops.adapt_datefield_value(today)))
        counts = cursor.fetchone()
    visits, rest = counts[: len(months)], counts[len(months) :]
    young_people, pairs, needs, resolved, deeds, helped, activities, took_part = rest
    names = {code: name for code, name, _n in rows}
    by_circumstance = {code: n for code, _name, n in rows if n >= SMALLEST_SHOWN}
    visits_by_month = {
        first.strftime("%Y-%m"): n for first, n in zip(firsts, visits, strict=True) if n
    }
    return YouthFigures(
        activities=activities,
        participants=took_part,
        young_people=young_people,
        by_circumstance=by_circumstance,
        pairs=pairs,
        visits_by_month=visits_by_month,
        needs=needs,
        needs_resolved=resolved,
        good_deeds=deeds,
        people_helped=helped or 0,
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
