"""Public pages rendered again in the background, so that readers rarely meet a cache miss
(issue 17, "cold pages").

A miss costs 20–60 times a bare view (``bench/RESULTS.md``, "Cold pages"): the page's
querysets and templates, whatever is shaved off them. So instead of making every miss cheap,
misses that readers would meet are turned into hits:

- **After a purge** (a publish, a withdrawal, a column or an extension block changed: every
  change the services announce, ``events.announce_site_change``, which is sent on commit after
  the model signals' own bumps), the pages of the purged units that readers asked for recently are
  rendered again in the background (``nutag.core.tasks.enqueue``, on commit), at most
  ``NUTAG_PAGE_REFRESH`` pages per purge (0: off), homes first, then first column pages,
  articles, then later column pages, most recently asked first (a search or a dashboard is
  left to expiry: rendered again when a reader asks). The next reader gets a hit with the new
  content. Each page is rendered exactly as a reader's request would render it (same path,
  clean query, host, scheme, language, larger-text cookie, HTMX headers: a *recipe* kept
  with the unit's pages), through the full middleware stack, so it lands under the key that
  reader's request makes.
- **After expiry** (``NUTAG_PAGE_CACHE_SECONDS``): an entry is kept ``NUTAG_PAGE_CACHE_GRACE``
  seconds longer (stale-while-revalidate). A request in that window is served the stale copy
  (``X-Nutag-Cache: stale``) and one background render of that page replaces it. Nothing a
  reader must see at once is behind the expiry: every change that matters bumps a generation
  (a new key, never a stale copy: a withdrawn article is gone on the next request); only
  figures such as the visit count may lag by the grace as well.

- **An article just published** (or changed) has no recipe yet: nobody has asked for it.
  Yet it is the page readers ask for next, from the link the secretary shares in the chat
  app. So the purge its announcement makes (``events.site_changed``'s ``article_ids``) renders
  its page too, on every unit whose site shows it and whose readers asked for pages, as each
  of the latest ``NEW_ARTICLE_READERS`` kinds of reader among those recipes would ask for it
  (host, scheme, language, text size): right after the homes, before the column pages. That
  render is remembered as a recipe, so the article stays rendered after later purges.

A background render carries ``REFRESH_META`` in its request: it is not counted as a read
(``counting``), never recorded as a recipe (but ``new``'s), ``fill`` and ``new`` render only
what is missing while ``force`` renders even over a stale entry.

**A page that is gone** (a withdrawn article, a disabled column, a merged unit's home that now
redirects: a redirect or a refusal, ``is_gone``) is forgotten when a background render meets
it: its recipe, which would otherwise be rendered again after every purge of its unit for a
week and take one of the purge's ``NUTAG_PAGE_REFRESH`` places, and its stale copy, which
would otherwise be served until the grace ends. A failure that may pass (a server error, a
timeout, too many requests, an exception) keeps both: the next render tries again.

With Redis (one cache for every worker) the render serves everyone; in the embedded default
the page cache has a tier every worker shares (``nutag.sites.pagecache``: the renders and the
recipes land there), so it does too.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest

from nutag.core.tasks import enqueue
from nutag.core.views import LARGE_TEXT_COOKIE
from nutag.sites.counting.base import REFRESH_META

logger = logging.getLogger(__name__)

FILL = "fill"  # render when the page is not cached (after a purge)
FORCE = "force"  # render although a stale copy is cached (after expiry)
NEW = "new"  # as FILL, for an article just published: its page is remembered as a recipe
RECIPES_PER_SCOPE = 32
RECIPE_SECONDS = 7 * 24 * 3600
LOCK_SECONDS = 60
DEFAULT_PAGES = 12
DEFAULT_GRACE = 3600
NEW_ARTICLE_READERS = 3  # kinds of reader an article just published is rendered for
# What of a reader's request decides the page (and its cache key), and so is replayed.
_RECIPE_META = (
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
)
# The pages rendered again after a purge: homes first, then first column pages, articles,
# a column's later pages.
_RANKS = {"site-root": 0, "site-home": 0, "site-column": 1, "site-article": 2}
_OTHER_RANK = 3
# An article just published: after the homes, before the first column pages.
_NEW_ARTICLE_RANK = 0.5
# What of a recipe is its page's own (HTMX's partial requests), not its reader's.
_PAGE_META = frozenset({"HTTP_HX_REQUEST", "HTTP_HX_TARGET"})
# Refusals that may pass: tried again at the next purge or expiry (``is_gone``).
_PASSING = frozenset({408, 429})


def pages_per_purge() -> int:
    return int(getattr(settings, "NUTAG_PAGE_REFRESH", DEFAULT_PAGES))


def grace_seconds() -> int:
    return int(getattr(settings, "NUTAG_PAGE_CACHE_GRACE", DEFAULT_GRACE))


def _kept_as_recipe(request: HttpRequest) -> bool:
    """A reader's request, or the render of an article just published (``NEW``)."""
    return request.META.get(REFRESH_META) in (None, "", NEW)


