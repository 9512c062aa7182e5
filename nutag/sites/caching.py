"""Caching of anonymous public pages, and purging them when what they show changes.

``@public_page`` decorates every public site view:

- **What is cached.** Anonymous GET and HEAD requests without pending messages, and only
  200 responses that set no cookie of their own, are not streamed and vary on nothing but
  the essentials below. Logged-in users, requests with messages and POSTs always run the
  view. Entries live ``NUTAG_PAGE_CACHE_SECONDS`` (default 300) in the default cache
  (local memory, or Redis when ``REDIS_URL`` is set).
- **The key**: scheme, host and path with the *clean* query (only the parameters the page
  declares, see ``clean_query``; any other is removed before the view runs), an optional
  ``version`` of the page (the dashboard's figure generations), the active language (resolved
  by ``LocaleMiddleware`` from the cookie or ``Accept-Language``), the larger-text cookie,
  the HTMX headers (a partial is not the full page), and two **generation numbers**: the
  site-wide one and the one of the page's unit (the ``code`` URL argument; ``/`` and other
  pages without one use the ``_root`` scope).
- **Purging** bumps a generation instead of deleting keys (``nutag.core.generations``: a
  file every worker maps, or Redis), so a bump in one worker purges the page in all of
  them; old entries become unreachable and expire. ``nutag.sites.signals``
  bumps, on ``post_save``/``post_delete``:
  an article (its unit, every unit it is placed on, their ancestors, ``/``), a placement
  (pushed down, recommended up), an attachment, a column (its unit), and any unit change
  (renamed, moved, closed …: site-wide, since names show on other units' pages). Bumps
  happen at once *and again on commit* (``transaction.on_commit``): a page rendered from
  the old data by a concurrent request between the two is not kept.
- **Two more generations for an article's page** (its kept shape, ``nutag.sites.shapes``):
  a unit's *frame* (``pcg:f:<code>``: what an article's page shows of the unit) and an
  article's own (``pcg:a:<id>``). ``purge_article`` bumps the article's and the units' page
  generations, not their frames; every other purge bumps the frames too
  (``purge_scopes(..., articles_only=False)``). See ``article_generations``.
- **Read counts still count on a hit**: the view's ``count_read`` call notes the unit and
  article on the request; they are stored with the page, and a hit calls
  ``counting.count_read_for_cached``. The numbers shown on a cached page (reads, visits)
  may lag by up to the TTL.
- **CSRF tokens**: a page with a POST form carries a token (the language and text-size
  switches are links; a page without such a form makes no token and sets no cookie, see
  ``forms_ui.forms_with_errors``). A token in a cached page
  would belong to another visitor, so it is stored as a placeholder and a fresh token for
  this visitor is put back on every hit (``get_token``, which also sets the CSRF cookie).
- **Headers**: ``Cache-Control: public, max-age=60`` and a stable ``ETag`` for anonymous
  cacheable pages (``ConditionalGetMiddleware`` answers 304), ``private, no-store`` for
  logged-in users and pages showing messages. ``X-Nutag-Cache: hit|miss|stale`` says what
  happened.
- **Misses readers rarely meet** (``nutag.sites.refresh``): after a purge the unit's recent
  pages are rendered again in the background; an expired entry is served once more
  (``stale``, up to ``NUTAG_PAGE_CACHE_GRACE`` seconds) while it is rendered again.
- **Fresh hits of certainly-anonymous requests** are answered before sessions, CSRF, auth
  and messages by ``nutag.sites.early`` (same key, same response; ``request_key`` and
  ``serve_entry`` are shared with the wrapper below).
- **Where entries live** (``nutag.sites.pagecache``): the default cache, and in the embedded
  default (no Redis) a folder every worker shares behind each worker's local memory.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import time
import zlib
from collections.abc import Callable, Iterable
from typing import Any, TypeGuard

from django.conf import settings
from django.core.cache import BaseCache
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, not in the stubs
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
    get_token,
)
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from nutag.core import generations
from nutag.core.views import LARGE_TEXT_COOKIE
from nutag.orgs.models import Unit
from nutag.sites import counting, pagecache, refresh
from nutag.sites.models import Article, Placement

DEFAULT_SECONDS = 300
BROWSER_MAX_AGE = 60
ROOT_SCOPE = "_root"
SCOPE_KWARGS = ("code", "unit_code")
GENERATION_ALL = "pcg:all"
ENTRY_VERSION = 2
CACHE_HEADER = "X-Nutag-Cache"
# Request headers a cached public page may vary on: they are in the key (language and
# larger text through what they resolve to, the HTMX headers as such) or irrelevant to the
# body here (compression happens outside the view).
VARY_ESSENTIALS = {"cookie", "accept-language", "accept-encoding", "hx-request", "hx-target"}
# Headers not stored with a page: recomputed, or set per response.
_DROP_HEADERS = {"content-length", "cache-control", "etag", "expires", "last-modified", "vary"}

_CSRF_PLACEHOLDER = b"\x00nutag-csrf\x00"
_CSRF_CANDIDATE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)


def page_cache_seconds() -> int:
    return int(getattr(settings, "NUTAG_PAGE_CACHE_SECONDS", DEFAULT_SECONDS))


def _cache() -> BaseCache:
    """The default cache, with a tier shared by every worker behind it in the embedded
    default (``nutag.sites.pagecache``)."""
    return pagecache.page_cache()


# --- Generations ----------------------------------------------------------------------------


def _scope_key(scope: str) -> str:
    return f"pcg:u:{scope}"


def _slots_key(scope: str) -> str:
    return f"pcg:s:{scope}"


def _frame_key(scope: str) -> str:
    return f"pcg:f:{scope}"


def _article_key(article_id: int) -> str:
    return f"pcg:a:{article_id}"


def _generations(keys: list[str]) -> list[int]:
    return generations.read(keys)


def _bump_now_and_on_commit(keys: set[str]) -> None:
    generations.bump_now_and_on_commit(keys)


def purge_everything() -> None:
    """Every public page of every unit shows fresh data on its next request."""
    _bump_now_and_on_commit({GENERATION_ALL})


def purge_scopes(scopes: Iterable[str], *, articles_only: bool = False) -> None:
    """Purge the pages of the units with these codes (``ROOT_SCOPE``: ``/``), and what an
    article's page shows of them (their *frame* generation: names, columns, the apps' page
    scripts …) unless the change is only in articles (``articles_only``: an article, its
    placements, its attachments: ``purge_article``, which purges that article's own page)."""
    scopes = set(scopes)
    keys = {_scope_key(s) for s in scopes}
    if not articles_only:
        keys |= {_frame_key(s) for s in scopes}
    _bump_now_and_on_commit(keys)


def purge_article_pages(article_ids: Iterable[int]) -> None:
    """Purge these articles' own pages (``article_generations``), on every unit."""
    _bump_now_and_on_commit({_article_key(pk) for pk in article_ids})


def purge_slot_answers(scopes: Iterable[str]) -> None:
    """Forget the extension apps' kept answers for the units with these codes (which of their
    columns have content, which of their blocks are empty: ``selectors.memo``, ``by=SLOTS``).
    Every announced change does, but those of sites' own content (``announce_site_change(...,
    slots=False)``): an article published does not change what another app shows."""
    _bump_now_and_on_commit({_slots_key(s) for s in scopes})


def refresh_scopes_later(scopes: Iterable[str], *, article_ids: Iterable[int] = ()) -> None:
    """Render the recent pages of these units again in the background (``nutag.sites.refresh``),
    after a purge that has committed, and the pages of ``article_ids`` (just published or
    changed) on those that show them."""
    refresh.schedule_scopes(scopes, cache=_cache(), article_ids=article_ids)


def _scopes(rows: Iterable[tuple[str, str]], *, ancestors: bool) -> set[str]:
    """Codes of units given as (code, path), with their ancestors' codes (one more query)
    and ``/`` when a root unit is among them."""
    rows = list(rows)
    codes = {code for code, _ in rows}
    step = Unit.steplen
    roots = any(len(path) == step for _, path in rows)
    if ancestors:
        prefixes = {path[:i] for _, path in rows for i in range(step, len(path), step)}
        prefixes -= {path for _, path in rows}
        if prefixes:
            above = Unit.objects.filter(path__in=prefixes).order_by()
            codes.update(above.values_list("code", flat=True))
            roots = True
    if roots:
        codes.add(ROOT_SCOPE)
    return codes


def purge_units(
    *, unit_ids: Iterable[int], ancestors: bool = True, articles_only: bool = False
) -> set[str]:
    """Purge the pages of these units (and of the units above them, which show their
    activity, and ``/``); returns the scopes purged. ``articles_only``: see
    ``purge_scopes``."""
    ids = set(unit_ids)
    if not ids:
        return set()
    rows = Unit.objects.filter(pk__in=ids).order_by().values_list("code", "path")
    scopes = _scopes(rows, ancestors=ancestors)
    purge_scopes(scopes, articles_only=articles_only)
    return scopes


def purge_article(*, article_id: int, unit_id: int | None = None) -> None:
    """Purge what shows an article: its unit's pages, the pages of every unit it is placed
    on, the units above them (activity, search) and ``/``."""
    placed = Placement.objects.filter(article_id=article_id).values("unit_id")
    own = Article.objects.filter(pk=article_id).values("unit_id")
    where = Q(pk__in=placed) | Q(pk__in=own)
    if unit_id is not None:
        where |= Q(pk=unit_id)
    rows = Unit.objects.filter(where).order_by().values_list("code", "path")
    purge_scopes(_scopes(rows, ancestors=True) | {ROOT_SCOPE}, articles_only=True)
    purge_article_pages([article_id])


# --- The decorator --------------------------------------------------------------------------


def _is_logged_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _has_messages(request: HttpRequest) -> bool:
    """Messages waiting to be shown (without marking them as shown)."""
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _scope(kwargs: dict[str, Any]) -> str:
    for name in SCOPE_KWARGS:
        if kwargs.get(name):
            return str(kwargs[name])
    return ROOT_SCOPE


def scope_generations(scope: str) -> tuple[int, int]:
    """The site-wide and ``scope``'s page generations (what a purge of them changes): in
    every page key (and, through ``memo_generations``, in the answers ``selectors.memo``
    keeps)."""
    everything, own = _generations([GENERATION_ALL, _scope_key(scope)])
    return everything, own


def memo_generations(
    scope: str, *, page: bool = True, slots: bool = False, frame: bool = False
) -> list[int]:
    """The site-wide generation, then ``scope``'s page generation and (or) its generation
    of the extension apps' answers (``purge_slot_answers``) and (or) its frame generation
    (``purge_scopes``), in one read: the key of an answer ``selectors.memo`` keeps."""
    names = [GENERATION_ALL]
    if page:
        names.append(_scope_key(scope))
    if slots:
        names.append(_slots_key(scope))
    if frame:
        names.append(_frame_key(scope))
    return _generations(names)


def article_generations(scope: str, article_id: int) -> list[int]:
    """What an article's own page on ``scope``'s site depends on, in one read: the site-wide
    generation, the unit's frame generation and the article's (``purge_scopes``,
    ``purge_article_pages``) — not the unit's page generation, which every other article's
    publish bumps. The key of an article's kept shape (``nutag.sites.shapes``)."""
    return _generations([GENERATION_ALL, _frame_key(scope), _article_key(article_id)])


def frame_generations(scope: str) -> list[int]:
    """The site-wide generation and ``scope``'s frame generation (what a home's or a column
    page's kept shape depends on: names, columns, the apps' page scripts), then its page
    generation (what their lists depend on: every article's publish bumps it), in one read.
    ``shapes.render_page(..., shaped_by=2)``."""
    return _generations([GENERATION_ALL, _frame_key(scope), _scope_key(scope)])


def page_key(request: HttpRequest, *, scope: str, version: str = "") -> str:
    """The cache key of this request's page (see the module docstring). The query string
    is the one ``clean_query`` left: only parameters the page reads."""
    everything, unit = scope_generations(scope)
    parts = [
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
        "large" if request.COOKIES.get(LARGE_TEXT_COOKIE) == "1" else "normal",
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        version,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"pc:{everything}:{unit}:{digest}"


# --- Query strings --------------------------------------------------------------------------
# Every distinct query string would be a page of its own in the cache: a link shared in the
# chat app gains ``?from=singlemessage&isappinstalled=0``, and random strings would fill each
# worker's memory. So a page declares the parameters it reads, each with a function giving
# its one canonical value (or None: dropped); everything else is removed from the request
# before the key is made and before the view runs, so the page rendered is exactly the
# clean URL's page (links in it that repeat the path carry the clean query too).

QueryParams = dict[str, Callable[[str], str | None]]


def positive_number(raw: str, *, most: int = 100_000) -> str | None:
    """A page number and the like: digits, 1..most, without leading zeros."""
    raw = raw.strip()
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= most:
        return str(int(raw))
    return None


def clean_query(request: HttpRequest, params: QueryParams) -> None:
    """Keep only ``params`` (their first value, made canonical) in ``request.GET`` and in
    the query string the page sees."""
    if not request.META.get("QUERY_STRING"):
        return
    kept = QueryDict(mutable=True)
    for name in sorted(params):
        given = request.GET.getlist(name)
        value = params[name](given[0]) if given else None
        if value is not None:
            kept[name] = value
    query = kept.urlencode()
    request.GET = QueryDict(query)  # immutable, as Django makes it
    request.META["QUERY_STRING"] = query


def _csrf_secret(request: HttpRequest) -> str | None:
    return request.META.get("CSRF_COOKIE") if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") else None


def _strip_csrf(content: bytes, secret: str | None) -> bytes:
    """Replace this visitor's CSRF tokens with a placeholder. A token is recognised by
    unmasking it (Django's private ``_unmask_cipher_token``, stable since Django 4.1), so
    a token anywhere in the page (form field, meta tag, HTMX header) is found."""
    if secret is None:
        return content

    def replace(match: re.Match[bytes]) -> bytes:
        token = match.group(0)
        return _CSRF_PLACEHOLDER if _unmask_cipher_token(token.decode()) == secret else token

    return _CSRF_CANDIDATE.sub(replace, content)


def _cacheable(response: HttpResponseBase) -> TypeGuard[HttpResponse]:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not isinstance(response, HttpResponse):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= VARY_ESSENTIALS


def _store(
    request: HttpRequest, response: HttpResponse, key: str, seconds: int, scope: str
) -> None:
    content = _strip_csrf(response.content, _csrf_secret(request))
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    entry = {
        "v": ENTRY_VERSION,
        "fresh": time.time() + seconds,  # then served stale while rendered again
        "content": content,
        "headers": [(k, v) for k, v in response.items() if k.lower() not in _DROP_HEADERS],
        "vary": response.get("Vary", ""),
        "reads": getattr(request, counting.READ_ATTR, None),
        "etag": etag,
        "gzip": _compressed_pieces(content),
    }
    _cache().set(key, entry, timeout=seconds + max(refresh.grace_seconds(), 0))
    response["ETag"] = etag
    refresh.remember(request, scope=scope, digest=refresh.page_digest(key), cache=_cache())


# --- Compressed once, at store time ---------------------------------------------------------
# A hit would otherwise be compressed again by GZipMiddleware on every request, which costs
# more than everything else on a hit. So the page is stored compressed too, in pieces: each
# stretch between CSRF placeholders is deflated by a compressor of its own (ended with a
# sync flush, so the pieces can be joined), and a hit puts this visitor's token between them
# as a stored (uncompressed) deflate block: a CRC over the page and no compression per hit.
# Each piece is compressed with everything before it as a preset dictionary, the tokens
# stood in for by as many NUL bytes (never in HTML, so never matched): its back-references
# then point at the same bytes in what the browser has decoded. The token is never
# compressed together with the page text (BREACH has nothing to measure).

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, mtime 0
_MIN_GZIP = 200  # as GZipMiddleware: not worth it below
_TOKEN_STAND_IN = b"\x00" * CSRF_TOKEN_LENGTH
_WINDOW = 1 << zlib.MAX_WBITS


def _deflate(piece: bytes, *, history: bytes, last: bool) -> bytes:
    if history:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=history[-_WINDOW:])
    else:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(piece) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
    )


