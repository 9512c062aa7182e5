"""Keep Django's Cyrillic ``mn`` catalogue away from the traditional-script interface.

``mn-mong`` becomes the locale ``mn_Mong``; Python's gettext expands that to ``mn_Mong`` and
then ``mn``, so for every catalogue folder without an ``mn_Mong`` file (Django's own, and each
contrib app's) it would load the ``mn`` catalogue: Khalkha Mongolian in Cyrillic letters, a
script the banner's readers do not use. :func:`guard_traditional_mongolian` makes the
``mn_Mong`` catalogues load only files written for ``mn_Mong``; a string that none of them
holds falls back to simplified Chinese (``LANGUAGE_CODE``), as any missing string does. Django's
strings our pages show are translated in our own catalogue (``nutag/core/django_strings.py``).
"""

from __future__ import annotations

import gettext
import os

from django.utils.translation import trans_real

TRADITIONAL_MONGOLIAN = "mn_Mong"


def _only_written_for_the_locale(self, localedir, use_null_fallback=True):  # type: ignore[no-untyped-def]
    locale = self._DjangoTranslation__locale
    if locale != TRADITIONAL_MONGOLIAN:
        return _django_new_gnu_trans(self, localedir, use_null_fallback)
    path = os.path.join(localedir, locale, "LC_MESSAGES", f"{self.domain}.mo")
    if os.path.exists(path):
        with open(path, "rb") as fp:
            return gettext.GNUTranslations(fp)
    if use_null_fallback:
        return gettext.NullTranslations()
    raise FileNotFoundError(path)


_django_new_gnu_trans = trans_real.DjangoTranslation._new_gnu_trans  # type: ignore[attr-defined]


def guard_traditional_mongolian() -> None:
    """Install the guard (idempotent); called from ``CoreConfig.ready``."""
    trans_real.DjangoTranslation._new_gnu_trans = _only_written_for_the_locale  # type: ignore[attr-defined]
    # a catalogue built before the guard (none should be) is rebuilt on next use
    trans_real._translations.pop("mn-mong", None)  # type: ignore[attr-defined]
