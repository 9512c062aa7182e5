"""The production settings check refuses each unsafe configuration (nutag/core/checks.py)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from nutag.core.checks import production_problems, refuse_unsafe_production

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = secrets.token_urlsafe(64)
SAFE: dict[str, Any] = {
    "NUTAG_IS_PRODUCTION": True,
    "DEBUG": False,
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": ["nutag.example.org"],
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "NUTAG_TLS_PROXY": False,
}


def problem_ids(**changes: Any) -> set[str]:
    with override_settings(**{**SAFE, **changes}):
        return {problem.id for problem in production_problems() if problem.id}


# --- each refusal ---------------------------------------------------------------------


def test_debug_on_is_refused() -> None:
    assert problem_ids(DEBUG=True) == {"nutag.E001"}


@pytest.mark.parametrize(
    "key",
    [
        "",
        "   ",
        "short-key",
        "dev-only-insecure-key-never-use-in-production",
        "test-only-key",
        "django-insecure-" + "a" * 60,
        "ab" * 40,  # long, but two characters
    ],
)
def test_weak_or_published_secret_key_is_refused(key: str) -> None:
    assert problem_ids(SECRET_KEY=key) == {"nutag.E002"}


@pytest.mark.parametrize("hosts", [[], ["*"], ["nutag.example.org", "*"]])
def test_missing_or_wildcard_allowed_hosts_are_refused(hosts: list[str]) -> None:
    assert problem_ids(ALLOWED_HOSTS=hosts) == {"nutag.E003"}


def test_insecure_session_cookie_is_refused() -> None:
    assert problem_ids(SESSION_COOKIE_SECURE=False) == {"nutag.E004"}


def test_insecure_csrf_cookie_is_refused() -> None:
    assert problem_ids(CSRF_COOKIE_SECURE=False) == {"nutag.E005"}


def test_no_https_redirect_without_a_tls_proxy_is_refused() -> None:
    assert problem_ids(SECURE_SSL_REDIRECT=False) == {"nutag.E006"}


def test_no_hsts_without_a_tls_proxy_is_refused() -> None:
    assert problem_ids(SECURE_HSTS_SECONDS=0) == {"nutag.E007"}


def test_a_declared_tls_proxy_needs_the_forwarded_proto_header() -> None:
    assert problem_ids(NUTAG_TLS_PROXY=True, SECURE_PROXY_SSL_HEADER=None) == {"nutag.E008"}


def test_refusal_lists_every_problem() -> None:
    with (
        override_settings(**{**SAFE, "DEBUG": True, "ALLOWED_HOSTS": []}),
        pytest.raises(ImproperlyConfigured, match=r"nutag\.E001(.|\n)*nutag\.E003"),
    ):
        refuse_unsafe_production()


# --- what passes ----------------------------------------------------------------------


def test_safe_production_configuration_passes() -> None:
    assert problem_ids() == set()
    with override_settings(**SAFE):
        refuse_unsafe_production()  # does not raise


def test_declared_tls_proxy_may_leave_redirect_and_hsts_to_nginx() -> None:
    assert (
        problem_ids(NUTAG_TLS_PROXY=True, SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0) == set()
    )


def test_nothing_is_checked_outside_production() -> None:
    assert (
        problem_ids(NUTAG_IS_PRODUCTION=False, DEBUG=True, SECRET_KEY="x", ALLOWED_HOSTS=[])
        == set()
    )


# --- the real entry points, in a fresh interpreter ------------------------------------


def run_prod(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "DATABASE_REPLICA_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser fixtures; refused by --deploy
        }
        and not k.startswith("SECURE_")
        and k != "NUTAG_TLS_PROXY"
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.prod", PYTHONPATH=str(ROOT))
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_app_server_refuses_to_load_an_unsafe_configuration() -> None:
    result = run_prod(["-c", "import config.wsgi"], SECRET_KEY="short", ALLOWED_HOSTS="a.org")
    assert result.returncode != 0
    assert "refuses to start" in result.stderr
    assert "nutag.E002" in result.stderr


def test_manage_commands_refuse_an_unsafe_configuration() -> None:
    result = run_prod(
        ["manage.py", "check"], SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="", SECURE_SSL_REDIRECT="0"
    )
    assert result.returncode != 0
    assert "nutag.E003" in result.stderr
    assert "nutag.E006" in result.stderr


def test_deploy_check_passes_behind_a_declared_tls_proxy() -> None:
    result = run_prod(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="nutag.example.org",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        NUTAG_TLS_PROXY="1",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("role", ["worker", "beat"])
def test_celery_refuses_an_unsafe_configuration(role: str, tmp_path: Path) -> None:
    # No broker is reached: the refusal comes first (worker_init / beat_init).
    result = run_prod(
        ["-m", "celery", "-A", "config", role, "--loglevel", "WARNING"]
        + (["--schedule", str(tmp_path / "schedule")] if role == "beat" else []),
        SECRET_KEY="short",
        ALLOWED_HOSTS="a.org",
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
    )
    assert result.returncode == 1
    assert "refuses to start" in result.stdout + result.stderr


def test_granian_exits_on_an_unsafe_configuration() -> None:
    result = run_prod(
        ["-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", "0",
         "--workers", "1", "config.wsgi:application"],
        SECRET_KEY="short",
        ALLOWED_HOSTS="a.org",
        NUTAG_PRELOAD="0",
    )  # fmt: skip
    assert result.returncode != 0
    assert "refuses to start" in result.stdout + result.stderr
