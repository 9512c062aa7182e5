"""Backups and restores as one command each (``manage.py backup`` / ``restore``).

One dated archive, ``nutag-backup-YYYYMMDD-HHMMSS.tar.gz``, holds:

- ``database/db.sqlite3`` — SQLite, copied with SQLite's online backup API (a consistent
  copy while the site keeps writing), or ``database/db.dump`` — PostgreSQL, ``pg_dump -Fc``
  run on a snapshot exported by the transaction that also counts the rows (so the counts
  and the dump see the same instant, however many writes happen meanwhile);
- ``media/…`` — every stored file, read through Django's storage (a local folder or S3);
- ``private/…`` — every file of the private folder ``NUTAG_PRIVATE_ROOT`` (pictures that the
  web server must never serve, e.g. youth visit photos), read through a file storage;
- ``manifest.json`` — when, which engine, and per table its row count and a SHA-256 over
  its rows in primary-key order; per media file (and private file) its size and SHA-256.

``restore`` refuses a target database that holds data (any row outside Django's own
bookkeeping tables) unless ``--force``; loads the database (SQLite: the backup API again;
PostgreSQL: ``pg_restore --clean --if-exists --no-owner``), puts the media files back, then
recounts every table and file against the manifest and fails on any difference.

Core knows no app: tables come from the database's own catalogue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connections

FORMAT = 1
# Tables a freshly migrated, empty database already fills: they do not make it "non-empty".
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "django_site"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class Manifest:
    created_at: str
    engine: str
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    media: dict[str, dict[str, Any]] = field(default_factory=dict)
    private: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> bytes:
        data = {"format": FORMAT, **self.__dict__}
        return json.dumps(data, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {data.get('format')!r}")
        return cls(
            created_at=data["created_at"],
            engine=data["engine"],
            tables=data["tables"],
            media=data["media"],
            private=data.get("private", {}),  # archives made before the private folder
        )


# --------------------------------------------------------------------------- table checksums


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _digest_rows(rows: Iterator[tuple[Any, ...]]) -> tuple[int, str]:
    h = hashlib.sha256()
    count = 0
    for row in rows:
        h.update(json.dumps(list(row), default=_plain, ensure_ascii=False).encode())
        h.update(b"\n")
        count += 1
    return count, h.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    return str(value)


def sqlite_tables(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Row count and checksum of every table of a SQLite database (one connection)."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    out = {}
    for name in names:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({_quote(name)})")]
        order = ", ".join(_quote(c) for c in cols)
        rows = conn.execute(f"SELECT * FROM {_quote(name)} ORDER BY {order}")  # noqa: S608
        count, digest = _digest_rows(iter(rows))
        out[name] = {"rows": count, "sha256": digest}
    return out


def postgres_tables(cursor: Any) -> dict[str, dict[str, Any]]:
    """Row count and checksum of every table of the current schema (in the caller's snapshot)."""
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    names = [r[0] for r in cursor.fetchall()]
    out = {}
    for name in names:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = %s ORDER BY ordinal_position",
            [name],
        )
        cols = [r[0] for r in cursor.fetchall()]
        order = ", ".join(f"{_quote(c)}::text" for c in cols)
        cursor.execute(f"SELECT * FROM {_quote(name)} ORDER BY {order}")  # noqa: S608
        count, digest = _digest_rows(iter(cursor.fetchall()))
        out[name] = {"rows": count, "sha256": digest}
    return out


def current_tables(alias: str = "default") -> dict[str, dict[str, Any]]:
    """Row counts and checksums of the live database, read in one consistent snapshot."""
    connection = connections[alias]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        path = connection.settings_dict["NAME"]
        with sqlite3.connect(str(path)) as conn:
            conn.execute("BEGIN")
            return sqlite_tables(conn)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                return postgres_tables(cursor)
            finally:
                cursor.execute("COMMIT")
    raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")


# --------------------------------------------------------------------------- media


def private_storage() -> Storage | None:
    """The private folder (``NUTAG_PRIVATE_ROOT``) as a storage, or None when unset."""
    root = getattr(settings, "NUTAG_PRIVATE_ROOT", None)
    return FileSystemStorage(location=str(root), base_url=None) if root else None


def _stores() -> list[tuple[str, Storage]]:
    """(archive folder, storage) for every place files are kept."""
    stores: list[tuple[str, Storage]] = [("media", default_storage)]
    private = private_storage()
    if private is not None:
        stores.append(("private", private))
    return stores


def _entries(manifest: Manifest, folder: str) -> dict[str, dict[str, Any]]:
    return manifest.media if folder == "media" else manifest.private


def _media_names(directory: str = "", storage: Storage = default_storage) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(dirs):
        yield from _media_names(f"{directory}/{sub}" if directory else sub, storage)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


