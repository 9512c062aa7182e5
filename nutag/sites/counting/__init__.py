"""Read counts: once per visitor per day, without a database write in the request.

How a read is counted (``count_read``):

1. **Who.** A visitor carries a long-lived, signed random cookie ``nutag_v`` (HttpOnly,
   SameSite=Lax; set on the response by ``VisitorCookieMiddleware``). Without a valid
   cookie — the first visit, or a client that keeps no cookies — the visitor is a keyed
   hash of IP + User-Agent + day, and a cookie is issued. A cookie issued today still counts
   as that hash today, so a first visit is not counted twice (once cookieless, once with the
   new cookie); from the next day on the cookie alone identifies the visitor.
2. **Once a day.** ``cache.add`` of a "seen today" key per (day, article or site, visitor),
   which expires after midnight Asia/Shanghai: only the first read of the day adds it.
3. **Pending.** A first read increments a pending counter in the cache. Nothing is written
   to the database in the request.
4. **Flush.** ``flush_reads`` takes every pending counter (atomically: a read counted while
   it runs is kept for the next flush) and adds it to the database in one transaction:
   ``Article.read_count = F("read_count") + n`` and an upsert of ``SiteCounter.visits``. If
   the transaction fails, the counts are put back. It runs (a) from ``manage.py
   flush_reads`` (cron, at scale), (b) in-process after ``NUTAG_READS_FLUSH_EVERY`` counted
   reads or ``NUTAG_READS_FLUSH_SECONDS`` seconds, through ``nutag.core.tasks.enqueue`` (a
   thread in the embedded mode, Celery at scale; never in ``inline`` mode, i.e. in tests),
   (c) explicitly in tests.

``shown_reads`` and ``shown_visits`` are the database value plus what is still pending, so a
page shows fresh numbers although the database lags by up to one flush interval.

Where the counters live:

- **Redis** (``REDIS_URL`` set): in the shared Redis cache. All processes count into the
  same keys; any process (or ``manage.py flush_reads``) flushes them all. Pending counters
  are Redis integers incremented with ``INCRBY`` and listed in a Redis set of "dirty" ids;
  a flush pops ids from the set and takes each counter with ``GET`` + ``DEL`` in one
  ``MULTI``. This uses the Redis client behind Django's cache (one round trip per read
  instead of Django's ``incr`` = ``EXISTS`` + ``INCRBY``, plus the set).
- **Anything else** (the embedded default: local memory): the "seen today" keys in this
  process's private local-memory cache (large, so that page caching in the default cache
  cannot evict them); the pending counters in one **file shared by the machine's
  processes** (``FileStore``, ``NUTAG_READS_BUFFER``), a line appended per counted read
  under a shared ``flock``. Any process flushes them all (the flush renames the file aside
  under an exclusive lock, then reads it), so a worker stopped by SIGTERM, or killed, loses
  nothing: its reads wait for the next flush (any worker, ``run_worker``'s periodic job,
  ``manage.py flush_reads``). A visitor whose requests reach two processes on one day may
  be counted once in each. ``atexit`` still flushes when a process exits normally.

The package, split along its seams: ``base`` (keys, limits, days), ``store`` (where pending
counts live), ``visits`` (counting a read), ``shown`` (what a page shows), ``flush`` (into
the database). Import from the package.
"""

from nutag.sites.counting.base import (
    _CHUNK,
    _COOKIE_BODY,
    _ROBOT,
    _SIGNER,
    ARTICLE,
    COOKIE_MAX_AGE,
    COOKIE_NAME,
    COUNTING_TZ,
    DEFAULT_FLUSH_EVERY,
    DEFAULT_FLUSH_SECONDS,
    FLUSH_TASK,
    NEW_VISITOR_ATTR,
    READ_ATTR,
    REFRESH_META,
    SITE,
    Target,
    local_day,
    log,
    now,
    seconds_to_midnight,
)
from nutag.sites.counting.flush import (
    FlushResult,
    _chunks,
    _exit_flush_registered,
    _flush_in_thread,
    _grouped,
    _maybe_flush,
    _register_exit_flush,
    _trigger,
    _trigger_lock,
    _write,
    clear_pending,
    flush_pending,
    flush_reads,
)
from nutag.sites.counting.shown import (
    shown_reads,
    shown_reads_many,
    shown_visits,
)
from nutag.sites.counting.store import (
    _LOCAL,
    FileStore,
    LocalStore,
    ReadStore,
    RedisStore,
    _parse_target,
    get_store,
)
from nutag.sites.counting.visits import (
    VisitorCookieMiddleware,
    _cookie_visitor,
    _count,
    _fingerprint,
    _fingerprint_key,
    _visitor,
    client_ip,
    count_read,
    count_read_for_cached,
    is_robot,
    set_visitor_cookie,
)

__all__ = [
    "ARTICLE",
    "COOKIE_MAX_AGE",
    "COOKIE_NAME",
    "COUNTING_TZ",
    "DEFAULT_FLUSH_EVERY",
    "DEFAULT_FLUSH_SECONDS",
    "FLUSH_TASK",
    "NEW_VISITOR_ATTR",
    "READ_ATTR",
    "REFRESH_META",
    "SITE",
    "_CHUNK",
    "_COOKIE_BODY",
    "_LOCAL",
    "_ROBOT",
    "_SIGNER",
    "FileStore",
    "FlushResult",
    "LocalStore",
    "ReadStore",
    "RedisStore",
    "Target",
    "VisitorCookieMiddleware",
    "_chunks",
    "_cookie_visitor",
    "_count",
    "_exit_flush_registered",
    "_fingerprint",
    "_fingerprint_key",
    "_flush_in_thread",
    "_grouped",
    "_maybe_flush",
    "_parse_target",
    "_register_exit_flush",
    "_trigger",
    "_trigger_lock",
    "_visitor",
    "_write",
    "clear_pending",
    "client_ip",
    "count_read",
    "count_read_for_cached",
    "flush_pending",
    "flush_reads",
    "get_store",
    "is_robot",
    "local_day",
    "log",
    "now",
    "seconds_to_midnight",
    "set_visitor_cookie",
    "shown_reads",
    "shown_reads_many",
    "shown_visits",
]
