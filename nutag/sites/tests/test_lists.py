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

from nutag.sites.selectors import site_articles
from nutag.sites.selectors.public import site_column_articles, site_latest_articles
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
