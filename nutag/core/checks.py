"""The production settings check: an unsafe production configuration does not start.

``production_safety`` is a Django system check registered by ``CoreConfig.ready()``. It
reports nothing unless the settings are production ones (``NUTAG_IS_PRODUCTION``, set by
``config.settings.prod``); then every problem below is an *error*, so ``manage.py`` commands
(``migrate``, ``check``, ``runserver``) refuse to run, and ``config/wsgi.py`` (what granian
or gunicorn import) and ``config/celery.py`` call ``refuse_unsafe_production()`` and exit:

- ``nutag.E001`` DEBUG is on;
- ``nutag.E002`` SECRET_KEY is empty, short (under 50 characters), too plain (fewer than
  5 different characters), or a key published in this repository (dev, test, examples);
- ``nutag.E003`` ALLOWED_HOSTS is empty or contains ``*``;
- ``nutag.E004`` the session cookie may travel over plain HTTP;
- ``nutag.E005`` the CSRF cookie may travel over plain HTTP;
- ``nutag.E006`` no HTTPS redirect, unless TLS is declared to end at a proxy that redirects
  itself (``NUTAG_TLS_PROXY=1``, with ``SECURE_PROXY_SSL_HEADER`` set);
- ``nutag.E007`` no HSTS, with the same exception (the proxy then sends it: deploy/nginx);
- ``nutag.E008`` ``NUTAG_TLS_PROXY`` is declared but ``SECURE_PROXY_SSL_HEADER`` is not set
  (Django could not tell HTTPS requests from plain ones).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE_CHARACTERS = 5
# Keys written in this repository (settings, docs, deploy templates): never in production.
PUBLISHED_SECRET_KEYS = frozenset(
    {
        "dev-only-insecure-key-never-use-in-production",
        "test-only-key",
        "change-me",
        "CHANGE-ME-50-random-characters",
    }
)
PUBLISHED_KEY_MARKERS = ("insecure", "change-me", "changeme", "django-insecure")

HINT_ENV = "Set it in the environment file (deploy/nutag.env.example, docs/deploy.md)."


def _secret_key_problem(key: str) -> str | None:
    if not key or not key.strip():
        return "SECRET_KEY is empty."
    if key in PUBLISHED_SECRET_KEYS or any(m in key.lower() for m in PUBLISHED_KEY_MARKERS):
        return "SECRET_KEY is a key published with the code."
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters."
    if len(set(key)) < MIN_SECRET_KEY_UNIQUE_CHARACTERS:
        return "SECRET_KEY has too few different characters to be random."
    return None


def production_problems() -> list[checks.CheckMessage]:
    """Every unsafe setting of a production configuration (none outside production)."""
    if not getattr(settings, "NUTAG_IS_PRODUCTION", False):
        return []
    errors: list[checks.CheckMessage] = []
    if settings.DEBUG:
        errors.append(
            checks.Error(
                "DEBUG is on in production: error pages would show settings and code.",
                hint="Use config.settings.prod, which keeps DEBUG off.",
                id="nutag.E001",
            )
        )
    try:
        key = str(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        key = ""
    problem = _secret_key_problem(key)
    if problem:
        errors.append(
            checks.Error(
                problem,
                hint="Make one with: python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(64))'. " + HINT_ENV,
                id="nutag.E002",
            )
        )
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts or "*" in hosts:
        errors.append(
            checks.Error(
                "ALLOWED_HOSTS is empty or contains '*'.",
                hint="List the site's host names, e.g. ALLOWED_HOSTS=nutag.example.org. "
                + HINT_ENV,
                id="nutag.E003",
            )
        )
    if not settings.SESSION_COOKIE_SECURE:
        errors.append(
            checks.Error(
                "SESSION_COOKIE_SECURE is off: logins could travel over plain HTTP.",
                id="nutag.E004",
            )
        )
    if not settings.CSRF_COOKIE_SECURE:
        errors.append(
            checks.Error(
                "CSRF_COOKIE_SECURE is off: the form token could travel over plain HTTP.",
                id="nutag.E005",
            )
        )
    tls_proxy = bool(getattr(settings, "NUTAG_TLS_PROXY", False))
    if tls_proxy and not settings.SECURE_PROXY_SSL_HEADER:
        errors.append(
            checks.Error(
                "NUTAG_TLS_PROXY is on but SECURE_PROXY_SSL_HEADER is not set.",
                hint="Set SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') and "
                "have the proxy set X-Forwarded-Proto.",
                id="nutag.E008",
            )
        )
    if not tls_proxy:
        proxy_hint = (
            "Or, when TLS ends at nginx that redirects to HTTPS and sends HSTS itself "
            "(deploy/nginx/nutag.conf), declare it: NUTAG_TLS_PROXY=1."
        )
        if not settings.SECURE_SSL_REDIRECT:
            errors.append(
                checks.Error(
                    "SECURE_SSL_REDIRECT is off and no TLS proxy is declared: the site "
                    "would answer over plain HTTP.",
                    hint="Set SECURE_SSL_REDIRECT=1. " + proxy_hint,
                    id="nutag.E006",
                )
            )
        if not settings.SECURE_HSTS_SECONDS:
            errors.append(
                checks.Error(
                    "SECURE_HSTS_SECONDS is 0 and no TLS proxy is declared: browsers are "
                    "not told to keep to HTTPS.",
                    hint="Set SECURE_HSTS_SECONDS (e.g. 31536000). " + proxy_hint,
                    id="nutag.E007",
                )
            )
    return errors


def production_safety(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The system check (registered in CoreConfig.ready(), every run, not only --deploy)."""
    return production_problems()


def refuse_unsafe_production() -> None:
    """Raise ``ImproperlyConfigured`` listing every problem, if any (app server, workers)."""
    problems = production_problems()
    if problems:
        lines = "\n".join(f"  {p.id}: {p.msg}" + (f" {p.hint}" if p.hint else "") for p in problems)
        raise ImproperlyConfigured(
            "Unsafe production configuration; Nutag refuses to start:\n" + lines
        )
