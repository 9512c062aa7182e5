"""Backups and restores (``manage.py backup`` / ``restore``, ``nutag/core/backup.py``).

The SQLite case runs real processes on a database file of its own: a writer adds logins
without pause while ``manage.py backup`` runs; the archive is restored into an empty
database (a new file) and every table of the restore is compared with the copy inside the
archive and with the manifest. The PostgreSQL case runs in CI's PostgreSQL pass only.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from nutag.core import backup

ROOT = Path(__file__).resolve().parents[3]

WRITER = r"""
import sys, time
from pathlib import Path
import django
django.setup()
from django.contrib.auth.models import User
stop = Path(sys.argv[1])
n = 0
while not stop.exists():
    User.objects.create(username=f"writer-{n}")
    n += 1
    if n == 1:
        print("writing", flush=True)
print(n, flush=True)
"""


def _env(db: Path, media: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{db}",
        MEDIA_ROOT=str(media),
        NUTAG_PRIVATE_ROOT=str(media.parent / f"{media.name}-private"),
        NUTAG_TASK_MODE="inline",
    )
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _tables(path: Path) -> dict[str, dict[str, object]]:
    with sqlite3.connect(path) as conn:
        return backup.sqlite_tables(conn)


def test_sqlite_backup_during_writes_restores_into_an_empty_database(tmp_path: Path) -> None:
    source_db, source_media = tmp_path / "source.sqlite3", tmp_path / "media"
    env = _env(source_db, source_media)
    migrated = _manage("migrate", "--no-input", "-v0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    (source_media / "pictures").mkdir(parents=True)
    (source_media / "pictures" / "草原.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPpicture")
    (source_media / "attachments").mkdir()
    (source_media / "attachments" / "通知.pdf").write_bytes(b"%PDF-1.4 notice")
    # the private folder (youth visit photos: never served by the web server) is kept too
    (tmp_path / "media-private" / "visits").mkdir(parents=True)
    (tmp_path / "media-private" / "visits" / "v.jpg").write_bytes(b"\xff\xd8private")

    stop = tmp_path / "stop"
    writer = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", WRITER, str(stop)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing", writer.stderr.read()  # type: ignore[union-attr]
        made = _manage("backup", "--output", str(tmp_path / "backups"), env=env)
    finally:
        stop.touch()
        written = int(writer.communicate(timeout=60)[0].split()[-1])
    assert made.returncode == 0, made.stderr
    [archive] = list((tmp_path / "backups").glob("nutag-backup-*.tar.gz"))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        tar.extract("database/db.sqlite3", tmp_path / "unpacked", filter="data")
    in_archive = _tables(tmp_path / "unpacked" / "database" / "db.sqlite3")
    assert manifest["tables"] == in_archive
    users = manifest["tables"]["auth_user"]["rows"]
    assert 1 <= users <= written  # a consistent moment during the writes
    assert set(manifest["media"]) == {"pictures/草原.webp", "attachments/通知.pdf"}
    assert set(manifest["private"]) == {"visits/v.jpg"}

    # restore into an empty database (a file that does not exist yet) and other media
    target_db, target_media = tmp_path / "restored.sqlite3", tmp_path / "restored-media"
    target_env = _env(target_db, target_media)
    restored = _manage("restore", str(archive), env=target_env)
    assert restored.returncode == 0, restored.stderr
    assert "Restored and verified" in restored.stdout
    assert _tables(target_db) == in_archive  # every table, row for row
    assert (target_media / "pictures" / "草原.webp").read_bytes().endswith(b"WEBPpicture")
    assert (target_media / "attachments" / "通知.pdf").read_bytes() == b"%PDF-1.4 notice"
    private = tmp_path / "restored-media-private" / "visits" / "v.jpg"
    assert private.read_bytes() == b"\xff\xd8private"
    assert not (target_media / "visits").exists()  # never into the served media

    # a database holding data is refused, unless told
    again = _manage("restore", str(archive), env=env)
    assert again.returncode != 0
    assert "holds data" in again.stderr
    assert _tables(source_db)["auth_user"]["rows"] == written  # untouched
    forced = _manage("restore", str(archive), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert _tables(source_db) == in_archive


def test_verify_names_every_difference(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO t (name) VALUES ('巴特尔'), ('其木格')")
    tables = _tables(db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE t SET name = '某某' WHERE id = 2")
    changed = _tables(db)
    assert changed["t"]["rows"] == tables["t"]["rows"]
    assert changed["t"]["sha256"] != tables["t"]["sha256"]  # same count, other contents


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    for stamp in ("20261201-010000", "20261202-010000", "20261203-010000"):
        (tmp_path / f"nutag-backup-{stamp}.tar.gz").write_bytes(b"x")
    deleted = backup.prune(directory=tmp_path, keep=2)
    assert [p.name for p in deleted] == ["nutag-backup-20261201-010000.tar.gz"]
    assert len(list(tmp_path.iterdir())) == 2


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_and_restore(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI's PostgreSQL pass)")
    from django.contrib.auth.models import User

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NUTAG_PRIVATE_ROOT = tmp_path / "private"
    User.objects.create(username="before-backup")
    archive = backup.backup(directory=tmp_path / "backups")
    User.objects.create(username="after-backup")
    with pytest.raises(backup.BackupError, match="holds data"):
        backup.restore(archive_path=archive)
    manifest = backup.restore(archive_path=archive, force=True)
    assert not User.objects.filter(username="after-backup").exists()
    assert User.objects.filter(username="before-backup").exists()
    assert backup.verify(manifest) == []
