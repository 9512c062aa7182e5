"""Search over a unit's site and everything below it. The same tests run on SQLite (FTS5)
and, in CI's second pass, on PostgreSQL (tsvector)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone

from nutag.factories import Cast
from nutag.orgs.models import Unit
from nutag.sites import search
from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia
from nutag.sites.search import SearchHit, query_tokens, search_articles

# --- URLs for the page tests: the search page, plus the public pages if not yet mounted -------


def _stub(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("")


def _public_urls() -> list[Any]:
    try:
        reverse("site-article", args=["1", 1], urlconf="config.urls")
        return []
    except NoReverseMatch:
        return [
            path("", _stub, name="site-root"),
            path("u/<str:code>/", _stub, name="site-home"),
            path("u/<str:code>/a/<int:pk>/", _stub, name="site-article"),
        ]


urlpatterns = [
    path("", include("nutag.sites.urls.search")),
    path("", include("config.urls")),
    *_public_urls(),
]
URLS = "nutag.sites.tests.test_search"

# --- Helpers ----------------------------------------------------------------------------------

Publish = Callable[..., Article]


@pytest.fixture
def publish(cast: Cast, django_capture_on_commit_callbacks: Any) -> Publish:
    """Create an article shown on its unit's site (and ``also_on``), as committed."""

    def make(
        unit: Unit,
        title: str,
        *,
        summary: str = "",
        body: str = "",
        title_mn: str = "",
        summary_mn: str = "",
        body_mn: str = "",
        status: str = ArticleStatus.PUBLISHED,
        publish_at: Any = None,
        also_on: tuple[Unit, ...] = (),
        age_days: int = 0,
    ) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            article = Article.objects.create(
                unit=unit,
                title=title,
                summary=summary,
                body=body,
                title_mn=title_mn,
                summary_mn=summary_mn,
                body_mn=body_mn,
                status=status,
                publish_at=publish_at,
                published_at=timezone.now() - timedelta(days=age_days)
                if status == ArticleStatus.PUBLISHED
                else None,
            )
            Placement.objects.create(article=article, unit=unit, via=PlacementVia.OWN)
            for other in also_on:
                Placement.objects.create(article=article, unit=other, via=PlacementVia.PUSHED)
        return article

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """``with committed():`` runs the on-commit hooks (the index update) of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def found(unit: Unit, query: str) -> list[str]:
    return [hit.article.title for hit in search_articles(unit=unit, query=query)]


def is_indexed(article_id: int) -> bool:
    if connection.vendor == "sqlite":
        sql = f"SELECT COUNT(*) FROM {search.FTS_TABLE} WHERE rowid = %s"  # noqa: S608
    else:
        sql = f"SELECT COUNT(*) FROM {search.PG_TABLE} WHERE article_id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [article_id])
        return bool(cursor.fetchone()[0])


def index_rows() -> int:
    """Rows in the index (rows committed by transactional tests stay: compare in-test only)."""
    table = search.FTS_TABLE if connection.vendor == "sqlite" else search.PG_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


# --- Scope ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_township_search_finds_its_villages_articles_not_another_townships(
    cast: Cast, publish: Publish
) -> None:
    publish(cast.village1a, "草原防火通知", body="<p>今年春季草原防火期开始。</p>")
    publish(cast.village1b, "一乙嘎查草原防火检查")
    publish(cast.village2a, "二甲嘎查草原防火演练")
    publish(cast.township1, "第一镇草原防火会议")

    assert sorted(found(cast.township1, "草原防火")) == sorted(
        ["草原防火通知", "一乙嘎查草原防火检查", "第一镇草原防火会议"]
    )
    assert found(cast.township2, "草原防火") == ["二甲嘎查草原防火演练"]
    assert len(found(cast.banner, "草原防火")) == 4
    assert found(cast.village1a, "草原防火") == ["草原防火通知"]
    assert found(cast.village1b, "防火") == ["一乙嘎查草原防火检查"]


@pytest.mark.django_db
def test_a_village_search_finds_a_banner_article_only_once_pushed_to_it(
    cast: Cast, publish: Publish, committed: Callable[[], Any]
) -> None:
    article = publish(cast.banner, "牧区医疗保险政策解读")
    assert found(cast.banner, "医疗保险") == ["牧区医疗保险政策解读"]
    assert found(cast.village1a, "医疗保险") == []
    assert found(cast.township1, "医疗保险") == []

    with committed():
        Placement.objects.create(article=article, unit=cast.village1a, via=PlacementVia.PUSHED)
    [hit] = search_articles(unit=cast.village1a, query="医疗保险")
    assert hit.article == article
    assert hit.site_code == cast.village1a.code  # opens on the searched village's site
    assert found(cast.village1b, "医疗保险") == []
    # From the township, where it is not shown, the link opens on its own (banner) site.
    [hit] = search_articles(unit=cast.township1, query="医疗保险")
    assert hit.site_code == cast.banner.code


@pytest.mark.django_db
def test_a_recommendation_not_yet_accepted_does_not_scope_it_in(
    cast: Cast, publish: Publish, committed: Callable[[], Any]
) -> None:
    article = publish(cast.village2a, "二甲嘎查那达慕大会")
    with committed():
        Placement.objects.create(
            article=article, unit=cast.township1, via=PlacementVia.RECOMMENDED, accepted=False
        )
    assert found(cast.township1, "那达慕") == []
    Placement.objects.filter(article=article, unit=cast.township1).update(accepted=True)
    assert found(cast.township1, "那达慕") == ["二甲嘎查那达慕大会"]


# --- What is never found ------------------------------------------------------------------------


@pytest.mark.django_db
def test_drafts_and_articles_not_yet_due_are_never_found(cast: Cast, publish: Publish) -> None:
    for status in (
        ArticleStatus.DRAFT,
        ArticleStatus.SUBMITTED,
        ArticleStatus.RETURNED,
        ArticleStatus.WITHDRAWN,
    ):
        publish(cast.village1a, f"秘密草稿{status}", status=status)
    later = publish(
        cast.village1a, "秘密草稿定时发布", publish_at=timezone.now() + timedelta(days=1)
    )
    for unit in (cast.village1a, cast.township1, cast.banner):
        assert found(unit, "秘密草稿") == []
        assert found(unit, "草稿") == []

    # Due now: found without any reindex (visibility is decided at query time).
    Article.objects.filter(pk=later.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert found(cast.banner, "秘密草稿") == ["秘密草稿定时发布"]


# --- Characters and languages -------------------------------------------------------------------


@pytest.mark.django_db
def test_traditional_finds_simplified_and_the_reverse(cast: Cast, publish: Publish) -> None:
    publish(cast.village1a, "关心下一代工作会议", body="<p>五老志愿者关心青少年成长。</p>")
    publish(cast.village2a, "關懷青少年成長座談會", summary="陳巴爾虎旗關工委舉辦座談")

    assert found(cast.banner, "關心下一代") == ["关心下一代工作会议"]
    assert found(cast.banner, "关心下一代") == ["关心下一代工作会议"]
    assert found(cast.banner, "关怀青少年") == ["關懷青少年成長座談會"]
    assert found(cast.banner, "陈巴尔虎旗") == ["關懷青少年成長座談會"]
    assert sorted(found(cast.banner, "青少年")) == sorted(
        ["关心下一代工作会议", "關懷青少年成長座談會"]
    )
    # Full-width letters and digits are the same words as half-width ones.
    publish(cast.village1b, "5G基站开通")
    assert found(cast.banner, "５ｇ基站") == ["5G基站开通"]

    # The reader sees the article's own characters, with the words marked.
    [hit] = search_articles(unit=cast.banner, query="关怀")
    assert "<mark>關懷</mark>" in hit.title_html
    [hit] = search_articles(unit=cast.banner, query="關工委")
    assert "<mark>關工委</mark>" in hit.snippet


MONGOLIAN_TITLE = "ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ ᠦᠨ ᠰᠤᠷᠭᠠᠯᠲᠠ"  # "Mongolian script lesson"
MONGOLIAN_BODY = "<p>ᠮᠠᠯᠴᠢᠨ ᠤ ᠬᠡᠦᠬᠡᠳ ᠦᠨ ᠰᠤᠷᠭᠠᠭᠤᠯᠢ ᠶᠢᠨ ᠮᠡᠳᠡᠭᠡ</p>"  # herders' children's school news


@pytest.mark.django_db
def test_mongolian_text_is_found(cast: Cast, publish: Publish) -> None:
    publish(cast.village1a, "蒙古文学习班", title_mn=MONGOLIAN_TITLE, body_mn=MONGOLIAN_BODY)
    publish(cast.village1b, "别的文章", body="<p>没有蒙古文</p>")

    assert found(cast.township1, "ᠪᠢᠴᠢᠭ") == ["蒙古文学习班"]
    [hit] = search_articles(unit=cast.banner, query="ᠰᠤᠷᠭᠠᠭᠤᠯᠢ")
    assert hit.snippet_is_mongolian
    assert "<mark>ᠰᠤᠷᠭᠠᠭᠤᠯᠢ</mark>" in hit.snippet
    # A free variation selector (a shaping hint) in the query does not change the word.
    assert found(cast.banner, "ᠪᠢ\u180bᠴᠢᠭ") == ["蒙古文学习班"]


# --- Ranking ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_title_match_ranks_first(cast: Cast, publish: Publish) -> None:
    publish(
        cast.village1a,
        "春季工作安排",
        body="<p>各嘎查要做好接羔保育工作，接羔保育期间注意防寒。</p>",
        age_days=0,
    )
    publish(cast.village1b, "本周要闻", summary="接羔保育进展顺利", age_days=1)
    publish(cast.village2a, "接羔保育", body="<p>今年的情况。</p>", age_days=2)

    hits = search_articles(unit=cast.banner, query="接羔保育")
    assert [h.article.title for h in hits] == ["接羔保育", "本周要闻", "春季工作安排"]
    assert hits[0].rank > hits[1].rank > hits[2].rank


@pytest.mark.django_db
def test_every_word_must_occur_and_pages_follow_each_other(cast: Cast, publish: Publish) -> None:
    for i in range(5):
        publish(cast.village1a, f"牧民合作社第{i}期培训", age_days=i)
    publish(cast.village1a, "牧民夜校")
    assert found(cast.banner, "牧民 夜校") == ["牧民夜校"]
    assert len(found(cast.banner, "合作社 培训")) == 5
    first = search_articles(unit=cast.banner, query="合作社", limit=2)
    second = search_articles(unit=cast.banner, query="合作社", limit=2, offset=2)
    rest = search_articles(unit=cast.banner, query="合作社", limit=20, offset=4)
    titles = [h.article.title for h in first + second + rest]
    assert len(titles) == len(set(titles)) == 5


# --- Odd queries --------------------------------------------------------------------------------

ODD_QUERIES = [
    "",
    "   ",
    "，。！？、…《》",
    '"',
    '""',
    "*",
    "NEAR(",
    "NEAR(草原 防火, 2)",
    "OR",
    "AND",
    "NOT",
    "-",
    "-草原",
    "草原*",
    '"草原',
    "草原 OR 防火",
    "title:草原",
    "^草原",
    "{title body}: 草原",
    "草原 & 防火 | !x",
    "'; DROP TABLE unitsites_article; --",
    "\x00草原",
    "x" * 1000,
    "草原防火" * 250,
    "😀🔥",
    "<script>alert(1)</script>",
]
FINDING_QUERIES = {"-草原", "草原*", '"草原', "^草原", "\x00草原", "草原防火" * 250}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_never_fail(cast: Cast, publish: Publish, query: str) -> None:
    publish(cast.village1a, "草原防火通知")
    hits = search_articles(unit=cast.banner, query=query)
    assert all(isinstance(h, SearchHit) for h in hits)
    assert len(query_tokens(query)) <= search.MAX_QUERY_TOKENS
    if query in FINDING_QUERIES:  # every word of these occurs in the article
        assert [h.article.title for h in hits] == ["草原防火通知"]


@pytest.mark.django_db
@pytest.mark.urls(URLS)
@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_on_the_page(client: Any, cast: Cast, publish: Publish, query: str) -> None:
    publish(cast.village1a, "草原防火通知")
    url = reverse("site-search", args=[cast.banner.code])
    response = client.get(url, {"q": query, "page": "x"})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


# --- Keeping the index in step --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_index_follows_edits_withdrawals_and_deletions(
    cast: Cast, publish: Publish, committed: Callable[[], Any]
) -> None:
    article = publish(cast.village1a, "冬季饲草储备")
    assert found(cast.banner, "饲草") == ["冬季饲草储备"]

    with committed():
        article.title = "冬季防灾物资"
        article.save()
    assert found(cast.banner, "饲草") == []
    assert found(cast.banner, "防灾物资") == ["冬季防灾物资"]

    with committed():
        article.status = ArticleStatus.WITHDRAWN
        article.save()
    assert found(cast.banner, "防灾物资") == []
    assert not is_indexed(article.pk)

    with committed():
        article.status = ArticleStatus.PUBLISHED
        article.save()
    assert found(cast.banner, "防灾物资") == ["冬季防灾物资"]
    assert is_indexed(article.pk)
    rows_before = index_rows()

    pk = article.pk
    with committed():
        article.delete()
    assert is_indexed(pk) is False
    assert index_rows() == rows_before - 1


@pytest.mark.django_db(transaction=True)
def test_the_index_is_written_when_the_transaction_really_commits(cast: Cast) -> None:
    with transaction.atomic():
        article = Article.objects.create(
            unit=cast.village1a,
            title="嘎查卫生室开诊",
            status=ArticleStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        Placement.objects.create(article=article, unit=cast.village1a, via=PlacementVia.OWN)
        assert found(cast.banner, "卫生室") == []  # not before the commit
    assert found(cast.banner, "卫生室") == ["嘎查卫生室开诊"]
    pk = article.pk
    assert is_indexed(pk)
    article.delete()  # autocommit: removed at once
    assert not is_indexed(pk)


@pytest.mark.django_db
def test_one_transaction_segments_an_article_once(
    cast: Cast, publish: Publish, committed: Callable[[], Any]
) -> None:
    article = publish(cast.banner, "全旗通知")
    targets = [cast.township1, cast.township2, cast.village1a, cast.village1b, cast.village2a]
    with (
        mock.patch.object(search.index, "_write", wraps=search.index._write) as write,
        committed(),
        transaction.atomic(),
    ):
        article.summary = "请各单位转发"
        article.save()
        for unit in targets:
            Placement.objects.create(article=article, unit=unit, via=PlacementVia.PUSHED)
    assert write.call_count == 1
    assert found(cast.village2a, "转发") == ["全旗通知"]

    # Saving fields the index does not hold does not touch it.
    with mock.patch.object(search, "_write") as write, committed():
        article.read_count = 5
        article.save(update_fields=["read_count"])
    assert write.call_count == 0


@pytest.mark.django_db
def test_a_rolled_back_save_leaves_the_index_as_it_was(
    cast: Cast, publish: Publish, committed: Callable[[], Any]
) -> None:
    article = publish(cast.village1a, "嘎查道路维修")
    with committed():
        try:
            with transaction.atomic():
                article.title = "回滚的标题"
                article.save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert found(cast.banner, "回滚") == []
    assert found(cast.banner, "道路维修") == ["嘎查道路维修"]


@pytest.mark.django_db
def test_reindex_rebuilds_the_index_and_a_stale_row_never_matches(
    cast: Cast, publish: Publish
) -> None:
    article = publish(cast.village1a, "牧区小学开学典礼")
    publish(cast.village1a, "未发布的稿子", status=ArticleStatus.DRAFT)
    with connection.cursor() as cursor:
        table = search.FTS_TABLE if connection.vendor == "sqlite" else search.PG_TABLE
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert found(cast.banner, "开学典礼") == []

    call_command("reindex_search", stdout=mock.MagicMock())
    assert found(cast.banner, "开学典礼") == ["牧区小学开学典礼"]
    assert index_rows() == 1

    # A row whose article's id now belongs to another article (after a bulk delete and id
    # reuse) lends it no words: the creation time must match too.
    Article.objects.filter(pk=article.pk).update(
        created_at=article.created_at + timedelta(seconds=1)
    )
    assert found(cast.banner, "开学典礼") == []
    search.index_article(Article.objects.get(pk=article.pk))
    assert found(cast.banner, "开学典礼") == ["牧区小学开学典礼"]


def test_the_dictionary_loads_once_per_process_and_quietly() -> None:
    code = (
        "import threading\n"
        "import django\n"
        "django.setup()\n"
        "from nutag.sites import search\n"
        "seen = []\n"
        "load = lambda: seen.append(search._jieba())\n"
        "threads = [threading.Thread(target=load) for _ in range(4)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
        "assert len(seen) == 4 and len({id(t) for t in seen}) == 1\n"
        "print(' '.join(search.tokens('关心下一代')))\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # jieba's "Building prefix dict…" is not printed
    assert "下一代" in result.stdout.split()


# --- Cost ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_costs_three_queries_whatever_the_number_of_hits(
    cast: Cast, publish: Publish, django_assert_num_queries: Any
) -> None:
    publish(cast.village1a, "防汛演练一", also_on=(cast.township1,))
    with django_assert_num_queries(3):
        assert len(search_articles(unit=cast.banner, query="防汛")) == 1
    units = [cast.village1a, cast.village1b, cast.village2a, cast.township1, cast.township2]
    for i in range(12):
        publish(units[i % len(units)], f"防汛演练{i}", also_on=(cast.banner,))
    with django_assert_num_queries(3):
        assert len(search_articles(unit=cast.banner, query="防汛")) == 13
    with django_assert_num_queries(0):
        assert search_articles(unit=cast.banner, query="，。") == []


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_the_page_costs_the_same_queries_whatever_the_number_of_hits(
    client: Any, cast: Cast, publish: Publish, django_assert_num_queries: Any
) -> None:
    url = reverse("site-search", args=[cast.banner.code])
    publish(cast.village1a, "禁牧休牧公告")
    client.get(url, {"q": "禁牧"})  # warm: jieba, translations
    with django_assert_num_queries(4) as few:
        assert client.get(url, {"q": "禁牧"}).status_code == 200
    for i in range(8):
        publish(cast.village2a, f"禁牧休牧公告{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"q": "禁牧"})
    assert response.content.count(b"<mark>") >= 9


# --- The page -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_the_page_keeps_the_query_marks_the_words_and_links_each_site(
    client: Any, cast: Cast, publish: Publish
) -> None:
    village = publish(
        cast.village1a,
        "关心下一代<b>专题</b>",
        body="<p>五老&amp;青少年：关心下一代，从身边做起。</p>",
    )
    banner = publish(cast.banner, "全旗关心下一代工作表彰", also_on=(cast.village1a,))
    url = reverse("site-search", args=[cast.township1.code])
    response = client.get(url, {"q": "關心下一代"})
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "private" in response["Cache-Control"]
    )
    html = response.content.decode()
    assert 'value="關心下一代"' in html
    assert "<mark>关心下一代</mark>" in html  # adjacent words: one mark
    assert "&lt;b&gt;专题&lt;/b&gt;" in html  # a title is text, never markup
    assert "五老&amp;青少年" in html
    assert reverse("site-article", args=[cast.village1a.code, village.pk]) in html
    # The banner's article is shown in the township only through the village it was pushed to.
    assert reverse("site-article", args=[cast.banner.code, banner.pk]) in html

    nothing = client.get(url, {"q": "不存在的词语"}).content.decode()
    assert "不存在的词语" in nothing and "<mark>" not in nothing
    assert client.get(reverse("site-search", args=["000000"]), {"q": "关心"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_the_page_pages(client: Any, cast: Cast, publish: Publish) -> None:
    from nutag.sites.views.search import PAGE_SIZE

    for i in range(PAGE_SIZE + 3):
        publish(cast.village1a, f"嘎查公告{i:02d}", age_days=i)
    url = reverse("site-search", args=[cast.village1a.code])
    first = client.get(url, {"q": "公告"}).content.decode()
    assert first.count("<mark>公告</mark>") == PAGE_SIZE
    assert "page=2" in first
    second = client.get(url, {"q": "公告", "page": "2"}).content.decode()
    assert second.count("<mark>公告</mark>") == 3
    assert "page=1" in second and "page=3" not in second
