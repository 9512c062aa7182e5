"""The page cache's early path (``nutag.sites.early``): a cached anonymous page answered before
sessions, CSRF, auth and messages. Negatives first: a logged-in user, a request with messages,
a POST, an unknown language and an HTMX request never get a wrong page from it; then the
early answer is the whole stack's answer, header by header and byte by byte, and reads are
still counted.

The pages are the small ones of ``test_caching`` (its URL configuration)."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from nutag.sites import caching, counting, early
from nutag.sites.tests.test_caching import calls

pytestmark = pytest.mark.urls("nutag.sites.tests.test_caching")

answered: list[str] = []  # paths the early path answered


@pytest.fixture(autouse=True)
def _clean(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    settings.NUTAG_TASK_MODE = "inline"
    settings.NUTAG_PAGE_CACHE_SECONDS = 300
    settings.NUTAG_PAGE_CACHE_EARLY = True
    counting.clear_pending()
    calls.clear()
    answered.clear()
    real = early.EarlyPageCacheMiddleware.hit

    def spy(self: early.EarlyPageCacheMiddleware, request: HttpRequest) -> Any:
        response = real(self, request)
        if response is not None:
            answered.append(request.path)
        return response

    monkeypatch.setattr(early.EarlyPageCacheMiddleware, "hit", spy)
    yield
    counting.clear_pending()


def warm(url: str) -> None:
    """The page in the cache (a miss, then a hit)."""
    assert Client().get(url)["X-Nutag-Cache"] == "miss"
    assert Client().get(url)["X-Nutag-Cache"] == "hit"
    assert answered == [url]
    answered.clear()
    calls.clear()


def early_hit(request: HttpRequest) -> Any:
    return early.EarlyPageCacheMiddleware(lambda r: HttpResponse("stack")).hit(request)


# --- never a wrong page ---------------------------------------------------------------------


def test_a_logged_in_user_never_gets_the_cached_page(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    warm(url)
    officer = Client()
    officer.force_login(cast.village1a_secretary)
    response = officer.get(url)
    assert "X-Nutag-Cache" not in response
    assert "no-store" in response["Cache-Control"]
    assert calls == [url] and answered == []


def test_a_request_with_pending_messages_goes_the_whole_way(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    warm(url)
    client = Client()
    response = client.get(f"/t/{cast.village1a.code}/hello/", follow=True)
    assert b"saved!" in response.content  # the message is shown, not the cached page
    assert "no-store" in response["Cache-Control"]
    assert answered == []
    request = RequestFactory().get(url, HTTP_COOKIE="messages=abc")
    assert early_hit(request) is None


def test_a_session_cookie_goes_the_whole_way(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    warm(url)
    assert early_hit(RequestFactory().get(url, HTTP_COOKIE="sessionid=whatever")) is None
    assert early_hit(RequestFactory().get(url, HTTP_AUTHORIZATION="Bearer x")) is None


def test_a_post_is_never_answered_early(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    warm(url)
    Client().post(url)
    assert calls.count("POST " + url) == 1 and answered == []


def test_an_htmx_request_never_gets_the_full_page(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    warm(url)
    response = Client().get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")
    assert response["X-Nutag-Cache"] == "miss"  # its own entry, rendered by the view
    assert answered == [] and calls == [url]
    assert early_hit(RequestFactory().get(url, HTTP_HX_REQUEST="true")) is None


def test_another_language_is_another_page_and_an_unknown_one_the_default(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    warm(url)  # in the default language (no cookie, no Accept-Language)
    mongolian = Client()
    mongolian.cookies["nutag_lang"] = "mn-mong"
    response = mongolian.get(url)
    assert response["X-Nutag-Cache"] == "miss" and answered == []
    assert "mn-mong" in response.content.decode()
    assert mongolian.get(url)["X-Nutag-Cache"] == "hit" and answered == [url]

    for cookie, accept in (("xx", ""), ("", "fr-FR,fr;q=0.9"), ("../../etc", "de")):
        answered.clear()
        client = Client(HTTP_ACCEPT_LANGUAGE=accept) if accept else Client()
        if cookie:
            client.cookies["nutag_lang"] = cookie
        page = client.get(url)
        assert page["X-Nutag-Cache"] == "hit" and answered == [url], (cookie, accept)
        assert "zh-hans" in page.content.decode() and page["Content-Language"] == "zh-hans"


def test_a_url_that_is_not_a_public_page_goes_the_whole_way(cast: Any) -> None:
    assert early_hit(RequestFactory().get(f"/t/{cast.village1a.code}/hello/")) is None
    assert early_hit(RequestFactory().get("/no/such/page/")) is None


def test_a_public_page_wrapped_in_another_decorator_goes_the_whole_way() -> None:
    from django.contrib.auth.decorators import login_required

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("page")

    page = caching.public_page(view)
    assert early.is_page_view(page)
    assert not early.is_page_view(login_required(page))  # the login check must run first
    assert not early.is_page_view(view)


def test_a_miss_and_a_stale_copy_go_the_whole_way(
    cast: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/t/{cast.village1a.code}/"
    assert early_hit(RequestFactory().get(url)) is None  # nothing cached yet
    assert Client().get(url)["X-Nutag-Cache"] == "miss"
    assert early_hit(RequestFactory().get(url)) is not None
    monkeypatch.setattr(caching, "is_fresh", lambda entry: False)  # past its freshness
    assert early_hit(RequestFactory().get(url)) is None
    assert Client().get(url)["X-Nutag-Cache"] == "stale"  # the wrapper serves and renews it
    settings.NUTAG_PAGE_CACHE_SECONDS = 0
    assert early_hit(RequestFactory().get(url)) is None  # caching off


def test_it_can_be_switched_off(cast: Any, settings: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    warm(url)
    settings.NUTAG_PAGE_CACHE_EARLY = False
    assert Client().get(url)["X-Nutag-Cache"] == "hit"
    assert answered == []


# --- the same answer as the whole stack -----------------------------------------------------

_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|<meta name="csrf" content=")[^"]+')
_COOKIE_VALUE = re.compile(r"^(Set-Cookie: [^=]+=)[^;]*")


_EXPIRES = re.compile(r"expires=[^;]*;")


def _normalised(response: HttpResponse) -> tuple[int, list[tuple[str, str]], list[str], str]:
    # Django's GZipMiddleware adds 0-100 random bytes to what it compresses (against BREACH),
    # so a page compressed per request has a length of its own each time
    zipped = response.get("Content-Encoding") == "gzip"
    drop = {"date", "content-length"} if zipped else {"date"}
    headers = sorted((k, v) for k, v in response.items() if k.lower() not in drop)
    # a cookie's expiry is "now + max-age": two answers a second apart differ there alone
    cookies = sorted(
        _EXPIRES.sub("expires=…;", _COOKIE_VALUE.sub(r"\1…", c.output()))
        for c in response.cookies.values()
    )
    body = gzip.decompress(response.content) if zipped else response.content
    return response.status_code, headers, cookies, _TOKEN.sub(r"\1…", body.decode())


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"},
        {"HTTP_ACCEPT_LANGUAGE": "mn-Mong-CN,mn;q=0.9"},
        {"HTTP_USER_AGENT": "Mozilla/5.0 MicroMessenger/8.0", "HTTP_ACCEPT_ENCODING": "gzip"},
    ],
    ids=["plain", "gzip", "mongolian", "wechat"],
)
def test_the_early_answer_is_the_whole_stacks_answer(
    cast: Any, settings: Any, headers: dict[str, str]
) -> None:
    url = f"/t/{cast.village1a.code}/"
    answers = {}
    for returning in (False, True):  # a first visit, and a visitor with cookies
        for on in (None, False, True):  # None: the miss that stores it
            settings.NUTAG_PAGE_CACHE_EARLY = bool(on)
            client = Client(**headers)
            if returning:
                client.cookies["csrftoken"] = "a" * 32
                client.cookies["nutag_large"] = "1"
            answers[on, returning] = client.get(url)
    assert answered == [url, url]
    for returning in (False, True):
        stack, quick = answers[False, returning], answers[True, returning]
        assert (stack["X-Nutag-Cache"], quick["X-Nutag-Cache"]) == ("hit", "hit")
        assert _normalised(quick) == _normalised(stack)
    assert "csrftoken" in answers[True, False].cookies  # a fresh token, and its cookie
    # a token that works: the same secret as the cookie (checked by a POST)
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    body = page.content.decode()
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert client.post("/text-size/", {"large": "1", "csrfmiddlewaretoken": token}).status_code in (
        200,
        302,
    )


def test_a_conditional_get_and_head_are_answered_as_by_the_stack(cast: Any, settings: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    etag = Client().get(url)["ETag"]
    answers = {}
    for on in (False, True):
        settings.NUTAG_PAGE_CACHE_EARLY = on
        answers[on, "304"] = Client().get(url, HTTP_IF_NONE_MATCH=etag)
        answers[on, "head"] = Client().head(url)
    assert answers[True, "304"].status_code == 304
    for kind in ("304", "head"):
        assert _normalised(answers[True, kind]) == _normalised(answers[False, kind]), kind
    assert len(answered) == 2


def test_reads_are_counted_on_an_early_hit(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    warm(url)
    counting.clear_pending()
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10)")
    response = client.get(url)
    assert answered == [url]
    assert counting.COOKIE_NAME in response.cookies  # a first visit gets the visitor cookie
    assert counting.shown_visits(cast.village1a) >= 1


def test_the_public_views_carry_what_the_early_path_needs() -> None:
    from nutag.sites.views import public

    assert public.site_home.nutag_page_params == {}  # type: ignore[attr-defined]
    assert caching.public_page(lambda r: HttpResponse()).nutag_page_version is None
