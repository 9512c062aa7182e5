"""Counting a read: who the visitor is, once a day, no database write in the request."""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import secrets
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from nutag.orgs.models import Unit
from nutag.sites.counting.base import (
    _COOKIE_BODY,
    _ROBOT,
    _SIGNER,
    ARTICLE,
    COOKIE_MAX_AGE,
    COOKIE_NAME,
    NEW_VISITOR_ATTR,
    READ_ATTR,
    REFRESH_META,
    SITE,
    Target,
    local_day,
    now,
    seconds_to_midnight,
)
from nutag.sites.counting.flush import _maybe_flush
from nutag.sites.counting.store import get_store
from nutag.sites.models import Article

# --- Counting -------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind a reverse proxy on this machine (the peer is loopback),
    the last ``X-Forwarded-For`` entry — the one the proxy added; otherwise the peer."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        try:
            loopback = ipaddress.ip_address(peer).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return forwarded.split(",")[-1].strip()
    return peer


@functools.cache
def _fingerprint_key(secret: str) -> bytes:
    return hashlib.sha256(f"nutag.sites.visitor:{secret}".encode()).digest()


def _fingerprint(request: HttpRequest, day: date) -> str:
    """A keyed hash of IP + User-Agent + day: no address is kept in the cache in clear."""
    material = "|".join(
        [client_ip(request), request.META.get("HTTP_USER_AGENT", ""), day.isoformat()]
    )
    key = _fingerprint_key(settings.SECRET_KEY)
    return hashlib.blake2b(material.encode(), key=key, digest_size=12).hexdigest()


def _cookie_visitor(request: HttpRequest) -> tuple[str, str] | None:
    """(issue day ``YYYYMMDD``, token) of a valid visitor cookie, else None."""
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw:
        return None
    try:
        body = _SIGNER.unsign(raw)
    except signing.BadSignature:
        return None
    match = _COOKIE_BODY.match(body)
    return (match.group(1), match.group(2)) if match else None


def _visitor(request: HttpRequest, day: date) -> str:
    """Who reads: the cookie's token, or the hash (first day, or no cookie: then issue one)."""
    today = day.strftime("%Y%m%d")
    cookie = _cookie_visitor(request)
    if cookie is None:
        token = secrets.token_urlsafe(16)
        setattr(request, NEW_VISITOR_ATTR, _SIGNER.sign(f"{today}.{token}"))
        return "h" + _fingerprint(request, day)
    issued, token = cookie
    if issued == today:
        return "h" + _fingerprint(request, day)
    return "c" + token


def is_robot(request: HttpRequest) -> bool:
    return bool(_ROBOT.search(request.META.get("HTTP_USER_AGENT", "")))


def count_read(request: HttpRequest, *, unit: Unit, article: Article | None = None) -> None:
    """Record that this visitor read ``unit``'s site (and ``article``) today.

    Call it from a public view before rendering. It touches only the cache. Only GET
    requests from browsers count (not HEAD, not robots); it also notes on the request what
    was counted, so that ``nutag.sites.caching.public_page`` counts a cache hit as well.
    """
    _count(request, unit_id=unit.pk, article_id=article.pk if article is not None else None)


def count_read_for_cached(
    request: HttpRequest, *, unit_id: int, article_id: int | None = None
) -> None:
    """Count a read of a page served from the page cache (the view did not run)."""
    _count(request, unit_id=unit_id, article_id=article_id)


def _count(request: HttpRequest, *, unit_id: int, article_id: int | None) -> None:
    setattr(request, READ_ATTR, (unit_id, article_id))
    if request.method != "GET" or is_robot(request) or request.META.get(REFRESH_META):
        return
    moment = now()
    day = local_day(moment)
    visitor = _visitor(request, day)
    # The day is in the key; the TTL only frees the key after midnight (plus a margin).
    ttl = seconds_to_midnight(moment) + 3600
    stamp = day.strftime("%Y%m%d")
    targets: list[Target] = [(SITE, unit_id)]
    if article_id is not None:
        targets.append((ARTICLE, article_id))
    store = get_store()
    fresh = {
        t: 1 for t in targets if store.first_today(f"nr:s:{stamp}:{t[0]}{t[1]}:{visitor}", ttl)
    }
    if fresh:
        store.add(fresh)
        _maybe_flush(store, len(fresh))


class VisitorCookieMiddleware:
    """Sets the visitor cookie that ``count_read`` asked for (never on a cached copy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return set_visitor_cookie(request, self.get_response(request))


def set_visitor_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the visitor cookie ``count_read`` asked for (also the page cache's early path)."""
    value = getattr(request, NEW_VISITOR_ATTR, None)
    if value and COOKIE_NAME not in response.cookies:
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
