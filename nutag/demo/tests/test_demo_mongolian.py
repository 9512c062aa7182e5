"""The demo in Mongolian (``nutag.demo.mongolian``): every unit, default column and demo
article has a Mongolian version, and the pages show it to a Mongolian reader."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from nutag.demo.mongolian import ARTICLES, UNIT_NAMES
from nutag.demo.tests import test_demo
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q

demo_output = test_demo.demo_output  # the demo, built once for this module

FOREIGN = re.compile(r"[A-Za-z\u4e00-\u9fff\u0400-\u04ff]")


def _mongolian(text: str) -> bool:
    """Traditional Mongolian script (with punctuation), no Latin, Chinese or Cyrillic."""
    return bool(re.search(r"[\u1820-\u1878]", text)) and not FOREIGN.search(text)


CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.fixture
def banner_mn(demo_output, db) -> Unit:  # type: ignore[no-untyped-def]
    return Unit.objects.get(code="150725")


def _reader(lang: str = "mn-mong") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def test_every_unit_has_a_name_in_the_traditional_script(banner_mn: Unit) -> None:
    units = Unit.objects.filter(subtree_q(banner_mn.path))
    missing = [u.name for u in units if not u.name_mn]
    assert not missing
    for unit in units:
        assert _mongolian(unit.name_mn), (unit.name, unit.name_mn)


def test_every_column_and_demo_article_has_a_mongolian_version(banner_mn: Unit) -> None:
    from nutag.demo.site import DEMO_ARTICLES
    from nutag.sites.models import Article, Column

    assert not Column.objects.filter(title_mn="").exists()
    assert set(ARTICLES) == {a.title for a in DEMO_ARTICLES}
    for article in Article.objects.all():
        assert _mongolian(article.title_mn), article.title
        assert article.body_mn.startswith("<p>") and "ᠲ" in article.body_mn


def test_the_names_table_covers_only_demo_names() -> None:
    for latin in UNIT_NAMES.values():
        assert latin == latin.strip() and "  " not in latin


def test_public_pages_name_the_unit_in_mongolian(banner_mn: Unit) -> None:
    village = Unit.objects.get(code="150725100201")
    client = _reader()
    html = client.get(f"/u/{village.code}/").content.decode()
    assert f"<title>{village.name_mn}</title>" in html
    assert f'<header class="bar"><a href="/u/{village.code}/">{village.name_mn}</a>' in html
    assert not CYRILLIC.search(html)
    from django.utils.html import escape

    from nutag.sites.models import Article

    notice = Article.objects.get(unit=banner_mn, kind="notice")  # pushed down to the village
    assert escape(notice.title_mn) in html
    chinese = _reader("zh-hans").get(f"/u/{village.code}/").content.decode()
    assert f"<title>{village.name}</title>" in chinese


def test_dashboard_names_units_in_mongolian(banner_mn: Unit) -> None:
    user = get_user_model().objects.get(username="demo-banner")
    client = _reader()
    client.force_login(user)
    html = client.get(f"/u/{banner_mn.code}/figures/").content.decode()
    assert f"<title>{banner_mn.name_mn}" in html
    assert f"<h1>{banner_mn.name_mn}</h1>" in html
    township = Unit.objects.get(code="150725100")
    assert township.name_mn in html  # the rows of the units below
    assert not CYRILLIC.search(html)


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "en"])
def test_other_languages_keep_the_chinese_names(banner_mn: Unit, lang: str) -> None:
    user = get_user_model().objects.get(username="demo-banner")
    client = _reader(lang)
    client.force_login(user)
    html = client.get(f"/u/{banner_mn.code}/figures/").content.decode()
    assert f"<h1>{banner_mn.name}</h1>" in html
    assert f"<title>{banner_mn.name} · " in html
