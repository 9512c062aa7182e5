"""Shared pieces of read counting: keys, limits, the day in Asia/Shanghai."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import signing
from django.utils import timezone

log = logging.getLogger(__name__)

COOKIE_NAME = "nutag_v"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
COUNTING_TZ = ZoneInfo("Asia/Shanghai")
# Attributes set on the request: what was counted (read back by the page cache, which
# stores it with the cached page so that a cache hit is counted too) and a cookie to issue.
READ_ATTR = "_nutag_read"
NEW_VISITOR_ATTR = "_nutag_new_visitor"
# In the WSGI environ of a page rendered in the background (``nutag.sites.refresh``): no read.
REFRESH_META = "nutag.page_refresh"
FLUSH_TASK = "nutag.sites.counting.flush_pending"
DEFAULT_FLUSH_EVERY = 200
DEFAULT_FLUSH_SECONDS = 60
_CHUNK = 500

_SIGNER = signing.Signer(salt="nutag.sites.visitor")
_COOKIE_BODY = re.compile(r"^(\d{8})\.([A-Za-z0-9_-]{16,64})$")
# Robots and link-preview fetchers are not readers.
_ROBOT = re.compile(r"bot|spider|crawl|slurp|facebookexternalhit|preview", re.IGNORECASE)

Target = tuple[str, int]  # ("a", article id) or ("u", unit id)
ARTICLE = "a"
SITE = "u"


def now() -> datetime:
    """The clock of read counting. Tests replace it (``monkeypatch.setattr``)."""
    return timezone.now()


def local_day(moment: datetime) -> date:
    """The calendar day of ``moment`` in Asia/Shanghai: a read counts once per such day."""
    return moment.astimezone(COUNTING_TZ).date()


def seconds_to_midnight(moment: datetime) -> int:
    """Seconds from ``moment`` to the next midnight in Asia/Shanghai (at least 1)."""
    local = moment.astimezone(COUNTING_TZ)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), COUNTING_TZ)
    return max(1, int((midnight - local).total_seconds()))
