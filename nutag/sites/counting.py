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
- **Anything else** (the embedded default: local memory): in this process's memory — a
  private local-memory cache for the "seen today" keys (large, so that page caching in the
  default cache cannot evict them) and a locked dictionary for the pending counters. Each
  process counts and flushes its own reads; that is fine because flushing is additive. A
  visitor whose requests reach two processes on one day may be counted once in each.
  Pending counts are flushed when the process exits (thread mode); a crash loses at most
  one flush interval of counts.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import ipaddress
import logging
import re
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import close_old_connections, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from nutag.core.tasks import enqueue
from nutag.orgs.models import Unit
from nutag.sites.models import Article, SiteCounter

log = logging.getLogger(__name__)

COOKIE_NAME = "nutag_v"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
COUNTING_TZ = ZoneInfo("Asia/Shanghai")
# Attributes set on the request: what was counted (read back by the page cache, which
# stores it with the cached page so that a cache hit is counted too) and a cookie to issue.
READ_ATTR = "_nutag_read"
NEW_VISITOR_ATTR = "_nutag_new_visitor"
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


# --- Where counts are kept ----------------------------------------------------------------


class ReadStore(Protocol):
    """De-duplication keys and pending counters (see the module docstring)."""

    shared: bool

    def first_today(self, key: str, ttl: int) -> bool: ...
    def add(self, counts: Mapping[Target, int]) -> None: ...
    def pending(self, targets: Iterable[Target]) -> dict[Target, int]: ...
    def take(self) -> dict[Target, int]: ...
    def clear(self) -> None: ...


class LocalStore:
    """This process's memory: the embedded default (local-memory cache)."""

    shared = False

    def __init__(self) -> None:
        self.seen = LocMemCache(
            "nutag-sites-reads-seen",
            {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4}},
        )
        self._counts: dict[Target, int] = {}
        self._lock = threading.Lock()

    def first_today(self, key: str, ttl: int) -> bool:
        return bool(self.seen.add(key, 1, timeout=ttl))

    def add(self, counts: Mapping[Target, int]) -> None:
        with self._lock:
            for target, n in counts.items():
                self._counts[target] = self._counts.get(target, 0) + n

    def pending(self, targets: Iterable[Target]) -> dict[Target, int]:
        with self._lock:
            return {t: self._counts.get(t, 0) for t in targets}

    def take(self) -> dict[Target, int]:
        with self._lock:
            taken, self._counts = self._counts, {}
        return {t: n for t, n in taken.items() if n}

    def clear(self) -> None:
        self.seen.clear()
        with self._lock:
            self._counts = {}


class RedisStore:
    """The shared Redis cache (scale mode), reached through Django's cache and its client."""

    shared = True
    DIRTY = "nr:dirty"

    def __init__(self, cache: BaseCache) -> None:
        self.cache = cache

    def _client(self) -> Any:
        return self.cache._cache.get_client(None, write=True)  # type: ignore[attr-defined]

    def _key(self, name: str) -> str:
        return str(self.cache.make_and_validate_key(name))

    def _counter(self, target: Target) -> str:
        return self._key(f"nr:p:{target[0]}{target[1]}")

    def first_today(self, key: str, ttl: int) -> bool:
        return bool(self.cache.add(key, 1, timeout=ttl))

    def add(self, counts: Mapping[Target, int]) -> None:
        if not counts:
            return
        pipe = self._client().pipeline(transaction=False)
        dirty = self._key(self.DIRTY)
        for target, n in counts.items():
            # The counter first, then the dirty mark: a flush that removes the mark before
            # taking the counter cannot miss an increment (see ``take``).
            pipe.incrby(self._counter(target), n)
            pipe.sadd(dirty, f"{target[0]}{target[1]}")
        pipe.execute()

    def pending(self, targets: Iterable[Target]) -> dict[Target, int]:
        targets = list(targets)
        if not targets:
            return {}
        values = self._client().mget([self._counter(t) for t in targets])
        return {t: int(v or 0) for t, v in zip(targets, values, strict=True)}

    def take(self) -> dict[Target, int]:
        client = self._client()
        dirty = self._key(self.DIRTY)
        taken: dict[Target, int] = {}
        while True:
            members = client.spop(dirty, _CHUNK)
            if not members:
                break
            targets = [_parse_target(m) for m in members]
            pipe = client.pipeline(transaction=True)
            for target in targets:
                key = self._counter(target)
                pipe.get(key)
                pipe.delete(key)
            results = pipe.execute()
            for target, value in zip(targets, results[::2], strict=True):
                if value:
                    taken[target] = taken.get(target, 0) + int(value)
        return taken

    def clear(self) -> None:
        client = self._client()
        for key in client.scan_iter(match=self._key("nr:*")):
            client.delete(key)