def _recipes_key(scope: str) -> str:
    return f"pcr:{scope}"


def _url_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return getattr(match, "url_name", "") or ""


def _rank(request: HttpRequest) -> int:
    rank = _RANKS.get(_url_name(request), _OTHER_RANK)
    if rank == 1 and request.GET.get("page") not in (None, "1"):
        rank = _OTHER_RANK  # a column's later pages after its first
    return rank


def recipe_of(request: HttpRequest) -> dict[str, Any]:
    """What replays ``request`` (a cacheable anonymous GET) in the background."""
    cookies = {
        name: request.COOKIES[name]
        for name in (settings.LANGUAGE_COOKIE_NAME, LARGE_TEXT_COOKIE)
        if name in request.COOKIES
    }
    return {
        "path": request.path_info,
        "query": request.META.get("QUERY_STRING", ""),
        "meta": {k: str(request.META[k]) for k in _RECIPE_META if k in request.META},
        "cookies": cookies,
        "rank": _rank(request),
        "t": time.time(),
    }


def page_digest(key: str) -> str:
    """What names a page among its unit's recipes: the last part of its cache key (the same
    whatever the generations in the key's other parts)."""
    return key.rsplit(":", 1)[-1]


def remember(request: HttpRequest, *, scope: str, digest: str, cache: BaseCache) -> None:
    """Keep how to render this page again, with the recent pages of its unit (``scope``: at
    most ``RECIPES_PER_SCOPE``, its homes and then the newest). Only the site's own pages
    (home, columns, articles): a search or a dashboard is rendered again only after expiry,
    when a reader asked for it."""
    if pages_per_purge() <= 0 or not _kept_as_recipe(request) or _url_name(request) not in _RANKS:
        return
    key = _recipes_key(scope)
    recipes = cache.get(key)
    if not isinstance(recipes, dict):
        recipes = {}
    recipes[digest] = recipe_of(request)
    if len(recipes) > RECIPES_PER_SCOPE:
        # the homes kept (a home read as a hit since its miss grows old, and articles just
        # published, a recipe for each kind of reader, would push it out), then the newest
        kept = sorted(recipes.items(), key=lambda kv: (kv[1].get("rank") != 0, -kv[1]["t"]))
        recipes = dict(kept[:RECIPES_PER_SCOPE])
    cache.set(key, recipes, timeout=RECIPE_SECONDS)


def schedule_scopes(
    scopes: Iterable[str], *, cache: BaseCache, article_ids: Iterable[int] = ()
) -> None:
    """After a purge of ``scopes``: render their recent pages again, on commit, in the
    background, and the pages of ``article_ids`` (just published or changed) on those of
    them that show them. Nothing when refreshing is off or no page of theirs was asked for."""
    if pages_per_purge() <= 0:
        return
    wanted = sorted(s for s in set(scopes) if cache.get(_recipes_key(s)))
    if wanted:
        articles = sorted(set(article_ids))
        enqueue("nutag.sites.refresh.refresh_scopes", scopes=wanted, article_ids=articles)


