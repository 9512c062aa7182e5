"""Read counts: once per visitor per day, per article and per site; no database write in the
request; flushes that are idempotent and lose nothing; the Redis path when REDIS_URL is set.

Pages come from a small URL configuration of this module (a view that counts like the public
views do), so the tests do not depend on the public templates; one test reads the real
article page."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path
from django.utils import timezone

from nutag.core import tasks
from nutag.orgs.models import Unit
from nutag.sites import counting
from nutag.sites.caching import public_page
from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia, SiteCounter

# --- a counting page -------------------------------------------------------------------------

view_calls: list[str] = []


@public_page
def read_page(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    view_calls.append(request.path)
    unit = Unit.objects.select_related("site_counter").get(code=code)
    article = Article.objects.get(pk=pk) if pk else None
    counting.count_read(request, unit=unit, article=article)
    reads = counting.shown_reads(article) if article else 0
    return HttpResponse(f"reads={reads} visits={counting.shown_visits(unit)}")


urlpatterns = [
    path("t/<str:code>/", read_page),
    path("t/<str:code>/a/<int:pk>/", read_page),
    path("", include("config.urls")),
]
pytestmark = pytest.mark.urls(__name__)

PHONE = "Mozilla/5.0 (Linux; Android 13) Mobile MicroMessenger/8.0"
OTHER_PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile MicroMessenger/8.0"


@pytest.fixture(autouse=True)
def _clean(settings: Any) -> Iterator[None]:
    settings.NUTAG_TASK_MODE = "inline"
    settings.NUTAG_PAGE_CACHE_SECONDS = 0  # counting alone; caching tests switch it on
    counting.clear_pending()
    view_calls.clear()
    yield
    counting.clear_pending()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the counting clock: ``clock(datetime)``."""

    class Clock:
        moment = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai

        def __call__(self, moment: datetime) -> None:
            self.moment = moment

    c = Clock()
    monkeypatch.setattr(counting.visits, "now", lambda: c.moment)
    return c


