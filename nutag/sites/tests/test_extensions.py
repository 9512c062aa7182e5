"""The slots through which higher apps show content on a unit's site (sites/extensions.py):
nothing shows for units the app has nothing for, a filled column is listed to visitors, and the
content appears on the home and column pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from nutag.orgs.models import Unit
from nutag.sites import extensions

KEY = "test.block"


def _block(request: object, unit: Unit) -> str:
    return (
        f'<p class="test-block">{escape(unit.name)} &amp; block</p>'
        if unit.code.endswith("201")
        else ""
    )


def _column(request: object, unit: Unit, column: object) -> str:
    return '<p class="test-column">courses</p>'


def _has_content(unit: Unit) -> bool:
    return unit.code.endswith("201")


@pytest.fixture
def slots() -> Iterator[None]:
    kept = extensions.registry_snapshot()  # the real online_study pages stay registered after
    extensions.register_home_block(KEY, _block)
    extensions.register_column_page("online_study", _column, has_content=_has_content)
    extensions.register_column_page("online_study", _column, has_content=_has_content)  # once
    yield
    extensions.registry_restore(kept)


def test_a_unit_the_app_has_nothing_for_shows_nothing(cast, slots) -> None:
    page = Client().get(reverse("site-home", args=[cast.village1b.code])).content.decode()
    assert "test-block" not in page
    assert reverse("site-column", args=[cast.village1b.code, "online_study"]) not in page


def test_home_shows_the_block_and_lists_the_filled_column(cast, slots) -> None:
    page = Client().get(reverse("site-home", args=[cast.village1a.code])).content.decode()
    assert page.count('class="test-block"') == 1
    # the column's parent is listed on the home page although no article is in it
    assert reverse("site-column", args=[cast.village1a.code, "party_home"]) in page


def test_the_column_page_shows_the_app_content_once(cast, slots) -> None:
    url = reverse("site-column", args=[cast.village1a.code, "online_study"])
    page = Client().get(url).content.decode()
    assert page.count('class="test-column"') == 1


def test_without_registrations_nothing_changes(cast) -> None:
    page = Client().get(reverse("site-home", args=[cast.village1a.code])).content.decode()
    assert "test-block" not in page
    assert extensions.columns_with_content(cast.village1a) == set()


def test_an_article_block_shows_under_the_article_once(cast) -> None:
    from django.utils import timezone

    from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia

    article = Article.objects.create(
        unit=cast.village1a,
        title="文章",
        status=ArticleStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    Placement.objects.create(article=article, unit=cast.village1a, via=PlacementVia.OWN)

    def _under(request: object, unit: Unit, shown: object) -> str:
        return f'<p class="test-under">{getattr(shown, "pk", "")}</p>'

    extensions.register_article_block(KEY, _under)
    extensions.register_article_block(KEY, _under)  # once
    try:
        url = reverse("site-article", args=[cast.village1a.code, article.pk])
        page = Client().get(url).content.decode()
    finally:
        extensions.unregister(KEY)
    assert page.count(f'<p class="test-under">{article.pk}</p>') == 1


def test_a_page_script_loads_deferred_on_the_units_that_want_it(cast) -> None:
    extensions.register_page_script("test.script", "sites/listen.js", wanted=_has_content)
    try:
        tag = f'<script src="/static/sites/listen.js" data-unit="{cast.village1a.code}" defer>'
        for url in (
            reverse("site-home", args=[cast.village1a.code]),
            reverse("site-column", args=[cast.village1a.code, "news"]),
        ):
            assert Client().get(url).content.decode().count(tag) == 1, url
        other = Client().get(reverse("site-home", args=[cast.village1b.code])).content.decode()
        assert 'data-unit="' not in other
    finally:
        extensions.unregister("test.script")
    assert extensions.page_scripts(cast.village1a) == ""
