"""Generation numbers that every worker process sees: the purge mechanism of every cache.

A cached thing (a public page, a dashboard, a stats answer) is stored under a key that
includes one or more *generation numbers*; purging it is bumping a generation, never
deleting keys, so old entries become unreachable and expire on their own. This only works
if **every worker reads the same generations**: a publish handled by one worker must change
what every other worker's next request reads (issue 17: with per-process local memory, up
to 9 of 20 requests still showed a withdrawn article).

Two stores, chosen by ``settings.NUTAG_GENERATIONS_FILE``:

- **A shared file** (the embedded default, no Redis): a small memory-mapped file of 64-bit
  counters next to the database. A name is hashed to one of ``SLOTS`` slots; reading is a
  read from shared memory (no system call, so a warm page costs nothing extra), bumping
  takes an ``flock`` on the file, adds one and writes back. Every process on the machine
  maps the same file, so a bump is seen by every worker's next read. Two names that share
  a slot only purge each other (harmless). The file starts with a random *epoch*, part of
  every value read, so a file made again (deleted, or on a new machine) never revives the
  entries keyed by the old one.
- **The default cache** (``NUTAG_GENERATIONS_FILE`` empty, the scale mode where the cache is
  Redis and shared anyway): ``INCR`` on a key; a generation that was evicted restarts from
  the clock in milliseconds, so it never comes back to an old value.

``read(names)`` and ``bump(names)`` are all callers use. ``bump_now_and_on_commit`` bumps
at once (the writer sees the change, and tests, whose transaction never commits) and again on
commit (a page rendered from the old data by a concurrent request in between is dropped).
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import secrets
import struct
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

SLOTS = 1 << 16
_HEADER = 8  # the epoch
_SIZE = _HEADER + 8 * SLOTS
_U64 = struct.Struct("<Q")


def _slot(name: str) -> int:
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return _HEADER + 8 * (int.from_bytes(digest, "little") % SLOTS)


class FileGenerations:
    """Counters in a memory-mapped file shared by every process of the machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = -1
        self._map: mmap.mmap | None = None
        self._epoch = 0
        self._lock = threading.Lock()

    def _create(self) -> None:
        """Write a complete file under a temporary name and link it into place, so no
        process ever maps a half-written one; whoever links first wins."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        with open(tmp, "wb") as out:
            out.write(_U64.pack(secrets.randbits(63) | 1))
            out.truncate(_SIZE)
        try:
            os.link(tmp, self.path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()

    def _mapped(self) -> mmap.mmap:
        if self._map is not None:
            return self._map
        with self._lock:
            if self._map is None:
                if not self.path.exists():
                    self._create()
                fd = os.open(self.path, os.O_RDWR)
                self._map = mmap.mmap(fd, _SIZE, mmap.MAP_SHARED)
                self._fd = fd
                self._epoch = _U64.unpack_from(self._map, 0)[0]
        return self._map

    def _value(self, data: mmap.mmap, offset: int) -> int:
        # An aligned 8-byte read is not torn on the machines we run on; reading until two
        # reads agree guards against it anyway.
        first = _U64.unpack_from(data, offset)[0]
        while True:
            second = _U64.unpack_from(data, offset)[0]
            if second == first:
                return first
            first = second

    def read(self, names: list[str]) -> list[int]:
        data = self._mapped()
        epoch = self._epoch
        return [epoch * SLOTS + self._value(data, _slot(name)) for name in names]

    def bump(self, names: Iterable[str]) -> None:
        data = self._mapped()
        offsets = sorted({_slot(name) for name in names})
        if not offsets:
            return
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            for offset in offsets:
                _U64.pack_into(data, offset, _U64.unpack_from(data, offset)[0] + 1)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)


class CacheGenerations:
    """Counters in the default cache (Redis at scale: shared by every worker)."""

    prefix = "gen:"

    @staticmethod
    def _fresh() -> int:
        return time.time_ns() // 1_000_000

    def read(self, names: list[str]) -> list[int]:
        cache = caches["default"]
        keys = [self.prefix + n for n in names]
        found = cache.get_many(keys)
        values = []
        for key in keys:
            value = found.get(key)
            if value is None:
                cache.add(key, self._fresh(), timeout=None)
                value = cache.get(key, 0)
            values.append(int(value))
        return values

    def bump(self, names: Iterable[str]) -> None:
        cache = caches["default"]
        for name in set(names):
            key = self.prefix + name
            try:
                cache.incr(key)
            except ValueError:  # not there (never read, or evicted): any fresh value purges
                if not cache.add(key, self._fresh(), timeout=None):
                    cache.incr(key)


_store: FileGenerations | CacheGenerations | None = None
_store_setting: str | None = None


def store() -> FileGenerations | CacheGenerations:
    """The store the settings name (made once per process, again if the setting changes)."""
    global _store, _store_setting
    where = str(getattr(settings, "NUTAG_GENERATIONS_FILE", "") or "")
    if _store is None or where != _store_setting:
        _store = FileGenerations(Path(where)) if where else CacheGenerations()
        _store_setting = where
    return _store


def read(names: list[str]) -> list[int]:
    """The current generation of each name, in order."""
    return store().read(names)


def bump(names: Iterable[str]) -> None:
    """Bump these generations now (every worker sees it on its next read)."""
    store().bump(names)


def bump_now_and_on_commit(names: Iterable[str]) -> None:
    """Bump now, and again when the current transaction commits (see the docstring)."""
    names = set(names)
    if not names:
        return
    bump(names)
    transaction.on_commit(lambda: bump(names))


def preload() -> None:
    """Map the file at worker start, so the first request does not pay for it."""
    store().read(["_preload"])
