"""Answers kept under the unit's page generation (``selectors.memo``, issue 17): which columns
have content and which home blocks are empty are asked once per purge, never stale after an
announced change, never shared between units."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.sites import extensions, services
from nutag.sites.events import announce_site_change
from nutag.sites.selectors.public import columns_with_articles, site_columns, top_columns

pytestmark = pytest.mark.django_db

KEY = "test.memo-block"
FILLED: set[int] = set()  # units the test app has content for
ASKED: list[int] = []


def _has_content(unit: Unit) -> bool:
    ASKED.append(unit.pk)
    return unit.pk in FILLED


def _block(request: object, unit: Unit) -> str:
    ASKED.append(-unit.pk)
    return '<p class="memo-block">open</p>' if unit.pk in FILLED else ""


@pytest.fixture
def app() -> Iterator[None]:
    FILLED.clear()
    ASKED.clear()
    kept = extensions.registry_snapshot()  # the real tourism column stays registered after
    extensions.register_column_page("tourism", lambda r, u, c: "", has_content=_has_content)
    extensions.register_home_block(KEY, _block, unit_only=True)
    yield
    extensions.registry_restore(kept)
    FILLED.clear()


def _home(client: Client, unit: Unit) -> str:
    response = client.get(reverse("site-home", args=[unit.code]))
    assert response.status_code == 200
    return response.content.decode()


def _link(unit: Unit, key: str) -> str:
    return reverse("site-column", args=[unit.code, key])


def _used(unit: Unit) -> set[str]:
    columns = site_columns(unit=unit)
    found = columns_with_articles(unit=unit, columns=top_columns(columns=columns), every=columns)
    return {c.key for c in found}


def test_a_sibling_never_gets_another_units_answer(cast: Any, app: None) -> None:
    FILLED.add(cast.village1a.pk)
    assert "tourism" in _used(cast.village1a)
    assert "tourism" not in _used(cast.village1b)  # same question, the sibling's own answer
    FILLED.add(cast.village1b.pk)
    with override_settings(NUTAG_PAGE_CACHE_SECONDS=300):
        announce_site_change(unit_ids=[cast.village1b.pk])
    # the announcement is sent on commit: nothing changed yet for anyone
    assert "tourism" not in _used(cast.village1b)


def test_with_the_page_cache_off_nothing_is_kept(cast: Any, app: None) -> None:
    with override_settings(NUTAG_PAGE_CACHE_SECONDS=0):
        _used(cast.village1a)
        _used(cast.village1a)
    assert ASKED.count(cast.village1a.pk) == 2


def test_an_answer_is_asked_once_until_the_units_pages_are_purged(
    cast: Any, app: None, django_capture_on_commit_callbacks: Any
) -> None:
    _used(cast.village1a)
    _used(cast.village1a)
    assert ASKED.count(cast.village1a.pk) == 1  # kept
    FILLED.add(cast.village1a.pk)
    assert "tourism" not in _used(cast.village1a)  # an unannounced change is not seen …
    with django_capture_on_commit_callbacks(execute=True):
        announce_site_change(unit_ids=[cast.village1a.pk])
    assert "tourism" in _used(cast.village1a)  # … an announced one is, at once
    assert ASKED.count(cast.village1a.pk) == 2


def test_the_column_and_the_block_follow_announced_changes_on_the_next_request(
    cast: Any, app: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    page = _home(client, cast.village1a)
    assert _link(cast.village1a, "tourism") not in page and "memo-block" not in page
    FILLED.add(cast.village1a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        announce_site_change(unit_ids=[cast.village1a.pk])
    page = _home(client, cast.village1a)
    assert _link(cast.village1a, "tourism") in page and "memo-block" in page
    FILLED.discard(cast.village1a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        announce_site_change(unit_ids=[cast.village1a.pk])
    page = _home(client, cast.village1a)
    assert _link(cast.village1a, "tourism") not in page and "memo-block" not in page


def test_a_published_then_withdrawn_article_shows_and_hides_its_column(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    assert _link(cast.village1a, "revitalisation") not in _home(client, cast.village1a)
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(
            acting_user=SYSTEM,
            unit=cast.village1a,
            data=services.ArticleInput(title="振兴", column_key="revitalisation", body="<p>x</p>"),
        )
        services.article_publish(acting_user=SYSTEM, article=article)
    assert _link(cast.village1a, "revitalisation") in _home(client, cast.village1a)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(acting_user=SYSTEM, article=article)
    assert _link(cast.village1a, "revitalisation") not in _home(client, cast.village1a)


def test_a_render_after_the_first_asks_no_extension_again(
    cast: Any, app: None, client: Client
) -> None:
    client.force_login(cast.village1a_secretary)  # logged in: every request is rendered
    _home(client, cast.village1a)
    asked = len(ASKED)
    with CaptureQueriesContext(connection) as first:
        _home(client, cast.village1a)
    assert len(ASKED) == asked  # neither the column's check nor the empty block again
    from django.core.cache import cache

    from nutag.sites import shapes

    cache.clear()
    shapes.forget()  # the page's kept shape too: the render asks everything again
    with CaptureQueriesContext(connection) as cold:
        _home(client, cast.village1a)
    assert len(ASKED) == asked + 2
    # the real apps' checks (voice, study, disclosure, market, tourism, grid) are kept too
    assert len(cold.captured_queries) - len(first.captured_queries) >= 7


def test_a_renamed_column_and_a_new_picture_show_on_the_next_render(
    cast: Any, client: Client
) -> None:
    """The unit's columns and picture are kept too (``site_columns(memo=True)``,
    ``site_picture``); a column's or an article's save purges the unit's pages at once."""
    from nutag.sites.models import Column
    from nutag.sites.selectors.public import site_picture
    from nutag.sites.tests.test_public import publish

    client.force_login(cast.village1a_secretary)  # logged in: every request is rendered
    news = Column.objects.create(unit=cast.village1a, key="news", title="旧名")
    publish(cast.village1a, title="文章", column=news)
    assert "旧名" in _home(client, cast.village1a)
    assert site_picture(unit=cast.village1a) is None
    news.title = "新名"
    news.save()
    page = _home(client, cast.village1a)
    assert "新名" in page and "旧名" not in page
    covered = publish(cast.village1a, title="有图", cover="covers/x.jpg")
    picture = site_picture(unit=cast.village1a)
    assert picture is not None and picture.pk == covered.pk
    assert publish(cast.village1b, title="邻村有图", cover="covers/y.jpg")
    assert site_picture(unit=cast.village1a).pk == covered.pk  # type: ignore[union-attr]


