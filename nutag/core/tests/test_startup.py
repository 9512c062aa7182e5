"""Safe by default: without DJANGO_SETTINGS_MODULE nothing starts on the development settings.

``manage.py``, ``config.wsgi`` (what gunicorn and granian import) and ``config.celery`` refuse
to start, each in a fresh interpreter, and say what to set (see ``config/startup.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ENTRY_POINTS = {
    "manage.py": ["manage.py", "check"],
    "config.wsgi": ["-c", "import config.wsgi"],
    "config.celery": ["-c", "import config.celery"],
}


def run(args: list[str], settings_module: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    if settings_module is not None:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("settings_module", [None, "", "  "])
def test_refuses_to_start_without_a_settings_module(
    entry: str, settings_module: str | None
) -> None:
    result = run(ENTRY_POINTS[entry], settings_module)
    assert result.returncode != 0
    assert "DJANGO_SETTINGS_MODULE=config.settings.prod" in result.stderr
    assert "SECRET_KEY, ALLOWED_HOSTS" in result.stderr
    assert "config.settings.dev for development" in result.stderr
    assert "System check identified" not in result.stdout + result.stderr


def test_manage_py_says_it_plainly() -> None:
    result = run(ENTRY_POINTS["manage.py"], None)
    assert result.returncode == 2
    assert result.stderr.startswith("manage.py: DJANGO_SETTINGS_MODULE is not set")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_starts_when_the_settings_module_is_set(entry: str) -> None:
    result = run(ENTRY_POINTS[entry], "config.settings.test")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", [["runserver", "--help"], ["migrate"], ["load_demo"]])
def test_only_makemigrations_runs_without_a_settings_module(command: list[str]) -> None:
    """A checkout can be checked (do models and migrations agree?) without configuring it;
    nothing that serves or writes a database can."""
    assert run(["manage.py", *command], None).returncode == 2
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], None)
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