@pytest.fixture
def article(cast: Any) -> Article:
    a = Article.objects.create(
        unit=cast.village1a,
        title="文章",
        status=ArticleStatus.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    Placement.objects.create(article=a, unit=cast.village1a, via=PlacementVia.OWN)
    return a


def phone(user_agent: str = PHONE, ip: str = "10.1.1.1") -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


def url(article: Article) -> str:
    return f"/t/{article.unit.code}/a/{article.pk}/"


def flushed(article: Article) -> tuple[int, int]:
    """(reads of the article, visits of its unit) in the database after a flush."""
    counting.flush_reads()
    article.refresh_from_db()
    counter = SiteCounter.objects.filter(unit_id=article.unit_id).first()
    return article.read_count, counter.visits if counter else 0


# --- negatives first ---------------------------------------------------------------------------


def test_a_second_read_the_same_day_does_not_count(article: Article, clock: Any) -> None:
    reader = phone()
    for _ in range(3):
        assert reader.get(url(article)).status_code == 200
    clock(clock.moment + timedelta(hours=12))  # 22:00 in Shanghai: still the same day
    reader.get(url(article))
    assert flushed(article) == (1, 1)


def test_a_cookieless_client_is_counted_once_a_day(article: Article) -> None:
    for _ in range(3):
        phone().get(url(article))  # a new client each time: no cookie ever sent back
    assert flushed(article) == (1, 1)


def test_a_forged_visitor_cookie_is_ignored(article: Article) -> None:
    for i in range(3):
        reader = phone()
        reader.cookies[counting.COOKIE_NAME] = f"20200101.forged-token-{i:06d}:bad-signature"
        reader.get(url(article))
    assert flushed(article) == (1, 1)


def test_robots_and_head_requests_are_not_reads(article: Article) -> None:
    phone("Mozilla/5.0 (compatible; Googlebot/2.1)").get(url(article))
    phone().head(url(article))
    phone().post(url(article))
    assert flushed(article) == (0, 0)


def test_no_database_write_happens_in_the_request(
    article: Article, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(5) as captured:
        response = phone().get(url(article))
    assert response.status_code == 200
    assert response.content == b"reads=1 visits=1"  # shown at once, from the pending count
    writes = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
    ]
    assert writes == []
    article.refresh_from_db()
    assert article.read_count == 0  # still only in the cache
    assert not SiteCounter.objects.filter(unit_id=article.unit_id).exists()


def test_the_real_article_page_counts_without_writing(
    article: Article, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(10) as captured:
        response = phone().get(f"/u/{article.unit.code}/a/{article.pk}/")
    assert response.status_code == 200
    assert not [
        q
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert counting.shown_reads(article) == 1
    assert flushed(article) == (1, 1)


# --- what counts ------------------------------------------------------------------------------


def test_a_new_day_counts_again(article: Article, clock: Any) -> None:
    reader = phone()
    clock(datetime(2026, 3, 1, 15, 59, tzinfo=UTC))  # 23:59 in Shanghai
    reader.get(url(article))
    clock(datetime(2026, 3, 1, 16, 1, tzinfo=UTC))  # 00:01 the next day in Shanghai
    reader.get(url(article))
    reader.get(url(article))
    assert flushed(article) == (2, 2)
    clock(datetime(2026, 3, 3, 1, 0, tzinfo=UTC))  # two days later, with the cookie
    reader.get(url(article))
    assert flushed(article) == (3, 3)


def test_the_day_ends_at_midnight_in_shanghai() -> None:
    moment = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai
    assert counting.local_day(moment).isoformat() == "2026-03-01"
    assert counting.seconds_to_midnight(moment) == 3600
    assert counting.local_day(moment + timedelta(hours=1)).isoformat() == "2026-03-02"


def test_two_visitors_count_twice(article: Article, clock: Any) -> None:
    phone(PHONE).get(url(article))
    phone(OTHER_PHONE).get(url(article))
    assert flushed(article) == (2, 2)


def test_two_visitors_with_cookies_behind_one_address_count_twice(
    article: Article, clock: Any
) -> None:
    first, second = phone(), phone()  # the same address and phone model
    first.get(url(article))
    second.get(url(article))  # the same fingerprint on the first day: one read
    assert flushed(article) == (1, 1)
    clock(clock.moment + timedelta(days=1))  # from now on their cookies tell them apart
    first.get(url(article))
    second.get(url(article))
    assert flushed(article) == (3, 3)


def test_the_visitor_cookie_is_long_lived_httponly_and_lax(article: Article) -> None:
    reader = phone()
    response = reader.get(url(article))
    cookie = response.cookies[counting.COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    # the same visitor comes back with the cookie it was given: not issued again, not
    # counted again (on its first day the cookie stands for the same fingerprint)
    again = reader.get(url(article))
    assert counting.COOKIE_NAME not in again.cookies
    assert flushed(article) == (1, 1)


def test_a_read_counts_per_article_and_the_site_once(cast: Any, article: Article) -> None:
    other = Article.objects.create(
        unit=cast.village1a, title="另一篇", status=ArticleStatus.PUBLISHED
    )
    reader = phone()
    reader.get(url(article))
    reader.get(url(other))
    reader.get(f"/t/{cast.village1a.code}/")
    counting.flush_reads()
    article.refresh_from_db()
    other.refresh_from_db()
    assert (article.read_count, other.read_count) == (1, 1)
    assert SiteCounter.objects.get(unit=cast.village1a).visits == 1


def test_a_page_served_from_the_page_cache_still_counts(settings: Any, article: Article) -> None:
    settings.NUTAG_PAGE_CACHE_SECONDS = 300
    first = phone(PHONE).get(url(article))
    second = phone(OTHER_PHONE).get(url(article))
    assert (first["X-Nutag-Cache"], second["X-Nutag-Cache"]) == ("miss", "hit")
    assert len(view_calls) == 1
    assert counting.COOKIE_NAME in second.cookies  # the cookie is set on a hit too
    assert flushed(article) == (2, 2)


# --- shown numbers and flushing ---------------------------------------------------------------


def test_shown_numbers_are_the_database_plus_pending(cast: Any, article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(read_count=1000)
    SiteCounter.objects.create(unit=cast.village1a, visits=50)
    phone().get(url(article))
    article.refresh_from_db()
    unit = Unit.objects.select_related("site_counter").get(pk=cast.village1a.pk)
    assert counting.shown_reads(article) == 1001
    assert counting.shown_reads_many([article]) == {article.pk: 1001}
    assert counting.shown_visits(unit) == 51
    counting.flush_reads()
    article.refresh_from_db()
    unit = Unit.objects.select_related("site_counter").get(pk=cast.village1a.pk)
    assert counting.shown_reads(article) == 1001  # now all in the database
    assert counting.shown_visits(unit) == 51


def test_flush_is_idempotent(article: Article) -> None:
    phone().get(url(article))
    first = counting.flush_reads()
    assert (first.articles, first.reads, first.sites, first.visits) == (1, 1, 1, 1)
    assert counting.flush_reads() == counting.FlushResult()
    assert flushed(article) == (1, 1)


def test_flush_writes_in_one_transaction_and_gives_counts_back_on_failure(
    article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone().get(url(article))

    def broken(taken: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(counting.flush, "_write", broken)
    with pytest.raises(RuntimeError):
        counting.flush_reads()
    monkeypatch.undo()
    assert counting.shown_reads(article) == 1  # still pending, not lost
    assert flushed(article) == (1, 1)


def test_flush_loses_nothing_under_concurrent_reads(article: Article) -> None:
    factory = RequestFactory()
    threads_n, reads_n = 8, 150
    start = threading.Barrier(threads_n + 1)

    def reader(t: int) -> None:
        start.wait()
        for i in range(reads_n):
            request = factory.get("/", REMOTE_ADDR=f"10.{t}.{i // 250}.{i % 250}")
            counting.count_read(request, unit=article.unit, article=article)

    workers = [threading.Thread(target=reader, args=(t,)) for t in range(threads_n)]
    for w in workers:
        w.start()
    start.wait()
    flushes = 0
    while any(w.is_alive() for w in workers):
        counting.flush_reads()  # races the readers
        flushes += 1
    for w in workers:
        w.join()
    assert flushes > 0
    assert flushed(article) == (threads_n * reads_n, threads_n * reads_n)


def test_flush_reads_command(article: Article, capsys: pytest.CaptureFixture[str]) -> None:
    phone().get(url(article))
    call_command("flush_reads")
    assert "Flushed 1 reads of 1 articles and 1 visits of 1 sites." in capsys.readouterr().out
    article.refresh_from_db()
    assert article.read_count == 1


def test_flush_of_a_deleted_article_or_unit_is_harmless(cast: Any, article: Article) -> None:
    counting.get_store().add({("a", 999_999): 3, ("u", 999_999): 2})
    result = counting.flush_reads()
    assert (result.reads, result.visits) == (3, 0)  # the update touched no row
    assert not SiteCounter.objects.filter(unit_id=999_999).exists()


def test_the_web_process_enqueues_a_flush_after_n_reads_or_t_seconds(
    settings: Any, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[str] = []
    monkeypatch.setattr(counting.flush, "enqueue", lambda path, **kw: queued.append(path))
    monkeypatch.setattr(counting.flush, "_register_exit_flush", lambda: None)
    settings.NUTAG_TASK_MODE = "thread"
    settings.NUTAG_READS_FLUSH_EVERY = 3
    settings.NUTAG_READS_FLUSH_SECONDS = 3600
    counting.clear_pending()
    phone(ip="10.0.0.1").get(url(article))  # 2 increments: the article and the site
    assert queued == []
    phone(ip="10.0.0.2").get(url(article))  # 4 >= 3
    assert queued == [counting.FLUSH_TASK]
    settings.NUTAG_READS_FLUSH_EVERY = 1000
    settings.NUTAG_READS_FLUSH_SECONDS = 0  # time is up at every read
    phone(ip="10.0.0.3").get(url(article))
    assert queued == [counting.FLUSH_TASK] * 2
    tasks.run_named(counting.FLUSH_TASK, {})  # what the thread or the worker runs
    assert flushed(article) == (3, 3)


def test_inline_mode_never_flushes_inside_a_request(settings: Any, article: Article) -> None:
    settings.NUTAG_READS_FLUSH_EVERY = 1
    settings.NUTAG_READS_FLUSH_SECONDS = 0
    phone().get(url(article))
    article.refresh_from_db()
    assert article.read_count == 0


# --- Redis ---------------------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set (CI sets it)")


@pytest.fixture
def redis_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[counting.RedisStore]:
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"nutag-test-{uuid.uuid4().hex[:8]}"})
    store = counting.RedisStore(cache)
    for module in (counting.visits, counting.shown, counting.flush):
        monkeypatch.setattr(module, "get_store", lambda: store)
    yield store
    store.clear()


@needs_redis
def test_redis_is_the_store_when_the_default_cache_is_redis() -> None:
    assert isinstance(counting.get_store(), counting.RedisStore)


@needs_redis
def test_redis_counts_once_a_day_and_flushes(
    redis_store: counting.RedisStore, article: Article, clock: Any
) -> None:
    reader = phone()
    reader.get(url(article))
    reader.get(url(article))
    phone(OTHER_PHONE).get(url(article))
    assert counting.shown_reads(article) == 2
    assert redis_store.pending([("a", article.pk)]) == {("a", article.pk): 2}
    assert flushed(article) == (2, 2)
    assert counting.flush_reads() == counting.FlushResult()  # idempotent
    clock(clock.moment + timedelta(days=1))
    reader.get(url(article))
    assert flushed(article) == (3, 3)


@needs_redis
def test_redis_flush_loses_nothing_under_concurrent_reads(
    redis_store: counting.RedisStore, article: Article
) -> None:
    factory = RequestFactory()
    threads_n, reads_n = 6, 100
    start = threading.Barrier(threads_n + 1)

    def reader(t: int) -> None:
        start.wait()
        for i in range(reads_n):
            request = factory.get("/", REMOTE_ADDR=f"10.{t}.0.{i}")
            counting.count_read(request, unit=article.unit, article=article)

    workers = [threading.Thread(target=reader, args=(t,)) for t in range(threads_n)]
    for w in workers:
        w.start()
    start.wait()
    while any(w.is_alive() for w in workers):
        counting.flush_reads()
    for w in workers:
        w.join()
    assert flushed(article) == (threads_n * reads_n, threads_n * reads_n)
