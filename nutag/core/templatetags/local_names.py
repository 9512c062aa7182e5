"""Names and dates in the reader's language.

``{{ unit|local_name }}`` is a unit's Mongolian name on ``mn-mong`` pages when it has one,
its (Chinese) name otherwise; it works for anything with ``name`` and ``name_mn`` (units) or
``title`` and ``title_mn`` (columns, articles). ``{{ day|reader_date }}`` writes a date the
way the reader does, with the year only when it is not this year."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import dateformat, timezone
from django.utils.translation import get_language, pgettext

register = template.Library()

MONGOLIAN = "mn-mong"


def local_name_of(obj: Any) -> str:
    """The name (or title) of ``obj`` as the current reader should see it."""
    if obj is None:
        return ""
    field = "name" if hasattr(obj, "name_mn") else "title"
    if get_language() == MONGOLIAN:
        mongolian = getattr(obj, f"{field}_mn", "")
        if mongolian:
            return str(mongolian)
    return str(getattr(obj, field, "") or "")


@register.filter
def local_name(obj: Any) -> str:
    """``{{ unit|local_name }}``: see the module docstring."""
    return local_name_of(obj)


@register.filter
def reader_date(value: Any) -> str:
    """``{{ article.published_at|reader_date }}``: a date as the reader writes it, the year only
    when it is not this year: 12月5日 / 2025年12月5日, Dec 5 / Dec 5, 2025, and the Mongolian
    equivalents (the formats are in the catalogues)."""
    return reader_date_of(value)


def reader_date_of(value: Any) -> str:
    return reader_dates_of([value])[0]


def reader_dates_of(values: list[Any]) -> list[str]:
    """``reader_date_of`` of each value (a list's dates: the language, the time zone and this
    year looked up once)."""
    language = get_language()
    zone = timezone.get_current_timezone()
    year = timezone.localdate().year
    out = []
    for value in values:
        if not value:
            out.append("")
            continue
        if isinstance(value, dt.datetime):
            day = (value.astimezone(zone) if timezone.is_aware(value) else value).date()
        else:
            day = value
        out.append(_day_text(day, language, day.year == year))
    return out


@functools.lru_cache(maxsize=4096)
def _day_text(day: dt.date, language: str | None, this_year: bool) -> str:
    """A day as ``language``'s readers write it; kept per day, language and whether it is this
    year (all the format depends on: a list page writes the same few days again and again,
    and ``dateformat`` costs ~0.04 ms a date; issue 17, cold pages)."""
    if this_year:
        fmt = pgettext("date in this year", "M j")
    else:
        fmt = pgettext("date in another year", "M j, Y")
    return dateformat.format(day, fmt)


@receiver(setting_changed)
def _forget_day_texts(*, setting: str, **kwargs: Any) -> None:
    """Tests that swap catalogues or languages read the formats again."""
    if setting in {"LOCALE_PATHS", "LANGUAGES", "LANGUAGE_CODE", "INSTALLED_APPS"}:
        _day_text.cache_clear()
