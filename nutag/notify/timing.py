"""When a delivery is due: at once, after the person's quiet hours, or at the digest hour.

All in the server's zone (``TIME_ZONE``, Asia/Shanghai by default)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nutag.notify.models import Urgency


def in_quiet(moment: dt.time, start: dt.time, end: dt.time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def after_quiet(now: dt.datetime, start: dt.time, end: dt.time) -> dt.datetime:
    """``now`` if it is not within the quiet hours, else the moment they end."""
    local = timezone.localtime(now)
    if not in_quiet(local.time().replace(tzinfo=None), start, end):
        return now
    candidate = _at(local.date(), end)
    if candidate <= local:
        candidate = _at(local.date() + dt.timedelta(days=1), end)
    return candidate


def next_digest(now: dt.datetime, hour: int) -> dt.datetime:
    local = timezone.localtime(now)
    candidate = _at(local.date(), dt.time(hour, 0))
    if candidate <= local:
        candidate = _at(local.date() + dt.timedelta(days=1), dt.time(hour, 0))
    return candidate


def due_at(
    *, urgency: str, now: dt.datetime, quiet: tuple[dt.time, dt.time], digest_hour: int
) -> tuple[dt.datetime, bool]:
    """``(when, in the digest)`` for a delivery of a notice of ``urgency`` created ``now``."""
    if urgency == Urgency.EMERGENCY:
        return now, False
    if urgency == Urgency.URGENT:
        return after_quiet(now, *quiet), False
    return after_quiet(next_digest(now, digest_hour), *quiet), True
