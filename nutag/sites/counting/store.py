"""Where pending counts are kept: this process's memory, or Redis shared by every process."""

from __future__ import annotations

import fcntl
import os
import re
import threading
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from nutag.core.cache import guarded
from nutag.sites.counting.base import _CHUNK, Target

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


class FileStore(LocalStore):
    """A file every process of this machine appends to: the embedded default.

    The "seen today" keys stay in this process's memory (as ``LocalStore``); the pending
    counts go to one file (``NUTAG_READS_BUFFER``), one line ``a123 1`` per counted read,
    so that any process can flush them all and a worker that stops — gracefully or not —
    loses nothing: its reads wait in the file for the next flush by any process, the
    periodic job or ``manage.py flush_reads``.

    Appends and takes cannot lose a line: a writer holds a shared ``flock`` on the file while
    it appends and first checks that the file it opened is still the one at the path; a
    flush takes an exclusive lock, renames the file aside, releases the lock, then reads it.
    A writer that opened the old file before the rename sees another inode and opens anew.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        super().__init__()
        self._path = Path(path) if path is not None else None

    @property
    def path(self) -> Path:
        return self._path or Path(settings.NUTAG_READS_BUFFER)

    def add(self, counts: Mapping[Target, int]) -> None:
        data = "".join(f"{t[0]}{t[1]} {n}\n" for t, n in counts.items() if n).encode()
        if not data:
            return
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_SH)
                try:
                    current = os.stat(path).st_ino
                except FileNotFoundError:
                    current = -1
                if os.fstat(fd).st_ino != current:
                    continue  # renamed aside by a flush meanwhile: append to the new file
                os.write(fd, data)
                return
            finally:
                os.close(fd)  # closing releases the lock

    @staticmethod
    def _parse(data: bytes) -> dict[Target, int]:
        counts: dict[Target, int] = {}
        for line in data.decode("ascii", "replace").splitlines():
            name, _, n = line.partition(" ")
            try:
                target = _parse_target(name)
                value = int(n)
            except (ValueError, IndexError):
                continue  # a torn last line of a crashed writer
            counts[target] = counts.get(target, 0) + value
        return counts

    def pending(self, targets: Iterable[Target]) -> dict[Target, int]:
        """The pending counts of ``targets`` (a page asks for one or two): their lines found
        in the file, not every line parsed (a page render asks; the file holds up to a flush's
        worth of lines of every process)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            data = b""
        return {t: self._pending_of(data, t) for t in targets}

    @staticmethod
    def _pending_of(data: bytes, target: Target) -> int:
        """The sum of ``target``'s whole lines in ``data`` (as ``_parse`` adds them up; a
        torn last line of a crashed writer counts only if it is one of ``target``'s whole)."""
        line = re.compile(rb"^%s%d (\d+)$" % (target[0].encode("ascii"), target[1]), re.M)
        return sum(int(n) for n in line.findall(data))

    def take(self) -> dict[Target, int]:
        path = self.path
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return {}
        aside = path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.taking")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_ino != os.stat(path).st_ino:
                return {}  # another flush took it first
            os.rename(path, aside)
        except FileNotFoundError:
            return {}
        finally:
            os.close(fd)
        try:
            return {t: n for t, n in self._parse(aside.read_bytes()).items() if n}
        finally:
            aside.unlink(missing_ok=True)

    def clear(self) -> None:
        super().clear()
        self.path.unlink(missing_ok=True)


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
        # Redis stopped: these reads go uncounted (issue 20, nutag/core/cache.py)
        guarded("read counts", lambda: self._add(counts), None)

    def _add(self, counts: Mapping[Target, int]) -> None:
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
        # Redis stopped: the stored counts alone are shown
        values = guarded(
            "read counts",
            lambda: self._client().mget([self._counter(t) for t in targets]),
            [None] * len(targets),
        )
        return {t: int(v or 0) for t, v in zip(targets, values, strict=True)}

    def take(self) -> dict[Target, int]:
        return guarded("read counts", self._take, {})  # Redis stopped: nothing to flush

    def _take(self) -> dict[Target, int]:
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


_LOCAL = FileStore()


def get_store() -> ReadStore:
    """Redis when the default cache is Redis, else the file shared by this machine's
    processes (``FileStore``)."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        return RedisStore(cache)
    return _LOCAL
