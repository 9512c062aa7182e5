"""Article lists that do not slow with a unit's history: no ``DISTINCT`` over whole rows,
no bodies read for a list, and a fixed number of queries whatever the number of articles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nutag.sites.models import ArticleKind, ArticleStatus, Column, Placement, PlacementVia
from nutag.sites.selectors import site_articles
from nutag.sites.selectors.public import listed, site_column_articles, site_latest_articles
from nutag.sites.tests.test_public import publish

pytestmark = pytest.mark.django_db


def _sql(run: Any) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return [q["sql"] for q in ctx.captured_queries]


def test_an_article_placed_twice_is_listed_once(cast: Any) -> None:
    article = publish(cast.township1, title="下发", on=(cast.village1a,))
    publish(cast.village1a, title="自己的")
    titles = [a.title for a in site_articles(unit=cast.village1a)]
    assert sorted(titles) == ["下发", "自己的"]
    assert list(site_articles(unit=cast.township1)) == [article]


def test_lists_read_no_bodies_and_sort_no_distinct_rows(cast: Any) -> None:
    publish(cast.village1a, title="有正文", body="<p>很长的正文</p>" * 100, body_mn="ᠮᠣᠩᠭᠣᠯ")
    for sql in _sql(lambda: site_latest_articles(unit=cast.village1a)) + _sql(
        lambda: list(site_column_articles(unit=cast.village1a, keys=["news"]))
    ):
        assert "DISTINCT" not in sql.upper()
        assert '"body"' not in sql and '."body_mn",' not in sql
    (shown,) = site_latest_articles(unit=cast.village1a)
    assert shown.has_mn_body is True


def _home_queries(client: Client, unit: Any, lang: str) -> int:
    from django.core.cache import cache

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    url = f"/u/{unit.code}/"
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("lang", ["zh-hans", "mn-mong"])
def test_the_home_costs_the_same_for_3_and_30_articles(
    cast: Any, client: Client, lang: str
) -> None:
    for i in range(3):
        publish(cast.village1a, title=f"文章{i}", body_mn="ᠮᠣᠩᠭᠣᠯ", ago=timedelta(hours=i + 1))
    few = _home_queries(client, cast.village1a, lang)
    for i in range(27):
        publish(cast.village1a, title=f"更多{i}", body="<p>正文</p>", ago=timedelta(days=i + 1))
    assert _home_queries(client, cast.village1a, lang) == few


# --- the list keys copied onto the placements (issue 17) -----------------------------------


def _titles(unit: Any) -> list[str]:
    return [a.title for a in site_latest_articles(unit=unit)]


def test_a_withdrawn_article_leaves_every_list_it_was_placed_in(cast: Any) -> None:
    article = publish(cast.township1, title="撤回的", on=(cast.village1a,))
    assert _titles(cast.village1a) == ["撤回的"]
    article.status = ArticleStatus.WITHDRAWN
    article.save()
    assert _titles(cast.village1a) == []
    assert _titles(cast.township1) == []
    assert set(Placement.objects.filter(article=article).values_list("shown_from", flat=True)) == {
        None
    }


def test_an_unaccepted_recommendation_is_not_listed(cast: Any) -> None:
    article = publish(cast.village1a, title="推荐的")
    Placement.objects.create(
        article=article, unit=cast.township1, via=PlacementVia.RECOMMENDED, accepted=False
    )
    assert _titles(cast.township1) == []
    Placement.objects.filter(article=article, unit=cast.township1).update(accepted=True)
    assert _titles(cast.township1) == ["推荐的"]


def test_pinning_and_columns_follow_the_article(cast: Any) -> None:
    news = Column.objects.create(unit=cast.township1, key="news", title="新闻")
    old = publish(cast.township1, title="旧的", ago=timedelta(days=3), on=(cast.village1a,))
    publish(cast.township1, title="新的", ago=timedelta(hours=1), on=(cast.village1a,))
    assert _titles(cast.village1a) == ["新的", "旧的"]
    old.pinned = True
    old.column = news
    old.save()
    assert _titles(cast.village1a) == ["旧的", "新的"]
    assert [a.title for a in site_column_articles(unit=cast.village1a, keys=["news"])] == ["旧的"]
    assert [a.via for a in site_column_articles(unit=cast.village1a, keys=["news"])] == ["pushed"]


def test_a_page_of_a_column_is_sliced_in_the_placement_index(cast: Any) -> None:
    news = Column.objects.create(unit=cast.village1a, key="news", title="新闻")
    for i in range(25):
        publish(cast.village1a, title=f"第{i}篇", column=news, ago=timedelta(hours=i + 1))
    articles = site_column_articles(unit=cast.village1a, keys=["news"])
    assert articles.count() == 25
    (count,) = _sql(articles.count)
    assert "unitsites_article" not in count  # counted in the placement index alone
    (page,) = _sql(lambda: articles[20:25])
    # only the slice's rows are joined to their articles: the slice is taken in a subquery
    assert "LIMIT 5 OFFSET 20" in page and page.upper().count("SELECT") == 2
    assert [a.title for a in articles[20:25]] == [f"第{i}篇" for i in range(20, 25)]


def test_the_unit_lists_walk_an_index_of_the_placements_in_order(cast: Any) -> None:
    """SQLite: the list's subquery reads a covering index of the placements, no sort."""
    if connection.vendor != "sqlite":
        pytest.skip("query plans are SQLite's here")
    for i in range(3):
        publish(cast.village1a, title=f"文章{i}")
    ids = listed(unit=cast.village1a, kind=ArticleKind.ARTICLE).values("article_id")[:10]
    plan = ids.explain()
    assert "COVERING INDEX placement_list" in plan
    assert "TEMP B-TREE" not in plan


def test_the_migration_copies_the_keys_of_placements_made_before_it(cast: Any) -> None:
    import importlib

    from django.apps import apps

    fill = importlib.import_module("nutag.sites.migrations.0005_placement_list_keys")
    news = Column.objects.create(unit=cast.village1a, key="news", title="新闻")
    shown = publish(cast.village1a, title="旧的", column=news, pinned=True)
    draft = publish(cast.village1a, title="草稿", status=ArticleStatus.DRAFT)
    Placement.objects.update(shown_from=None, pinned=False, kind="", column_key="")  # as before
    assert _titles(cast.village1a) == []
    fill.fill_list_keys(apps, None)
    assert _titles(cast.village1a) == ["旧的"]
    row = Placement.objects.get(article=shown)
    assert (row.pinned, row.kind, row.column_key) == (True, ArticleKind.ARTICLE, "news")
    assert row.shown_from == shown.published_at
    assert Placement.objects.get(article=draft).shown_from is None