def schedule_page(request: HttpRequest, *, key: str, scope: str, cache: BaseCache) -> None:
    """A stale copy was served: render this page again in the background, once."""
    if cache.add(f"pcl:{key}", 1, timeout=LOCK_SECONDS):
        enqueue("nutag.sites.refresh.refresh_page", recipe=recipe_of(request), key=key, scope=scope)


def is_gone(status: int) -> bool:
    """Whether a page answering ``status`` moved or is no longer there for anonymous readers
    (a redirect, a refusal, not found), rather than failed in a way that may pass."""
    return 300 <= status < 500 and status not in _PASSING


def forget(*, scope: str, digests: Iterable[str], cache: BaseCache) -> None:
    """Drop these pages' recipes from ``scope``'s (see the module docstring)."""
    key = _recipes_key(scope)
    recipes = cache.get(key)
    if not isinstance(recipes, dict):
        return
    drop = set(digests)
    kept = {digest: recipe for digest, recipe in recipes.items() if digest not in drop}
    if len(kept) == len(recipes):
        return
    if kept:
        cache.set(key, kept, timeout=RECIPE_SECONDS)
    else:
        cache.delete(key)


# --- The background side ----------------------------------------------------------------------

_handler_lock = threading.Lock()
_handler: BaseHandler | None = None


def _get_handler() -> BaseHandler:
    """The middleware stack, loaded once per process (as the WSGI handler does)."""
    global _handler
    with _handler_lock:
        if _handler is None:
            handler = BaseHandler()
            handler.load_middleware()
            _handler = handler
        return _handler


def render(recipe: dict[str, Any], *, mode: str = FILL) -> int:
    """Render the page of ``recipe`` as its reader's request would; returns the status."""
    meta = dict(recipe.get("meta", {}))
    cookies = recipe.get("cookies", {})
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": recipe["path"],
        "QUERY_STRING": recipe.get("query", ""),
        "SCRIPT_NAME": meta.pop("SCRIPT_NAME", ""),
        "SERVER_NAME": meta.pop("SERVER_NAME", "localhost"),
        "SERVER_PORT": meta.pop("SERVER_PORT", "80"),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": meta.pop("wsgi.url_scheme", "http"),
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        REFRESH_META: mode,
        **meta,
    }
    if cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = WSGIRequest(environ)
    response = _get_handler().get_response(request)
    # Not ``response.close()``: it sends ``request_finished``, whose handler closes this
    # thread's database connection — in the middle of the job that rendered it (or of the
    # transaction a test runs in, on PostgreSQL). The pages are rendered HTML, not streams:
    # nothing else is left open.
    if response.streaming:
        response.close()
    return int(response.status_code)


def _render_safely(recipe: dict[str, Any], mode: str) -> int | None:
    """The page's status, or None when its render raised."""
    try:
        return render(recipe, mode=mode)
    except Exception:  # a background render never fails the job: the next reader renders
        logger.exception("background render of %s failed", recipe.get("path"))
        return None


