"""Offline reading in a real Chromium on a phone: the service worker keeps the unit's home and
the article just read; with the network cut off they still open, marked as an offline copy;
back online, the banner is gone.

The real public pages are used when their base includes ``sites/_offline.html``; until then
two minimal pages of this module's URL configuration (under ``/u/``, where the worker acts)
include it. The worker itself is served from ``nutag.sites.offline_urls``.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.test import Client
from django.urls import include, path
from django.utils import timezone

from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia

if TYPE_CHECKING:
    from playwright.sync_api import Page

PAGE = engines["django"].from_string(
    '{% load i18n %}<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">'
    "<title>{{ title }}</title></head><body><h1>{{ title }}</h1>"
    '{% if link %}<a id="read" href="{{ link }}">{{ link_title }}</a>{% endif %}'
    '{% include "sites/_offline.html" %}</body></html>'
)


def fallback_home(request: HttpRequest, code: str) -> HttpResponse:
    article = Article.objects.filter(unit__code=code).order_by("pk").first()
    context = {"title": f"home {code}"}
    if article:
        context |= {"link": f"/u/{code}/t/a/{article.pk}/", "link_title": article.title}
    return HttpResponse(PAGE.render(context, request))


def fallback_article(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk, unit__code=code)
    return HttpResponse(PAGE.render({"title": article.title}, request))


urlpatterns = [
    path("", include("nutag.sites.urls.offline")),
    path("u/<str:code>/t/", fallback_home),
    path("u/<str:code>/t/a/<int:pk>/", fallback_article),
    path("", include("config.urls")),
]
pytestmark = pytest.mark.urls(__name__)

BANNER = ".offline-banner:not([hidden])"


def _pages(code: str, article: Article) -> tuple[str, str]:
    """(home, article) paths: the real pages once they include the offline snippet."""
    real = Client().get(f"/u/{code}/")
    if real.status_code == 200 and b"data-nutag-offline" in real.content:
        return f"/u/{code}/", f"/u/{code}/a/{article.pk}/"
    return f"/u/{code}/t/", f"/u/{code}/t/a/{article.pk}/"


def _kept(page: Page, url: str, timeout: float = 10) -> None:
    """Wait until the service worker has kept ``url`` in its cache."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = page.evaluate(
            """async url => {
                for (const name of await caches.keys()) {
                    const cache = await caches.open(name);
                    if (await cache.match(url, {ignoreVary: true})) return true;
                }
                return false;
            }""",
            url,
        )
        if found:
            return
        time.sleep(0.1)
    raise AssertionError(f"the service worker did not keep {url}")


def test_the_service_worker_is_served_at_the_root(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert b"offline-banner" in response.content
    assert client.post("/sw.js").status_code == 405


def test_the_snippet_registers_only_where_service_workers_exist() -> None:
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string

    snippet = render_to_string("sites/_offline.html")
    assert '<script src="/static/sites/offline.js" defer></script>' in snippet  # no inline script
    script = Path(str(finders.find("sites/offline.js"))).read_text()
    assert '"serviceWorker" in n' in script
    assert 'register("/sw.js")' in script
    assert '<div class="offline-banner" data-nutag-offline hidden>' in snippet


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_read_article_opens_offline_marked_as_an_offline_copy(
    live_server: Any, phone_page: Page, cast: Any
) -> None:
    village = cast.village1a
    article = Article.objects.create(
        unit=village,
        title="牧区冬季防灾须知",
        summary="防灾",
        body="<p>储备草料。</p>",
        status=ArticleStatus.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    Placement.objects.create(article=article, unit=village, via=PlacementVia.OWN)
    home, read = _pages(village.code, article)
    page = phone_page

    page.goto(live_server.url + home)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    assert page.locator(BANNER).count() == 0
    page.goto(live_server.url + read)  # read the article, now through the worker
    assert article.title in page.content()
    _kept(page, live_server.url + read)
    page.goto(live_server.url + home)
    _kept(page, live_server.url + home)

    page.context.set_offline(True)
    try:
        page.goto(live_server.url + read)
        assert article.title in page.locator("h1").inner_text()
        banner = page.locator(BANNER)
        assert banner.count() == 1
        assert banner.is_visible()
        assert "离线" in banner.inner_text()  # said clearly, in the page's language
        # at the top of the page, before anything else
        assert page.evaluate("document.body.firstElementChild.matches('.offline-banner')")
        box = banner.bounding_box()
        assert box is not None
        assert box["y"] < 20
        page.reload()
        assert page.locator(BANNER).count() == 1
        page.goto(live_server.url + home)  # the unit's home too
        assert page.locator(BANNER).count() == 1
        page.goto(live_server.url + read)
    finally:
        page.context.set_offline(False)

    # Back online: the page reloads itself, and the banner is gone.
    page.wait_for_selector(BANNER, state="detached", timeout=10_000)
    assert article.title in page.content()
    page.reload()
    assert page.locator(BANNER).count() == 0
