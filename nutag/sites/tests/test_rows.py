"""The public pages' article lists in fixed SQL (``selectors/rows.py``) list exactly what the
ORM's ``PlacedArticles`` lists: negatives first, then the same rows on varied data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from nutag.sites.models import (
    ArticleKind,
    ArticleStatus,
    Column,
    Placement,
    PlacementVia,
)
from nutag.sites.selectors.public import PlacedArticles
from nutag.sites.selectors.rows import ListedRows, listed_count, listed_rows
from nutag.sites.templatetags.public_site import cover_img, cover_share_url
from nutag.sites.tests.test_public import publish

pytestmark = pytest.mark.django_db


def _titles(**kw: Any) -> list[str]:
    return [a.title for a in listed_rows(**kw)]


def test_a_siblings_article_is_never_listed(cast: Any) -> None:
    publish(cast.village1b, title="邻村的")
    assert _titles(unit=cast.village1a) == []
    assert listed_count(unit=cast.village1a) == 0


def test_a_withdrawn_article_is_never_listed(cast: Any) -> None:
    article = publish(cast.township1, title="撤回的", on=(cast.village1a,))
    article.status = ArticleStatus.WITHDRAWN
    article.save()
    assert _titles(unit=cast.village1a) == _titles(unit=cast.township1) == []


def test_a_withdrawn_article_whose_placement_still_shows_is_not_listed(cast: Any) -> None:
    """Even if a placement kept its ``shown_from``, the article's status is checked."""
    article = publish(cast.village1a, title="撤回的")
    Placement.objects.filter(article=article).update(shown_from=timezone.now())
    type(article).objects.filter(pk=article.pk).update(status=ArticleStatus.WITHDRAWN)
    assert _titles(unit=cast.village1a) == []


def test_a_draft_and_a_scheduled_article_are_not_listed(cast: Any) -> None:
    publish(cast.village1a, title="草稿", status=ArticleStatus.DRAFT)
    later = publish(cast.village1a, title="明天的")
    Placement.objects.filter(article=later).update(shown_from=timezone.now() + timedelta(days=1))
    assert _titles(unit=cast.village1a) == []


def test_an_unaccepted_recommendation_is_not_listed(cast: Any) -> None:
    article = publish(cast.village1a, title="推荐的")
    Placement.objects.create(
        article=article, unit=cast.township1, via=PlacementVia.RECOMMENDED, accepted=False
    )
    assert _titles(unit=cast.township1) == []
    assert listed_count(unit=cast.township1) == 0


def test_no_columns_asked_lists_nothing(cast: Any) -> None:
    publish(cast.village1a, title="文章")
    assert _titles(unit=cast.village1a, column_keys=[]) == []
    assert listed_count(unit=cast.village1a, column_keys=[]) == 0


def _varied(cast: Any) -> None:
    news = Column.objects.create(unit=cast.village1a, key="news", title="新闻")
    tnews = Column.objects.create(unit=cast.township1, key="news", title="新闻")
    for i in range(13):
        publish(
            cast.village1a,
            title=f"村{i}",
            column=news if i % 2 else None,
            kind=ArticleKind.NOTICE if i % 5 == 0 else ArticleKind.ARTICLE,
            pinned=i in (3, 8),
            body_mn="ᠮᠣᠩᠭᠣᠯ" if i % 3 == 0 else "",
            title_mn="ᠭᠠᠷᠴᠠᠭ" if i == 4 else "",
            ago=timedelta(hours=i + 1),
        )
    for i in range(6):
        publish(
            cast.township1,
            title=f"镇{i}",
            on=(cast.village1a,),
            column=tnews if i % 2 else None,
            kind=ArticleKind.NOTICE if i == 2 else ArticleKind.ARTICLE,
            ago=timedelta(minutes=30 * i + 7),
        )
    recommended = publish(cast.village1b, title="荐", ago=timedelta(hours=2, minutes=5))
    Placement.objects.create(
        article=recommended, unit=cast.village1a, via=PlacementVia.RECOMMENDED, accepted=True
    )
    draft = publish(cast.village1a, title="草", status=ArticleStatus.DRAFT)
    assert draft.pk
    publish(cast.village1b, title="邻")


def _same(fast: list[Any], orm: list[Any]) -> None:
    assert [
        (a.pk, a.title, a.title_mn, a.has_mn_body, a.pinned, a.published_at, a.via, a.unit.pk)
        for a in fast
    ] == [
        (a.pk, a.title, a.title_mn, bool(a.has_mn_body), a.pinned, a.published_at, a.via, a.unit.pk)
        for a in orm
    ]
    assert [(a.unit.code, a.unit.name, a.unit.name_mn) for a in fast] == [
        (a.unit.code, a.unit.name, a.unit.name_mn) for a in orm
    ]


