"""Caching of anonymous public pages, and purging them when what they show changes.

Placeholder interface (to be implemented): ``public_page`` decorates a public view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def public_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a public site view (no-op until caching lands)."""
    return view