def _compressed_pieces(content: bytes) -> list[bytes] | None:
    """The deflated pieces of ``content`` around its placeholders (for a page without any,
    the whole gzip file), or None when compressing does not pay (short, or no smaller)."""
    if len(content) < _MIN_GZIP:
        return None
    pieces = content.split(_CSRF_PLACEHOLDER)
    packed = []
    history = b""
    for i, piece in enumerate(pieces):
        packed.append(_deflate(piece, history=history, last=i == len(pieces) - 1))
        history += piece + _TOKEN_STAND_IN
    if sum(map(len, packed)) + 18 + (CSRF_TOKEN_LENGTH + 5) * (len(pieces) - 1) >= len(content):
        return None
    if len(packed) == 1:
        return [gzip_from_pieces(content, packed, b"")]
    return packed


def gzip_from_pieces(content: bytes, packed: list[bytes], token: bytes) -> bytes:
    """A gzip file of ``content`` with ``token`` in place of each placeholder."""
    stored = b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token
    out = [_GZIP_HEADER]
    crc = size = 0
    for i, (raw, piece) in enumerate(zip(content.split(_CSRF_PLACEHOLDER), packed, strict=True)):
        if i:
            out.append(stored)
            crc = zlib.crc32(token, crc)
            size += len(token)
        out.append(piece)
        crc = zlib.crc32(raw, crc)
        size += len(raw)
    out.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(out)


