"""The page cache of anonymous public pages: what is never cached first (logged-in users,
POST, messages, errors), then hits and misses, the key (language, larger text), purging on
change (articles, placements, columns, units, bulk writes announced by the services), CSRF
tokens that stay valid for each visitor, and conditional GET.

Pages come from a small URL configuration of this module, so the tests do not depend on the
public templates; a last test checks the real pages are decorated."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template import engines
from django.test import Client
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import get_language

from nutag.orgs.models import Unit
from nutag.sites import caching, counting
from nutag.sites.events import announce_site_change
from nutag.sites.models import Article, ArticleStatus, Column, Placement, PlacementVia
from nutag.sites.selectors import site_articles

calls: list[str] = []

PAGE = engines["django"].from_string(
    "{% load i18n %}<!doctype html><html><body>"
    "<h1>{{ unit.name }}</h1><p>{{ lang }} {{ large }} {{ columns }}</p>"
    "<ul>{% for a in articles %}<li>{{ a.title }}</li>{% endfor %}</ul>"
    "{% for m in messages %}<p class=msg>{{ m }}</p>{% endfor %}"
    '<form method="post" action="/text-size/">{% csrf_token %}'
    '<input type="hidden" name="large" value="1"></form>'
    '<meta name="csrf" content="{{ csrf_token }}">'
    "</body></html>"
)


def _render(request: HttpRequest, unit: Unit) -> HttpResponse:
    calls.append(request.path)
    counting.count_read(request, unit=unit)
    context = {
        "unit": unit,
        "articles": list(site_articles(unit=unit)),
        "columns": ",".join(c.title for c in Column.objects.filter(unit=unit, enabled=True)),
        "lang": get_language(),
        "large": request.COOKIES.get("nutag_large", ""),
    }
    return HttpResponse(PAGE.render(context, request))


@caching.public_page
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "POST":
        calls.append("POST " + request.path)
    return _render(request, Unit.objects.get(code=code))


@caching.public_page
def root_page(request: HttpRequest) -> HttpResponse:
    return _render(request, Unit.objects.get_root_nodes().first())


@caching.public_page
def missing_page(request: HttpRequest, code: str) -> HttpResponse:
    calls.append(request.path)
    return HttpResponse("no such thing", status=404)


@caching.public_page
def cookie_page(request: HttpRequest, code: str) -> HttpResponse:
    calls.append(request.path)
    response = HttpResponse("sets its own cookie")
    response.set_cookie("choice", "1")
    return response


def say_hello(request: HttpRequest, code: str) -> HttpResponse:
    messages.success(request, "saved!")
    return HttpResponseRedirect(f"/t/{code}/")


@caching.public_page(params={"page": caching.positive_number})
def paged_page(request: HttpRequest, code: str) -> HttpResponse:
    calls.append(request.get_full_path())
    return HttpResponse(f"page {request.GET.get('page', '-')} {sorted(request.GET)}")


urlpatterns = [
    path("t/root/", root_page),
    path("t/<str:code>/paged/", paged_page),
    path("t/<str:code>/", unit_page),
    path("t/<str:code>/missing/", missing_page),
    path("t/<str:code>/cookie/", cookie_page),
    path("t/<str:code>/hello/", say_hello),
    path("", include("config.urls")),
]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _clean(settings: Any) -> Iterator[None]:
    settings.NUTAG_TASK_MODE = "inline"
    settings.NUTAG_PAGE_CACHE_SECONDS = 300
    counting.clear_pending()
    calls.clear()
    yield
    counting.clear_pending()


def get(url: str, client: Client | None = None, **headers: Any) -> HttpResponse:
    response = (client or Client()).get(url, **headers)
    assert response.status_code in (200, 304, 404), response.status_code
    return response


def publish(unit: Unit, title: str, *, on: tuple[Unit, ...] = ()) -> Article:
    article = Article.objects.create(
        unit=unit,
        title=title,
        status=ArticleStatus.PUBLISHED,
        published_at=timezone.now() - timedelta(minutes=5),
    )
    Placement.objects.create(article=article, unit=unit, via=PlacementVia.OWN)
    for other in on:
        Placement.objects.create(article=article, unit=other, via=PlacementVia.PUSHED)
    return article


# --- never cached ------------------------------------------------------------------------------


def test_logged_in_users_are_never_cached(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    officer = Client()
    officer.force_login(cast.village1a_secretary)
    for _ in range(2):
        response = get(url, officer)
        assert response["Cache-Control"] in ("private, no-store", "no-store, private")
        assert "X-Nutag-Cache" not in response
    assert len(calls) == 2
    get(url)  # the first anonymous visitor is not served the officer's page
    assert len(calls) == 3


def test_post_is_never_cached(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    client = Client()
    client.post(url)
    client.post(url)
    assert calls.count("POST " + url) == 2
    assert get(url)["X-Nutag-Cache"] == "miss"


def test_a_page_with_messages_is_not_cached(cast: Any) -> None:
    client = Client()
    response = client.get(f"/t/{cast.village1a.code}/hello/", follow=True)
    assert b"saved!" in response.content
    assert "no-store" in response["Cache-Control"]
    assert "X-Nutag-Cache" not in response
    # the message is not served to the next visitor, and the page is cached without it
    following = get(f"/t/{cast.village1a.code}/")
    assert following["X-Nutag-Cache"] == "miss"
    assert b"saved!" not in following.content


def test_only_200_responses_without_cookies_are_cached(cast: Any) -> None:
    for suffix in ("missing/", "cookie/"):
        url = f"/t/{cast.village1a.code}/{suffix}"
        get(url)
        get(url)
        assert calls.count(url) == 2, suffix


def test_caching_can_be_switched_off(settings: Any, cast: Any) -> None:
    settings.NUTAG_PAGE_CACHE_SECONDS = 0
    url = f"/t/{cast.village1a.code}/"
    get(url)
    get(url)
    assert len(calls) == 2


# --- hits and misses -------------------------------------------------------------------------


def test_an_anonymous_page_is_served_from_the_cache(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    first, second = get(url), get(url)
    assert (first["X-Nutag-Cache"], second["X-Nutag-Cache"]) == ("miss", "hit")
    assert calls == [url]
    assert first["Cache-Control"] == second["Cache-Control"] == "public, max-age=60"
    assert first["Content-Type"] == second["Content-Type"]
    assert cast.village1a.name in second.content.decode()
    head = Client().head(url)
    assert head["X-Nutag-Cache"] == "hit"


def test_the_key_has_the_language_and_the_larger_text_switch(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    large = Client(HTTP_ACCEPT_LANGUAGE="en")
    large.cookies["nutag_large"] = "1"
    cookie_english = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    cookie_english.cookies["nutag_lang"] = "en"  # the cookie wins over Accept-Language

    assert get(url, english)["X-Nutag-Cache"] == "miss"
    assert get(url, chinese)["X-Nutag-Cache"] == "miss"
    assert get(url, large)["X-Nutag-Cache"] == "miss"
    assert get(url, english)["X-Nutag-Cache"] == "hit"
    assert get(url, cookie_english)["X-Nutag-Cache"] == "hit"  # resolves to English
    assert b"en " in get(url, english).content
    assert b"zh-hans " in get(url, chinese).content
    assert b"en 1" in get(url, large).content
    assert len(calls) == 3


def test_parameters_a_page_does_not_read_share_its_entry(cast: Any) -> None:
    base = f"/t/{cast.village1a.code}/"
    get(base)
    for junk in ("?page=2", "?from=singlemessage&isappinstalled=0", "?x=1", "?"):
        assert get(base + junk)["X-Nutag-Cache"] == "hit", junk
    assert calls == [base]


def test_parameters_a_page_reads_are_pages_of_their_own(cast: Any) -> None:
    base = f"/t/{cast.village1a.code}/paged/"
    assert get(base + "?page=2")["X-Nutag-Cache"] == "miss"
    assert get(base + "?page=2")["X-Nutag-Cache"] == "hit"
    assert get(base + "?page=3")["X-Nutag-Cache"] == "miss"
    # the same page, written otherwise or with parameters it does not read
    for same in ("?page=02", "?page=2&from=timeline", "?utm=1&page=2&page=5"):
        assert get(base + same)["X-Nutag-Cache"] == "hit", same
    # values it cannot use are dropped: the first page
    assert get(base + "?page=abc")["X-Nutag-Cache"] == "miss"
    assert get(base + "?page=-1&q=x")["X-Nutag-Cache"] == "hit"
    assert get(base)["X-Nutag-Cache"] == "hit"
    # the view saw only the clean query
    assert calls == [base + "?page=2", base + "?page=3", base]
    assert get(base + "?page=3&junk=1").content == b"page 3 ['page']"


def test_random_query_strings_make_no_new_entries(cast: Any) -> None:
    from django.core.cache import cache

    def entries() -> int:
        inner = cache._cache  # type: ignore[attr-defined]
        if hasattr(inner, "get_client"):  # Redis (the CI's second pass)
            return int(inner.get_client().dbsize())
        return len(inner)  # local memory

    base = f"/t/{cast.village1a.code}/paged/"
    get(base)
    before = entries()
    for i in range(50):
        get(f"{base}?r={i}&t=x{i}")
    assert entries() == before


# --- purging -----------------------------------------------------------------------------------


def test_publishing_an_article_purges_its_unit_and_the_root(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    village, other = f"/t/{cast.village1a.code}/", f"/t/{cast.village2a.code}/"
    for url in (village, other, "/t/root/"):
        get(url)
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast.village1a, "新的文章")
    response = get(village)
    assert response["X-Nutag-Cache"] == "miss"
    assert "新的文章" in response.content.decode()
    assert get("/t/root/")["X-Nutag-Cache"] == "miss"
    assert get(other)["X-Nutag-Cache"] == "hit"  # another township's village: untouched


def test_purge_happens_at_once_even_before_the_commit(cast: Any) -> None:
    """The test's transaction never commits: the immediate bump alone purges."""
    url = f"/t/{cast.village1a.code}/"
    get(url)
    publish(cast.village1a, "马上就有")
    assert "马上就有" in get(url).content.decode()


