"""Work a worker does at start instead of during its first requests.

The first publish in each worker used to spend 0.7–2.6 s loading jieba's dictionary, and
the first page in each language loaded that language's catalogues. ``config/wsgi.py`` (the
application the servers load in each worker) calls ``run_preloads()`` once after Django is
set up, unless ``NUTAG_PRELOAD=0``. Apps register what their first request would pay for
with ``register_preload(fn)`` from ``AppConfig.ready`` (sites: the search tokenizer); core
registers the translation catalogues of every language and the shared generations file.
A preload that fails is logged and skipped: it must never stop a worker from starting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings

logger = logging.getLogger(__name__)

_preloads: list[Callable[[], object]] = []


def register_preload(fn: Callable[[], object]) -> None:
    if fn not in _preloads:
        _preloads.append(fn)


def catalogues() -> None:
    """Load the catalogue of every language the site offers."""
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Figures")


def generations_file() -> None:
    from nutag.core import generations

    generations.preload()


def run_preloads() -> list[str]:
    """Run every registered preload; returns the names of those that ran."""
    done = []
    for fn in (catalogues, generations_file, *_preloads):
        try:
            fn()
        except Exception:  # a warm-up must never stop a worker from starting
            logger.exception("preload %s failed", getattr(fn, "__qualname__", fn))
            continue
        done.append(getattr(fn, "__qualname__", repr(fn)))
    return done
