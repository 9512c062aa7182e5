"""Slots through which the apps above sites (voice, study, youth …) show their content on a
unit's public site, without sites importing them (see "Who may import whom").

An app registers from its ``AppConfig.ready()``:

    from nutag.sites.extensions import register_column_page, register_home_block

    register_home_block("voice.emergency", render_emergencies, order=0)
        # render(request, unit) -> str: safe HTML shown on the unit's home page, above the
        # latest news (emergencies, an open poll …); "" when there is nothing to show.
        # ``order``: smaller first (default 100); an emergency takes 0, the top of the page.

    register_column_page("online_study", render_courses, has_content=unit_has_courses)
        # render(request, unit, column) -> str: safe HTML shown on the column's page above
        # its articles (courses, the concerns board …).
        # has_content(unit) -> bool: the column is listed to visitors even with no article.

Rendering rules:
- Anonymous pages are cached (``nutag.sites.caching``): whatever a slot shows to an anonymous
  reader must be the same for every anonymous reader, and when it changes the app calls
  ``nutag.sites.events.announce_site_change(unit_ids=[...])`` so the cached pages are purged.
  Logged-in readers are never served from the cache, so a slot may show them their own
  things (``request.user``).
- A slot keeps to a fixed, small number of queries and to the page budget (DESIGN.md): show
  the few newest items and link to the app's own pages for the rest.
- The HTML comes from the app's own template (``render_to_string(..., request=request)``);
  sites marks it safe and never inspects it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from nutag.orgs.models import Unit

HomeRender = Callable[[HttpRequest, Unit], str]
ColumnRender = Callable[[HttpRequest, Unit, object], str]
HasContent = Callable[[Unit], bool]


@dataclasses.dataclass(frozen=True)
class _ColumnPage:
    render: ColumnRender
    has_content: HasContent | None


_home_blocks: dict[str, tuple[int, HomeRender]] = {}
_column_pages: dict[str, list[_ColumnPage]] = {}


def register_home_block(key: str, render: HomeRender, *, order: int = 100) -> None:
    """Show ``render(request, unit)`` on every unit's home page (idempotent per ``key``),
    blocks with a smaller ``order`` first (registration order among equals)."""
    _home_blocks[key] = (order, render)


def register_column_page(
    column_key: str, render: ColumnRender, *, has_content: HasContent | None = None
) -> None:
    """Show ``render(request, unit, column)`` on the page of the column ``column_key``."""
    pages = _column_pages.setdefault(column_key, [])
    if all(p.render is not render for p in pages):
        pages.append(_ColumnPage(render, has_content))


def home_blocks(request: HttpRequest, unit: Unit) -> SafeString:
    """The registered home blocks for ``unit``, by ``order`` then registration order."""
    blocks = sorted(_home_blocks.values(), key=lambda block: block[0])
    return mark_safe("".join(render(request, unit) for _order, render in blocks))  # noqa: S308


def column_page(request: HttpRequest, unit: Unit, column: object) -> SafeString:
    """The registered content of ``column`` (a ``Column``) on ``unit``'s site."""
    key = getattr(column, "key", "")
    return mark_safe(  # noqa: S308
        "".join(p.render(request, unit, column) for p in _column_pages.get(key, []))
    )


def columns_with_content(unit: Unit) -> set[str]:
    """Keys of the registered columns that have something to show on ``unit``'s site."""
    return {
        key
        for key, pages in _column_pages.items()
        if any(p.has_content is not None and p.has_content(unit) for p in pages)
    }


def unregister(key: str) -> None:
    """Remove a home block or every page of a column (tests)."""
    _home_blocks.pop(key, None)
    _column_pages.pop(key, None)