@pytest.mark.parametrize(
    "where",
    [
        {},
        {"kind": ArticleKind.ARTICLE},
        {"kind": ArticleKind.NOTICE},
        {"column_keys": ["news"]},
        {"column_keys": ["news", "governance"]},
    ],
)
def test_the_fast_list_is_the_orm_list_on_varied_data(cast: Any, where: dict[str, Any]) -> None:
    _varied(cast)
    for unit in (cast.village1a, cast.township1, cast.village1b):
        orm = PlacedArticles(unit=unit, **where)
        fast = ListedRows(unit=unit, **where)
        assert fast.count() == orm.count()
        _same(list(fast), list(orm))
        for start, stop in ((0, 5), (5, 10), (3, 4), (10, 40), (40, 50)):
            _same(fast[start:stop], orm[start:stop])
        if orm.count():
            _same([fast[0]], [orm[0]])
    assert listed_count(unit=cast.village1a) > 15  # the data is varied enough to page


# --- The unit's picture in one fixed statement (``public._site_picture``) ----------------------


def _orm_picture(unit: Any) -> Any:
    from nutag.sites.models import Article
    from nutag.sites.selectors.public import LIST_DEFERRED, published_q

    return (
        Article.objects.filter(published_q(), unit=unit)
        .exclude(cover="")
        .defer(*LIST_DEFERRED)
        .order_by("-published_at", "-id")
        .first()
    )


def test_the_picture_is_never_a_draft_a_scheduled_a_withdrawn_or_a_siblings(cast: Any) -> None:
    from nutag.sites.selectors.public import _site_picture

    publish(cast.village1a, title="草稿", status=ArticleStatus.DRAFT, cover="covers/d.jpg")
    publish(cast.village1a, title="撤回", status=ArticleStatus.WITHDRAWN, cover="covers/w.jpg")
    publish(
        cast.village1a,
        title="明天",
        cover="covers/s.jpg",
        publish_at=timezone.now() + timedelta(days=1),
    )
    publish(cast.village1b, title="邻村", cover="covers/n.jpg")
    publish(cast.township1, title="镇里", cover="covers/t.jpg", on=(cast.village1a,))  # pushed
    publish(cast.village1a, title="无图")
    assert _site_picture(cast.village1a) is None is _orm_picture(cast.village1a)


