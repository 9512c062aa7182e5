"""A Redis cache that a stopped Redis cannot take the site down with.

Django's ``RedisCache`` raises when Redis is unreachable, so every page that reads the
cache (the page cache, rights, generations, read counters) would answer 500 while Redis is
down. ``ResilientRedisCache`` treats an unreachable Redis as an empty cache that forgets
what it is given: reads miss, writes are dropped, ``add`` answers False, ``incr`` answers
as if it had counted. Pages are then rendered from the database (sessions live there), a
little slower, and the cache fills again once Redis is back (``bench/faults.py`` measures
it). Each failure is logged at WARNING, at most once per ``LOG_EVERY`` seconds per process.

Short socket timeouts (``OPTIONS`` in settings) keep a Redis that hangs rather than
refuses from holding a request: see ``config/settings/base.py``.

What is lost while Redis is down: purges (a cache generation bumped during the outage is
not stored, so a page cached before the outage may be served until it expires,
``NUTAG_PAGE_CACHE_SECONDS``), buffered read counts, and the check-in throttle's counts
(it fails open).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("nutag.cache")
T = TypeVar("T")
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY = 30.0
# After a failure, this process does not try Redis again for this long: while Redis is
# down each request then pays nothing for it, instead of one failed connection per read.
RETRY_AFTER = 2.0
_last_logged = 0.0
_down_until = 0.0


def redis_down(operation: str, exc: BaseException) -> None:
    """Note that Redis failed: log (rarely) and stop trying for ``RETRY_AFTER`` seconds."""
    global _last_logged, _down_until
    now = time.monotonic()
    _down_until = now + RETRY_AFTER
    if now - _last_logged >= LOG_EVERY:
        _last_logged = now
        logger.warning("Redis unreachable (%s: %s): cache bypassed", operation, exc)


def redis_is_down() -> bool:
    """True while this process is waiting to try Redis again."""
    return time.monotonic() < _down_until


def forget_outage() -> None:
    """Try Redis again at the next call, whatever failed before (tests: an outage one test
    plays must not make the next test's real Redis look down for ``RETRY_AFTER``)."""
    global _down_until
    _down_until = 0.0


def guarded(operation: str, call: Callable[[], T], fallback: T) -> T:
    """``call()``, or ``fallback`` when Redis is (or was just found) unreachable."""
    if redis_is_down():
        return fallback
    try:
        return call()
    except REDIS_DOWN as exc:
        redis_down(operation, exc)
        return fallback


class ResilientRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return guarded(
            "get", lambda: super(ResilientRedisCache, self).get(key, default, version), default
        )

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return guarded(
            "get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version), {}
        )

    def has_key(self, key: Any, version: Any = None) -> bool:
        return bool(
            guarded(
                "has_key", lambda: super(ResilientRedisCache, self).has_key(key, version), False
            )
        )

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return bool(
            guarded(
                "add",
                lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
                False,
            )
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        guarded(
            "set", lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None
        )

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        return guarded(
            "set_many",
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            list(data),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return bool(
            guarded(
                "touch",
                lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
                False,
            )
        )

    def delete(self, key: Any, version: Any = None) -> bool:
        return bool(
            guarded("delete", lambda: super(ResilientRedisCache, self).delete(key, version), False)
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        guarded(
            "delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version), None
        )

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        return int(
            guarded(
                "incr", lambda: super(ResilientRedisCache, self).incr(key, delta, version), delta
            )
        )

    def clear(self) -> None:
        guarded("clear", lambda: super(ResilientRedisCache, self).clear(), None)