def _parse_target(member: bytes | str) -> Target:
    text = member.decode() if isinstance(member, bytes) else member
    return text[0], int(text[1:])


_LOCAL = LocalStore()


def get_store() -> ReadStore:
    """Redis when the default cache is Redis, else this process's memory."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        return RedisStore(cache)
    return _LOCAL


def clear_pending() -> None:
    """Forget every pending count and "seen today" key (tests start from nothing)."""
    get_store().clear()
    _LOCAL.clear()
    with _trigger_lock:
        _trigger["since"] = 0
        _trigger["last"] = time.monotonic()


# --- Counting -------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind a reverse proxy on this machine (the peer is loopback),
    the last ``X-Forwarded-For`` entry — the one the proxy added; otherwise the peer."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        try:
            loopback = ipaddress.ip_address(peer).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return forwarded.split(",")[-1].strip()
    return peer


@functools.cache
def _fingerprint_key(secret: str) -> bytes:
    return hashlib.sha256(f"nutag.sites.visitor:{secret}".encode()).digest()


def _fingerprint(request: HttpRequest, day: date) -> str:
    """A keyed hash of IP + User-Agent + day: no address is kept in the cache in clear."""
    material = "|".join(
        [client_ip(request), request.META.get("HTTP_USER_AGENT", ""), day.isoformat()]
    )
    key = _fingerprint_key(settings.SECRET_KEY)
    return hashlib.blake2b(material.encode(), key=key, digest_size=12).hexdigest()


def _cookie_visitor(request: HttpRequest) -> tuple[str, str] | None:
    """(issue day ``YYYYMMDD``, token) of a valid visitor cookie, else None."""
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw:
        return None
    try:
        body = _SIGNER.unsign(raw)
    except signing.BadSignature:
        return None
    match = _COOKIE_BODY.match(body)
    return (match.group(1), match.group(2)) if match else None


def _visitor(request: HttpRequest, day: date) -> str:
    """Who reads: the cookie's token, or the hash (first day, or no cookie: then issue one)."""
    today = day.strftime("%Y%m%d")
    cookie = _cookie_visitor(request)
    if cookie is None:
        token = secrets.token_urlsafe(16)
        setattr(request, NEW_VISITOR_ATTR, _SIGNER.sign(f"{today}.{token}"))
        return "h" + _fingerprint(request, day)
    issued, token = cookie
    if issued == today:
        return "h" + _fingerprint(request, day)
    return "c" + token


def is_robot(request: HttpRequest) -> bool:
    return bool(_ROBOT.search(request.META.get("HTTP_USER_AGENT", "")))


def count_read(request: HttpRequest, *, unit: Unit, article: Article | None = None) -> None:
    """Record that this visitor read ``unit``'s site (and ``article``) today.

    Call it from a public view before rendering. It touches only the cache. Only GET
    requests from browsers count (not HEAD, not robots); it also notes on the request what
    was counted, so that ``nutag.sites.caching.public_page`` counts a cache hit as well.
    """
    _count(request, unit_id=unit.pk, article_id=article.pk if article is not None else None)


def count_read_for_cached(
    request: HttpRequest, *, unit_id: int, article_id: int | None = None
) -> None:
    """Count a read of a page served from the page cache (the view did not run)."""
    _count(request, unit_id=unit_id, article_id=article_id)


def _count(request: HttpRequest, *, unit_id: int, article_id: int | None) -> None:
    setattr(request, READ_ATTR, (unit_id, article_id))
    if request.method != "GET" or is_robot(request):
        return
    moment = now()
    day = local_day(moment)
    visitor = _visitor(request, day)
    # The day is in the key; the TTL only frees the key after midnight (plus a margin).
    ttl = seconds_to_midnight(moment) + 3600
    stamp = day.strftime("%Y%m%d")
    targets: list[Target] = [(SITE, unit_id)]
    if article_id is not None:
        targets.append((ARTICLE, article_id))
    store = get_store()
    fresh = {
        t: 1 for t in targets if store.first_today(f"nr:s:{stamp}:{t[0]}{t[1]}:{visitor}", ttl)
    }
    if fresh:
        store.add(fresh)
        _maybe_flush(store, len(fresh))


