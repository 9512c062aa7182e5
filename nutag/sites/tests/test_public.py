"""The public site pages: negatives first (404s in the visitor's language, nothing unpublished
leaks), then what each page shows, a fixed number of queries, and the QR codes.

Test data is made with the ORM (Article + Placement rows) so these tests do not depend on the
write side's services."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import segno
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit, UnitStatus
from nutag.sites.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Attachment,
    Column,
    Placement,
    PlacementVia,
    SiteCounter,
)
from nutag.sites.selectors import site_children_activity

SVG_NS = "{http://www.w3.org/2000/svg}"


def publish(
    unit: Unit,
    *,
    title: str = "文章",
    kind: str = ArticleKind.ARTICLE,
    on: tuple[Unit, ...] = (),
    via: str = PlacementVia.PUSHED,
    status: str = ArticleStatus.PUBLISHED,
    ago: timedelta = timedelta(hours=1),
    column: Column | None = None,
    **fields: object,
) -> Article:
    """An article written at ``unit``, shown on its own site and on ``on`` (pushed down by
    default), as the write side leaves it once published."""
    article = Article.objects.create(
        unit=unit,
        title=title,
        kind=kind,
        status=status,
        column=column,
        published_at=timezone.now() - ago if status == ArticleStatus.PUBLISHED else None,
        **fields,
    )
    Placement.objects.create(article=article, unit=unit, via=PlacementVia.OWN)
    for other in on:
        Placement.objects.create(article=article, unit=other, via=via)
    return article


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# --- negatives ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh-hans", ["页面不存在", 'lang="zh-hans"']), ("en", ["Page not found", 'lang="en"'])],
)
def test_unknown_unit_is_a_404_page_in_the_visitors_language(cast, lang, words):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    for url in ("/u/000000/", "/u/000000/c/news/", "/u/000000/a/1/", "/u/000000/qr.svg"):
        r = client.get(url)
        assert r.status_code == 404, url
    body = html(client.get("/u/123456789012/"))
    for word in words:
        assert word in body
    assert 'href="/"' in body  # a way home
    assert '<link rel="stylesheet"' not in body


def test_unknown_article_is_a_404_page_with_a_language_cookie(cast):
    client = Client()
    client.cookies["nutag_lang"] = "en"
    r = client.get(f"/u/{cast.village1a.code}/a/999999/")
    assert r.status_code == 404
    assert "Page not found" in html(r)


@pytest.mark.parametrize(
    "status",
    [ArticleStatus.DRAFT, ArticleStatus.SUBMITTED, ArticleStatus.RETURNED, ArticleStatus.WITHDRAWN],
)
def test_unpublished_articles_are_404_and_not_listed(cast, client, status):
    article = publish(cast.village1a, title="未发布的稿子", status=status)
    site = f"/u/{cast.village1a.code}"
    assert client.get(f"{site}/a/{article.pk}/").status_code == 404
    assert client.get(f"{site}/a/{article.pk}/qr.svg").status_code == 404
    assert "未发布的稿子" not in html(client.get(f"{site}/"))


def test_scheduled_article_is_404_until_its_time(cast, client):
    later = publish(cast.village1a, title="明天发布", publish_at=timezone.now() + timedelta(days=1))
    due = publish(
        cast.village1a, title="已到时间", publish_at=timezone.now() - timedelta(minutes=1)
    )
    site = f"/u/{cast.village1a.code}"
    assert client.get(f"{site}/a/{later.pk}/").status_code == 404
    assert client.get(f"{site}/a/{due.pk}/").status_code == 200
    home = html(client.get(f"{site}/"))
    assert "明天发布" not in home
    assert "已到时间" in home


def test_article_of_another_unit_not_placed_here_is_404(cast, client):
    other = publish(cast.village2a, title="别村的文章")
    assert client.get(f"/u/{cast.village2a.code}/a/{other.pk}/").status_code == 200
    assert client.get(f"/u/{cast.village1a.code}/a/{other.pk}/").status_code == 404
    assert client.get(f"/u/{cast.village1a.code}/a/{other.pk}/qr.svg").status_code == 404
    # pushed to township 1's villages only: not on township 2's village
    pushed = publish(cast.township1, title="一镇通知", on=(cast.village1a, cast.village1b))
    assert client.get(f"/u/{cast.village1a.code}/a/{pushed.pk}/").status_code == 200
    assert client.get(f"/u/{cast.village2a.code}/a/{pushed.pk}/").status_code == 404


def test_recommended_up_but_not_accepted_is_404_on_the_parent(cast, client):
    article = publish(cast.village1a, title="推荐稿")
    placement = Placement.objects.create(
        article=article, unit=cast.township1, via=PlacementVia.RECOMMENDED, accepted=False
    )
    url = f"/u/{cast.township1.code}/a/{article.pk}/"
    assert client.get(url).status_code == 404
    placement.accepted = True
    placement.save()
    r = client.get(url)
    assert r.status_code == 200


def test_unknown_or_hidden_column_is_404(cast, client):
    site = f"/u/{cast.village1a.code}"
    assert client.get(f"{site}/c/news/").status_code == 200  # a default column
    assert client.get(f"{site}/c/no-such-column/").status_code == 404
    Column.objects.create(unit=cast.village1a, key="news", title="信息资讯", enabled=False)
    Column.objects.create(unit=cast.village1a, key="tourism", title="旅游推介")
    assert client.get(f"{site}/c/news/").status_code == 404
    assert client.get(f"{site}/c/tourism/").status_code == 200


def test_title_is_escaped_and_only_the_body_is_html(cast, client):
    article = publish(
        cast.village1a,
        title="<script>alert(1)</script>标题",
        summary="<b>摘要</b>",
        body="<p>正文<strong>加粗</strong></p>",
    )
    body = html(client.get(f"/u/{cast.village1a.code}/a/{article.pk}/"))
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in body
    assert "&lt;b&gt;摘要&lt;/b&gt;" in body
    assert "<p>正文<strong>加粗</strong></p>" in body


# --- what the pages show -------------------------------------------------------------------


def test_root_is_the_banners_site(cast, client):
    r = client.get("/")
    assert r.status_code == 200
    assert cast.banner.name in html(r)
    assert f'href="/u/{cast.banner.code}/"' in html(r)


def test_merged_unit_leads_to_the_unit_it_was_merged_into(cast, client):
    Unit.objects.filter(pk=cast.village1b.pk).update(
        status=UnitStatus.CLOSED, merged_into=cast.village1a
    )
    r = client.get(f"/u/{cast.village1b.code}/")
    assert r.status_code == 302
    assert r["Location"] == f"/u/{cast.village1a.code}/"


def test_home_shows_own_and_pushed_notices_marked(cast, client):
    own = publish(cast.village1a, title="本村通知", kind=ArticleKind.NOTICE)
    from_banner = publish(
        cast.banner,
        title="全旗通知",
        kind=ArticleKind.NOTICE,
        on=(cast.township1, cast.village1a),
    )
    publish(cast.village1a, title="本村新闻")
    body = html(client.get(f"/u/{cast.village1a.code}/"))
    notices = body.split("<h2>")[2]  # the notices follow the latest news (first screen)
    assert "本村通知" in notices
    assert "全旗通知" in notices
    pushed_row = re.search(
        rf'<li><a href="/u/{cast.village1a.code}/a/{from_banner.pk}/">.*?</li>', body
    )
    own_row = re.search(rf'<li><a href="/u/{cast.village1a.code}/a/{own.pk}/">.*?</li>', body)
    assert pushed_row is not None
    assert own_row is not None
    assert f"{cast.banner.name}下发" in pushed_row.group(0)
    assert "下发" not in own_row.group(0)
    assert "本村新闻" in body
    # on the banner's own site the notice is its own, not marked
    banner_home = html(client.get(f"/u/{cast.banner.code}/"))
    assert "全旗通知" in banner_home
    assert f"{cast.banner.name}下发" not in banner_home


def test_home_shows_names_picture_columns_and_visits(cast, client):
    Unit.objects.filter(pk=cast.village1a.pk).update(name_mn="ᠨᠢᠭᠡ")
    SiteCounter.objects.create(unit=cast.village1a, visits=12345)
    from nutag.sites.services import columns_ensure

    columns_ensure(acting_user=SYSTEM, unit=cast.village1a)
    publish(
        cast.village1a,
        column=Column.objects.get(unit=cast.village1a, key="online_study"),
        title="有封面",
        cover="covers/1/a.jpg",
        cover_width=1440,
        cover_height=960,
    )
    body = html(client.get(f"/u/{cast.village1a.code}/"))
    assert '<p class="mn-name" lang="mn-Mong">ᠨᠢᠭᠡ</p>' in body
    assert re.search(r"12,34[56]", body)  # this visit may already be counted
    assert 'src="/media/covers/1/a.jpg"' in body
    assert 'width="1440" height="960"' in body
    assert f'href="/u/{cast.village1a.code}/c/party_home/"' in body
    # sub-columns sit inside their parent's page, not on the home page
    assert "/c/online_study/" not in body
    # columns with nothing to read are not shown to visitors
    assert "/c/tourism/" not in body
    assert 'property="og:image" content="http://testserver/media/covers/1/a.jpg"' in body


def test_township_home_shows_its_children_with_their_activity(cast, client):
    publish(cast.village1a, title="近期一")
    publish(cast.village1a, title="近期二", kind=ArticleKind.NOTICE)
    publish(cast.village1b, title="旧的", ago=timedelta(days=40))
    publish(cast.village1a, title="草稿", status=ArticleStatus.DRAFT)
    activity = {a.unit.code: a.published for a in site_children_activity(unit=cast.township1)}
    assert activity == {cast.village1a.code: 2, cast.village1b.code: 0, cast.school1.code: 0}
    # the banner counts whole subtrees: township 1 has the village's two
    by_banner = {a.unit.code: a.published for a in site_children_activity(unit=cast.banner)}
    assert by_banner == {cast.township1.code: 2, cast.township2.code: 0}
    body = html(client.get(f"/u/{cast.township1.code}/"))
    assert f'href="/u/{cast.village1a.code}/"' in body
    assert '<svg class="spark"' in body
    # a village has no children section
    assert '<svg class="spark"' not in html(client.get(f"/u/{cast.village1a.code}/"))


def test_closed_children_are_not_listed(cast):
    Unit.objects.filter(pk=cast.village1b.pk).update(status=UnitStatus.CLOSED)
    codes = [a.unit.code for a in site_children_activity(unit=cast.township1)]
    assert cast.village1b.code not in codes


def test_column_page_lists_its_articles_paginated(cast, client):
    news = Column.objects.create(unit=cast.village1a, key="news", title="信息资讯")
    other = Column.objects.create(unit=cast.village1a, key="tourism", title="旅游推介")
    for i in range(23):
        publish(cast.village1a, title=f"新闻{i:02d}", column=news, ago=timedelta(hours=i + 1))
    publish(cast.village1a, title="旅游文章", column=other)
    site = f"/u/{cast.village1a.code}"
    first = html(client.get(f"{site}/c/news/"))
    assert "新闻00" in first
    assert "新闻19" in first
    assert "新闻20" not in first
    assert "旅游文章" not in first
    assert "?page=2" in first
    second = html(client.get(f"{site}/c/news/?page=2"))
    assert "新闻22" in second
    assert "新闻00" not in second


def test_parent_column_shows_its_subcolumns_articles(cast, client):
    home = Column.objects.create(unit=cast.village1a, key="party_home", title="党建之家")
    study = Column.objects.create(
        unit=cast.village1a, key="online_study", title="支部在线学习", parent=home
    )
    publish(cast.village1a, title="学习材料", column=study)
    site = f"/u/{cast.village1a.code}"
    body = html(client.get(f"{site}/c/party_home/"))
    assert "学习材料" in body
    assert f'href="{site}/c/online_study/"' in body
    assert "/c/online_study/" not in html(client.get(f"{site}/"))


def test_pushed_article_shows_in_the_column_of_the_same_key(cast, client):
    news = Column.objects.create(unit=cast.banner, key="news", title="信息资讯")
    publish(cast.banner, title="旗里的新闻", column=news, on=(cast.village1a,))
    assert "旗里的新闻" in html(client.get(f"/u/{cast.village1a.code}/c/news/"))


def test_article_page(cast, client):
    article = publish(
        cast.banner,
        title="关心下一代工作会议",
        summary="会议摘要",
        body="<p>会议正文</p>",
        on=(cast.village1a,),
        read_count=1234,
        cover="covers/1/c.jpg",
        cover_width=720,
        cover_height=480,
        audio="audio/1/a.mp3",
    )
    Attachment.objects.create(
        article=article, file="attachments/1/f.pdf", name="通知.pdf", size=2048
    )
    r = client.get(f"/u/{cast.village1a.code}/a/{article.pk}/")
    body = html(r)
    assert r.status_code == 200
    for text in ("关心下一代工作会议", "会议摘要", "<p>会议正文</p>", cast.banner.name, "通知.pdf"):
        assert text in body
    assert re.search(r"阅读 1,23[45]<", body)  # this read may already be counted
    assert re.search(r"\d{1,2}月\d{1,2}日", body)  # the date as the reader writes it
    assert '<audio id="listen-audio" controls preload="none" src="/media/audio/1/a.mp3">' in body
    assert re.search(
        r'<button class="btn" id="listen" type="button" hidden data-lang="zh-CN"', body
    )
    assert re.search(r'<script src="/static/sites/listen\.js" defer></script>', body)
    assert body.index('id="listen"') < body.index("<article")  # at the top of the article
    assert 'data-novoice="这部手机没有这种语言的朗读语音。"' in body
    # the cover is the largest paint: fetched at once, first
    assert re.search(r'<img src="/media/covers/1/c\.jpg"[^>]*fetchpriority="high"', body)
    assert 'loading="lazy"' not in body
    url = f"http://testserver/u/{cast.village1a.code}/a/{article.pk}/"
    assert f'<meta property="og:url" content="{url}">' in body
    assert '<meta property="og:title" content="关心下一代工作会议">' in body
    assert '<meta property="og:description" content="会议摘要">' in body
    assert '<meta property="og:image" content="http://testserver/media/covers/1/c.jpg">' in body
    assert '<meta itemprop="name" content="关心下一代工作会议">' in body
    assert '<meta itemprop="image" content="http://testserver/media/covers/1/c.jpg">' in body
    assert f'href="/u/{cast.village1a.code}/a/{article.pk}/qr.svg"' in body


def test_share_description_falls_back_to_the_body_text(cast, client):
    article = publish(cast.village1a, title="无摘要", body="<p>第一段" + "很长的正文" * 50 + "</p>")
    body = html(client.get(f"/u/{cast.village1a.code}/a/{article.pk}/"))
    description = re.search(r'<meta property="og:description" content="([^"]*)">', body)
    assert description is not None
    assert description.group(1).startswith("第一段很长的正文")
    assert "<p>" not in description.group(1)
    assert len(description.group(1)) <= 100


def test_cover_variants_give_srcset_and_a_webp_source(cast, client):
    fields = {f.name for f in Article._meta.get_fields()}
    if "cover_image" not in fields:
        pytest.skip("the write side has not added Article.cover_image yet")
    article = publish(
        cast.village1a,
        title="有多种尺寸的封面",
        cover="covers/1/full.jpg",
        cover_width=1440,
        cover_height=960,
        cover_image={
            "name": "covers/1/full.jpg",
            "width": 1440,
            "height": 960,
            "variants": [
                {
                    "width": 640,
                    "height": 427,
                    "avif": "covers/1/x-640.avif",
                    "webp": "covers/1/x-640.webp",
                    "jpeg": "covers/1/x-640.jpg",
                },
                {
                    "width": 360,
                    "height": 240,
                    "avif": "covers/1/x-360.avif",
                    "webp": "covers/1/x-360.webp",
                    "jpeg": "covers/1/x-360.jpg",
                },
            ],
        },
    )
    body = html(client.get(f"/u/{cast.village1a.code}/a/{article.pk}/"))
    sizes = 'sizes="(max-width: 760px) calc(100vw - 24px), 736px"'
    avif = '<source type="image/avif" srcset="/media/covers/1/x-640.avif 640w, '
    webp = '<source type="image/webp" srcset="/media/covers/1/x-640.webp 640w, '
    assert f'{avif}/media/covers/1/x-360.avif 360w" {sizes}>' in body
    assert f'{webp}/media/covers/1/x-360.webp 360w" {sizes}>' in body
    assert body.index(avif) < body.index(webp)  # the smaller format first
    assert 'src="/media/covers/1/x-640.jpg"' in body
    # never the full picture when phone-sized ones exist: no phone gets more than it shows
    assert "full.jpg" not in body.split("<article", 1)[1].split("</article>", 1)[0]
    assert 'width="1440" height="960"' in body
    assert 'content="http://testserver/media/covers/1/x-640.jpg"' in body  # og:image


def test_body_pictures_get_lazy_loading(cast, client):
    pictures = (
        '<p>文字</p><img src="/media/p/1.jpg" width="720" height="480" alt="">'
        '<p>更多</p><img src="/media/p/2.jpg" width="720" height="480" alt="">'
    )
    article = publish(cast.village1a, title="有图", body=pictures)
    body = html(client.get(f"/u/{cast.village1a.code}/a/{article.pk}/"))
    # no cover: the first picture is the largest paint, fetched at once; the rest lazy
    assert '<img fetchpriority="high" decoding="async" src="/media/p/1.jpg" width="720"' in body
    assert '<img loading="lazy" decoding="async" src="/media/p/2.jpg" width="720"' in body
    covered = publish(
        cast.village1a, title="有封面", body=pictures, cover="covers/1/c.jpg", cover_width=720
    )
    body = html(client.get(f"/u/{cast.village1a.code}/a/{covered.pk}/"))
    assert body.count('fetchpriority="high"') == 1  # the cover's
    assert '<img loading="lazy" decoding="async" src="/media/p/1.jpg" width="720"' in body


def test_bodies_saved_before_get_the_columns_real_width(cast, client):
    old = (
        '<picture><source type="image/webp" srcset="/media/p/1-720.webp 720w" '
        'sizes="(max-width: 760px) 100vw, 760px"><img src="/media/p/1-720.jpg" '
        'width="720" height="480" alt=""></picture>'
    )
    article = publish(cast.village1a, title="旧图", body=old)
    body = html(client.get(f"/u/{cast.village1a.code}/a/{article.pk}/"))
    assert "100vw, 760px" not in body
    assert 'sizes="(max-width: 760px) calc(100vw - 24px), 736px"' in body


def test_listen_script_is_a_small_static_file(cast, client):
    r = client.get("/static/sites/listen.js")
    assert r.status_code == 200
    script = b"".join(r.streaming_content) if r.streaming else r.content
    assert b"speechSynthesis" in script
    assert len(script) < 4096


# --- a fixed number of queries -------------------------------------------------------------


def _queries(url: str) -> int:
    from nutag.sites import shapes

    cache.clear()
    shapes.forget()  # a render from nothing (a kept shape asks less, sites/tests/test_shapes.py)
    with CaptureQueriesContext(connection) as ctx:
        r = Client().get(url)
    assert r.status_code == 200, url
    return len(ctx.captured_queries)


def _add_articles(cast, n: int) -> Article:  # type: ignore[no-untyped-def]
    news = Column.objects.get_or_create(unit=cast.banner, key="news", title="信息资讯")[0]
    last = None
    for i in range(n):
        last = publish(
            cast.banner, title=f"旗新闻{i}", column=news, on=(cast.township1, cast.village1a)
        )
        publish(cast.banner, title=f"旗通知{i}", kind=ArticleKind.NOTICE, on=(cast.village1a,))
        publish(cast.village1b, title=f"村新闻{i}")
        Attachment.objects.create(article=last, file=f"a/{i}.pdf", name=f"{i}.pdf", size=1)
    assert last is not None
    return last


def test_fixed_number_of_queries_whatever_the_number_of_articles(cast):
    article = _add_articles(cast, 2)
    urls = {
        "banner home": f"/u/{cast.banner.code}/",
        "township home": f"/u/{cast.township1.code}/",
        "village home": f"/u/{cast.village1a.code}/",
        "root": "/",
        "column": f"/u/{cast.village1a.code}/c/news/",
        "article": f"/u/{cast.village1a.code}/a/{article.pk}/",
    }
    before = {name: _queries(url) for name, url in urls.items()}
    _add_articles(cast, 12)
    after = {name: _queries(url) for name, url in urls.items()}
    assert before == after, (before, after)
    # unit (with its visit counter), columns, the columns with something to read, notices,
    # latest, picture, children, activity; and the reads of the apps that fill the site:
    # the voice app's open poll (a home block) and whether its concerns board has something
    # (the governance column), the study app's courses, the voice app's open emergencies (a
    # home block) and whether its mutual-aid column has open posts (``sites.extensions``);
    # under an article, the voice app's published comments (one query); the disclosure app's
    # check whether the public-affairs column has a signed-off disclosure (one query); and one
    # query each for the columns the economy apps fill: the governance column's grids (grid),
    # the products column's shop (market), the tourism column's places (tourism)
    apps = 9
    # the page scripts' check (``register_page_script``): whether the unit's official account
    # can sign share cards (wechat; one query for all units, then cached; the cache is
    # cleared before each count here)
    scripts = 1
    assert after["banner home"] <= 8 + apps + scripts
    assert after["village home"] <= 6 + apps + scripts
    assert after["column"] <= 4 + scripts  # unit, columns, count, page
    assert after["article"] <= 3 + 1 + scripts  # unit, article, attachments; comments


# --- QR codes and the poster ---------------------------------------------------------------


def _qr_modules(svg: str) -> set[tuple[int, int]]:
    """Parse our QR SVG (valid XML, scalable) and read back its dark modules from the path
    segno drew: ``M x y`` then runs of ``h n`` (dark) and ``m dx dy`` (moves)."""
    root = ET.fromstring(svg.encode())  # noqa: S314 (our own output)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox")
    assert root.get("width") is None  # scalable: it fills what holds it (the A4 poster)
    line = next(p for p in root.iter(f"{SVG_NS}path") if p.get("class") == "qrline")
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, args in re.findall(r"([Mmh])([-\d. ]+)", str(line.get("d"))):
        nums = [float(n) for n in args.split()]
        if op == "M":
            x, y = nums
        elif op == "m":
            x, y = x + nums[0], y + nums[1]
        else:
            dark.update((int(x) + i, int(y)) for i in range(int(nums[0])))
            x += nums[0]
    border = 2
    return {(c - border, r - border) for c, r in dark}


def _segno_modules(url: str) -> set[tuple[int, int]]:
    """The dark modules of segno's QR code for exactly ``url``."""
    matrix = segno.make(url, error="m").matrix
    return {(c, r) for r, row in enumerate(matrix) for c, v in enumerate(row) if v}


