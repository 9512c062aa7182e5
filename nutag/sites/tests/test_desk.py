"""Desk pages for articles and columns over HTTP: wrong user and wrong unit first (404, nothing
changed), bad input keeps the draft, then the workflows end to end (checked with selectors)."""

from __future__ import annotations

import pytest
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.core.tests.uploads import (
    media_root,  # noqa: F401  (fixture)
    photo,
    upload,
)
from nutag.sites import services
from nutag.sites.bodies import body_for_editing
from nutag.sites.models import Article, ArticleKind, ArticleStatus, Column, Placement
from nutag.sites.selectors import site_articles, site_notices
from nutag.sites.services import ArticleInput

pytestmark = pytest.mark.django_db


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def make(unit, *, status=ArticleStatus.DRAFT, title="牧区通知", **kw) -> Article:  # type: ignore[no-untyped-def]
    article = services.article_create(
        acting_user=SYSTEM, unit=unit, data=ArticleInput(title=title, **kw)
    )
    if status in (ArticleStatus.SUBMITTED, ArticleStatus.PUBLISHED):
        services.article_submit(acting_user=SYSTEM, article=article)
    if status == ArticleStatus.PUBLISHED:
        services.article_publish(acting_user=SYSTEM, article=article)
    article.refresh_from_db()
    return article


def titles(unit) -> list[str]:  # type: ignore[no-untyped-def]
    return list(site_articles(unit=unit).values_list("title", flat=True))


# --- who may open what ----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(cast):
    article = make(cast.village1a)
    client = Client()
    for url in (
        f"/desk/u/{cast.village1a.code}/articles/",
        f"/desk/u/{cast.village1a.code}/articles/new/",
        f"/desk/u/{cast.village1a.code}/columns/",
        f"/desk/articles/{article.pk}/",
    ):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"], url
    r = client.post(f"/desk/articles/{article.pk}/publish/")
    assert "/login/" in r["Location"]
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT


def test_people_without_a_position_get_404(cast):
    for user in (cast.volunteer, cast.resident):
        client = login(user)
        assert client.get(f"/desk/u/{cast.village1a.code}/articles/").status_code == 404
        r = client.post(f"/desk/u/{cast.village1a.code}/articles/new/", {"title": "x"})
        assert r.status_code == 404
    assert not Article.objects.exists()


def test_wrong_unit_is_404(cast):
    client = login(cast.village1a_secretary)
    for unit in (cast.village1b, cast.township1, cast.banner, cast.village2a):
        assert client.get(f"/desk/u/{unit.code}/articles/").status_code == 404
        assert client.get(f"/desk/u/{unit.code}/columns/").status_code == 404
        r = client.post(f"/desk/u/{unit.code}/articles/new/", {"kind": "article", "title": "越权"})
        assert r.status_code == 404
        r = client.post(f"/desk/u/{unit.code}/columns/news/", {"news-title": "越权"})
        assert r.status_code == 404
    assert not Article.objects.exists()
    assert not Column.objects.exists()
    assert client.get("/desk/u/000000000000/articles/").status_code == 404


def test_not_yours_by_url_id_is_404_and_changes_nothing(cast):
    theirs = {
        status: make(cast.village2a, status=status, title=f"别人的{status}")
        for status in (ArticleStatus.DRAFT, ArticleStatus.SUBMITTED, ArticleStatus.PUBLISHED)
    }
    client = login(cast.village1a_secretary)
    missing = max(a.pk for a in theirs.values()) + 100
    for pk in [*(a.pk for a in theirs.values()), missing]:
        assert client.get(f"/desk/articles/{pk}/").status_code == 404
        assert client.get(f"/desk/articles/{pk}/preview/").status_code == 404
        assert (
            client.post(f"/desk/articles/{pk}/", {"kind": "article", "title": "改"}).status_code
            == 404
        )
        for action in ("submit", "publish", "withdraw", "recommend"):
            assert client.post(f"/desk/articles/{pk}/{action}/").status_code == 404, action
        assert client.post(f"/desk/articles/{pk}/return/", {"reason": "不行"}).status_code == 404
        assert client.post(f"/desk/articles/{pk}/push/", {"scope": "all"}).status_code == 404
    for status, article in theirs.items():
        article.refresh_from_db()
        assert (article.status, article.title) == (status, f"别人的{status}")
    assert Placement.objects.count() == 1


