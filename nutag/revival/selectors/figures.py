"""The revitalisation figures of a unit's subtree: counts and one average, never a household.

A fixed number of queries whatever the subtree's size (``REVIVAL_FIGURE_QUERIES``), each over
the ``unit_path`` index range of its table. The figures are public like the other figures of
a unit (they follow ``view_figures``): the number of households under watch, by category and
status, is what a township reports on its revitalisation work anyway. What could point at one
household is left out: a category or status held by fewer than ``SMALLEST_SHOWN`` households
of the subtree, and the average income of fewer than ``SMALLEST_SHOWN`` households.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
from decimal import Decimal
from typing import Any

from django.db import connections
from django.utils import timezone

from nutag.core.db import read_alias
from nutag.orgs.models import Unit
from nutag.orgs.paths import range_sql
from nutag.revival.models import (
    HouseholdStatus,
    IncomeRecord,
    Measure,
    MeasureKind,
    RiskCategory,
    Visit,
    WatchedHousehold,
    monitoring_line,
)

SMALLEST_SHOWN = 3
# The queries of ``revival_figures`` (tests that count a dashboard's queries add this).
REVIVAL_FIGURE_QUERIES = 4


@dataclasses.dataclass(frozen=True)
class RevivalFigures:
    households: int
    by_category: dict[str, int]  # RiskCategory → households (SMALLEST_SHOWN or more)
    by_status: dict[str, int]  # HouseholdStatus → households (SMALLEST_SHOWN or more)
    measures_by_kind: dict[str, int]  # MeasureKind → measures taken
    visits_this_year: int
    monitoring_line: int  # yuan per person and year
    income_year: int | None  # the latest year with incomes of SMALLEST_SHOWN households
    income_households: int
    average_income: int | None  # yuan per person, rounded
    below_line: int  # households of income_year under the monitoring line

    def as_api(self) -> dict[str, object]:
        """The figures as ``"economy": {"revival": ...}`` in the stats API."""
        return dataclasses.asdict(self)

    def labelled(self) -> dict[str, list[tuple[str, int]]]:
        """For pages: the counts with their names, in the choices' order."""
        return {
            "categories": [
                (str(c.label), self.by_category[c.value])
                for c in RiskCategory
                if c in self.by_category
            ],
            "statuses": [
                (str(s.label), self.by_status[s.value])
                for s in HouseholdStatus
                if s in self.by_status
            ],
            "measures": [
                (str(k.label), self.measures_by_kind[k.value])
                for k in MeasureKind
                if k in self.measures_by_kind
            ],
        }


DECIMAL_READ = decimal.Context(prec=15)  # as Django's SQLite backend reads a decimal average


def _decimal(value: Any) -> Decimal | None:
    """An average of decimals as the queryset gave it: PostgreSQL returns a ``Decimal``;
    SQLite a float (or an integer), which Django reads at 15 significant digits."""
    if value is None or isinstance(value, Decimal):
        return value
    return DECIMAL_READ.create_decimal_from_float(value)


def revival_figures(*, unit: Unit, today: dt.date | None = None) -> RevivalFigures:
    today = today or timezone.localdate()
    line = monitoring_line()
    # Fixed SQL, all four (building their querysets cost more than running them: issue 17);
    # the incomes' average is read as the queryset read it (``_decimal``).
    alias = read_alias()
    in_range, bounds = range_sql('"unit_path"', unit.path)
    ops = connections[alias].ops
    first = ops.adapt_datefield_value(dt.date(today.year, 1, 1))
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f'SELECT "category", "status", COUNT(*) FROM {WatchedHousehold._meta.db_table} '  # noqa: S608
            f'WHERE {in_range} GROUP BY "category", "status"',
            bounds,
        )
        rows = [{"category": c, "status": st, "n": n} for c, st, n in cursor.fetchall()]
        cursor.execute(
            f'SELECT "kind", COUNT(*) FROM {Measure._meta.db_table} '  # noqa: S608
            f'WHERE {in_range} GROUP BY "kind" ORDER BY "kind"',
            bounds,
        )
        measures = dict(cursor.fetchall())
        cursor.execute(
            f"SELECT COUNT(*) FROM {Visit._meta.db_table} WHERE {in_range} "  # noqa: S608
            'AND "visited_on" >= %s AND "visited_on" <= %s',
            [*bounds, first, ops.adapt_datefield_value(today)],
        )
        visits = cursor.fetchone()[0]
        cursor.execute(
            'SELECT "year", COUNT(*), AVG("per_capita"), '  # noqa: S608
            'COUNT(CASE WHEN "per_capita" < %s THEN 1 END) '
            f"FROM {IncomeRecord._meta.db_table} WHERE {in_range} "
            'AND "year" >= %s AND "year" <= %s GROUP BY "year" ORDER BY "year" DESC',
            [line, *bounds, today.year - 2, today.year],
        )
        years = [
            {"year": year, "n": n, "avg": _decimal(avg), "below": below}
            for year, n, avg, below in cursor.fetchall()
        ]
    by_category: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for row in rows:
        by_category[row["category"]] = by_category.get(row["category"], 0) + row["n"]
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
    chosen = next((y for y in years if y["n"] >= SMALLEST_SHOWN), None)
    return RevivalFigures(
        households=sum(row["n"] for row in rows),
        by_category={k: n for k, n in sorted(by_category.items()) if n >= SMALLEST_SHOWN},
        by_status={k: n for k, n in sorted(by_status.items()) if n >= SMALLEST_SHOWN},
        measures_by_kind=measures,
        visits_this_year=visits,
        monitoring_line=line,
        income_year=chosen["year"] if chosen else None,
        income_households=chosen["n"] if chosen else 0,
        average_income=round(chosen["avg"]) if chosen else None,
        below_line=chosen["below"] if chosen else 0,
    )
