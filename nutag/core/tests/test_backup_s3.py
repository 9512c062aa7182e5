"""Backups with the media files on S3 (``AWS_STORAGE_BUCKET_NAME``, django-storages).

Each step runs ``manage.py backup`` / ``restore`` in a process of its own, under moto's
in-process S3 (no network): the backup process fills a bucket and backs it up; the restore
process starts from an empty database and an empty bucket, restores the archive (the
command verifies every table and every media file's checksum against the manifest), then
lists what the bucket holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

pytest.importorskip("moto")
pytest.importorskip("storages")

ROOT = Path(__file__).resolve().parents[3]

FILES = {
    "pictures/草原.webp": b"RIFF\x00\x00\x00\x00WEBPpicture",
    "attachments/2026/通知.pdf": b"%PDF-1.4 notice",
    "audio/读.mp3": b"ID3" + bytes(range(256)) * 40,
}

STEP = r"""
import json, sys
from moto import mock_aws

with mock_aws():
    import boto3

    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="nutag-media")
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from django.core.files.storage import storages
    from storages.backends.s3 import S3Storage

    assert isinstance(storages["default"], S3Storage)
    if sys.argv[1] == "backup":
        call_command("migrate", "--no-input", verbosity=0)
        for name, data in json.loads(sys.argv[3]).items():
            default_storage.save(name, ContentFile(data.encode("latin-1")))
        call_command("backup", "--output", sys.argv[2])
    else:
        call_command("restore", sys.argv[2])
        objects = boto3.client("s3", region_name="us-east-1").list_objects_v2(
            Bucket="nutag-media"
        )
        found = {}
        for item in objects.get("Contents", []):
            with default_storage.open(item["Key"], "rb") as fh:
                found[item["Key"]] = fh.read().decode("latin-1")
        print(json.dumps(found))
"""


def _env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{db}",
        NUTAG_TASK_MODE="inline",
        AWS_STORAGE_BUCKET_NAME="nutag-media",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",  # moto's fake key
        AWS_SESSION_TOKEN="testing",
    )
    env.pop("AWS_S3_ENDPOINT_URL", None)
    return env


def _step(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", STEP, *args],
        cwd=ROOT, env=_env(db), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_media_on_s3_is_backed_up_and_restored_into_an_empty_bucket(tmp_path: Path) -> None:
    files = {name: data.decode("latin-1") for name, data in FILES.items()}
    made = _step("backup", str(tmp_path / "backups"), json.dumps(files), db=tmp_path / "a.db")
    assert made.returncode == 0, made.stderr
    [archive] = list((tmp_path / "backups").glob("nutag-backup-*.tar.gz"))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        assert tar.extractfile("media/pictures/草原.webp").read() == FILES["pictures/草原.webp"]  # type: ignore[union-attr]
    assert set(manifest["media"]) == set(FILES)

    restored = _step("restore", str(archive), db=tmp_path / "b.db")  # an empty database
    assert restored.returncode == 0, restored.stderr
    assert "Restored and verified" in restored.stdout
    in_bucket = json.loads(restored.stdout.strip().splitlines()[-1])
    assert {name: data.encode("latin-1") for name, data in in_bucket.items()} == FILES
