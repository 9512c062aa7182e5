"""``python3 run.py demo`` serves the demo the way production is; ``--dev`` keeps runserver.

The settings (``config/settings/demo.py``) are loaded in fresh interpreters; ``run.py`` is
imported and its commands run with the steps that would install, migrate or serve replaced
by recorders, so nothing is installed or started here.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]

DUMP = """
import json
import django
from django.conf import settings
from django.urls import Resolver404, resolve
from django.views.static import serve
django.setup()
try:
    media_served = resolve("/media/photos/a.jpg").func is serve
except Resolver404:
    media_served = False
print(json.dumps({
    "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "production": settings.NUTAG_IS_PRODUCTION,
    "serve_media": settings.NUTAG_SERVE_MEDIA,
    "media_served": media_served,
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "whitenoise": "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE,
    "use_finders": getattr(settings, "WHITENOISE_USE_FINDERS", False),
}))
"""


def load(settings_module: str, **env: str) -> dict[str, Any]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE=settings_module, PYTHONPATH=str(ROOT))
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", DUMP],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_production_never_serves_media() -> None:
    prod = load("config.settings.prod", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org")
    assert (prod["serve_media"], prod["media_served"], prod["production"]) == (False, False, True)


def test_development_serves_media_only_through_debug() -> None:
    dev = load("config.settings.dev", DEBUG="1")
    assert (dev["debug"], dev["serve_media"], dev["media_served"]) == (True, False, True)


def test_demo_settings_are_production_like_on_plain_http(tmp_path: Path) -> None:
    key_file = tmp_path / "demo-key"
    demo = load("config.settings.demo", NUTAG_DEMO_SECRET_KEY_FILE=str(key_file))
    assert demo["debug"] is False
    assert demo["production"] is False  # load_demo runs here, and still refuses prod
    assert demo["allowed_hosts"] == ["127.0.0.1", "localhost"]
    assert (demo["ssl_redirect"], demo["session_cookie_secure"], demo["csrf_cookie_secure"]) == (
        False,
        False,
        False,
    )
    assert demo["whitenoise"] and not demo["use_finders"]
    assert demo["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert (demo["serve_media"], demo["media_served"]) == (True, True)


def test_demo_secret_key_is_made_once_and_kept(tmp_path: Path) -> None:
    key_file = tmp_path / "demo-key"
    first = load("config.settings.demo", NUTAG_DEMO_SECRET_KEY_FILE=str(key_file))["secret_key"]
    assert len(first) >= 50
    assert "insecure" not in first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = load("config.settings.demo", NUTAG_DEMO_SECRET_KEY_FILE=str(key_file))["secret_key"]
    assert second == first
    other = load("config.settings.demo", NUTAG_DEMO_SECRET_KEY_FILE=str(tmp_path / "other"))
    assert other["secret_key"] != first


def test_the_key_file_is_not_committed() -> None:
    assert "/.demo-secret-key" in (ROOT / ".gitignore").read_text().splitlines()


# --- run.py ---------------------------------------------------------------------------------


@pytest.fixture
def run_py(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, list[Any]]:
    """``run.py`` with its installing, running and serving steps recorded, not done."""
    spec = importlib.util.spec_from_file_location("nutag_run_py", ROOT / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls: list[Any] = []
    monkeypatch.setattr(module, "ensure_environment", lambda: Path("/venv/bin/python"))

    def run(command: list[str], *, env: dict[str, str] | None = None, check: bool = True) -> int:
        calls.append(("run", command, (env or {}).get("DJANGO_SETTINGS_MODULE")))
        return 0

    def serve(command: list[str], settings: str) -> int:
        calls.append(("serve", command, settings))
        return 0

    monkeypatch.setattr(module, "run", run)
    monkeypatch.setattr(module, "serve", serve)
    monkeypatch.setattr(module, "say", lambda message: None)
    return module, calls


def test_run_demo_dev_keeps_runserver_with_the_development_settings(
    run_py: tuple[ModuleType, list[Any]],
) -> None:
    module, calls = run_py
    module.command_demo(argparse.Namespace(port=8001, dev=True))
    *steps, (kind, command, settings) = calls
    assert [(s[1][2:4], s[2]) for s in steps] == [
        (["migrate", "--no-input"], "config.settings.dev"),
        (["load_demo"], "config.settings.dev"),
    ]
    assert (kind, command[1:], settings) == (
        "serve",
        ["manage.py", "runserver", "127.0.0.1:8001"],
        "config.settings.dev",
    )


def test_run_demo_serves_like_production(run_py: tuple[ModuleType, list[Any]]) -> None:
    module, calls = run_py
    module.command_demo(argparse.Namespace(port=8000, dev=False))
    *steps, (kind, command, settings) = calls
    assert [(s[1][2], s[2]) for s in steps] == [
        ("migrate", "config.settings.demo"),
        ("load_demo", "config.settings.demo"),
        ("collectstatic", "config.settings.demo"),
    ]
    assert (kind, settings) == ("serve", "config.settings.demo")
    assert command[1:3] == ["-m", "granian"]
    flags = [a for a in command[3:-1] if a == "--respawn-failed-workers"]
    assert flags == ["--respawn-failed-workers"]  # a crashed worker is replaced (bench/faults)
    rest = [a for a in command[3:-1] if a not in flags]
    options = dict(zip(rest[0::2], rest[1::2], strict=True))
    assert options["--interface"] == "wsgi"
    assert options["--host"] == "127.0.0.1"
    assert options["--port"] == "8000"
    assert options["--workers"] == "2"  # they share the cache generations
    assert command[-1] == "config.wsgi:application"


def test_run_py_names_the_settings_for_every_manage_call(
    run_py: tuple[ModuleType, list[Any]],
) -> None:
    module, calls = run_py
    module.command_lint(argparse.Namespace())
    module.command_demo(argparse.Namespace(port=8000, dev=False))
    module.command_demo(argparse.Namespace(port=8000, dev=True))
    django = [(c[1], c[2]) for c in calls if "manage.py" in c[1] or "granian" in c[1]]
    assert len(django) == 2 + 4 + 3
    assert [command for command, settings in django if not settings] == []