class VisitorCookieMiddleware:
    """Sets the visitor cookie that ``count_read`` asked for (never on a cached copy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        value = getattr(request, NEW_VISITOR_ATTR, None)
        if value and COOKIE_NAME not in response.cookies:
            response.set_cookie(
                COOKIE_NAME,
                value,
                max_age=COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


# --- What the page shows --------------------------------------------------------------------


def shown_reads(article: Article) -> int:
    """Reads of ``article``: the database value plus reads not yet flushed."""
    target = (ARTICLE, article.pk)
    return int(article.read_count) + get_store().pending([target])[target]


def shown_reads_many(articles: Iterable[Article]) -> dict[int, int]:
    """``shown_reads`` of many articles with one cache round trip: {article id: reads}."""
    articles = list(articles)
    pending = get_store().pending([(ARTICLE, a.pk) for a in articles])
    return {a.pk: int(a.read_count) + pending[(ARTICLE, a.pk)] for a in articles}


def shown_visits(unit: Unit) -> int:
    """Visits of ``unit``'s site: the database value plus visits not yet flushed. No query
    when ``unit`` was fetched with ``select_related("site_counter")``."""
    try:
        stored = int(unit.site_counter.visits)
    except SiteCounter.DoesNotExist:
        stored = 0
    target = (SITE, unit.pk)
    return stored + get_store().pending([target])[target]


# --- Flushing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlushResult:
    articles: int = 0  # articles whose count changed
    reads: int = 0  # reads added to them
    sites: int = 0  # unit sites whose count changed
    visits: int = 0  # visits added to them


def flush_reads() -> FlushResult:
    """Move every pending count to the database, in one transaction. Idempotent: what was
    flushed is no longer pending; reads counted meanwhile wait for the next flush. If the
    transaction fails, the counts go back to pending and the error is raised."""
    store = get_store()
    taken = store.take()
    if not taken:
        return FlushResult()
    try:
        with transaction.atomic():
            result = _write(taken)
    except BaseException:
        store.add(taken)
        raise
    return result


def flush_pending() -> None:
    """The background job (``enqueue(FLUSH_TASK)``)."""
    result = flush_reads()
    log.info("flushed reads: %s", result)


def _grouped(counts: Mapping[int, int]) -> dict[int, list[int]]:
    """{n: [ids]}: one UPDATE per distinct increment instead of one per row."""
    by_n: dict[int, list[int]] = defaultdict(list)
    for pk, n in counts.items():
        by_n[n].append(pk)
    return by_n


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _write(taken: Mapping[Target, int]) -> FlushResult:
    reads = {pk: n for (kind, pk), n in taken.items() if kind == ARTICLE and n > 0}
    visits = {pk: n for (kind, pk), n in taken.items() if kind == SITE and n > 0}
    for n, ids in _grouped(reads).items():
        for chunk in _chunks(ids):
            Article.objects.filter(pk__in=chunk).update(read_count=F("read_count") + n)
    existing: set[int] = set()
    for chunk in _chunks(list(visits)):
        existing.update(Unit.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    visits = {pk: n for pk, n in visits.items() if pk in existing}
    if visits:
        SiteCounter.objects.bulk_create(
            [SiteCounter(unit_id=pk, visits=0) for pk in visits], ignore_conflicts=True
        )
    for n, ids in _grouped(visits).items():
        for chunk in _chunks(ids):
            SiteCounter.objects.filter(unit_id__in=chunk).update(visits=F("visits") + n)
    return FlushResult(
        articles=len(reads),
        reads=sum(reads.values()),
        sites=len(visits),
        visits=sum(visits.values()),
    )


# In-process trigger: after N counted reads or T seconds, whichever comes first.
_trigger_lock = threading.Lock()
_trigger: dict[str, float] = {"since": 0, "last": time.monotonic()}
_exit_flush_registered = False


def _maybe_flush(store: ReadStore, counted: int) -> None:
    mode = settings.NUTAG_TASK_MODE
    if mode == "inline":
        return  # tests flush explicitly; a flush inside a request would write to the database
    every = int(getattr(settings, "NUTAG_READS_FLUSH_EVERY", DEFAULT_FLUSH_EVERY))
    seconds = float(getattr(settings, "NUTAG_READS_FLUSH_SECONDS", DEFAULT_FLUSH_SECONDS))
    with _trigger_lock:
        _trigger["since"] += counted
        due = _trigger["since"] >= every or time.monotonic() - _trigger["last"] >= seconds
        if not due:
            return
        _trigger["since"] = 0
        _trigger["last"] = time.monotonic()
    if not store.shared and mode != "thread":
        # Counts in this process's memory must be flushed by this process, not a worker.
        _flush_in_thread()
    else:
        enqueue(FLUSH_TASK)
    if not store.shared:
        _register_exit_flush()


def _flush_in_thread() -> None:
    def target() -> None:
        close_old_connections()
        try:
            flush_pending()
        finally:
            close_old_connections()

    threading.Thread(target=target, daemon=True, name="nutag-flush-reads").start()


def _register_exit_flush() -> None:
    """Flush this process's pending counts when it exits (local store only)."""
    global _exit_flush_registered
    if _exit_flush_registered:
        return
    _exit_flush_registered = True

    def at_exit() -> None:
        try:
            flush_reads()
        except Exception:  # the database may already be gone; nothing else to do
            log.warning("could not flush pending reads at exit", exc_info=True)

    atexit.register(at_exit)