def test_the_picture_is_the_orms_newest_cover_with_its_cover_fields(cast: Any) -> None:
    from nutag.sites.selectors.public import _site_picture

    old = publish(cast.village1a, title="旧图", cover="covers/a.jpg", ago=timedelta(days=3))
    same_time = timezone.now() - timedelta(days=1)
    first = publish(cast.village1a, title="同时一", cover="covers/b.jpg", ago=timedelta(days=1))
    second = publish(cast.village1a, title="同时二", cover="covers/c.jpg", ago=timedelta(days=1))
    type(first).objects.filter(pk__in=[first.pk, second.pk]).update(published_at=same_time)
    variants = [{"width": 480, "height": 320, "jpeg": "covers/c-480.jpg"}]
    stored = {"name": "c", "width": 900, "height": 600, "variants": variants}
    type(second).objects.filter(pk=second.pk).update(
        cover_width=900, cover_height=600, cover_image=stored
    )
    publish(cast.village1a, title="新的无图")
    fast, orm = _site_picture(cast.village1a), _orm_picture(cast.village1a)
    assert fast is not None and orm is not None
    assert fast.pk == orm.pk == second.pk  # the newest, then the highest id
    fields = ("cover_width", "cover_height", "cover_image")
    assert [getattr(fast, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert fast.cover_image == stored  # the JSON read back as the model reads it
    assert fast.cover.name == orm.cover.name and fast.cover.url == orm.cover.url
    assert cover_share_url(fast) == cover_share_url(orm) and cover_img(fast) == cover_img(orm)
    type(second).objects.filter(pk__in=[first.pk, second.pk]).update(status=ArticleStatus.WITHDRAWN)
    assert _site_picture(cast.village1a).pk == old.pk == _orm_picture(cast.village1a).pk  # type: ignore[union-attr]
    assert not _site_picture(cast.village1a).cover_image  # type: ignore[union-attr]


def test_the_pictures_statement_writes_the_partial_index_constant(cast: Any) -> None:
    """SQLite prepares a statement again at every run when a bound value is compared with a
    partial index's condition (``article_newest_cover``: ``NOT (cover = '')``): the empty
    cover is written in the statement, one statement, nothing of the cover bound."""
    from django.db import connection

    from nutag.sites.selectors.public import _site_picture

    publish(cast.village1a, title="有图", cover="covers/a.jpg")
    sent: list[tuple[str, Any]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))  # as sent to the driver, before any quoting for logs
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        assert _site_picture(cast.village1a) is not None
    [(sql, params)] = sent
    assert "NOT (a.cover = '')" in sql and "" not in list(params)


def test_a_page_started_after_a_row_is_the_page_skipped_to(cast: Any) -> None:
    """``after``: the rows after a row's ``place`` are the rows an offset skips to — with
    pinned articles, articles shown from the same moment, several columns, pushed and own
    placements, from any row and with any skip; nothing after the last row; ``after`` with
    no column is still nothing."""
    unit = cast.village1a
    news = Column.objects.get_or_create(unit=unit, key="news", title="新闻")[0]
    for n in range(33):
        publish(
            cast.township1 if n % 4 == 0 else unit,
            title=f"第{n:02d}条",
            column=news,
            on=(unit,) if n % 4 == 0 else (),
            pinned=n in (3, 17),
            ago=timedelta(hours=n // 3),
        )
    Placement.objects.filter(unit=unit).update(column_key="news")
    for group in range(11):  # three articles shown from the very same moment, each time
        titles = [f"第{n:02d}条" for n in range(3 * group, 3 * group + 3)]
        Placement.objects.filter(unit=unit, article__title__in=titles).update(
            shown_from=timezone.now() - timedelta(hours=group)
        )
    every = listed_rows(unit=unit, column_keys=["news", "notes"])
    assert len(every) == 33
    assert len({row.place[1] for row in every}) == 11
    for size in (1, 5, 7):
        start = 0
        after = None
        while start < len(every):
            page = listed_rows(unit=unit, column_keys=["news", "notes"], limit=size, after=after)
            assert page == every[start : start + size], (size, start)
            after, start = page[-1].place, start + size
        assert listed_rows(unit=unit, column_keys=["news"], after=every[-1].place) == []
    assert listed_rows(unit=unit, column_keys=[], after=every[0].place) == []
    # skipping from a row: the page after the next
    assert (
        listed_rows(unit=unit, column_keys=["news"], offset=5, limit=5, after=every[4].place)
        == (every[10:15])
    )
    # from every row, pinned or not, first, middle or last of its moment, any skip
    for i, row in enumerate(every):
        for skip in (0, 1, 4, 9):
            assert (
                listed_rows(unit=unit, column_keys=["news"], offset=skip, limit=3, after=row.place)
                == every[i + 1 + skip : i + 4 + skip]
            ), (i, skip)


def test_the_columns_with_something_listed_are_those_the_orm_finds(cast: Any) -> None:
    """``listed_column_keys``: not a sibling's, a scheduled, an unaccepted or a column-less
    placement's key; every other key once."""
    from nutag.sites.selectors.public import listed
    from nutag.sites.selectors.rows import listed_column_keys

    unit = cast.village1a
    assert listed_column_keys(unit=unit) == frozenset()
    for n, key in enumerate(["news", "news", "party", "", "zz", "later", "unaccepted"]):
        article = publish(unit, title=f"第{n}条")
        Placement.objects.filter(article=article).update(column_key=key)
    Placement.objects.filter(unit=unit, column_key="later").update(
        shown_from=timezone.now() + timedelta(days=1)
    )
    Placement.objects.filter(unit=unit, column_key="unaccepted").update(accepted=False)
    publish(cast.village1b, title="邻村的", column=None)
    Placement.objects.filter(unit=cast.village1b).update(column_key="elsewhere")
    orm = frozenset(listed(unit=unit).exclude(column_key="").values_list("column_key", flat=True))
    assert listed_column_keys(unit=unit) == orm == {"news", "party", "zz"}


def test_a_columns_list_and_count_walk_the_accepted_placements_index_alone(cast: Any) -> None:
    """Negatives first: a scheduled article, pinned or not, an unaccepted recommendation and
    a sibling's article are neither listed nor counted in the column, on any page. Then, on
    SQLite, the column's statement skipping to a later page (from the start, or from the end
    of a page shown before) and its count walk the accepted placements' index
    (``placement_column_shown``) over a range, test no row value on each entry and read no
    row of the table: a deep page of a column of 10,000 skips index entries only (issue 17,
    ``bench/RESULTS.md``, session 20)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unit = cast.village1a
    news = Column.objects.create(unit=unit, key="news", title="新闻")
    shown = [
        publish(unit, title=f"第{n}条", column=news, pinned=n == 2, ago=timedelta(hours=n + 1))
        for n in range(6)
    ]
    for pinned in (True, False):
        later = publish(unit, title="定时", column=news, pinned=pinned)
        Placement.objects.filter(article=later).update(shown_from=timezone.now() + timedelta(1))
    offered = publish(cast.village1b, title="荐", column=news)
    Placement.objects.create(
        article=offered, unit=unit, via=PlacementVia.RECOMMENDED, accepted=False
    )
    publish(cast.village1b, title="邻", column=news)
    order = [shown[2], *(a for a in shown if a is not shown[2])]  # pinned first, then newest
    with CaptureQueriesContext(connection) as ctx:
        rows = listed_rows(unit=unit, column_keys=["news"], offset=2, limit=3)
        count = listed_count(unit=unit, column_keys=["news"])
        after = listed_rows(unit=unit, column_keys=["news"], offset=1, limit=2, after=rows[0].place)
    assert [a.title for a in rows] == [a.title for a in order[2:5]]
    assert count == 6
    assert [a.title for a in after] == [a.title for a in order[4:6]]
    assert [a.title for a in listed_rows(unit=unit, column_keys=["news"])] == [
        a.title for a in order
    ]
    if connection.vendor != "sqlite":
        return
    for query in ctx.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        assert "COVERING INDEX placement_column_shown" in plan, plan
        assert "shown_from<?" in plan, plan  # a range of the index, not every entry tested
        assert "article_id)<" not in plan, plan  # nor a row value, tested on every entry
