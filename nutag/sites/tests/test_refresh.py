"""Pages rendered again in the background (``nutag.sites.refresh``): negatives first (off by
setting, a background render is no read and no recipe, a failing render does not fail the
job and keeps its recipe), then the next reader after a publish or a withdrawal gets a hit
with the new content in their own language, the per-purge limit, an article just published
(or pushed down) rendered before its first reader on the units that show it, a stale copy
served once while it is rendered again after expiry, and a page that is gone (withdrawn,
moved) rendered once more and then forgotten, its stale copy with it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.core.views import LARGE_TEXT_COOKIE
from nutag.orgs.models import Unit
from nutag.sites import counting, refresh, services
from nutag.sites.models import Article, ArticleStatus

TITLE = "草原牧歌"  # the same in simplified and traditional Chinese


@pytest.fixture(autouse=True)
def _clean(settings: Any) -> Iterator[None]:
    settings.NUTAG_TASK_MODE = "inline"
    settings.NUTAG_PAGE_CACHE_SECONDS = 300
    settings.NUTAG_PAGE_REFRESH = 12
    settings.NUTAG_PAGE_CACHE_GRACE = 3600
    cache.clear()
    counting.clear_pending()
    yield
    counting.clear_pending()


def get(url: str, **headers: Any) -> Any:
    response = Client(**headers).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def write(unit: Unit, title: str = TITLE, column_key: str = "news") -> Article:
    data = services.ArticleInput(title=title, column_key=column_key, body="<p>正文</p>")
    return services.article_create(acting_user=SYSTEM, unit=unit, data=data)


def publish(article: Article, on_commit: Any) -> Article:
    with on_commit(execute=True):
        return services.article_publish(acting_user=SYSTEM, article=article)


# --- negatives --------------------------------------------------------------------------------


def test_switched_off_a_publish_leaves_a_miss_and_keeps_no_recipe(
    settings: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NUTAG_PAGE_REFRESH = 0
    home = f"/u/{cast.village1a.code}/"
    get(home)
    assert cache.get(f"pcr:{cast.village1a.code}") is None
    publish(write(cast.village1a), django_capture_on_commit_callbacks)
    response = get(home)
    assert response["X-Nutag-Cache"] == "miss"
    assert TITLE in response.content.decode()


def test_a_background_render_is_not_a_read_and_no_recipe(cast: Any) -> None:
    home = f"/u/{cast.village1a.code}/"
    get(home)
    recipes = cache.get(f"pcr:{cast.village1a.code}")
    assert len(recipes) == 1
    counting.clear_pending()
    cache.clear()
    (recipe,) = recipes.values()
    assert refresh.render(recipe) == 200
    assert counting.get_store().take() == {}
    assert cache.get(f"pcr:{cast.village1a.code}") is None
    assert get(home)["X-Nutag-Cache"] == "hit"  # but the page was stored


def test_a_failing_render_does_not_fail_the_job(cast: Any, monkeypatch: Any) -> None:
    get(f"/u/{cast.village1a.code}/")

    def broken(recipe: dict[str, Any], *, mode: str = refresh.FILL) -> int:
        raise RuntimeError("database gone")

    monkeypatch.setattr(refresh, "render", broken)
    assert refresh.refresh_scopes(scopes=[cast.village1a.code]) == 0
    assert len(cache.get(f"pcr:{cast.village1a.code}")) == 1  # may pass: tried again next time


@pytest.mark.parametrize("status", [500, 503, 408, 429])
def test_a_page_that_failed_keeps_its_recipe(status: int, cast: Any, monkeypatch: Any) -> None:
    get(f"/u/{cast.village1a.code}/")
    monkeypatch.setattr(refresh, "render", lambda recipe, *, mode=refresh.FILL: status)
    assert refresh.refresh_scopes(scopes=[cast.village1a.code]) == 1
    assert len(cache.get(f"pcr:{cast.village1a.code}")) == 1


def test_logged_in_pages_are_not_remembered(cast: Any) -> None:
    client = Client()
    client.force_login(cast.village1a_secretary)
    client.get(f"/u/{cast.village1a.code}/")
    assert cache.get(f"pcr:{cast.village1a.code}") is None


def test_only_the_sites_own_pages_are_remembered(cast: Any) -> None:
    code = cast.village1a.code
    get(f"/u/{code}/figures/")  # the dashboard: left to expiry
    assert cache.get(f"pcr:{code}") is None
    get(f"/u/{code}/")
    assert [r["path"] for r in cache.get(f"pcr:{code}").values()] == [f"/u/{code}/"]


# --- after a purge ----------------------------------------------------------------------------


def test_after_a_publish_the_next_reader_gets_a_hit_with_the_article(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    code = cast.village1a.code
    pages = [f"/u/{code}/", f"/u/{code}/c/news/", f"/u/{code}/c/news/?page=2"]
    old = write(cast.village1a, title="旧闻")
    publish(old, django_capture_on_commit_callbacks)
    pages.append(f"/u/{code}/a/{old.pk}/")
    for url in pages:
        assert get(url)["X-Nutag-Cache"] == "miss"
    publish(write(cast.village1a), django_capture_on_commit_callbacks)
    for url in pages[:2]:
        response = get(url)
        assert response["X-Nutag-Cache"] == "hit", url
        assert TITLE in response.content.decode()
    assert get(pages[3])["X-Nutag-Cache"] == "hit"  # the old article's page, same unit


def test_each_language_is_rendered_under_its_own_key(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    home = f"/u/{cast.village1a.code}/"
    hant = {"HTTP_ACCEPT_LANGUAGE": "zh-hant"}
    get(home)
    assert get(home, **hant)["X-Nutag-Cache"] == "miss"
    publish(write(cast.village1a), django_capture_on_commit_callbacks)
    for headers in ({}, hant):
        response = get(home, **headers)
        assert response["X-Nutag-Cache"] == "hit"
        assert TITLE in response.content.decode()
    assert response["Content-Language"] == "zh-hant"


def test_after_a_withdrawal_the_next_reader_never_sees_the_article(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    home = f"/u/{cast.village1a.code}/"
    article = publish(write(cast.village1a), django_capture_on_commit_callbacks)
    assert TITLE in get(home).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(acting_user=SYSTEM, article=article)
    response = get(home)
    assert response["X-Nutag-Cache"] == "hit"
    assert TITLE not in response.content.decode()


def test_at_most_the_limit_of_pages_homes_first(
    settings: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NUTAG_PAGE_REFRESH = 1
    code = cast.village1a.code
    column, home = f"/u/{code}/c/news/", f"/u/{code}/"
    get(column)
    get(home)
    get(column, HTTP_ACCEPT_LANGUAGE="zh-hant")  # the most recent, but not a home
    publish(write(cast.village1a), django_capture_on_commit_callbacks)
    assert get(home)["X-Nutag-Cache"] == "hit"
    assert get(column)["X-Nutag-Cache"] == "miss"


# --- an article just published ---------------------------------------------------------------


def test_a_new_article_is_not_rendered_where_nobody_reads(
    cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    paths = rendered_paths(monkeypatch)
    article = publish(write(cast.village1a), django_capture_on_commit_callbacks)
    assert paths == []  # no reader asked for a page of the unit: no kind of reader known
    assert get(f"/u/{cast.village1a.code}/a/{article.pk}/")["X-Nutag-Cache"] == "miss"


def test_a_new_article_is_rendered_only_on_the_units_that_show_it(
    cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mine, sibling = cast.village1a.code, cast.village1b.code
    get(f"/u/{mine}/")
    get(f"/u/{sibling}/")
    paths = rendered_paths(monkeypatch)
    article = publish(write(cast.village1b), django_capture_on_commit_callbacks)
    assert f"/u/{sibling}/a/{article.pk}/" in paths
    assert not any(path.endswith(f"/a/{article.pk}/") and mine in path for path in paths)
    assert Client().get(f"/u/{mine}/a/{article.pk}/").status_code == 404


def test_a_scheduled_or_withdrawn_article_is_not_rendered(
    settings: Any, cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    code = cast.village1a.code
    get(f"/u/{code}/")
    paths = rendered_paths(monkeypatch)
    data = services.ArticleInput(
        title=TITLE,
        column_key="news",
        body="<p>正文</p>",
        publish_at=timezone.now() + dt.timedelta(days=1),
    )
    later = services.article_create(acting_user=SYSTEM, unit=cast.village1a, data=data)
    publish(later, django_capture_on_commit_callbacks)
    assert paths == [f"/u/{code}/"]  # due tomorrow: its page answers 404 until then
    settings.NUTAG_PAGE_REFRESH = 0  # published unseen: no recipe of its page
    gone = publish(write(cast.village1a, title="新闻"), django_capture_on_commit_callbacks)
    settings.NUTAG_PAGE_REFRESH = 12
    paths.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(acting_user=SYSTEM, article=gone)
    assert paths == [f"/u/{code}/"]
    assert recipe_paths(cast.village1a) == {f"/u/{code}/"}


def test_a_scheduled_article_is_rendered_when_its_time_comes(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from nutag.sites import events

    code = cast.village1a.code
    get(f"/u/{code}/")
    data = services.ArticleInput(
        title=TITLE,
        column_key="news",
        body="<p>正文</p>",
        publish_at=timezone.now() + dt.timedelta(days=1),
    )
    article = publish(
        services.article_create(acting_user=SYSTEM, unit=cast.village1a, data=data),
        django_capture_on_commit_callbacks,
    )
    page = f"/u/{code}/a/{article.pk}/"
    assert Client().get(page).status_code == 404
    article.publish_at = article.published_at = timezone.now() - dt.timedelta(seconds=5)
    article.save()  # its time has come (as if a day had passed)
    with django_capture_on_commit_callbacks(execute=True):
        assert events.publish_due() == 1  # the scheduled-publishing job
    response = get(page)
    assert response["X-Nutag-Cache"] == "hit"
    assert TITLE in response.content.decode()


def test_a_new_articles_path_is_within_the_site_whatever_the_script_prefix(cast: Any) -> None:
    from django.urls import set_script_prefix

    article = services.article_publish(acting_user=SYSTEM, article=write(cast.village1a))
    code = cast.village1a.code
    try:
        set_script_prefix("/nutag/")  # a job run inline by a request under a sub-path
        paths = refresh._article_paths([code], [article.pk])
    finally:
        set_script_prefix("/")
    assert paths == {code: [f"/u/{code}/a/{article.pk}/"]}


def test_a_new_articles_recipe_is_its_readers_without_the_page_parts() -> None:
    meta = {"HTTP_HOST": "nutag.example", "wsgi.url_scheme": "https"}
    recipes = {
        "a": {
            "path": "/u/X/",
            "meta": {**meta, "HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"},
            "cookies": {},
            "t": 3,
        },
        "b": {"path": "/u/X/c/news/", "meta": meta, "cookies": {}, "t": 2},  # the same reader
        "c": {"path": "/u/X/", "meta": meta, "cookies": {"django_language": "mn-mong"}, "t": 1},
    }
    made = refresh.new_article_recipes(recipes=recipes, paths=["/u/X/a/7/"])
    assert [(r["path"], r["meta"], r["cookies"], r["query"]) for r in made] == [
        ("/u/X/a/7/", meta, {}, ""),
        ("/u/X/a/7/", meta, {"django_language": "mn-mong"}, ""),
    ]
    recipes["d"] = {"path": "/u/X/a/7/", "query": "", "meta": meta, "cookies": {}, "t": 0}
    made = refresh.new_article_recipes(recipes=recipes, paths=["/u/X/a/7/"])
    assert [r["cookies"] for r in made] == [{"django_language": "mn-mong"}]  # one asked already


def test_the_first_reader_of_a_new_article_gets_a_hit_in_their_language(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    code = cast.village1a.code
    hant = {"HTTP_ACCEPT_LANGUAGE": "zh-hant"}
    get(f"/u/{code}/")
    get(f"/u/{code}/c/news/", **hant)
    article = publish(write(cast.village1a), django_capture_on_commit_callbacks)
    page = f"/u/{code}/a/{article.pk}/"
    for headers in ({}, hant):
        response = get(page, **headers)
        assert response["X-Nutag-Cache"] == "hit", headers
        assert TITLE in response.content.decode()
    assert response["Content-Language"] == "zh-hant"
    assert page in recipe_paths(cast.village1a)  # and rendered again after the next purge
    publish(write(cast.village1a, title="新闻"), django_capture_on_commit_callbacks)
    assert get(page)["X-Nutag-Cache"] == "hit"


def test_a_new_article_is_rendered_for_the_latest_kinds_of_reader(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    code = cast.village1a.code
    kinds = [{"HTTP_ACCEPT_LANGUAGE": lang} for lang in ("mn-mong", "zh-hant", "zh-hans")]
    kinds.append({"HTTP_COOKIE": f"{LARGE_TEXT_COOKIE}=1"})
    assert len(kinds) == refresh.NEW_ARTICLE_READERS + 1
    for headers in kinds:  # the first, Mongolian, asked longest ago
        get(f"/u/{code}/", **headers)
    article = publish(write(cast.village1a), django_capture_on_commit_callbacks)
    page = f"/u/{code}/a/{article.pk}/"
    assert [get(page, **h)["X-Nutag-Cache"] for h in kinds] == ["miss", "hit", "hit", "hit"]


def test_a_pushed_article_is_rendered_on_the_units_below_that_readers_visit(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    above, below, other = cast.township1, cast.village1a, cast.village1b
    article = publish(write(above), django_capture_on_commit_callbacks)
    get(f"/u/{below.code}/")
    get(f"/u/{other.code}/")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_push(acting_user=SYSTEM, article=article, unit_ids=[below.pk])
    response = get(f"/u/{below.code}/a/{article.pk}/")
    assert response["X-Nutag-Cache"] == "hit"
    assert TITLE in response.content.decode()
    assert Client().get(f"/u/{other.code}/a/{article.pk}/").status_code == 404


def test_the_home_keeps_its_recipe_among_many_new_articles(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    unit = cast.village1a
    home = f"/u/{unit.code}/"
    get(home)
    for n in range(refresh.RECIPES_PER_SCOPE + 2):  # newer recipes than the home's, each
        publish(write(unit, title=f"新闻{n}"), django_capture_on_commit_callbacks)
    assert len(cache.get(f"pcr:{unit.code}")) == refresh.RECIPES_PER_SCOPE
    assert home in recipe_paths(unit)
    publish(write(unit), django_capture_on_commit_callbacks)
    assert get(home)["X-Nutag-Cache"] == "hit"


def test_a_new_article_comes_after_the_homes_and_before_the_columns(
    settings: Any, cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NUTAG_PAGE_REFRESH = 2
    code = cast.village1a.code
    old = publish(write(cast.village1a, title="旧闻"), django_capture_on_commit_callbacks)
    column, home, read = f"/u/{code}/c/news/", f"/u/{code}/", f"/u/{code}/a/{old.pk}/"
    for url in (read, column, home):
        get(url)
    paths = rendered_paths(monkeypatch)
    article = publish(write(cast.village1a), django_capture_on_commit_callbacks)
    assert paths == [home, f"/u/{code}/a/{article.pk}/"]
    paths.clear()  # an article readers had asked for, changed: its page before the column
    refresh.refresh_scopes(scopes=[code], article_ids=[old.pk])
    assert paths == [home, read]


# --- after expiry -----------------------------------------------------------------------------


def test_an_expired_page_is_served_once_stale_and_rendered_again(
    cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    home = f"/u/{cast.village1a.code}/"
    get(home)
    later = time.time() + 301
    monkeypatch.setattr("nutag.sites.caching.time.time", lambda: later)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert get(home)["X-Nutag-Cache"] == "stale"
        assert get(home)["X-Nutag-Cache"] == "stale"  # rendered again once, not twice
    assert len(callbacks) == 1
    assert get(home)["X-Nutag-Cache"] == "hit"


def test_without_grace_an_expired_page_is_a_miss(
    settings: Any, cast: Any, monkeypatch: Any
) -> None:
    settings.NUTAG_PAGE_CACHE_GRACE = 0
    settings.NUTAG_PAGE_CACHE_SECONDS = 1
    home = f"/u/{cast.village1a.code}/"
    get(home)
    time.sleep(1.1)  # the cache's own expiry (no wall-clock assertion: only the outcome)
    assert get(home)["X-Nutag-Cache"] == "miss"


# --- pages that are gone ----------------------------------------------------------------------


def rendered_paths(monkeypatch: Any) -> list[str]:
    """The paths the background renders from now on (and renders them as before)."""
    paths: list[str] = []
    real = refresh.render

    def spy(recipe: dict[str, Any], *, mode: str = refresh.FILL) -> int:
        paths.append(recipe["path"])
        return real(recipe, mode=mode)

    monkeypatch.setattr(refresh, "render", spy)
    return paths


def recipe_paths(unit: Unit) -> set[str]:
    return {r["path"] for r in (cache.get(f"pcr:{unit.code}") or {}).values()}


def read_home_and_article(unit: Unit, on_commit: Any) -> tuple[Article, str, str]:
    """An article published at ``unit``; its page and the home read (both cached, both
    recipes)."""
    article = publish(write(unit), on_commit)
    home, page = f"/u/{unit.code}/", f"/u/{unit.code}/a/{article.pk}/"
    get(home)
    get(page)
    assert recipe_paths(unit) == {home, page}
    return article, home, page


def test_a_withdrawn_articles_page_is_rendered_once_more_then_forgotten(
    cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    unit = cast.village1a
    article, home, page = read_home_and_article(unit, django_capture_on_commit_callbacks)
    paths = rendered_paths(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(acting_user=SYSTEM, article=article)
    assert sorted(paths) == sorted([home, page])  # its page answered 404 this time
    assert recipe_paths(unit) == {home}
    paths.clear()
    new = publish(write(unit, title="新闻"), django_capture_on_commit_callbacks)
    # not the withdrawn article's page, on every publish for a week (but the new one's)
    assert paths == [home, f"/u/{unit.code}/a/{new.pk}/"]
    assert Client().get(page).status_code == 404


@pytest.mark.parametrize("status", [301, 302, 400, 403, 404, 410])
def test_a_page_that_moved_or_is_gone_loses_its_recipe(
    status: int, cast: Any, monkeypatch: Any
) -> None:
    code = cast.village1a.code
    get(f"/u/{code}/")
    get(f"/u/{code}/c/news/")
    monkeypatch.setattr(
        refresh,
        "render",
        lambda recipe, *, mode=refresh.FILL: status if recipe["path"].endswith("/news/") else 200,
    )
    assert refresh.refresh_scopes(scopes=[code]) == 2
    assert recipe_paths(cast.village1a) == {f"/u/{code}/"}


def test_an_expired_page_that_is_gone_is_not_served_stale_again(
    cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    unit = cast.village1a
    article, home, page = read_home_and_article(unit, django_capture_on_commit_callbacks)
    # gone without a purge (a change no service announced): only the expiry can show it
    Article.objects.filter(pk=article.pk).update(status=ArticleStatus.WITHDRAWN)
    later = time.time() + 301
    monkeypatch.setattr("nutag.sites.caching.time.time", lambda: later)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert get(page)["X-Nutag-Cache"] == "stale"  # served once while rendered again
    assert len(callbacks) == 1
    assert Client().get(page).status_code == 404
    assert page not in recipe_paths(unit)
    assert get(home)["X-Nutag-Cache"] == "stale"  # only the page that is gone lost its copy