# --- The apps' answers kept apart from the articles' (``slots``) ------------------------------


def _rendering(cast: Any) -> Client:
    """The village secretary's client (logged in: every request is rendered), once its home
    has been asked for (the answers kept)."""
    client = Client()
    client.force_login(cast.village1a_secretary)
    _home(client, cast.village1a)
    return client


def _publish(unit: Unit, column_key: str, secretary: Any) -> Any:
    article = services.article_create(
        acting_user=secretary,
        unit=unit,
        data=services.ArticleInput(title="新闻", column_key=column_key, body="<p>x</p>"),
    )
    services.article_publish(acting_user=secretary, article=article)
    return article


def test_a_publish_asks_the_articles_again_but_no_other_app(
    cast: Any, app: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(cast.village1a_secretary)  # logged in: every request is rendered
    village = cast.village1a
    page = _home(client, village)
    assert _link(village, "revitalisation") not in page and "memo-block" not in page
    asked = ASKED.count(village.pk), ASKED.count(-village.pk)
    assert asked == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        article = _publish(village, "revitalisation", cast.village1a_secretary)
    page = _home(client, village)
    assert _link(village, "revitalisation") in page  # the articles' part asked again …
    assert (ASKED.count(village.pk), ASKED.count(-village.pk)) == asked  # … no app's
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(acting_user=cast.village1a_secretary, article=article)
    assert _link(village, "revitalisation") not in _home(client, village)
    assert (ASKED.count(village.pk), ASKED.count(-village.pk)) == asked


def test_after_a_publish_an_apps_change_still_shows_once_announced(
    cast: Any, app: None, django_capture_on_commit_callbacks: Any
) -> None:
    village = cast.village1a
    client = _rendering(cast)
    FILLED.add(village.pk)  # the app's content, not yet announced
    with django_capture_on_commit_callbacks(execute=True):
        _publish(village, "news", cast.village1a_secretary)
    page = _home(client, village)
    # a publish is no announcement of the app's: its kept answers hold (documented contract)
    assert _link(village, "tourism") not in page and "memo-block" not in page
    with django_capture_on_commit_callbacks(execute=True):
        announce_site_change(unit_ids=[village.pk])  # what the app's services do
    page = _home(client, village)
    assert _link(village, "tourism") in page and "memo-block" in page


def test_sites_own_changes_keep_the_apps_answers(
    cast: Any, app: None, django_capture_on_commit_callbacks: Any
) -> None:
    """Columns saved and renamed, an article pushed down: all sites' own content."""
    from nutag.sites.tests.test_services import published

    village = cast.village1a
    client = _rendering(cast)
    asked = len(ASKED)
    with django_capture_on_commit_callbacks(execute=True):
        columns = services.columns_ensure(acting_user=cast.village1a_secretary, unit=village)
    news = next(c for c in columns if c.key == "news")
    with django_capture_on_commit_callbacks(execute=True):
        services.column_update(
            acting_user=cast.village1a_secretary,
            column=news,
            title="村里新闻",
            title_mn="",
            enabled=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        notice = published(cast.township1, title="镇通知", kind="notice")
        services.article_push(
            acting_user=cast.township1_secretary, article=notice, unit_ids=[village.pk]
        )
    page = _home(client, village)
    assert "镇通知" in page  # the pages were purged …
    assert len(ASKED) == asked  # … and no app was asked again


def test_an_apps_announcement_forgets_only_that_units_answers(
    cast: Any, app: None, django_capture_on_commit_callbacks: Any
) -> None:
    _used(cast.village1a)
    _used(cast.village1b)
    with django_capture_on_commit_callbacks(execute=True):
        announce_site_change(unit_ids=[cast.village1b.pk])
    _used(cast.village1a)
    _used(cast.village1b)
    assert ASKED.count(cast.village1a.pk) == 1  # the sibling's change is not this unit's
    assert ASKED.count(cast.village1b.pk) == 2


def test_a_site_wide_purge_forgets_the_apps_answers(cast: Any, app: None) -> None:
    """A unit renamed (or a raw load) purges every page: the apps' answers go with them."""
    from nutag.sites import caching

    _used(cast.village1a)
    caching.purge_everything()
    _used(cast.village1a)
    assert ASKED.count(cast.village1a.pk) == 2


# --- Kept answers across an upgrade ------------------------------------------------------------


def test_an_answer_kept_by_code_with_other_classes_is_never_read(cast: Any) -> None:
    """With Redis, kept answers outlive a restart: the home's news (``HomeNews``: rows,
    the picture) is kept under a name that changes with its classes' fields, so the code
    after an upgrade that changes them never unpickles what the code before it kept."""
    import dataclasses

    from django.core.cache import caches

    from nutag.sites.selectors import public as selectors
    from nutag.sites.selectors.memo import layout, memo_key
    from nutag.sites.selectors.rows import ListedArticle, ListedUnit

    @dataclasses.dataclass
    class Row:
        a: int

    first = layout(Row)

    @dataclasses.dataclass  # type: ignore[no-redef]
    class Row:  # the same class, a field added
        a: int
        b: int

    added = layout(Row)

    @dataclasses.dataclass  # type: ignore[no-redef]
    class Row:  # renamed
        a: int
        c: int

    renamed = layout(Row)
    assert len({first, added, renamed}) == 3

    @dataclasses.dataclass  # type: ignore[no-redef]
    class Row:  # defined again as before (another worker): the same name
        a: int
        b: int

    assert layout(Row) == added
    now = layout(selectors.HomeNews, ListedArticle, ListedUnit, selectors.Picture)
    assert f"home_news:{now}" == selectors._HOME_NEWS
    # what older code kept under its own name is not what the home reads
    with override_settings(NUTAG_PAGE_CACHE_SECONDS=300):
        older = memo_key(cast.village1a, "home_news:00000000")
        caches["default"].set(older, ("not a HomeNews",), 300)
        news = selectors.site_home_news(unit=cast.village1a)
        assert isinstance(news, selectors.HomeNews)
        assert caches["default"].get(memo_key(cast.village1a, selectors._HOME_NEWS)) == (news,)