def _reader(recipe: dict[str, Any]) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Who asked, in a recipe (host, scheme, language, text size), not which page: its meta
    (without HTMX's headers) and its cookies, as sorted pairs."""
    meta = recipe.get("meta", {})
    return (
        tuple(sorted((k, v) for k, v in meta.items() if k not in _PAGE_META)),
        tuple(sorted(recipe.get("cookies", {}).items())),
    )


def new_article_recipes(
    *, recipes: dict[str, dict[str, Any]], paths: list[str]
) -> list[dict[str, Any]]:
    """The recipes of these article pages (``paths``) as the latest ``NEW_ARTICLE_READERS``
    kinds of reader among ``recipes`` (one unit's) would ask for them, but those already
    among ``recipes``."""
    newest_first = sorted(recipes.values(), key=lambda r: -r.get("t", 0))
    readers = list(dict.fromkeys(_reader(r) for r in newest_first))[:NEW_ARTICLE_READERS]
    asked = {(r["path"], _reader(r)) for r in recipes.values() if not r.get("query")}
    now = time.time()
    made = []
    for path in paths:
        for reader in readers:
            if (path, reader) in asked:
                continue
            meta, cookies = reader
            made.append(
                {
                    "path": path,
                    "query": "",
                    "meta": dict(meta),
                    "cookies": dict(cookies),
                    "rank": _NEW_ARTICLE_RANK,
                    "t": now,
                }
            )
    return made


def _article_paths(scopes: list[str], article_ids: list[int]) -> dict[str, list[str]]:
    """The pages these articles have on the sites of these units, by unit code: as a
    recipe's path, the path within the site (a request's ``path_info``), whatever the
    script prefix of the thread this runs in."""
    from django.urls import get_script_prefix, reverse

    from nutag.sites.selectors.public import shown_articles

    prefix = get_script_prefix()
    paths: dict[str, list[str]] = {}
    for code, pk in shown_articles(article_ids=article_ids, unit_codes=scopes):
        url = reverse("site-article", args=[code, pk])
        paths.setdefault(code, []).append("/" + url[len(prefix) :])
    return paths


def refresh_scopes(*, scopes: list[str], article_ids: list[int] | None = None) -> int:
    """Render the recent pages of the units ``scopes`` that are not cached (task of
    ``schedule_scopes``), and the pages of ``article_ids`` there (just published or
    changed); at most ``NUTAG_PAGE_REFRESH``, and the recipes of pages that are gone
    forgotten. Returns how many were rendered."""
    from nutag.sites.caching import _cache

    limit = pages_per_purge()
    if limit <= 0:
        return 0
    cache = _cache()
    articles = _article_paths(scopes, article_ids) if article_ids else {}
    todo: list[tuple[str, str, dict[str, Any], str]] = []
    for scope in scopes:
        recipes = cache.get(_recipes_key(scope))
        if not isinstance(recipes, dict):
            continue
        todo.extend((scope, digest, recipe, FILL) for digest, recipe in recipes.items())
        if scope in articles:
            made = new_article_recipes(recipes=recipes, paths=articles[scope])
            todo.extend((scope, "", recipe, NEW) for recipe in made)
    fresh = {(scope, path) for scope, paths in articles.items() for path in paths}

    def order(item: tuple[str, str, dict[str, Any], str]) -> tuple[float, float]:
        scope, _, recipe, _ = item
        rank = recipe.get("rank", _OTHER_RANK)
        if (scope, recipe["path"]) in fresh and not recipe.get("query"):
            rank = min(rank, _NEW_ARTICLE_RANK)  # an article changed that readers had asked for
        return (rank, -recipe.get("t", 0))

    todo.sort(key=order)
    rendered = 0
    gone: dict[str, list[str]] = {}
    for scope, digest, recipe, mode in todo[:limit]:
        status = _render_safely(recipe, mode)
        if status is not None:
            rendered += 1
            if is_gone(status) and digest:
                gone.setdefault(scope, []).append(digest)
    for scope, digests in gone.items():
        forget(scope=scope, digests=digests, cache=cache)
    return rendered


def refresh_page(*, recipe: dict[str, Any], key: str = "", scope: str = "") -> int:
    """Render one page again over its stale copy (task of ``schedule_page``); a page that is
    gone loses its stale copy (``key``) and its recipe in ``scope``."""
    from nutag.sites.caching import _cache

    status = _render_safely(recipe, FORCE)
    if status is not None and is_gone(status) and key:
        cache = _cache()
        cache.delete(key)
        forget(scope=scope, digests=[page_digest(key)], cache=cache)
    return int(status is not None)
