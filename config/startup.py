"""Safe by default: no entry point falls back to the development settings.

``manage.py``, ``config/wsgi.py`` (what gunicorn or granian import) and ``config/celery.py``
call ``require_settings_module()`` first. Without ``DJANGO_SETTINGS_MODULE`` they refuse to
start and say what to set, instead of serving the development settings (DEBUG on, a published
SECRET_KEY) to the world. ``python3 run.py``, the test suite (pyproject.toml), ``scripts/``,
``bench/`` and CI set it themselves.
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


def require_settings_module() -> str:
    """The settings module named by the environment; ``ImproperlyConfigured`` if none is."""
    name = os.environ.get("DJANGO_SETTINGS_MODULE", "").strip()
    if not name:
        raise ImproperlyConfigured(SETTINGS_HELP)
    return name