def _from_entry(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    content: bytes = entry["content"]
    token = get_token(request).encode() if _CSRF_PLACEHOLDER in content else b""
    packed = entry.get("gzip")
    if (
        packed
        and len(token) in (0, CSRF_TOKEN_LENGTH)  # the stand-ins had the token's length
        and _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    ):
        # a page without a token is the same for everyone: its gzip file is stored whole
        whole = packed[0] if len(packed) == 1 and not token else None
        response = HttpResponse(whole or gzip_from_pieces(content, packed, token))
        response["Content-Encoding"] = "gzip"
        etag = "W/" + entry["etag"]  # as GZipMiddleware marks what it compresses
    else:
        response = HttpResponse(content.replace(_CSRF_PLACEHOLDER, token) if token else content)
        etag = entry["etag"]
    for name, value in entry["headers"]:
        response[name] = value
    if entry["vary"]:
        response["Vary"] = entry["vary"]
    if packed:
        patch_vary_headers(response, ("Accept-Encoding",))
    response["ETag"] = etag
    return response


def _public_headers(response: HttpResponseBase) -> None:
    patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)


def _private_headers(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)
    return response


PageVersion = Callable[[HttpRequest, dict[str, Any]], str]


def public_page(
    view: Callable[..., Any] | None = None,
    *,
    params: QueryParams | None = None,
    version: PageVersion | None = None,
) -> Any:
    """Decorate a public view: serve anonymous readers from the page cache, count their
    reads on a hit too, and set ``Cache-Control`` (see the module docstring).

    ``@public_page`` or ``@public_page(params=..., version=...)``: ``params`` are the query
    parameters the page reads (see ``clean_query``; none by default), ``version(request,
    kwargs)`` adds to the key what else the page depends on (the dashboard: its figure
    generations, ``nutag.orgs.figures``)."""
    if view is None:
        return functools.partial(public_page, params=params, version=version)
    allowed: QueryParams = params or {}

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if _is_logged_in(request) or _has_messages(request):
            return _private_headers(view(request, *args, **kwargs))
        seconds = page_cache_seconds()
        if request.method not in ("GET", "HEAD") or seconds <= 0:
            return view(request, *args, **kwargs)

        scope, key = request_key(request, params=allowed, version=version, kwargs=kwargs)
        background = request.META.get(counting.REFRESH_META)
        entry = None if background == refresh.FORCE else _cache().get(key)
        if usable_entry(entry):
            return serve_entry(request, entry, key=key, scope=scope, background=bool(background))

        response = view(request, *args, **kwargs)
        if not _cacheable(response):
            return response
        response[CACHE_HEADER] = "miss"
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.add_post_render_callback(lambda r: _store(request, r, key, seconds, scope))
        else:
            _store(request, response, key, seconds, scope)
        _public_headers(response)
        return response

    wrapper.nutag_public_page = True  # type: ignore[attr-defined]
    # what the early path (``nutag.sites.early``) needs to make the same key; ``nutag_page_view``
    # is the wrapper itself, so a decorator put around it (which copies these attributes) is
    # not mistaken for it
    wrapper.nutag_page_view = wrapper  # type: ignore[attr-defined]
    wrapper.nutag_page_params = allowed  # type: ignore[attr-defined]
    wrapper.nutag_page_version = version  # type: ignore[attr-defined]
    return wrapper