# --------------------------------------------------------------------------- backup


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD")):  # fmt: skip
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def backup(*, directory: Path, alias: str = "default", now: dt.datetime | None = None) -> Path:
    """Write one archive into ``directory`` and return its path."""
    moment = now or dt.datetime.now(dt.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"nutag-backup-{moment:%Y%m%d-%H%M%S}.tar.gz"
    connection = connections[alias]
    connection.ensure_connection()
    manifest = Manifest(created_at=moment.isoformat(), engine=connection.vendor)
    with tempfile.TemporaryDirectory(prefix="nutag-backup-") as tmp:
        work = Path(tmp)
        if connection.vendor == "sqlite":
            db_file = work / "db.sqlite3"
            with (
                sqlite3.connect(str(connection.settings_dict["NAME"])) as src,
                sqlite3.connect(str(db_file)) as dst,
            ):
                src.backup(dst)  # the online backup API: a consistent copy
            with sqlite3.connect(str(db_file)) as copy:
                manifest.tables = sqlite_tables(copy)  # counted in the copy itself
            db_member = "database/db.sqlite3"
        elif connection.vendor == "postgresql":
            db_file = work / "db.dump"
            with connection.cursor() as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                try:
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
                    manifest.tables = postgres_tables(cursor)
                    s = connection.settings_dict
                    subprocess.run(  # noqa: S603
                        ["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(db_file),  # noqa: S607
                         s["NAME"]],
                        env=_pg_env(s), check=True, capture_output=True,
                    )  # fmt: skip
                finally:
                    cursor.execute("COMMIT")
            db_member = "database/db.dump"
        else:
            raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(db_file, db_member)
            for folder, storage in _stores():
                entries = _entries(manifest, folder)
                for name in _media_names(storage=storage):
                    with storage.open(name, "rb") as fh:
                        data = fh.read()
                    entries[name] = {
                        "bytes": len(data),
                        "sha256": hashlib.sha256(data).hexdigest(),
                    }
                    _add_bytes(archive, f"{folder}/{name}", data)
            _add_bytes(archive, "manifest.json", manifest.as_json())
        partial.rename(target)  # a half-written archive never carries the final name
    return target


# --------------------------------------------------------------------------- restore


def has_data(alias: str = "default") -> bool:
    """True when any table outside Django's bookkeeping holds a row."""
    tables = current_tables(alias) if _database_exists(alias) else {}
    return any(v["rows"] for k, v in tables.items() if k not in BOOKKEEPING)


def _database_exists(alias: str) -> bool:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        return name.startswith("file:") or Path(name).exists()
    return True


def _read_archive(path: Path) -> tuple[Manifest, tarfile.TarFile]:
    archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed by the caller)
    member = archive.extractfile("manifest.json")
    if member is None:
        raise BackupError("the archive has no manifest.json")
    return Manifest.from_json(member.read()), archive


def restore(*, archive_path: Path, alias: str = "default", force: bool = False) -> Manifest:
    """Load an archive into the database and storage, then verify both against its manifest."""
    connection = connections[alias]
    manifest, archive = _read_archive(archive_path)
    with archive:
        if manifest.engine != connection.vendor:
            raise BackupError(
                f"the backup is of a {manifest.engine} database; this one is {connection.vendor}"
            )
        if not force and has_data(alias):
            raise BackupError(
                "the target database holds data: restore into an empty database, or pass "
                "--force to replace everything in it"
            )
        with tempfile.TemporaryDirectory(prefix="nutag-restore-") as tmp:
            work = Path(tmp)
            names = archive.getnames()
            db_member = (
                "database/db.sqlite3" if connection.vendor == "sqlite" else "database/db.dump"
            )
            if db_member not in names:
                raise BackupError(f"the archive has no {db_member}")
            archive.extract(db_member, work, filter="data")
            db_file = work / db_member
            connection.close()
            if connection.vendor == "sqlite":
                target = str(connection.settings_dict["NAME"])
                with sqlite3.connect(str(db_file)) as src, sqlite3.connect(target) as dst:
                    src.backup(dst)
            else:
                s = connection.settings_dict
                subprocess.run(  # noqa: S603
                    ["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", s["NAME"],  # noqa: S607
                     str(db_file)],
                    env=_pg_env(s), check=True, capture_output=True,
                )  # fmt: skip
        for folder, storage in _stores():
            for name in sorted(_entries(manifest, folder)):
                member = archive.extractfile(f"{folder}/{name}")
                if member is None:
                    raise BackupError(f"the archive lacks the {folder} file {name}")
                data = member.read()
                if storage.exists(name):
                    storage.delete(name)
                storage.save(name, ContentFile(data))
        if manifest.private and private_storage() is None:
            raise BackupError("the archive holds private files but NUTAG_PRIVATE_ROOT is unset")
    problems = verify(manifest, alias=alias)
    if problems:
        raise BackupError("the restore does not match the manifest:\n" + "\n".join(problems))
    return manifest


def verify(manifest: Manifest, *, alias: str = "default") -> list[str]:
    """Differences between the live database and storage and a manifest (empty: none)."""
    problems = []
    tables = current_tables(alias)
    for name, want in sorted(manifest.tables.items()):
        got = tables.get(name)
        if got is None:
            problems.append(f"table {name}: missing")
        elif got != want:
            same_count = got["rows"] == want["rows"]
            problems.append(
                f"table {name}: {got['rows']} rows, expected {want['rows']}"
                + (" (contents differ)" if same_count else "")
            )
    for name in sorted(set(tables) - set(manifest.tables)):
        problems.append(f"table {name}: not in the backup")
    for folder, storage in _stores():
        for name, want in sorted(_entries(manifest, folder).items()):
            try:
                with storage.open(name, "rb") as fh:
                    data = fh.read()
            except FileNotFoundError:
                problems.append(f"{folder} {name}: missing")
                continue
            if hashlib.sha256(data).hexdigest() != want["sha256"]:
                problems.append(f"{folder} {name}: contents differ")
    return problems


def prune(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives in ``directory``; the deleted paths."""
    archives = sorted(directory.glob("nutag-backup-*.tar.gz"))
    old = archives[: max(0, len(archives) - keep)]
    for path in old:
        path.unlink()
    return old