def test_updating_and_withdrawing_an_article_purges(cast: Any) -> None:
    article = publish(cast.village1a, "原来的标题")
    url = f"/t/{cast.village1a.code}/"
    get(url)
    article.title = "改过的标题"
    article.save()
    assert "改过的标题" in get(url).content.decode()
    article.status = ArticleStatus.WITHDRAWN
    article.save()
    response = get(url)
    assert response["X-Nutag-Cache"] == "miss"
    assert "改过的标题" not in response.content.decode()


def test_pushing_down_purges_the_units_it_is_placed_on_and_those_above(cast: Any) -> None:
    notice = publish(cast.banner, "旗里的通知")
    pages = {
        u: f"/t/{u.code}/" for u in (cast.village1a, cast.village1b, cast.township1, cast.banner)
    }
    for url in pages.values():
        get(url)
    Placement.objects.create(article=notice, unit=cast.village1a, via=PlacementVia.PUSHED)
    assert "旗里的通知" in get(pages[cast.village1a]).content.decode()
    assert get(pages[cast.township1])["X-Nutag-Cache"] == "miss"  # shows its villages' activity
    assert get(pages[cast.banner])["X-Nutag-Cache"] == "miss"
    assert get(pages[cast.village1b])["X-Nutag-Cache"] == "hit"


