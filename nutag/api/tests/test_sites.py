"""A unit's site through the API: columns and published articles only; drafts never leak."""

import pytest

from nutag.core.actors import SYSTEM
from nutag.sites import services

pytestmark = pytest.mark.django_db


def article(unit, title, *, publish=True, column="news"):  # type: ignore[no-untyped-def]
    a = services.article_create(
        acting_user=SYSTEM,
        unit=unit,
        data=services.ArticleInput(title=title, column_key=column, body="<p>正文</p>"),
    )
    if publish:
        services.article_submit(acting_user=SYSTEM, article=a)
        a = services.article_publish(acting_user=SYSTEM, article=a)
    return a


def test_unknown_unit_and_drafts_are_404(cast, client):
    assert client.get("/api/v1/units/999999/articles").status_code == 404
    assert client.get("/api/v1/units/999999/columns").status_code == 404
    draft = article(cast.village1a, "草稿", publish=False)
    code = cast.village1a.code
    assert client.get(f"/api/v1/units/{code}/articles/{draft.pk}").status_code == 404
    assert client.get(f"/api/v1/units/{code}/articles").json()["count"] == 0
    other = article(cast.village2a, "别村的")
    assert client.get(f"/api/v1/units/{code}/articles/{other.pk}").status_code == 404


def test_columns_and_published_articles_with_filters(cast, client):
    code = cast.village1a.code
    columns = client.get(f"/api/v1/units/{code}/columns").json()
    keys = {c["key"]: c for c in columns["items"]}
    assert columns["count"] == len(keys)
    second = client.get(f"/api/v1/units/{code}/columns?offset=1&limit=1").json()
    assert second["count"] == len(keys) and [c["key"] for c in second["items"]] == [
        c["key"] for c in columns["items"][1:2]
    ]
    assert keys["online_study"]["parent"] == "party_home" and keys["news"]["parent"] is None
    assert "news" in keys
    news = article(cast.village1a, "新闻一则")
    article(cast.village1a, "旅游一则", column="tourism")
    listed = client.get(f"/api/v1/units/{code}/articles", {"column": "news"}).json()
    assert [a["title"] for a in listed["items"]] == ["新闻一则"] and listed["count"] == 1
    detail = client.get(f"/api/v1/units/{code}/articles/{news.pk}").json()
    assert detail["body"] == "<p>正文</p>" and detail["url"].endswith(f"/u/{code}/a/{news.pk}/")
