"""Flushing pending counts into the database, in one transaction, in the background."""

from __future__ import annotations

import atexit
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import F

from nutag.core.tasks import enqueue
from nutag.orgs.models import Unit
from nutag.sites.counting.base import (
    _CHUNK,
    ARTICLE,
    DEFAULT_FLUSH_EVERY,
    DEFAULT_FLUSH_SECONDS,
    FLUSH_TASK,
    SITE,
    Target,
    log,
)
from nutag.sites.counting.store import _LOCAL, ReadStore, get_store
from nutag.sites.models import Article, SiteCounter

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
            connections.close_all()  # this thread's own: never used again, whatever their age

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


def clear_pending() -> None:
    """Forget every pending count and "seen today" key (tests start from nothing)."""
    get_store().clear()
    _LOCAL.clear()
    with _trigger_lock:
        _trigger["since"] = 0
        _trigger["last"] = time.monotonic()