def test_officer_cannot_publish_return_or_edit_columns_by_url(cast):
    article = make(cast.village1a, status=ArticleStatus.SUBMITTED)
    client = login(cast.village1a_officer)
    assert client.post(f"/desk/articles/{article.pk}/publish/").status_code == 404
    assert client.post(f"/desk/articles/{article.pk}/return/", {"reason": "x"}).status_code == 404
    assert client.get(f"/desk/u/{cast.village1a.code}/columns/").status_code == 404
    r = client.post(f"/desk/u/{cast.village1a.code}/columns/news/move/", {"direction": "up"})
    assert r.status_code == 404
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED
    assert not Column.objects.exists()
    # the officer's page offers neither
    html = client.get(f"/desk/articles/{article.pk}/").content.decode()
    assert f"/desk/articles/{article.pk}/publish/" not in html
    assert f"/desk/articles/{article.pk}/withdraw/" in html  # take back to edit


def test_push_to_a_unit_outside_by_editing_the_form_is_404(cast):
    notice = make(cast.township1, status=ArticleStatus.PUBLISHED, kind=ArticleKind.NOTICE)
    client = login(cast.township1_secretary)
    for target in (cast.village2a, cast.township2, cast.banner, cast.township1):
        r = client.post(
            f"/desk/articles/{notice.pk}/push/", {"scope": "some", "units": [str(target.pk)]}
        )
        assert r.status_code == 404
    assert Placement.objects.filter(article=notice).count() == 1


# --- bad input keeps the draft ----------------------------------------------------------


BODY = "今天嘎查组织党员学习。\n\n下午走访了三户牧民。"