def test_site_qr_is_valid_svg_encoding_the_sites_absolute_url(cast, client):
    r = client.get(f"/u/{cast.village1a.code}/qr.svg")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("image/svg+xml")
    svg = r.content.decode()
    url = f"http://testserver/u/{cast.village1a.code}/"
    modules = _qr_modules(svg)
    # the modules of segno's code for exactly this URL, and not for a neighbour's
    assert modules == _segno_modules(url)
    assert modules != _segno_modules(f"http://testserver/u/{cast.village1b.code}/")
    assert f"<title>{url}</title>" in svg


def test_article_qr_encodes_the_articles_url(cast, client):
    article = publish(cast.banner, title="二维码", on=(cast.village1a,))
    r = client.get(f"/u/{cast.village1a.code}/a/{article.pk}/qr.svg")
    assert r.status_code == 200
    url = f"http://testserver/u/{cast.village1a.code}/a/{article.pk}/"
    assert _qr_modules(r.content.decode()) == _segno_modules(url)


def test_poster_has_the_big_qr_and_both_names(cast, client):
    Unit.objects.filter(pk=cast.village1a.pk).update(name_mn="ᠨᠢᠭᠡ ᠭᠠᠴᠠᠭ᠎ᠠ")
    body = html(client.get(f"/u/{cast.village1a.code}/poster/"))
    assert cast.village1a.name in body
    assert "ᠨᠢᠭᠡ ᠭᠠᠴᠠᠭ᠎ᠠ" in body
    assert "@page{size:A4" in body
    assert '<svg viewBox="0 0' in body
    assert f"http://testserver/u/{cast.village1a.code}/" in body
    assert f'href="/u/{cast.village1a.code}/qr.svg"' in body
