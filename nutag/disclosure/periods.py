"""Periods and the disclosure calendar's dates.

A period is a quarter (``2026-Q3``) or a month (``2026-09``). The calendar tracks the finance
disclosure (财务公开) of every village and community, quarterly: a quarter's disclosure is due
``DisclosureRules.due_days`` days after the quarter ends (default ``DEFAULT_DUE_DAYS``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from django.db import connections
from django.utils.translation import gettext as _

from nutag.core.db import read_alias
from nutag.disclosure.models import DisclosureKind, DisclosureRules, MaskRule
from nutag.orgs.models import Unit, UnitKind

DEFAULT_DUE_DAYS = 15
# The kinds the calendar expects every quarter, and the units that must publish them.
CALENDAR_KIND = DisclosureKind.FINANCE
CALENDAR_UNIT_KINDS = (UnitKind.VILLAGE, UnitKind.COMMUNITY)
PERIOD_PATTERN = re.compile(r"^(20\d{2})-(?:Q([1-4])|(0[1-9]|1[0-2]))$")


@dataclasses.dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def code(self) -> str:
        if self.start.month == self.end.month:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    @property
    def label(self) -> str:
        if self.start.month == self.end.month:
            return _("%(year)d, month %(month)d") % {
                "year": self.start.year,
                "month": self.start.month,
            }
        return _("%(year)d, quarter %(quarter)d") % {
            "year": self.start.year,
            "quarter": (self.start.month - 1) // 3 + 1,
        }


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def parse_period(code: str) -> Period | None:
    """``2026-Q3`` → July 1 to September 30; ``2026-09`` → September; else None."""
    m = PERIOD_PATTERN.match((code or "").strip())
    if not m:
        return None
    year = int(m.group(1))
    if year < 2000 or year > 2099:
        return None
    if m.group(2):
        first = (int(m.group(2)) - 1) * 3 + 1
        return Period(dt.date(year, first, 1), _month_end(year, first + 2))
    month = int(m.group(3))
    return Period(dt.date(year, month, 1), _month_end(year, month))


def period_of(start: dt.date, end: dt.date) -> Period:
    return Period(start, end)


def quarter_of(day: dt.date) -> Period:
    first = (day.month - 1) // 3 * 3 + 1
    return Period(dt.date(day.year, first, 1), _month_end(day.year, first + 2))


def previous_quarter(period: Period) -> Period:
    return quarter_of(period.start - dt.timedelta(days=1))


def calendar_quarters(today: dt.date) -> tuple[Period, Period]:
    """The current period (the last quarter that has ended: the one being published now) and
    the one before it."""
    current = previous_quarter(quarter_of(today))
    return current, previous_quarter(current)


def banner_path(unit: Unit) -> str:
    return unit.path[: Unit.steplen]


def rules_for(unit: Unit) -> DisclosureRules:
    """The rules of ``unit``'s banner (the root of its tree); defaults when none were set."""
    rules = DisclosureRules.objects.filter(banner__path=banner_path(unit)).first()
    return rules or DisclosureRules(mask_rule=MaskRule.KEEP_SURNAME, due_days=DEFAULT_DUE_DAYS)


def due_days_for(unit: Unit) -> int:
    """``rules_for(unit).due_days`` in one fixed read (the dashboard and the calendar ask only
    for this): the first rules of ``unit``'s banner by id, as ``rules_for`` reads them, else
    ``DEFAULT_DUE_DAYS``. Written SQL: the queryset's ``first()`` cost more to build than to
    run (issue 17)."""
    rules, units = DisclosureRules._meta.db_table, Unit._meta.db_table
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(
            f'SELECT r."due_days" FROM {rules} r INNER JOIN {units} u '  # noqa: S608
            'ON u."id" = r."banner_id" WHERE u."path" = %s ORDER BY r."id" LIMIT 1',
            [banner_path(unit)],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else DEFAULT_DUE_DAYS


def due_date(period: Period, due_days: int) -> dt.date:
    return period.end + dt.timedelta(days=due_days)


def mask_household(name: str, rule: str) -> str:
    """A household's name as public pages and the API show it, by the banner's rule."""
    name = (name or "").strip()
    if not name:
        return ""
    if rule == MaskRule.HIDE:
        return "***"
    if rule == MaskRule.KEEP_FIRST_LAST and len(name) >= 3:
        return name[0] + "*" * (len(name) - 2) + name[-1]
    return name[0] + "*" * max(len(name) - 1, 1)
