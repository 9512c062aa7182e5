"""The dashboard and the stats API, served like pages: cached per unit, purged by the unit's
figure generations (``nutag.orgs.figures``), which every worker reads alike.

- The dashboard page (``/u/<code>/figures/``) goes through the sites' page cache
  (``nutag.sites.caching.public_page``) for anonymous visitors, with ``figures_page_version``
  in its key: the figure generations of the unit and of its parent (its siblings are shown
  next to it), so it changes exactly when something the page counts changes. ``?year=`` is
  the one query parameter it reads.
- The stats API's answer for a unit is the same for every viewer allowed to read it, so its
  JSON is cached per unit under the unit's figure generations (``cached_figures``).

Apps that add figures (voice, study, youth) need nothing here: they tell
``nutag.orgs.figures`` when their figures change (see its docstring).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.translation import get_language

from nutag.core import generations
from nutag.orgs.figures import EVERYWHERE, figures_version
from nutag.orgs.models import Unit

T = TypeVar("T")
FIRST_YEAR, LAST_YEAR = 2000, 2100

# code → path, per process; valid while the "everywhere" generation (bumped by every unit
# change: renamed, moved, added, closed) stays the same.
_paths: dict[str, str | None] = {}
_paths_generation: list[int] = [-1]


def unit_path_for_code(code: str) -> str | None:
    """The path of the unit with this code (None: no such unit), without a query when this
    process has seen the code since the last unit change."""
    return _path_of(code)


def _path_of(code: str) -> str | None:
    (now,) = generations.read([EVERYWHERE])
    if now != _paths_generation[0]:
        _paths.clear()
        _paths_generation[0] = now
    if code not in _paths:
        if len(_paths) > 20_000:  # unknown codes must not fill the memory
            _paths.clear()
        _paths[code] = Unit.objects.filter(code=code).values_list("path", flat=True).first()
    return _paths[code]


def year_param(raw: str) -> str | None:
    """``?year=2025``: a year the dashboard can show; anything else is dropped."""
    raw = raw.strip()
    if raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return str(int(raw))
    return None


def figures_page_version(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    """The dashboard page's part of its cache key (see the module docstring)."""
    path = _path_of(str(kwargs.get("code", "")))
    return "fig:" + figures_version(path=path, with_parent=True) if path else "fig:-"


def _seconds() -> int:
    return int(getattr(settings, "NUTAG_PAGE_CACHE_SECONDS", 300))


def cached_figures(*, code: str, path: str, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` for the unit ``code`` at ``path``, kept until the unit's figures change
    (or the page TTL passes: figures that follow the date, such as reports due, move on by
    themselves). Costs no query when kept."""
    seconds = _seconds()
    if seconds <= 0:
        return compute()
    key = f"figs:{name}:{code}:{get_language()}:{figures_version(path=path)}"
    cache = caches["default"]
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = compute()
    cache.set(key, value, timeout=seconds)
    return value
