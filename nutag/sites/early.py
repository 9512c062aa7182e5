"""The early path of the page cache: a cached anonymous page served before the middleware
that a hit does not need (issue 17, "warm pages ≥ 0.7 × the bare view").

``EarlyPageCacheMiddleware`` sits right after the response-wide middleware (security and
CSP headers, static files, gzip, conditional GET) and before sessions, locale, CSRF,
authentication, second factor, messages and the rest. For a request that is **certainly
anonymous and without pending messages** it makes the page key exactly as
``caching.public_page`` would and, on a fresh hit, answers at once; anything else goes down
the whole stack unchanged (a miss, a stale entry, any doubt).

Certainly anonymous: a GET or HEAD with no session cookie (so no login, no second factor, no
messages kept in the session), no messages cookie, no ``Authorization`` header (API tokens),
no HTMX request headers (partials go the whole way) and not a background render
(``REFRESH_META``). The URL must resolve to a view decorated with ``public_page``.

What the skipped middleware would have done is done here, by the same code where it
matters, so the response is the one the whole stack gives (``tests/test_early.py`` compares
them header by header and byte by byte):

- the language: ``LocaleMiddleware.process_request`` (cookie, then ``Accept-Language``,
  only the configured languages), and its ``process_response`` (``Content-Language``,
  ``Vary: Accept-Language``);
- CSRF: ``CsrfViewMiddleware.process_request`` (this visitor's cookie secret) before the
  fresh token is put into the page, and its ``process_response`` (the CSRF cookie);
- ``CommonMiddleware`` (host check, ``Content-Length``), ``XFrameOptionsMiddleware``;
- the visitor cookie of read counting (``counting.set_visitor_cookie``);
- ``Vary: Cookie``, which ``SessionMiddleware`` adds because the public page's own check
  for a logged-in user reads the (empty) session.

``NUTAG_PAGE_CACHE_EARLY = False`` turns it off (every request takes the whole stack).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, ResolverMatch, get_urlconf, resolve
from django.utils.cache import patch_vary_headers

from nutag.core import db
from nutag.sites import caching, counting, pagecache

_RESOLVED = 4096  # paths whose resolution is remembered
# Request headers that send a request down the whole stack.
_AWAY_META = ("HTTP_AUTHORIZATION", "HTTP_HX_REQUEST", "HTTP_HX_TARGET", counting.REFRESH_META)


def is_page_view(view: Any) -> bool:
    """A view ``public_page`` made, itself: not one another decorator wraps (a login check
    around it must run first), whose copied attributes name the inner wrapper."""
    return getattr(view, "nutag_page_view", None) is view


def early_enabled() -> bool:
    return bool(getattr(settings, "NUTAG_PAGE_CACHE_EARLY", True))


class EarlyPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.locale = LocaleMiddleware(get_response)
        self.common = CommonMiddleware(get_response)
        self.csrf = CsrfViewMiddleware(get_response)
        self.xframe = XFrameOptionsMiddleware(get_response)
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.messages_cookie = CookieStorage.cookie_name
        self._resolved: dict[tuple[Any, str], ResolverMatch | None] = {}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if early_enabled():
            response = self.hit(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _resolve(self, path: str) -> ResolverMatch | None:
        """The match of a public page's path, or None; remembered per URL configuration and
        path (at most ``_RESOLVED`` paths, then forgotten all at once: random paths cannot
        grow it). Resolving is an eighth of a hit's work otherwise."""
        key = (get_urlconf(), path)
        try:
            return self._resolved[key]
        except KeyError:
            pass
        try:
            match: ResolverMatch | None = resolve(path)
        except Resolver404:
            match = None
        if match is not None and not is_page_view(match.func):
            match = None
        if len(self._resolved) >= _RESOLVED:
            self._resolved.clear()
        self._resolved[key] = match
        return match

    def _candidate(self, request: HttpRequest) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        cookies = request.COOKIES
        if self.session_cookie in cookies or self.messages_cookie in cookies:
            return False
        meta = request.META
        return not any(name in meta for name in _AWAY_META)

    def hit(self, request: HttpRequest) -> HttpResponseBase | None:
        """The cached page for this request, or None: the whole stack decides."""
        if not self._candidate(request) or caching.page_cache_seconds() <= 0:
            return None
        match = self._resolve(request.path_info)
        if match is None:
            return None
        db.note_view(match)  # as ReplicaMiddleware.process_view: the key's reads may use a replica
        view: Any = match.func
        if self.common.process_request(request) is not None:  # a redirect: the stack's job
            return None
        self.locale.process_request(request)
        scope, key = caching.request_key(
            request,
            params=view.nutag_page_params,
            version=view.nutag_page_version,
            kwargs=match.kwargs,
        )
        entry = pagecache.page_cache().get(key)
        if not caching.usable_entry(entry) or not caching.is_fresh(entry):
            return None  # a miss or a stale copy: the view's wrapper handles it
        self.csrf.process_request(request)
        response = caching.serve_entry(request, entry, key=key, scope=scope)
        # The skipped middleware's responses, innermost first (as the stack would run them).
        counting.set_visitor_cookie(request, response)
        self.xframe.process_response(request, response)
        self.csrf.process_response(request, response)
        self.common.process_response(request, response)
        self.locale.process_response(request, response)
        patch_vary_headers(response, ("Cookie",))  # SessionMiddleware: the session was read
        return response