def test_recommending_up_purges_the_township(cast: Any) -> None:
    article = publish(cast.village1a, "村里的好文章")
    township = f"/t/{cast.township1.code}/"
    get(township)
    Placement.objects.create(article=article, unit=cast.township1, via=PlacementVia.RECOMMENDED)
    assert "村里的好文章" in get(township).content.decode()


def test_deleting_a_placement_purges(cast: Any) -> None:
    article = publish(cast.banner, "撤回的推送", on=(cast.village1a,))
    url = f"/t/{cast.village1a.code}/"
    assert "撤回的推送" in get(url).content.decode()
    Placement.objects.filter(article=article, unit=cast.village1a).get().delete()
    assert "撤回的推送" not in get(url).content.decode()


def test_changing_columns_purges_the_units_pages(cast: Any) -> None:
    url, other = f"/t/{cast.village1a.code}/", f"/t/{cast.village1b.code}/"
    get(url)
    get(other)
    column = Column.objects.create(unit=cast.village1a, key="news", title="村里新闻")
    assert "村里新闻" in get(url).content.decode()
    column.title = "本村新闻"
    column.save()
    assert "本村新闻" in get(url).content.decode()
    assert get(other)["X-Nutag-Cache"] == "hit"


def test_renaming_a_unit_purges_every_page(cast: Any) -> None:
    urls = [f"/t/{cast.village1a.code}/", f"/t/{cast.village2a.code}/", "/t/root/"]
    for url in urls:
        get(url)
    unit = Unit.objects.get(pk=cast.village1a.pk)
    unit.name = "新名字嘎查"
    unit.save()
    assert "新名字嘎查" in get(urls[0]).content.decode()
    assert [get(url)["X-Nutag-Cache"] for url in urls[1:]] == ["miss", "miss"]


