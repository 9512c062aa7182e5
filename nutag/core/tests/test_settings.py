"""The run mode is chosen by environment variables alone.

Settings are read once per process, so each case loads them in a fresh interpreter with the
environment under test, and prints what it found as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
# Variables that pick the run mode; removed unless a case sets them.
MODE_VARIABLES = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME")
PROD_SECRET = "x" * 10 + uuid.uuid4().hex * 2
DUMP_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "database": settings.DATABASES["default"],
    "cache": settings.CACHES["default"],
    "storages": settings.STORAGES,
    "debug": settings.DEBUG,
}, default=str))
"""


def run_python(code: str, *, settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in MODE_VARIABLES}
    environment.update(env, DJANGO_SETTINGS_MODULE=settings_module, PYTHONPATH=str(ROOT))
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_settings(settings_module: str = "config.settings.prod", **env: str) -> dict[str, Any]:
    if settings_module == "config.settings.prod":
        env.setdefault("SECRET_KEY", PROD_SECRET)
    result = run_python(DUMP_SETTINGS, settings_module=settings_module, **env)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_production_refuses_to_start_without_secret_key() -> None:
    result = run_python("import django; django.setup()", settings_module="config.settings.prod")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY in the environment for production." in result.stderr


def test_production_refuses_an_empty_secret_key() -> None:
    result = run_python(
        "import django; django.setup()", settings_module="config.settings.prod", SECRET_KEY="  "
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment for production." in result.stderr


def test_production_loads_with_a_secret_key_and_never_debugs() -> None:
    loaded = load_settings(DEBUG="1")
    assert loaded["debug"] is False


@pytest.mark.parametrize("settings_module", ["config.settings.dev", "config.settings.prod"])
def test_default_mode_is_sqlite_and_local_memory(settings_module: str) -> None:
    loaded = load_settings(settings_module)
    assert loaded["database"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["storages"]["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )


def test_database_url_selects_postgresql() -> None:
    loaded = load_settings(DATABASE_URL="postgres://nutag:s3cret@db.internal:6432/nutag_prod")
    database = loaded["database"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "nutag_prod"
    assert database["HOST"] == "db.internal"
    assert int(database["PORT"]) == 6432
    assert database["USER"] == "nutag"
    assert database["PASSWORD"] == "s3cret"


def test_sqlite_keeps_a_connection_unless_told_and_postgresql_does_not() -> None:
    """Opening a SQLite connection runs the WAL pragmas and closing the last one checkpoints:
    per request that cost more than a rendered page (issue 17, session 9)."""
    assert load_settings(DATABASE_CONN_MAX_AGE="")["database"]["CONN_MAX_AGE"] == 60
    assert load_settings(DATABASE_CONN_MAX_AGE="0")["database"]["CONN_MAX_AGE"] == 0
    assert load_settings(DATABASE_CONN_MAX_AGE="5")["database"]["CONN_MAX_AGE"] == 5
    postgres = "postgres://nutag:s3cret@db.internal:6432/nutag_prod"
    loaded = load_settings(DATABASE_URL=postgres, DATABASE_CONN_MAX_AGE="")
    assert loaded["database"]["CONN_MAX_AGE"] == 0
    loaded = load_settings(DATABASE_URL=postgres, DATABASE_CONN_MAX_AGE="60")
    assert loaded["database"]["CONN_MAX_AGE"] == 60
    assert loaded["database"]["CONN_HEALTH_CHECKS"] is True


def test_redis_url_selects_the_redis_cache() -> None:
    loaded = load_settings(REDIS_URL="redis://cache.internal:6380/2")
    cache = loaded["cache"]
    # Django's Redis cache, made to bypass a stopped Redis (nutag/core/cache.py)
    assert cache["BACKEND"] == "nutag.core.cache.ResilientRedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6380/2"
    assert cache["OPTIONS"]["socket_timeout"] > 0


def test_bucket_name_selects_s3_media_storage() -> None:
    loaded = load_settings(
        AWS_STORAGE_BUCKET_NAME="nutag-media", AWS_S3_ENDPOINT_URL="https://s3.example.org"
    )
    default = loaded["storages"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "nutag-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert default["OPTIONS"]["querystring_auth"] is True


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_cache_round_trips_through_redis() -> None:
    import redis
    from django.core.cache import cache, caches
    from django.core.cache.backends.redis import RedisCache

    assert settings.CACHES["default"]["BACKEND"] == "nutag.core.cache.ResilientRedisCache"
    assert isinstance(caches["default"], RedisCache)
    key = f"settings-test-{uuid.uuid4().hex}"
    value = {"unit": "150725", "name": "陈巴尔虎旗"}
    cache.set(key, value, timeout=60)
    try:
        assert cache.get(key) == value
        # The value really sits in Redis, under the project's key prefix.
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        assert client.exists(cache.make_key(key)) == 1
    finally:
        cache.delete(key)
    assert cache.get(key) is None
