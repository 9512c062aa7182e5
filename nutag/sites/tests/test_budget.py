"""Page budget: every public page's HTML, with its critical CSS inlined, fits in 14 KB gzip
(one round trip on a fresh connection), with no render-blocking file, no framework, and
pictures that are lazy and sized before they load.

The content is demo-like and on the heavy side: a banner with its townships, subdistricts and
four dozen organs; ten articles with long titles and covers; five notices, some pushed down;
a long article body with pictures, attachments and an audio version."""

from __future__ import annotations

import gzip
import random
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from nutag.factories import make_unit
from nutag.orgs.models import Unit, UnitKind
from nutag.sites.models import Article, ArticleKind, Attachment, Column, SiteCounter

from .test_public import publish

BUDGET = 14 * 1024
PARAGRAPH = (
    "为深入学习贯彻党的二十大精神，进一步加强新时代关心下一代工作，旗关工委组织全旗各苏木镇、"
    "嘎查社区“五老”志愿者深入牧区开展走访慰问活动。活动中，老干部、老教师、老模范们与青少年"
    "面对面交流，讲述草原英雄小姐妹的故事，传承红色基因，引导广大青少年听党话、跟党走。"
)
LONG_TITLE = "陈巴尔虎旗关工委召开全旗关心下一代工作会议暨“五好”基层关工委创建推进会"
MN_PARAGRAPH = "ᠬᠣᠵᠢᠭᠤ ᠦᠶ᠎ᠡ ᠶᠢᠨ ᠠᠵᠢᠯ ᠢ ᠰᠠᠶᠢᠨ ᠬᠢᠵᠦ ᠂ ᠨᠠᠯᠢᠶᠠᠰᠤ ᠳ᠋ᠤ ᠲᠤᠰᠠᠯᠠᠨ᠎ᠠ ᠃ "


def _text(rng: random.Random, chars: int) -> str:
    """Chinese text that compresses like real text does, not like a repeated sentence:
    characters drawn from the first 5,000 of the CJK block (about the 12 bits of a common
    character each; gzip keeps about half of real Chinese text, this keeps a little more),
    with punctuation."""
    out = []
    for i in range(chars):
        out.append(chr(0x4E00 + rng.randrange(5000)))
        if i % 23 == 22:
            out.append(rng.choice("，，，。；、"))
    return "".join(out) + "。"


def _long_body(paragraphs: int = 12, chars: int = 300) -> str:
    """A long news article: 12 paragraphs of 300 characters (3,600) and three pictures."""
    rng = random.Random(150725)
    parts = []
    for i in range(paragraphs):
        parts.append(f"<p>{_text(rng, chars)}</p>")
        if i % 4 == 1:
            parts.append(
                f'<picture><source type="image/webp" srcset="/media/photos/1/p{i}-720.webp 720w,'
                f' /media/photos/1/p{i}-360.webp 360w" sizes="(max-width: 760px) 100vw, 760px">'
                f'<img src="/media/photos/1/p{i}-720.jpg" srcset="/media/photos/1/p{i}-720.jpg'
                f' 720w, /media/photos/1/p{i}-360.jpg 360w" sizes="(max-width: 760px) 100vw,'
                f' 760px" width="720" height="480" alt="走访慰问现场"></picture>'
            )
    return "".join(parts)


def _mongolian_body(paragraphs: int = 10, words: int = 60) -> str:
    """Traditional Mongolian text: words of 2 to 8 letters of the Mongolian block."""
    rng = random.Random(1507)
    letters = [chr(c) for c in range(0x1820, 0x1843)]
    return "".join(
        "<p>"
        + " ".join("".join(rng.choices(letters, k=rng.randint(2, 8))) for _ in range(words))
        + " ᠃</p>"
        for _ in range(paragraphs)
    )


def _cover(article: Article, n: int) -> None:
    article.cover = f"covers/1/c{n}.jpg"
    article.cover_width, article.cover_height = 1440, 960
    if hasattr(article, "cover_image"):
        article.cover_image = {
            "name": f"covers/1/c{n}.jpg",
            "width": 1440,
            "height": 960,
            "variants": [
                {
                    "width": w,
                    "height": w * 2 // 3,
                    "webp": f"covers/1/c{n}-{w}.webp",
                    "jpeg": f"covers/1/c{n}-{w}.jpg",
                }
                for w in (720, 360)
            ],
        }
    article.save()