def test_bulk_writes_announced_by_the_services_purge_on_commit(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """``bulk_create`` sends no model signal: the services' ``site_changed`` covers it."""
    article = publish(cast.banner, "批量推送")
    url = f"/t/{cast.village2a.code}/"
    get(url)
    with django_capture_on_commit_callbacks(execute=True):
        Placement.objects.bulk_create(
            [
                Placement(
                    article=article,
                    unit=cast.village2a,
                    via=PlacementVia.PUSHED,
                    **article.list_keys(),  # set as the services do: bulk_create calls no save()
                )
            ]
        )
        announce_site_change(unit_ids=[cast.village2a.pk], article_ids=[article.pk])
    assert "批量推送" in get(url).content.decode()


def test_a_lost_generation_never_revives_old_pages(cast: Any) -> None:
    from django.core.cache import cache

    url = f"/t/{cast.village1a.code}/"
    get(url)
    publish(cast.village1a, "第二版")
    assert get(url)["X-Nutag-Cache"] == "miss"
    cache.delete(f"pcg:u:{cast.village1a.code}")  # evicted
    cache.delete(caching.GENERATION_ALL)
    assert "第二版" in get(url).content.decode()


# --- CSRF and conditional GET --------------------------------------------------------------------


def test_a_cached_page_carries_a_valid_csrf_token_for_each_visitor(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    get(url, Client(enforce_csrf_checks=True))  # cached with the first visitor's token
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = get(url, visitor)
        assert page["X-Nutag-Cache"] == "hit"
        body = page.content.decode()
        token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        assert f'<meta name="csrf" content="{token}">' in body  # every copy replaced
        assert "csrftoken" in page.cookies
        answer = visitor.post("/text-size/", {"large": "1", "csrfmiddlewaretoken": token})
        assert answer.status_code == 302, "the token in the cached page was refused"


def test_a_hit_is_served_compressed_with_this_visitors_token(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    for _ in range(8):  # a page worth compressing (titles hold 120 characters at most)
        publish(cast.village1a, "长文章" * 40)
    first = get(url, Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br"))
    plain = gzip.decompress(first.content).decode()  # the miss: GZipMiddleware
    visitor = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br", enforce_csrf_checks=True)
    hit = get(url, visitor)
    assert hit["X-Nutag-Cache"] == "hit"
    assert hit["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in hit["Vary"]
    assert hit["ETag"].startswith('W/"')
    body = gzip.decompress(hit.content).decode()
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    other = plain.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert body.replace(token, "T") == plain.replace(other, "T")  # the same page, own token
    assert len(hit.content) < len(body.encode()) / 3
    answer = visitor.post("/text-size/", {"large": "1", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert "Content-Encoding" not in get(url)  # a client that asks for no compression


def test_compressed_pieces_decompress_to_the_page_with_any_token() -> None:
    page = (b"<p>" + b"head " * 300 + caching._CSRF_PLACEHOLDER) * 3 + b"tail " * 50
    pieces = caching._compressed_pieces(page)
    assert pieces is not None
    for token in (b"a" * 64, b"Z9" * 32):
        packed = caching.gzip_from_pieces(page, pieces, token)
        assert gzip.decompress(packed) == page.replace(caching._CSRF_PLACEHOLDER, token)
    whole = caching._compressed_pieces(b"no token here " * 50)
    assert whole is not None
    assert gzip.decompress(whole[0]) == b"no token here " * 50


def test_conditional_get_answers_304_for_an_unchanged_page(cast: Any) -> None:
    url = f"/t/{cast.village1a.code}/"
    client = Client()
    first = get(url, client)
    etag = first["ETag"]
    again = get(url, client, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert calls == [url]  # served from the cache, then answered "not modified"
    publish(cast.village1a, "变了")
    changed = get(url, client, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200


# --- the real pages ----------------------------------------------------------------------------


def test_every_public_page_is_decorated() -> None:
    from nutag.sites.urls import public as urls

    for pattern in urls.urlpatterns:
        assert getattr(pattern.callback, "nutag_public_page", False), pattern.name


def test_the_real_home_page_is_cached_and_purged(cast: Any) -> None:
    url = f"/u/{cast.village1a.code}/"
    assert get(url)["X-Nutag-Cache"] == "miss"
    assert get(url)["X-Nutag-Cache"] == "hit"
    publish(cast.village1a, "真的页面")
    response = get(url)
    assert response["X-Nutag-Cache"] == "miss"
    assert "真的页面" in response.content.decode()