def request_key(
    request: HttpRequest,
    *,
    params: QueryParams,
    version: PageVersion | None,
    kwargs: dict[str, Any],
) -> tuple[str, str]:
    """Clean the query of a cacheable anonymous request and give its scope and page key."""
    clean_query(request, params)
    extra = version(request, kwargs) if version is not None else ""
    scope = _scope(kwargs)
    return scope, page_key(request, scope=scope, version=extra)


def usable_entry(entry: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(entry, dict) and entry.get("v") == ENTRY_VERSION


def is_fresh(entry: dict[str, Any]) -> bool:
    return bool(entry.get("fresh", time.time()) >= time.time())


def serve_entry(
    request: HttpRequest,
    entry: dict[str, Any],
    *,
    key: str,
    scope: str,
    background: bool = False,
) -> HttpResponse:
    """A hit: count the read the page counts, and the stored page with this visitor's token."""
    if entry["reads"] is not None:
        unit_id, article_id = entry["reads"]
        counting.count_read_for_cached(request, unit_id=unit_id, article_id=article_id)
    response = _from_entry(request, entry)
    stale = not is_fresh(entry)
    response[CACHE_HEADER] = "stale" if stale else "hit"
    if stale and not background:
        refresh.schedule_page(request, key=key, scope=scope, cache=_cache())
    _public_headers(response)
    return response
