"""Parts of a public page kept between renders (issue 17, cold renders): the preferences bar
(per language and text size, the request's own path put in on each render), the offline
banner (per language), the column buttons and voice's poll and comments blocks (per unit
page generation). A kept part never shows one reader's data to another (two users,
anonymous and logged in, two units, two languages), and a page with its parts kept is the
page rendered from nothing, byte for byte."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.template import Context
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia
from nutag.voice.services import comments as comment_services

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _article(unit: Any, title: str = "草场新政策") -> Article:
    article = Article.objects.create(
        unit=unit, title=title, status=ArticleStatus.PUBLISHED, published_at=timezone.now()
    )
    Placement.objects.create(article=article, unit=unit, via=PlacementVia.OWN)
    return article


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _nexts(page: str) -> set[str]:
    """The ``next`` of every preference link (language, text size) on the page."""
    bar = page[page.index('<nav class="prefs"') :]
    bar = bar[: bar.index("</nav>")]
    return set(re.findall(r"next=([^\"&]+)", bar))


def _user(unit: Any, name: str) -> Any:
    from nutag.factories import PersonFactory, UserFactory

    user = UserFactory(username=name)
    PersonFactory(unit=unit, name=f"{name}人", user=user, is_resident=True)
    return user


# --- Negatives first: nothing of one reader reaches another ------------------------------


def test_each_page_gets_its_own_path_in_the_kept_preferences_bar(cast: Any) -> None:
    client = Client()
    village, sibling = cast.village1a, cast.village1b
    article = _article(village)
    urls = [
        reverse("site-home", args=[village.code]),
        reverse("site-home", args=[sibling.code]),
        reverse("site-article", args=[village.code, article.pk]),
    ]
    for _ in range(2):  # the bar rendered, then kept: every page names its own path
        for url in urls:
            page = _get(client, url)
            assert _nexts(page) == {url}
            assert "nutag-kept-path" not in page
    # the path is put in as ``urlencode`` printed it (a query string, spaces, Chinese)
    from nutag.sites.templatetags.public_site import prefs_bar

    request = mock.Mock(get_full_path=lambda: "/u/x/c/新闻/?page=2&q=a b")
    context = {"request": request, "NUTAG_LANGUAGES": settings.LANGUAGES, "large_text": False}
    html = prefs_bar(Context(context))
    assert "next=/u/x/c/%E6%96%B0%E9%97%BB/%3Fpage%3D2%26q%3Da%20b" in html
    assert "?page=2" not in html


@mock.patch("nutag.sites.views.public.count_read")
def test_languages_and_text_sizes_are_kept_apart(count: Any, cast: Any) -> None:
    url = reverse("site-home", args=[cast.village1a.code])
    first = {}
    for lang in ("zh-hans", "mn-mong", "zh-hant"):
        for large in (False, True):
            client = Client(HTTP_ACCEPT_LANGUAGE=lang)
            if large:
                client.cookies["nutag_large"] = "1"
            page = _get(client, url)
            assert f'<html lang="{lang}"' in page
            current = re.findall(r'hreflang="([\w-]+)" [^>]*aria-current', page)
            assert current == [lang]  # the bar marks this page's language, not the last one's
            assert ("?large=0" in page) is large and ("?large=1" in page) is not large
            first[(lang, large)] = page
    # asked again (the kept bars): the same pages
    for (lang, large), page in first.items():
        client = Client(HTTP_ACCEPT_LANGUAGE=lang)
        if large:
            client.cookies["nutag_large"] = "1"
        assert _get(client, url) == page


def test_the_kept_comments_block_shows_no_readers_form_or_token_to_another(cast: Any) -> None:
    village = cast.village1a
    article = _article(village)
    url = reverse("site-article", args=[village.code, article.pk])
    resident = _user(village, "r1")
    sibling = _user(cast.village1b, "s1")  # logged in, may not comment here
    anonymous = Client()
    first = _get(anonymous, url)  # kept now, for anonymous readers
    assert "csrfmiddlewaretoken" not in first and "/login/" in first
    logged = Client()
    logged.force_login(resident)
    page = _get(logged, url)
    assert "csrfmiddlewaretoken" in page and 'action="/u/' in page and "/login/?next" not in page
    other = Client()
    other.force_login(sibling)
    page = _get(other, url)
    assert "csrfmiddlewaretoken" not in page.split('id="comments"')[1].split("</section>")[0]
    assert "/login/?next" not in page  # logged in: no invitation to log in
    again = _get(anonymous, url)
    assert "csrfmiddlewaretoken" not in again and "/login/?next" in again
    assert _get(logged, url).count("csrfmiddlewaretoken") >= 1


def test_two_units_and_two_articles_keep_their_own_comments(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    village, sibling = cast.village1a, cast.village1b
    here, there = _article(village, "这里"), _article(sibling, "那里")
    other_here = _article(village, "这里二")
    client = Client()
    urls = {
        "here": reverse("site-article", args=[village.code, here.pk]),
        "there": reverse("site-article", args=[sibling.code, there.pk]),
        "other": reverse("site-article", args=[village.code, other_here.pk]),
    }
    for url in urls.values():
        _get(client, url)  # the empty blocks kept
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_post(
            acting_user=cast.resident, unit=village, text="本村的评论", article=here
        )
    assert "本村的评论" in _get(client, urls["here"])
    assert "本村的评论" not in _get(client, urls["there"])
    assert "本村的评论" not in _get(client, urls["other"])


# --- Changes are seen on the next render -------------------------------------------------


def test_a_comment_posted_hidden_and_held_by_reports_shows_and_goes(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from nutag.voice.services.comments import REPORT_THRESHOLD

    village = cast.village1a
    article = _article(village)
    url = reverse("site-article", args=[village.code, article.pk])
    client = Client()
    assert "要说的话" not in _get(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_services.comment_post(
            acting_user=cast.resident, unit=village, text="要说的话", article=article
        )
    assert "要说的话" in _get(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        hidden = comment_services.comment_moderate(
            acting_user=cast.village1a_secretary,
            comment=comment,
            version=comment.version,
            decision="hide",
        )
    assert "要说的话" not in _get(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_moderate(
            acting_user=cast.village1a_secretary,
            comment=hidden,
            version=hidden.version,
            decision="publish",
        )
    assert "要说的话" in _get(client, url)
    for i in range(REPORT_THRESHOLD):
        with django_capture_on_commit_callbacks(execute=True):
            comment_services.comment_report(acting_user=_user(village, f"x{i}"), comment=comment)
    assert "要说的话" not in _get(client, url)


def test_with_the_memo_off_nothing_is_kept(cast: Any) -> None:
    """``NUTAG_SITE_MEMO_SECONDS=0``: every part rendered again (an unannounced change is
    seen at once)."""
    from nutag.voice.models import Comment, CommentState

    village = cast.village1a
    article = _article(village)
    url = reverse("site-article", args=[village.code, article.pk])
    with override_settings(NUTAG_SITE_MEMO_SECONDS=0, NUTAG_PAGE_CACHE_SECONDS=0):
        assert "不经服务的评论" not in _get(Client(), url)
        Comment.objects.create(
            unit=village,
            unit_path=village.path,
            article=article,
            author_name="某",
            text="不经服务的评论",
            state=CommentState.PUBLISHED,
        )
        assert "不经服务的评论" in _get(Client(), url)


def _mask(page: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="T"', page)


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong"])
def test_a_page_with_its_parts_kept_is_the_page_rendered_from_nothing(
    cast: Any, lang: str, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from nutag.core.actors import SYSTEM
    from nutag.voice.services.polls import poll_create

    village = cast.village1a
    article = _article(village)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        poll_create(
            acting_user=SYSTEM,
            unit=village,
            question="修哪条路？<b>",
            options=["东路", "西路"],
            opens_at=now - dt.timedelta(minutes=1),
            closes_at=now + dt.timedelta(days=3),
        )
        comment_services.comment_post(
            acting_user=cast.resident, unit=village, text="第一行\n第二行 & <i>", article=article
        )
    urls = [
        reverse("site-home", args=[village.code]),
        reverse("site-article", args=[village.code, article.pk]),
        reverse("site-home", args=[cast.township1.code]),
    ]
    resident = _user(village, "r1")
    for who in (None, resident):
        for large in (False, True):
            seen = []
            for seconds in (0, 300, 300):  # rendered from nothing, then kept, then read kept
                client = Client(HTTP_ACCEPT_LANGUAGE=lang)
                if who is not None:
                    client.force_login(who)
                if large:
                    client.cookies["nutag_large"] = "1"
                with (
                    override_settings(NUTAG_SITE_MEMO_SECONDS=seconds, NUTAG_PAGE_CACHE_SECONDS=0),
                    mock.patch("nutag.sites.views.public.count_read"),
                ):
                    seen.append([_mask(_get(client, url)) for url in urls])
            assert seen[0] == seen[1] == seen[2]
            assert "修哪条路？&lt;b&gt;" in seen[2][0] and "第二行 &amp; &lt;i&gt;" in seen[2][1]


def test_a_kept_picture_is_the_one_of_what_it_is_made_of(cast: Any) -> None:
    """``cover_img`` keeps its HTML by the stored names and sizes: another cover, other
    variants, another size or ``eager`` print their own picture, never a kept one."""
    from django.utils.safestring import SafeString

    from nutag.sites.templatetags.public_site import PAGE_SIZES, _cover_picture, cover_img

    def variant(name: str, width: int) -> dict[str, Any]:
        return {"width": width, "height": width // 2, "webp": f"{name}.webp", "jpeg": f"{name}.jpg"}

    article = _article(cast.village1a)
    article.cover = "covers/1/a.jpg"
    article.cover_width, article.cover_height = 800, 600
    first = cover_img(article)
    assert "covers/1/a.jpg" in first and isinstance(first, SafeString)
    article.cover = "covers/1/b.jpg"
    assert "covers/1/b.jpg" in cover_img(article) and "a.jpg" not in cover_img(article)
    article.cover_image = {
        "variants": [variant("covers/1/v640", 640), variant("covers/1/v360", 360)]
    }
    with_variants = cover_img(article)
    assert "v640.webp 640w" in with_variants and "b.jpg" not in with_variants
    article.cover_image = {"variants": [variant("covers/1/w640", 640)]}
    assert "w640.jpg" in cover_img(article) and "v640" not in cover_img(article)
    assert 'loading="lazy"' in cover_img(article)
    assert 'fetchpriority="high"' in cover_img(article, eager=True)
    article.cover_width = 1024
    assert 'width="1024"' in cover_img(article)
    for eager in (False, True):  # kept or not, the same HTML
        assert cover_img(article, eager=eager) == _cover_picture(article, PAGE_SIZES, "", eager)


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong"])
def test_article_list_prints_what_the_list_template_prints(cast: Any, lang: str) -> None:
    """``{% article_list %}`` (rows printed in Python) against the template it replaces:
    an empty list, rows with tags (pinned) and titles to escape, and a list of plain
    articles (printed by the template itself)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from nutag.sites.selectors import site_latest_articles
    from nutag.sites.templatetags.public_site import ARTICLE_LIST, article_list
    from nutag.sites.views.public import shown_rows

    village = cast.village1a
    first = _article(village, "第一篇 <b>&</b>")
    _article(village, "第二篇")
    from nutag.sites.tests.test_public import publish

    publish(cast.township1, title="镇里发的", on=(village,))  # "sent down by": a tag
    assert first.pk
    with translation.override(lang):
        lists: list[Any] = [[], shown_rows(site_latest_articles(unit=village))]
        lists.append(list(Article.objects.filter(unit=village).order_by("pk")))
        assert len(lists[1]) == 3
        printed = []
        for rows in lists:
            context = {"articles": rows, "unit": village}
            expected = render_to_string(ARTICLE_LIST, context)
            printed.append(str(article_list(Context(context), rows)))
            assert printed[-1] == expected
    assert '<span class="muted">' in printed[0] and "<li><a" not in printed[0]
    assert 'class="tag up"' in printed[1] and "&lt;b&gt;&amp;&lt;/b&gt;" in printed[1]
