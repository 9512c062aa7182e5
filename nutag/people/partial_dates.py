"""Dates known to the year, the month or the day, as office rosters write them.

A roster's 出生年月 or 入党时间 is often ``1950.05`` or just ``1986``. Such a date is stored
as a ``DateField`` holding its first day plus a precision field (``DatePrecision``);
``PartialDate`` is the value both make together: shown, exported and compared at its
precision. A partial date *contains* every day of its month or year: a birth date of
month precision agrees with an ID number whose date falls in that month.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    YEAR = "year", _("year only")
    MONTH = "month", _("year and month")
    DAY = "day", _("full date")


@dataclasses.dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day without a month")
        dt.date(self.year, self.month or 1, self.day or 1)  # raises ValueError if impossible

    @property
    def precision(self) -> str:
        if self.day is not None:
            return DatePrecision.DAY
        if self.month is not None:
            return DatePrecision.MONTH
        return DatePrecision.YEAR

    @property
    def first_day(self) -> dt.date:
        """The date stored in the ``DateField``."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @classmethod
    def of(cls, day: dt.date, precision: str = DatePrecision.DAY) -> PartialDate:
        """``day`` cut to ``precision``."""
        if precision == DatePrecision.YEAR:
            return cls(day.year)
        if precision == DatePrecision.MONTH:
            return cls(day.year, day.month)
        return cls(day.year, day.month, day.day)

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """``"1950"``, ``"1950-05"`` or ``"1950-05-01"`` (as ``iso()`` writes it)."""
        parts = [int(p) for p in text.split("-")]
        if not 1 <= len(parts) <= 3:
            raise ValueError(text)
        return cls(*parts)

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls within this date (its year, month or day)."""
        if day.year != self.year:
            return False
        if self.month is not None and day.month != self.month:
            return False
        return self.day is None or day.day == self.day

    def cut(self, precision: str) -> PartialDate:
        """This date at ``precision`` or coarser (never finer than it is)."""
        order = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY]
        if order.index(DatePrecision(precision)) >= order.index(DatePrecision(self.precision)):
            return self
        return PartialDate.of(self.first_day, precision)

    def text(self) -> str:
        """For people to read, in the current language: 1950年5月, 1950-05 …"""
        values = {"year": self.year, "month": self.month, "day": self.day}
        if self.day is not None:
            return gettext("%(year)d-%(month)02d-%(day)02d") % values
        if self.month is not None:
            return gettext("%(year)d-%(month)02d") % values
        return gettext("%(year)d (year only)") % values

    def __str__(self) -> str:
        return self.text()

    def spreadsheet_value(self) -> dt.date | str:
        """For an export: a date cell when the day is known, else text as offices write it
        (``1950.05``, ``1950``), which the importer reads back at the same precision."""
        if self.day is not None:
            return self.first_day
        if self.month is not None:
            return f"{self.year:04d}.{self.month:02d}"
        return f"{self.year:04d}"


def partial_date(day: dt.date | None, precision: str) -> PartialDate | None:
    """The value a date field and its precision field make together."""
    return None if day is None else PartialDate.of(day, precision)
