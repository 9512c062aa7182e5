"""Where cached pages live: one store for every worker (issue 17, goal 3).

With Redis the default cache is shared by every worker and is used as it is. In the
embedded default (no Redis) the default cache is each worker's own local memory, so a page
rendered again after a publish (``nutag.sites.refresh``) by one process reached only that
process: the other workers rendered it on their next request. So the embedded default puts a
**shared tier** behind the local one: Django's ``FileBasedCache`` in a folder beside the
generations file (``NUTAG_PAGE_CACHE_SHARED``, bounded by ``NUTAG_PAGE_CACHE_SHARED_ENTRIES``
files; each write is a whole file renamed into place, so a reader never sees half a page).

- **Pages** (keys ``pc:…``): read from local memory first (a warm hit costs what it did);
  on a local miss, or when the local copy is stale, from the shared folder, and a page found
  there is copied into local memory for its remaining life. A render writes both.
- **Everything else the page cache keeps** (the recipes of recent pages, the "being rendered
  again" locks): in the shared folder only, so that whichever process takes a change renders
  the pages any worker's readers asked for. The locks are best effort across processes
  (``add`` is not atomic between them): at worst a page is rendered twice.

Keys hold generation numbers (``nutag.core.generations``), so a purge needs no deletion in
either tier: old entries become unreachable, expire and are culled.

The folder is bounded the way Django bounds it (a third of the files deleted at random once
there are ``MAX_ENTRIES``), but ``SharedFolderCache`` counts the files once every
``CULL_CHECK_SHARE`` of the bound's writes in each process, not on every write: Django's
``FileBasedCache`` lists the whole folder before each write: a write took 9.5–9.8 ms at
3,000 files on this machine, more than a render, and takes 0.9–1.3 ms counted so
(``bench/shared_folder.py``). The folder may then hold up to that share more per
worker before it is culled (``tests/test_pagecache.py``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

PAGE_PREFIX = "pc:"
DEFAULT_SHARED_ENTRIES = 3000
CULL_CHECK_SHARE = 20  # count the files once every MAX_ENTRIES / 20 writes of a process


class SharedFolderCache(FileBasedCache):
    """Django's file cache, counting its files once every ``MAX_ENTRIES // CULL_CHECK_SHARE``
    writes of this process instead of before every write (see the module docstring)."""

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self.check_every = max(1, self._max_entries // CULL_CHECK_SHARE)
        self._writes = 0  # in this process; a lost count between threads only shifts a check

    def _cull(self) -> None:
        due = self._writes % self.check_every == 0  # the first write counts too
        self._writes += 1
        if due:
            super()._cull()  # type: ignore[misc]  # private, not in the stubs


class TieredPageCache(BaseCache):
    """Local memory in front of a cache shared by every process (see the module docstring)."""

    def __init__(self, shared: BaseCache, *, grace: int, local_alias: str = "default") -> None:
        super().__init__({})
        self.local_alias = local_alias
        self.shared = shared
        self.grace = grace

    @property
    def local(self) -> BaseCache:
        return caches[self.local_alias]  # this thread's handle on the process's memory

    @staticmethod
    def _is_page(key: str) -> bool:
        return key.startswith(PAGE_PREFIX)

    @staticmethod
    def _fresh(value: Any) -> float | None:
        return value.get("fresh") if isinstance(value, dict) else None

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        if not self._is_page(key):
            return self.shared.get(key, default, version=version)
        found = self.local.get(key, version=version)
        fresh = self._fresh(found)
        if found is not None and (fresh is None or fresh >= time.time()):
            return found
        other = self.shared.get(key, version=version)
        other_fresh = self._fresh(other)
        if other is None or (found is not None and (other_fresh or 0) <= (fresh or 0)):
            return default if found is None else found
        if other_fresh is not None:  # copy it here for the rest of its life
            seconds = int(other_fresh - time.time()) + max(self.grace, 0)
            if seconds > 0:
                self.local.set(key, other, timeout=seconds, version=version)
        return other

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        if self._is_page(key):
            self.local.set(key, value, timeout=timeout, version=version)
        self.shared.set(key, value, timeout=timeout, version=version)

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return bool(self.shared.add(key, value, timeout=timeout, version=version))

    def delete(self, key: str, version: int | None = None) -> bool:
        here = self.local.delete(key, version=version)
        return bool(self.shared.delete(key, version=version) or here)

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return bool(self.shared.touch(key, timeout=timeout, version=version))

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self.get(key, version=version) is not None

    def clear(self) -> None:
        self.local.clear()
        self.shared.clear()


_made: tuple[tuple[str, int, int], BaseCache] | None = None


def shared_folder() -> str:
    """The shared tier's folder ("": none, the default cache alone)."""
    return str(getattr(settings, "NUTAG_PAGE_CACHE_SHARED", "") or "")


def page_cache() -> BaseCache:
    """The page cache: the default cache, with the shared tier behind it when configured
    (made once per process, again if the settings change)."""
    global _made
    folder = shared_folder()
    if not folder:
        return caches["default"]
    entries = int(getattr(settings, "NUTAG_PAGE_CACHE_SHARED_ENTRIES", DEFAULT_SHARED_ENTRIES))
    grace = int(getattr(settings, "NUTAG_PAGE_CACHE_GRACE", 3600))
    wanted = (folder, entries, grace)
    if _made is None or _made[0] != wanted:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shared = SharedFolderCache(folder, {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": entries}})
        _made = (wanted, TieredPageCache(shared, grace=grace))
    return _made[1]