@pytest.fixture
def demo_site(cast):  # type: ignore[no-untyped-def]
    """The cast's tree grown to demo size, with a full set of content on village 1a."""
    banner, township, village = cast.banner, cast.township1, cast.village1a
    for i in range(5):
        make_unit(
            parent=banner, kind=UnitKind.TOWNSHIP, name=f"巴彦哈达苏木{i}", code=f"15079930{i}"
        )
    for i in range(2):
        make_unit(
            parent=banner, kind=UnitKind.SUBDISTRICT, name=f"呼伦街道办事处{i}", code=f"15079900{i}"
        )
    for i in range(48):
        make_unit(
            parent=banner,
            kind=UnitKind.ORGAN,
            name=f"旗人力资源和社会保障局{i:02d}",
            code=f"150799800{i:03d}",
        )
    for i in range(6):
        make_unit(
            parent=township,
            kind=UnitKind.VILLAGE,
            name=f"乌兰布拉格嘎查{i}",
            code=f"150799100{300 + i}",
        )
    for unit in Unit.objects.all():
        SiteCounter.objects.create(unit=unit, visits=123456)
    news = Column.objects.create(unit=banner, key="news", title="信息资讯")
    for key, title in [("party_home", "党建之家"), ("news", "信息资讯"), ("tourism", "旅游推介")]:
        Column.objects.create(unit=village, key=key, title=title)
    Column.objects.create(unit=township, key="news", title="信息资讯")
    # five notices: two from the banner to everyone, two from the township, one of its own
    for i in range(2):
        publish(
            banner, title=f"{LONG_TITLE}的通知{i}", kind=ArticleKind.NOTICE, on=(township, village)
        )
    for i in range(2):
        publish(
            township,
            title=f"关于开展“五老”志愿服务活动的通知{i}",
            kind=ArticleKind.NOTICE,
            on=(village,),
        )
    publish(village, title="嘎查党支部关于召开党员大会的通知", kind=ArticleKind.NOTICE)
    # ten articles, every one with a cover, some pushed down
    article = None
    for i in range(10):
        a = publish(
            banner if i % 3 == 0 else village,
            title=f"{LONG_TITLE}（第{i + 1}期）",
            summary=PARAGRAPH[:120],
            column=news if i % 3 == 0 else None,
            on=(township, village) if i % 3 == 0 else (),
            ago=timedelta(hours=i + 1),
            pinned=i == 4,
            read_count=12345,
        )
        _cover(a, i)
        article = a
    assert article is not None
    # the article page: a long body with pictures, its Mongolian version, files and audio
    article.body = _long_body()
    article.title_mn = MN_PARAGRAPH[:60]
    article.summary_mn = MN_PARAGRAPH
    article.body_mn = _mongolian_body()
    article.audio = "audio/1/article.mp3"
    article.save()
    for name in ("会议通知.pdf", "五好基层关工委创建标准.docx", "走访慰问登记表.xlsx"):
        Attachment.objects.create(
            article=article, file=f"attachments/1/{name}", name=name, size=123456
        )
    for i in range(20):  # a full column page, and a second one
        publish(
            banner,
            title=f"{LONG_TITLE}（旧闻{i}）",
            column=news,
            on=(township, village),
            ago=timedelta(days=i + 2),
        )
    return {
        "banner home": f"/u/{banner.code}/",
        "root": "/",
        "township home": f"/u/{township.code}/",
        "village home": f"/u/{village.code}/",
        "column": f"/u/{village.code}/c/news/",
        "article": f"/u/{village.code}/a/{article.pk}/",
        "poster": f"/u/{village.code}/poster/",
        "404": "/u/000000/",
    }


def check_page(html: str, name: str) -> int:
    """Assert the budget rules on one page's HTML; its gzip size."""
    size = len(gzip.compress(html.encode()))
    assert size <= BUDGET, f"{name}: {size} bytes gzip > {BUDGET}"
    assert not re.search(r"<link[^>]+rel=\"?stylesheet", html, re.I), f"{name}: external CSS"
    assert "@import" not in html, f"{name}: @import"
    # a web font only where the phone may lack one (traditional Mongolian), never blocking text
    faces = re.findall(r"@font-face\{[^}]*\}", html)
    assert not faces or '<html lang="mn-mong"' in html, f"{name}: a web font"
    for face in faces:
        assert "font-display:swap" in face, f"{name}: a web font that hides the text"
    for tag in re.findall(r"<script\b[^>]*>", html, re.I):
        if "src=" in tag:
            assert re.search(r"\s(defer|async)\b", tag), f"{name}: blocking {tag}"
            assert "/static/" in tag, f"{name}: script from elsewhere: {tag}"
    # every picture's size is known before it loads; the first may be fetched at once with a
    # high priority (the largest paint of an article), every other one is lazy
    for i, img in enumerate(re.findall(r"<img\b[^>]*>", html, re.I)):
        loading = 'fetchpriority="high"' if i == 0 and "fetchpriority" in img else 'loading="lazy"'
        for attr in ("width=", "height=", loading):
            assert attr in img, f"{name}: {img} lacks {attr}"
    for framework in ("react", "vue.js", "angular", "jquery"):
        assert framework not in html.lower(), f"{name}: {framework}"
    return size


@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES])
def test_every_public_page_fits_in_one_round_trip(demo_site, lang):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    client.cookies["nutag_large"] = "1"
    sizes = {}
    for name, url in demo_site.items():
        r = client.get(url)
        assert r.status_code == (404 if name == "404" else 200), name
        sizes[name] = check_page(r.content.decode(), f"{name} ({lang})")
    # the heavy pages really are heavy: the test measures what it claims to
    assert sizes["article"] > 4 * 1024
    assert sizes["banner home"] > 3 * 1024


def test_pictures_on_the_pages_are_lazy_and_sized(demo_site):
    client = Client()
    article = client.get(demo_site["article"]).content.decode()
    assert article.count("<img") >= 4  # the cover and the body's pictures
    home = client.get(demo_site["village home"]).content.decode()
    assert home.count("<img") == 1  # the unit's picture only; lists carry no thumbnails
    assert '<source type="image/webp"' in home or "cover_image" not in {
        f.name for f in Article._meta.get_fields()
    }


def test_html_is_compressed_on_the_wire(demo_site):
    r = Client().get(demo_site["village home"], HTTP_ACCEPT_ENCODING="gzip")
    assert r["Content-Encoding"] == "gzip"
