"""Safe by default: no entry point falls back to the development settings.

``manage.py``, ``config/wsgi.py`` (what gunicorn or granian import) and ``config/celery.py``
call ``require_settings_module()`` first. Without ``DJANGO_SETTINGS_MODULE`` they refuse to
start and say what to set, instead of serving the development settings (DEBUG on, a published
SECRET_KEY) to the world. ``python3 run.py``, the test suite (pyproject.toml), ``scripts/``,
``bench/`` and CI set it themselves.

One exception, for tools that check a checkout: ``manage.py makemigrations`` (e.g. ``--check
--dry-run``: do the models and the migrations agree?) reads only the code, serves nothing and
changes no database, so without a settings module it runs on the development settings.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

SETTINGS_HELP = (
    "DJANGO_SETTINGS_MODULE is not set, and Nutag does not guess. "
    "Set DJANGO_SETTINGS_MODULE=config.settings.prod (and SECRET_KEY, ALLOWED_HOSTS …; "
    "see docs/deployment.md) to serve, or config.settings.dev for development "
    "(python3 run.py demo --dev sets it for you)."
)


# manage.py commands that only read the code (and write migration files): no settings needed.
OFFLINE_COMMANDS = frozenset({"makemigrations"})
OFFLINE_SETTINGS = "config.settings.dev"


def settings_for_manage(argv: list[str]) -> str:
    """The settings module for ``manage.py argv``: the environment's; for an offline command
    without one, ``OFFLINE_SETTINGS``; otherwise ``ImproperlyConfigured``."""
    name = os.environ.get("DJANGO_SETTINGS_MODULE", "").strip()
    if not name and len(argv) > 1 and argv[1] in OFFLINE_COMMANDS:
        return OFFLINE_SETTINGS
    return require_settings_module()


def require_settings_module() -> str:
    """The settings module named by the environment; ``ImproperlyConfigured`` if none is."""
    name = os.environ.get("DJANGO_SETTINGS_MODULE", "").strip()
    if not name:
        raise ImproperlyConfigured(SETTINGS_HELP)
    return name
