"""The public pages in the four languages: traditional Chinese converts the article text for
display (tags untouched), Mongolian shows an article's Mongolian version and lays the page out
vertically, English works, and the choice is remembered."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.sites.models import ArticleKind
from nutag.sites.templatetags.public_site import article_text, html_to_traditional

from .test_public import html, publish


def visitor(lang: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def test_html_conversion_keeps_every_tag_and_attribute():
    source = (
        '<p class="lead">关心下一代的发展</p>'
        '<a href="/media/attachments/1/关心下一代.pdf" title="软件">下载软件</a>'
        '<img src="/media/发展.jpg" alt="" width="720" height="480"><br>'
        "<ul><li>后台 &amp; 里面</li></ul>"
    )
    converted = html_to_traditional(source)
    assert converted == (
        '<p class="lead">關心下一代的發展</p>'
        '<a href="/media/attachments/1/关心下一代.pdf" title="软件">下載軟件</a>'
        '<img src="/media/发展.jpg" alt="" width="720" height="480"><br>'
        "<ul><li>後臺 &amp; 裡面</li></ul>"
    )


def test_traditional_chinese_converts_the_article_and_translates_the_interface(cast):
    article = publish(
        cast.township1,
        title="关心下一代工作简报",
        summary="发展与进步",
        body='<p>这里是正文。<a href="/media/关心.pdf">关心</a></p>',
        on=(cast.village1a,),
        read_count=1234,
    )
    body = html(visitor("zh-hant").get(f"/u/{cast.village1a.code}/a/{article.pk}/"))
    assert 'lang="zh-hant"' in body
    assert "<h1>關心下一代工作簡報</h1>" in body
    assert "發展與進步" in body
    assert '<p>這裡是正文。<a href="/media/关心.pdf">關心</a></p>' in body
    assert "第一鎮" in body  # the source unit's name, converted too
    assert re.search(r"閱讀 1,23[45]<", body)  # the interface, from the zh_Hant catalogue
    assert '<meta property="og:title" content="關心下一代工作簡報">' in body


def test_traditional_chinese_home_and_column(cast):
    publish(cast.village1a, title="村里的发展", kind=ArticleKind.NOTICE)
    client = visitor("zh-hant")
    home = html(client.get(f"/u/{cast.village1a.code}/"))
    assert "村裡的發展" in home
    assert "村里的发展" not in home
    assert '<h1 class="grow">一甲嘎查</h1>' in home
    column = html(client.get(f"/u/{cast.village1a.code}/c/news/"))
    assert 'lang="zh-hant"' in column


def test_mongolian_shows_the_mongolian_version_vertically(cast):
    mongolian = publish(
        cast.village1a,
        title="关心下一代",
        title_mn="ᠬᠣᠵᠢᠭᠤ ᠦᠶ᠎ᠡ",
        summary="摘要",
        summary_mn="ᠲᠣᠪᠴᠢ",
        body="<p>中文正文</p>",
        body_mn="<p>ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ</p>",
    )
    chinese_only = publish(cast.village1a, title="只有中文", body="<p>中文</p>")
    client = visitor("mn-mong")
    body = html(client.get(f"/u/{cast.village1a.code}/a/{mongolian.pk}/"))
    assert '<html lang="mn-mong"' in body
    assert "html[lang=mn-mong] main{writing-mode:vertical-lr" in body
    assert '<article id="article" lang="mn-Mong">' in body
    assert "<h1>ᠬᠣᠵᠢᠭᠤ ᠦᠶ᠎ᠡ</h1>" in body
    assert "ᠲᠣᠪᠴᠢ" in body
    assert "<p>ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ</p>" in body
    assert "中文正文" not in body
    assert 'data-lang="mn"' in body  # the browser's voice reads Mongolian
    # without a Mongolian version, the Chinese text (and a Chinese voice)
    body = html(client.get(f"/u/{cast.village1a.code}/a/{chinese_only.pk}/"))
    assert "<h1>只有中文</h1>" in body
    assert '<article id="article" class="zh-only" lang="zh-Hans">' in body  # set horizontally
    assert 'class="zh-note' in body
    assert 'data-lang="zh-CN"' in body
    # the list on the home page uses the Mongolian title
    home = html(client.get(f"/u/{cast.village1a.code}/"))
    assert '<span lang="mn-Mong">ᠬᠣᠵᠢᠭᠤ ᠦᠶ᠎ᠡ</span>' in home


def test_mongolian_column_titles_and_unit_names(cast):
    Unit.objects.filter(pk=cast.village1a.pk).update(name_mn="ᠨᠢᠭᠡ ᠭᠠᠴᠠᠭ᠎ᠠ")
    from nutag.sites.models import Column

    news = Column.objects.create(
        unit=cast.village1a, key="news", title="信息资讯", title_mn="ᠮᠡᠳᠡᠭᠡ"
    )
    publish(cast.village1a, title="新闻", column=news)  # an empty column is not shown
    home = html(visitor("mn-mong").get(f"/u/{cast.village1a.code}/"))
    assert ">ᠮᠡᠳᠡᠭᠡ</a>" in home
    assert "ᠨᠢᠭᠡ ᠭᠠᠴᠠᠭ᠎ᠠ" in home


def test_article_text_in_each_language(cast):
    article = publish(cast.village1a, title="发展", title_mn="ᠬᠥᠭᠵᠢᠯ")
    expected = {"zh-hans": "发展", "zh-hant": "發展", "mn-mong": "ᠬᠥᠭᠵᠢᠯ", "en": "发展"}
    for lang, title in expected.items():
        with translation.override(lang):
            assert article_text(article, "title") == title


def test_english_pages(cast):
    article = publish(cast.village1a, title="文章", read_count=5)
    client = visitor("en")
    body = html(client.get(f"/u/{cast.village1a.code}/a/{article.pk}/"))
    assert 'lang="en"' in body
    assert re.search(r"[56] reads<", body)
    assert ">Listen<" in body
    home = html(client.get(f"/u/{cast.village1a.code}/"))
    assert "Notices" in home or "Latest" in home


@pytest.mark.parametrize(
    ("lang", "word"), [("zh-hant", "閱讀"), ("en", "reads"), ("zh-hans", "阅读")]
)
def test_language_choice_is_remembered_on_the_public_site(cast, lang, word):
    article = publish(cast.village1a, title="文章")
    client = Client()
    url = f"/u/{cast.village1a.code}/a/{article.pk}/"
    r = client.post("/i18n/setlang/", {"language": lang, "next": url})
    assert r.status_code == 302
    assert r["Location"] == url
    assert word in html(client.get(url))


def test_larger_text_is_remembered_on_the_public_site(cast):
    client = Client()
    url = f"/u/{cast.village1a.code}/"
    assert '<html lang="zh-hans">' in html(client.get(url))
    client.post("/text-size/", {"large": "1", "next": url})
    assert '<html lang="zh-hans" class="large">' in html(client.get(url))


def test_saved_default_columns_read_in_the_visitors_language(cast, client):
    from nutag.sites.services import columns_ensure

    with translation.override("zh-hans"):
        columns_ensure(acting_user=SYSTEM, unit=cast.village1a)
    from nutag.sites.models import Column

    # something to read inside the group, so the group is shown
    publish(cast.village1a, column=Column.objects.get(unit=cast.village1a, key="online_study"))
    client.cookies["nutag_lang"] = "en"
    html = client.get(f"/u/{cast.village1a.code}/").content.decode()
    assert "Party Building Home" in html
    client.cookies["nutag_lang"] = "zh-hans"
    html = client.get(f"/u/{cast.village1a.code}/").content.decode()
    assert "党建之家" in html
