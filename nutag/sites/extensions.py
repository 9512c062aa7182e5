"""Slots through which the apps above sites (voice, study, youth …) show their content on a
unit's public site, without sites importing them (see "Who may import whom").

An app registers from its ``AppConfig.ready()``:

    from nutag.sites.extensions import register_column_page, register_home_block

    register_home_block("voice.emergency", render_emergencies, order=0, unit_only=True)
        # render(request, unit) -> str: safe HTML shown on the unit's home page, above the
        # latest news (emergencies, an open poll …); "" when there is nothing to show.
        # ``order``: smaller first (default 100); an emergency takes 0, the top of the page.
        # ``unit_only``: whether it is empty depends on the unit alone, never on the reader,
        # and the app announces every change of it: sites then remembers an empty answer
        # until an app announces a change at the unit and does not ask again (issue 17).

    register_column_page("online_study", render_courses, has_content=unit_has_courses)
        # render(request, unit, column) -> str: safe HTML shown on the column's page above
        # its articles (courses, the concerns board …).
        # has_content(unit) -> bool: the column is listed to visitors even with no article.
        # Its answer is kept until an app announces a change at the unit (``selectors.memo``,
        # ``by=SLOTS``; a publish of sites' own does not): announce every change of it
        # (``announce_site_change``). It may read the app's own data and the unit, never
        # sites' articles or columns.

    register_article_block("voice.comments", render_comments)
        # render(request, unit, article) -> str: safe HTML shown under an article on the
        # unit's site (the residents' comments …).
    register_page_script("wechat.share", "wechat/share.js", wanted=unit_has_share_cards)
        # a static script loaded (``defer``, ``data-unit="<code>"``) at the end of every
        # public page of a unit; wanted(unit) -> bool: only on those units' pages (cheap:
        # it runs on every uncached page view; cached, so announce a change of its answer).

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
- A page script is a static file (never inline: the Content-Security-Policy refuses inline
  scripts); a source outside our origin that it loads must be added to the policy's
  ``script-src`` (``NUTAG_CONTENT_SECURITY_POLICY``). It reads what it needs from the page
  (the share ``<meta>`` tags) and its ``data-unit`` attribute.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from nutag.orgs.models import Unit

HomeRender = Callable[[HttpRequest, Unit], str]
ColumnRender = Callable[[HttpRequest, Unit, object], str]
ArticleRender = Callable[[HttpRequest, Unit, object], str]
HasContent = Callable[[Unit], bool]
Wanted = Callable[[Unit], bool]


@dataclasses.dataclass(frozen=True)
class _ColumnPage:
    render: ColumnRender
    has_content: HasContent | None


@dataclasses.dataclass(frozen=True)
class _PageScript:
    path: str
    wanted: Wanted | None


@dataclasses.dataclass(frozen=True)
class _HomeBlock:
    order: int
    render: HomeRender
    unit_only: bool


_home_blocks: dict[str, _HomeBlock] = {}
_column_pages: dict[str, list[_ColumnPage]] = {}
_article_blocks: dict[str, ArticleRender] = {}
_page_scripts: dict[str, _PageScript] = {}
_version = [0]  # bumped by every change of the registry (answers kept per version)


def registry_version() -> int:
    """Changes whenever a slot is registered or removed (``selectors.memo`` keys)."""
    return _version[0]


def _changed() -> None:
    _version[0] += 1


def register_home_block(
    key: str, render: HomeRender, *, order: int = 100, unit_only: bool = False
) -> None:
    """Show ``render(request, unit)`` on every unit's home page (idempotent per ``key``),
    blocks with a smaller ``order`` first (registration order among equals)."""
    _home_blocks[key] = _HomeBlock(order, render, unit_only)
    _changed()


def register_column_page(
    column_key: str, render: ColumnRender, *, has_content: HasContent | None = None
) -> None:
    """Show ``render(request, unit, column)`` on the page of the column ``column_key``."""
    pages = _column_pages.setdefault(column_key, [])
    if all(p.render is not render for p in pages):
        pages.append(_ColumnPage(render, has_content))
        _changed()


def register_article_block(key: str, render: ArticleRender) -> None:
    """Show ``render(request, unit, article)`` under every article (idempotent per ``key``)."""
    _article_blocks[key] = render


def article_blocks(request: HttpRequest, unit: Unit, article: object) -> SafeString:
    """The registered blocks under ``article`` (an ``Article``) on ``unit``'s site."""
    return mark_safe(  # noqa: S308
        "".join(render(request, unit, article) for render in _article_blocks.values())
    )


def home_blocks(request: HttpRequest, unit: Unit) -> SafeString:
    """The registered home blocks for ``unit``, by ``order`` then registration order."""
    return mark_safe("".join(html for _key, html in home_block_parts(request, unit)))  # noqa: S308


def home_block_parts(
    request: HttpRequest, unit: Unit, *, skip: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(key, HTML) of each home block for ``unit`` in order, without rendering the blocks
    in ``skip`` (``unit_only`` blocks known to be empty for ``unit``)."""
    blocks = sorted(_home_blocks.items(), key=lambda kv: kv[1].order)
    return [(key, b.render(request, unit)) for key, b in blocks if key not in skip]


def unit_only_home_blocks() -> set[str]:
    """Keys of the home blocks whose emptiness depends on the unit alone."""
    return {key for key, b in _home_blocks.items() if b.unit_only}


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
    """Remove a home block, every page of a column, or a page script (tests)."""
    _home_blocks.pop(key, None)
    _column_pages.pop(key, None)
    _article_blocks.pop(key, None)
    _page_scripts.pop(key, None)
    _changed()


Registry = tuple[
    dict[str, "_HomeBlock"],
    dict[str, list[_ColumnPage]],
    dict[str, ArticleRender],
    dict[str, _PageScript],
]


def registry_snapshot() -> Registry:
    """Everything registered now, to be put back by ``registry_restore`` (tests that register
    slots of their own: unregistering a real key such as ``"tourism"`` would remove the app's
    own slot for the rest of the process)."""
    return (
        dict(_home_blocks),
        {key: list(pages) for key, pages in _column_pages.items()},
        dict(_article_blocks),
        dict(_page_scripts),
    )


def registry_restore(snapshot: Registry) -> None:
    """Put the registry back as ``registry_snapshot`` found it."""
    home, columns, articles, scripts = snapshot
    _home_blocks.clear()
    _home_blocks.update(home)
    _column_pages.clear()
    _column_pages.update(columns)
    _article_blocks.clear()
    _article_blocks.update(articles)
    _page_scripts.clear()
    _page_scripts.update(scripts)
    _changed()


def register_page_script(key: str, path: str, *, wanted: Wanted | None = None) -> None:
    """Load the static file ``path`` on every public page of a unit (idempotent per ``key``)."""
    _page_scripts[key] = _PageScript(path, wanted)
    _changed()


def page_scripts(unit: Unit | None) -> SafeString:
    """The ``<script>`` tags of the registered page scripts wanted on ``unit``'s pages."""
    if unit is None:
        return mark_safe("")
    wanted = [s for s in _page_scripts.values() if s.wanted is None or s.wanted(unit)]
    return format_html_join(
        "",
        '<script src="{}" data-unit="{}" defer></script>\n',
        ((static(s.path), unit.code) for s in wanted),
    )