def test_missing_title_keeps_everything_typed(cast):
    client = login(cast.village1a_officer)
    r = client.post(
        f"/desk/u/{cast.village1a.code}/articles/new/",
        {"kind": "article", "title": "", "summary": "学习简报", "body": BODY, "title_mn": "ᠨᠤᠲᠤᠭ"},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "今天嘎查组织党员学习。" in html and "下午走访了三户牧民。" in html
    assert "学习简报" in html and "ᠨᠤᠲᠤᠭ" in html
    assert 'class="field invalid' in html
    assert not Article.objects.exists()


def test_corrupt_photo_is_refused_by_the_form_and_the_text_kept(cast, media_root):  # noqa: F811
    client = login(cast.village1a_officer)
    r = client.post(
        f"/desk/u/{cast.village1a.code}/articles/new/",
        {
            "kind": "article",
            "title": "走访记录",
            "body": BODY,
            "photos": [upload("坏照片.jpg", b"this is text, not a photo")],
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "坏照片.jpg" in html  # the message names the file
    assert "下午走访了三户牧民。" in html and 'value="走访记录"' in html
    assert 'role="alert"' in html  # "choose the files again"
    assert not Article.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_oversized_cover_is_refused_and_the_page_says_choose_again(cast, settings, media_root):  # noqa: F811
    settings.NUTAG_IMAGE_MAX_BYTES = 2000
    client = login(cast.village1a_officer)
    article = make(cast.village1a, body="原来的正文")
    r = client.post(
        f"/desk/articles/{article.pk}/",
        {"kind": "article", "title": "新标题", "body": "改过的正文", "cover": photo("大封面.jpg")},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "大封面.jpg" in html and "改过的正文" in html
    article.refresh_from_db()
    assert (article.title, article.body) == ("牧区通知", "<p>原来的正文</p>")


def test_service_refusal_keeps_the_draft(cast):
    """The form lets a title through that the service empties (only tags): same page, same text."""
    client = login(cast.village1a_officer)
    r = client.post(
        f"/desk/u/{cast.village1a.code}/articles/new/",
        {"kind": "article", "title": "<script>x</script>", "body": BODY},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "下午走访了三户牧民。" in html
    assert not Article.objects.exists()


def test_return_needs_a_reason(cast):
    article = make(cast.village1a, status=ArticleStatus.SUBMITTED)
    client = login(cast.village1a_secretary)
    r = client.post(f"/desk/articles/{article.pk}/return/", {"reason": ""})
    assert r.status_code == 200
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED


# --- workflows ------------------------------------------------------------------------------


def test_full_workflow_draft_submitted_returned_submitted_published(cast, media_root):  # noqa: F811
    officer, secretary = login(cast.village1a_officer), login(cast.village1a_secretary)
    new_page = officer.get(f"/desk/u/{cast.village1a.code}/articles/new/").content.decode()
    assert 'capture="environment"' in new_page and 'accept="image/*"' in new_page
    assert 'enctype="multipart/form-data"' in new_page
    r = officer.post(
        f"/desk/u/{cast.village1a.code}/articles/new/",
        {
            "kind": "article",
            "title": "夏季防汛",
            "column_key": "news",
            "body": BODY,
            "photos": [photo("现场.jpg")],
        },
    )
    assert r.status_code == 302
    article = Article.objects.get(title="夏季防汛")
    assert article.status == ArticleStatus.DRAFT and article.column.key == "news"
    assert "<picture>" in article.body
    assert r["Location"] == f"/desk/articles/{article.pk}/"
    assert officer.post(f"/desk/articles/{article.pk}/submit/").status_code == 302
    # the secretary sees it waiting, opens it, returns it
    listing = secretary.get(f"/desk/u/{cast.village1a.code}/articles/").content.decode()
    assert "夏季防汛" in listing
    page = secretary.get(f"/desk/articles/{article.pk}/").content.decode()
    assert f"/desk/articles/{article.pk}/publish/" in page
    r = secretary.post(f"/desk/articles/{article.pk}/return/", {"reason": "请写明集合地点"})
    assert r.status_code == 302
    page = officer.get(f"/desk/articles/{article.pk}/").content.decode()
    assert "请写明集合地点" in page
    # the text box shows plain paragraphs and a line for the photo, not HTML
    typed = body_for_editing(article.body, article.photos)
    assert "[photo:" in typed and "&lt;picture" not in page
    assert "今天嘎查组织党员学习。\n\n下午走访了三户牧民。\n\n[photo:" in typed
    assert "[photo:" in page
    # fix it and send it again in one step
    r = officer.post(
        f"/desk/articles/{article.pk}/",
        {
            "kind": "article",
            "title": "夏季防汛",
            "column_key": "news",
            "body": typed + "\n\n集合地点：嘎查部。",
            "and_submit": "1",
        },
    )
    assert r.status_code == 302
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED
    assert "集合地点：嘎查部。" in article.body and "<picture>" in article.body
    preview = secretary.get(f"/desk/articles/{article.pk}/preview/").content.decode()
    assert "集合地点：嘎查部。" in preview and "<picture>" in preview
    assert titles(cast.village1a) == []
    assert secretary.post(f"/desk/articles/{article.pk}/publish/").status_code == 302
    assert titles(cast.village1a) == ["夏季防汛"]
    # published: frozen for the writer
    r = officer.post(f"/desk/articles/{article.pk}/", {"kind": "article", "title": "偷改"})
    assert r.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "夏季防汛"


def test_push_to_all_villages_of_a_township(cast):
    notice = make(cast.township1, status=ArticleStatus.PUBLISHED, kind=ArticleKind.NOTICE,
                  title="镇里的通知")  # fmt: skip
    client = login(cast.township1_secretary)
    page = client.get(f"/desk/articles/{notice.pk}/push/").content.decode()
    assert cast.village1a.name in page and cast.village2a.name not in page
    r = client.post(f"/desk/articles/{notice.pk}/push/", {"scope": "all"})
    assert r.status_code == 302
    for village in (cast.village1a, cast.village1b):
        assert list(site_notices(unit=village).values_list("title", flat=True)) == ["镇里的通知"]
    assert titles(cast.village2a) == []
    r = client.post(f"/desk/articles/{notice.pk}/push/", {"scope": "some"})
    assert r.status_code == 200  # "choose at least one"


def test_push_to_chosen_villages(cast):
    notice = make(cast.banner, status=ArticleStatus.PUBLISHED, title="旗里的通知")
    client = login(cast.admin)
    r = client.post(
        f"/desk/articles/{notice.pk}/push/",
        {"scope": "some", "units": [str(cast.village1b.pk), str(cast.village2a.pk)]},
    )
    assert r.status_code == 302
    assert titles(cast.village1b) == titles(cast.village2a) == ["旗里的通知"]
    assert titles(cast.village1a) == []


def test_recommend_then_accept_shows_on_the_township(cast):
    article = make(cast.village1a, status=ArticleStatus.PUBLISHED, title="嘎查推荐文章")
    officer = login(cast.village1a_officer)
    assert officer.post(f"/desk/articles/{article.pk}/recommend/").status_code == 302
    placement = Placement.objects.get(article=article, unit=cast.township1)
    assert not placement.accepted
    # the village secretary cannot decide for the township
    village_secretary = login(cast.village1a_secretary)
    assert (
        village_secretary.post(f"/desk/recommendations/{placement.pk}/accept/").status_code == 404
    )
    township = login(cast.township1_secretary)
    listing = township.get(f"/desk/u/{cast.township1.code}/articles/").content.decode()
    assert "嘎查推荐文章" in listing and f"/desk/recommendations/{placement.pk}/accept/" in listing
    assert titles(cast.township1) == []
    r = township.post(f"/desk/recommendations/{placement.pk}/accept/")
    assert r.status_code == 302 and r["Location"] == f"/desk/u/{cast.township1.code}/articles/"
    assert titles(cast.township1) == ["嘎查推荐文章"]


def test_decline_a_recommendation(cast):
    article = make(cast.village1a, status=ArticleStatus.PUBLISHED)
    services.article_recommend(acting_user=SYSTEM, article=article)
    placement = Placement.objects.get(article=article, unit=cast.township1)
    url = f"/desk/recommendations/{placement.pk}/decline/"
    assert login(cast.village2a_secretary).post(url).status_code == 404
    assert login(cast.township1_officer).post(url).status_code == 404
    assert Placement.objects.filter(pk=placement.pk).exists()
    assert login(cast.township1_secretary).post(url).status_code == 302
    assert not Placement.objects.filter(pk=placement.pk).exists()
    assert titles(cast.township1) == []


def test_columns_page_rename_hide_and_move(cast):
    client = login(cast.village1a_secretary)
    url = f"/desk/u/{cast.village1a.code}/columns/"
    page = client.get(url).content.decode()
    assert page.count('name="direction"') == 2 * 13
    r = client.post(f"{url}news/", {"news-title": "", "news-enabled": "on"})
    assert r.status_code == 200 and 'class="field invalid' in r.content.decode()
    # the refused column's form is one of the table's rows: the summary finds it all the same
    refused = r.content.decode()
    assert 'class="error-summary"' in refused and "<title>错误：" in refused
    assert 'href="#id_news-title"' in refused and 'id="id_news-title"' in refused
    r = client.post(f"{url}news/", {"news-title": "本村新闻", "news-title_mn": ""})
    assert r.status_code == 302
    news = Column.objects.get(unit=cast.village1a, key="news")
    assert (news.title, news.enabled) == ("本村新闻", False)
    before = news.position
    client.post(f"{url}news/move/", {"direction": "up"})
    assert Column.objects.get(pk=news.pk).position == before - 1
    assert client.post(f"{url}nope/move/", {"direction": "up"}).status_code == 404


def test_unit_page_links_to_articles_and_columns(cast):
    code = cast.village1a.code
    page = login(cast.village1a_secretary).get(f"/desk/u/{code}/").content.decode()
    assert f"/desk/u/{code}/articles/" in page and f"/desk/u/{code}/columns/" in page
    page = login(cast.village1a_officer).get(f"/desk/u/{code}/").content.decode()
    assert f"/desk/u/{code}/articles/" in page and f"/desk/u/{code}/columns/" not in page


def test_admin_lists_are_read_only_and_scoped(cast):
    mine = make(cast.village1a, title="本镇的文章")
    make(cast.village2a, title="别镇的文章")
    officer = cast.township1_officer
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    client = login(officer)
    page = client.get("/admin/unitsites/article/").content.decode()
    assert "本镇的文章" in page and "别镇的文章" not in page
    r = client.post(f"/admin/unitsites/article/{mine.pk}/change/", {"title": "改"})
    assert r.status_code in (403, 200)
    assert Article.objects.get(pk=mine.pk).title == "本镇的文章"
    assert client.get("/admin/unitsites/article/add/").status_code == 403
    assert login(cast.admin).get("/admin/unitsites/column/").status_code == 200


def test_preview_cleans_a_body_written_around_the_services(cast):
    article = make(cast.village1a)
    Article.objects.filter(pk=article.pk).update(body='<p>正文</p><img src=x onerror="alert(1)">')
    html = login(cast.village1a_officer).get(f"/desk/articles/{article.pk}/preview/").content
    assert b"onerror" not in html and "正文".encode() in html
