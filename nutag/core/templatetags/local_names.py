"""Names in the reader's language: ``{{ unit|local_name }}`` is a unit's Mongolian name on
``mn-mong`` pages when it has one, its (Chinese) name otherwise. Works for anything with
``name`` and ``name_mn`` (units) or ``title`` and ``title_mn`` (columns, articles)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()

MONGOLIAN = "mn-mong"


def local_name_of(obj: Any) -> str:
    """The name (or title) of ``obj`` as the current reader should see it."""
    if obj is None:
        return ""
    field = "name" if hasattr(obj, "name_mn") else "title"
    if get_language() == MONGOLIAN:
        mongolian = getattr(obj, f"{field}_mn", "")
        if mongolian:
            return str(mongolian)
    return str(getattr(obj, field, "") or "")


@register.filter
def local_name(obj: Any) -> str:
    """``{{ unit|local_name }}``: see the module docstring."""
    return local_name_of(obj)
