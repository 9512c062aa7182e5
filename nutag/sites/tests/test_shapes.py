"""Public pages made of kept shapes (``nutag.sites.shapes``, issue 17): negatives first — one
reader's bell, name, comment form or token never reaches another; a page with a token outside
its holes is not kept; marks never show — then what each reader sees is what a whole render
gives, byte for byte, and a change is seen by the next reader at once."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings

from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory, UserFactory
from nutag.notify.tests.test_views import tell  # a notification for the township's officers
from nutag.sites import services, shapes
from nutag.sites.models import Column
from nutag.sites.tests.test_public import publish
from nutag.sites.views import public

pytestmark = pytest.mark.django_db
# every request reaches the view; the shapes live as long as a page would
NO_CACHE = override_settings(NUTAG_PAGE_CACHE_SECONDS=0, NUTAG_SITE_MEMO_SECONDS=300)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(user: Any = None, lang: str = "zh-hans", large: bool = False) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.cookies["nutag_large"] = "1" if large else "0"
    if user is not None:
        client.force_login(user)
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    text = response.content.decode()
    assert f"zq{shapes._NONCE}" not in text  # no hole left unfilled
    return text


def _resident(unit: Any, name: str) -> Any:
    user = UserFactory(username=name)
    PersonFactory(unit=unit, name=f"{name}人", user=user, is_resident=True)
    return user


# --- Negatives first ----------------------------------------------------------------------


@NO_CACHE
def test_one_readers_bell_and_comment_form_never_reach_another(cast: Any) -> None:
    unit = cast.village1a
    article = publish(unit, title="草场新政策")
    url = f"/u/{unit.code}/a/{article.pk}/"
    tell(cast, "e1")
    tell(cast, "e2")
    officer = _client(cast.township1_secretary)  # two unread notifications
    resident = _client(_resident(unit, "牧民甲"))  # may comment here
    # the officer's render makes the shape
    mine = _page(officer, url)
    assert 'class="bell"' in mine and "<b>2</b>" in mine
    assert shapes.kept_count() >= 1
    # an anonymous reader: no bell, no form, no token
    anonymous = _page(_client(), url)
    assert 'class="bell"' not in anonymous and "csrfmiddlewaretoken" not in anonymous
    # the resident: their own bell (nothing unread), their own form and token
    theirs = _page(resident, url)
    assert 'class="bell"' in theirs and "<b>2</b>" not in theirs
    assert 'name="text"' in theirs
    token = TOKEN.search(theirs)
    assert token and token.group(1) not in mine
    # and the officer again: still their own count
    assert "<b>2</b>" in _page(officer, url)


@NO_CACHE
def test_a_page_with_a_token_outside_its_holes_is_rendered_whole_and_not_kept(
    cast: Any, rf: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.middleware.csrf import get_token

    from nutag.voice.forms_talk import CommentForm

    def make() -> shapes.Made:
        context = {
            "unit": cast.village1a,
            "rows": [],
            "may_comment": True,
            "form": CommentForm(),
            "action": "/x/",
            "back": "/y/",
        }
        return shapes.Made("voice/comments/_block.html", context, None)

    def fill(request: Any, keep: Any, fresh: bool, generations: tuple[int, ...]) -> dict[str, str]:
        return {shapes.PATH: ""}

    tokens = []
    for _ in range(2):
        request = rf.get("/u/x/")
        request.user = AnonymousUser()
        secret = get_token(request)  # this reader's token
        response = shapes.render_page(
            request,
            page="t",
            scope="t",
            args=(),
            holes=frozenset({shapes.PATH}),
            make=make,
            fill=fill,
        )
        found = TOKEN.search(response.content.decode())
        assert found is not None
        tokens.append((secret, found.group(1)))
        assert shapes.kept_count() == 0
    from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]

    for secret, shown in tokens:  # each reader's own
        assert _unmask_cipher_token(shown) == _unmask_cipher_token(secret)


def test_a_mark_the_page_does_not_fill_is_refused() -> None:
    html = f"<p>{shapes.hole('bell')}{shapes.hole('other')}</p>"
    with pytest.raises(ValueError, match="other"):
        shapes._split(html, frozenset({"bell"}))


@NO_CACHE
def test_an_article_cannot_fill_a_hole_with_a_mark_of_its_own(cast: Any) -> None:
    """An author who writes something that looks like a mark gets it shown as written: the
    marks carry a number drawn per process."""
    unit = cast.village1a
    fake = "zq0123456789abcdef0123bellqz"
    article = publish(unit, title=fake, body=f"<p>{fake}</p>")
    text = _page(_client(cast.township1_secretary), f"/u/{unit.code}/a/{article.pk}/")
    assert text.count(fake) >= 2


@NO_CACHE
def test_shapes_are_bounded(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(shapes, "MOST_SHAPES", 3)
    unit = cast.village1a
    client = _client()
    for n in range(5):
        article = publish(unit, title=f"文章{n}")
        _page(client, f"/u/{unit.code}/a/{article.pk}/")
    assert shapes.kept_count() <= 3


# --- What readers see ---------------------------------------------------------------------


def _pages(cast: Any) -> list[str]:
    unit = cast.village1a
    news = Column.objects.create(unit=unit, key="news", title="新闻")
    articles = [publish(unit, title=f"新闻{n}", column=news) for n in range(23)]
    publish(unit, title="通知", kind="notice")
    column = f"/u/{unit.code}/c/news/"
    return [
        "/",
        f"/u/{unit.code}/",
        f"/u/{cast.township1.code}/",
        column,
        f"{column}?page=2",
        f"{column}?page=9",
        f"/u/{unit.code}/a/{articles[0].pk}/",
    ]


@NO_CACHE
@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong"])
def test_each_reader_sees_what_a_whole_render_gives(cast: Any, lang: str) -> None:
    urls = _pages(cast)
    tell(cast, "e1")
    readers = [None, _resident(cast.village1a, "牧民乙"), cast.township1_secretary]
    for user in readers:
        for large in (False, True):
            client = _client(user, lang, large)
            with override_settings(NUTAG_PAGE_SHAPES=False):
                whole = [TOKEN.sub("", _page(client, url)) for url in urls]
            shapes.forget()
            made = [TOKEN.sub("", _page(client, url)) for url in urls]  # shapes made
            filled = [TOKEN.sub("", _page(client, url)) for url in urls]  # shapes filled
            for url, a, b, c in zip(urls, whole, made, filled, strict=True):
                assert a == b == c, (user, large, url)
    assert shapes.kept_count() >= len(urls) - 2  # a column's pages share its shape


@NO_CACHE
def test_a_column_page_never_asked_gets_its_own_rows_and_pager(cast: Any) -> None:
    unit = cast.village1a
    news = Column.objects.create(unit=unit, key="news", title="新闻")
    for n in range(45):
        publish(unit, title=f"第{n:02d}条", column=news)
    client = _client()
    url = f"/u/{unit.code}/c/news/"
    first = _page(client, url)
    second = _page(client, f"{url}?page=2")
    last = _page(client, f"{url}?page=3")
    beyond = _page(client, f"{url}?page=99")
    # the newest first: 44 … 25, 24 … 5, 4 … 0
    assert "第44条" in first and "第25条" in first and "第24条" not in first
    assert "第24条" in second and "第05条" in second and "第25条" not in second
    assert "第04条" in last and "第00条" in last and "第05条" not in last
    assert beyond == last.replace("%3Fpage%3D3", "%3Fpage%3D99")  # beyond the end: the last
    assert 'href="?page=2"' in first and 'href="?page=1"' not in first
    assert 'href="?page=1"' in second and 'href="?page=3"' in second
    assert 'href="?page=3"' not in last
    # each page's links back to the language choice keep its own address
    assert "%3Fpage%3D2" in second and "%3Fpage%3D2" not in last


@NO_CACHE
def test_a_publish_a_withdrawal_and_a_new_title_show_to_the_next_logged_in_reader(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    unit = cast.village1a
    reader = _client(cast.township1_secretary)  # logged in: never served from the page cache
    home = f"/u/{unit.code}/"
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(
            acting_user=SYSTEM,
            unit=unit,
            data=services.ArticleInput(title="旧标题", body="<p>x</p>"),
        )
    _page(reader, home)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(acting_user=SYSTEM, article=article)
    url = f"/u/{unit.code}/a/{article.pk}/"
    assert "旧标题" in _page(reader, home) and "旧标题" in _page(reader, url)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(acting_user=SYSTEM, article=article)
    assert reader.get(url).status_code == 404
    assert "旧标题" not in _page(reader, home)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(
            acting_user=SYSTEM,
            article=article,
            data=services.ArticleInput(title="新标题", body="<p>x</p>"),
        )
        services.article_publish(acting_user=SYSTEM, article=article)
    assert "新标题" in _page(reader, url) and "旧标题" not in _page(reader, url)
    assert "新标题" in _page(reader, home)


@NO_CACHE
def test_counters_stay_current_on_a_kept_shape(cast: Any) -> None:
    """The reads shown are the database's and those not yet written, read afresh on every
    render: a shape made before a flush shows the same number after it."""
    from nutag.sites.counting import flush_reads

    unit = cast.village1a
    article = publish(unit, title="阅读")
    url = f"/u/{unit.code}/a/{article.pk}/"

    def reads(agent: str) -> int:
        found = re.search(r"阅读 (\d+)", _page(Client(HTTP_USER_AGENT=agent), url))
        assert found is not None
        return int(found.group(1))

    assert reads("Mozilla/5.0 reader0") == 1  # the shape made
    assert [reads(f"Mozilla/5.0 reader{n}") for n in (1, 2, 3)] == [2, 3, 4]  # filled
    flush_reads()  # the counts move to the database
    assert reads("Mozilla/5.0 reader4") == 5


@NO_CACHE
def test_each_readers_comment_form_posts_with_the_token_shown_to_them(cast: Any) -> None:
    """The comments block is kept for logged-in readers too, with each reader's own token put
    in: a browser that checks CSRF posts with what the page showed it."""
    from nutag.voice.models import Comment

    unit = cast.village1a
    article = publish(unit, title="评论")
    url = f"/u/{unit.code}/a/{article.pk}/"
    for n, name in enumerate(("牧民丙", "牧民丁", "牧民戊")):
        reader = Client(enforce_csrf_checks=True)
        reader.force_login(_resident(unit, name))
        token = TOKEN.search(_page(reader, url))
        assert token is not None
        refused = reader.post(url + "comments/", {"text": f"没有令牌{n}"})
        assert refused.status_code == 403
        sent = reader.post(
            url + "comments/", {"text": f"第{n}条评论", "csrfmiddlewaretoken": token.group(1)}
        )
        assert sent.status_code == 302, sent.status_code
    assert Comment.objects.filter(article=article).count() == 3


# --- An article's shape outlives another article's publish ------------------------------


def _article_read(client: Client, url: str) -> tuple[str, bool]:
    """The page, and whether it was made (the article read) rather than filled."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        text = _page(client, url)
    made = any("SELECT a.*" in q["sql"] for q in queries.captured_queries)
    return text, made


@NO_CACHE
def test_what_an_article_page_shows_of_its_unit_still_purges_its_shape(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Negatives first: the article's column renamed or hidden, an attachment added, the
    unit renamed, the article taken off a unit: each is on the next render."""
    from nutag.sites.models import Attachment, Placement

    unit = cast.village1a
    column = Column.objects.create(unit=unit, key="news", title="旧栏目")
    article = publish(cast.township1, title="镇里的文章", column=None, on=(unit,))
    own = publish(unit, title="村里的文章", column=column)
    reader = _client(cast.township1_secretary)
    url = f"/u/{unit.code}/a/{own.pk}/"
    assert "旧栏目" in _page(reader, url)
    column.title = "新栏目"
    column.save()
    text, made = _article_read(reader, url)
    assert made and "新栏目" in text and "旧栏目" not in text
    column.enabled = False
    column.save()
    assert "新栏目" not in _page(reader, url)
    Attachment.objects.create(article=own, file="a/x.pdf", name="附件甲.pdf", size=1)
    assert "附件甲.pdf" in _page(reader, url)
    unit.name = "改名嘎查"
    unit.save()
    assert "改名嘎查" in _page(reader, url)
    pushed = f"/u/{unit.code}/a/{article.pk}/"
    assert "镇里的文章" in _page(reader, pushed)
    Placement.objects.filter(article=article, unit=unit).delete()
    assert reader.get(pushed).status_code == 404


@NO_CACHE
def test_another_articles_publish_leaves_an_articles_shape(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    unit = cast.village1a
    older = publish(unit, title="旧文章")
    url = f"/u/{unit.code}/a/{older.pk}/"
    reader = _client()
    first, made = _article_read(reader, url)
    assert made
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(
            acting_user=SYSTEM,
            unit=unit,
            data=services.ArticleInput(title="新文章", body="<p>x</p>"),
        )
        services.article_publish(acting_user=SYSTEM, article=article)
    assert "新文章" in _page(reader, f"/u/{unit.code}/")  # the unit's pages were purged
    again, made = _article_read(reader, url)
    assert not made and again == first  # the older article's page: its shape filled
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(acting_user=SYSTEM, article=older)
    assert reader.get(url).status_code == 404


# --- A home's and a column page's shapes outlive a publish; their lists do not -----------


class _Makes:
    """Counts the shapes made (the page's template rendered for a shape)."""

    def __init__(self, monkeypatch: Any) -> None:
        self.count = 0
        real = shapes.render_to_string

        def spy(*args: Any, **kwargs: Any) -> str:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(shapes, "render_to_string", spy)


def _announced(django_capture_on_commit_callbacks: Any, unit: Any, title: str, **cover: Any) -> Any:
    """An article in the column ``news`` published through the services (its commit purges
    as in production), with ``cover`` fields stored as the upload would leave them."""
    from nutag.sites.models import Article

    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(
            acting_user=SYSTEM,
            unit=unit,
            data=services.ArticleInput(title=title, body="<p>x</p>", column_key="news"),
        )
        Article.objects.filter(pk=article.pk).update(**cover)
        article.refresh_from_db()
        services.article_publish(acting_user=SYSTEM, article=article)
    return article


@NO_CACHE
def test_what_a_home_or_a_column_page_shows_of_its_unit_still_purges_its_shape(
    cast: Any, monkeypatch: Any
) -> None:
    """Negatives first: the unit renamed, a column renamed, hidden or given a sub-column are
    each on the next render, for an anonymous and a logged-in reader."""
    unit = cast.village1a
    column = Column.objects.create(unit=unit, key="news", title="旧栏目")
    publish(unit, title="村里的文章", column=column)
    home, page = f"/u/{unit.code}/", f"/u/{unit.code}/c/news/"
    makes = _Makes(monkeypatch)
    for reader in (_client(), _client(cast.township1_secretary)):
        shapes.forget()
        assert column.title in _page(reader, home) and column.title in _page(reader, page)
        made = makes.count
        unit.name = f"改名嘎查{made}"
        unit.save()
        assert unit.name in _page(reader, home) and unit.name in _page(reader, page)
        assert makes.count == made + 2  # made again, both
        column.title = f"新栏目{made}"
        column.save()
        assert column.title in _page(reader, home) and column.title in _page(reader, page)
        sub = Column.objects.create(
            unit=unit, key=f"sub{made}", title=f"子栏目{made}", parent=column
        )
        assert f"/c/{sub.key}/" in _page(reader, page)
        column.enabled = False
        column.save()
        assert reader.get(page).status_code == 404
        assert column.title not in _page(reader, home)
        column.enabled = True
        column.save()


@NO_CACHE
def test_a_publish_leaves_the_home_and_column_shapes_and_their_lists_follow(
    cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    unit = cast.village1a
    news = Column.objects.create(unit=unit, key="news", title="新闻")
    for n in range(21):
        publish(unit, title=f"第{n:02d}条", column=news, ago=timedelta(hours=30 - n))
    home, page = f"/u/{unit.code}/", f"/u/{unit.code}/c/news/"
    township = f"/u/{cast.township1.code}/"
    reader = _client()
    before = {url: _page(reader, url) for url in (home, page, f"{page}?page=2", township)}
    assert "第00条" in before[f"{page}?page=2"] and "og:image" not in before[home]
    activity = re.compile(r'<span class="n">(\d+)</span>')
    makes = _Makes(monkeypatch)
    new = _announced(
        django_capture_on_commit_callbacks,
        unit,
        "新发布的文章",
        cover="covers/1/new.jpg",
        cover_width=1440,
        cover_height=960,
    )
    after = {url: _page(reader, url) for url in before}
    assert makes.count == 0  # every shape kept: only the lists made again
    assert "新发布的文章" in after[home] and "新发布的文章" in after[page]
    assert 'src="/media/covers/1/new.jpg"' in after[home]  # the unit's picture
    assert (
        '<meta property="og:image" content="http://testserver/media/covers/1/new.jpg">'
        in (after[home])
    )
    # the list moved on by one: page 2 starts with page 1's last
    assert "第01条" in after[f"{page}?page=2"] and "第01条" not in after[page]
    # the township's "units below": one more for the village
    counts = [int(n) for n in activity.findall(before[township])]
    assert sorted(int(n) for n in activity.findall(after[township])) != sorted(counts)
    # the same as a whole render of each page (the shapes off)
    with override_settings(NUTAG_PAGE_SHAPES=False):
        whole = {url: _page(reader, url) for url in before}
    assert whole == {url: _page(reader, url) for url in before}  # (shapes made again)
    makes.count = 0
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(acting_user=SYSTEM, article=new)
    assert "新发布的文章" not in _page(reader, home) and "new.jpg" not in _page(reader, home)
    assert "新发布的文章" not in _page(reader, page)
    assert makes.count == 0


def _four_readers(cast: Any) -> list[Client]:
    """Four shapes of a page: Chinese, Mongolian, the larger text, a logged-in reader of
    traditional Chinese."""
    return [
        _client(),
        _client(lang="mn-mong"),
        _client(large=True),
        _client(cast.township1_secretary, lang="zh-hant"),
    ]


@NO_CACHE
def test_the_homes_news_is_asked_once_per_publish_for_every_language_and_text_size(
    cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Negatives first: a sibling's publish is never on the unit's home and asks nothing of
    it again; the news kept for one reader never outlives a publish for another. Then a
    publish asks the home's lists once for every language, text size and logged-in reader
    (``selectors.site_home_news``), and a withdrawal takes the article off all of them."""
    from nutag.sites.selectors import public as selectors

    unit, sibling = cast.village1a, cast.village1b
    home = f"/u/{unit.code}/"
    readers = _four_readers(cast)
    asked: list[str | None] = []
    real = selectors.listed_rows

    def spy(**kwargs: Any) -> Any:
        asked.append(kwargs.get("kind"))
        return real(**kwargs)

    monkeypatch.setattr(selectors, "listed_rows", spy)
    for reader in readers:
        _page(reader, home)
    asked.clear()
    _announced(django_capture_on_commit_callbacks, sibling, "邻村的文章")
    assert not any("邻村的文章" in _page(reader, home) for reader in readers)
    assert asked == []  # the unit's news kept: nothing of it changed
    new = _announced(django_capture_on_commit_callbacks, unit, "本村的新文章")
    assert all("本村的新文章" in _page(reader, home) for reader in readers)
    assert sorted(asked) == ["article", "notice"]  # once for the four readers, not four times
    asked.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(acting_user=SYSTEM, article=new)
    assert not any("本村的新文章" in _page(reader, home) for reader in readers)
    assert sorted(asked) == ["article", "notice"]
    with override_settings(NUTAG_PAGE_SHAPES=False):  # the same as a whole render
        whole = [_page(reader, home) for reader in readers]
    assert whole == [_page(reader, home) for reader in readers]


@NO_CACHE
def test_a_columns_count_is_counted_once_per_publish_for_every_language_and_text_size(
    cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Negatives first: a sibling's publish counts nothing again; the count kept for one
    column is never another's (a column with sub-columns counts theirs too). Then a publish
    counts the column once for every language, text size and logged-in reader
    (``selectors.site_column_count``), and every one of them shows the new page count."""
    from nutag.sites.selectors import public as selectors

    unit, sibling = cast.village1a, cast.village1b
    news = Column.objects.create(unit=unit, key="news", title="新闻")
    Column.objects.create(unit=unit, key="notes", title="简讯", parent=news)
    Column.objects.create(unit=unit, key="party", title="党建")
    for n in range(20):  # one full page of 20
        publish(unit, title=f"旧闻{n}", column=news)
    page = f"/u/{unit.code}/c/news/"
    readers = _four_readers(cast)
    counted: list[tuple[str, ...]] = []
    real = selectors.listed_count

    def spy(**kwargs: Any) -> Any:
        counted.append(tuple(kwargs["column_keys"]))
        return real(**kwargs)

    monkeypatch.setattr(selectors, "listed_count", spy)
    assert not any("?page=2" in _page(reader, page) for reader in readers)
    assert counted == [("news", "notes")]
    counted.clear()
    _announced(django_capture_on_commit_callbacks, sibling, "邻村的文章")
    assert not any("?page=2" in _page(reader, page) for reader in readers)
    assert counted == []  # the unit's pages were not purged
    _announced(django_capture_on_commit_callbacks, unit, "本村的新文章")
    assert all("?page=2" in _page(reader, page) for reader in readers)  # 21: two pages
    assert counted == [("news", "notes")]  # once for the four readers, not four times
    assert "?page=2" not in _page(readers[0], f"/u/{unit.code}/c/party/")
    assert counted == [("news", "notes"), ("party",)]


@NO_CACHE
def test_a_columns_pages_are_the_same_read_in_order_or_out_of_turn(
    cast: Any, monkeypatch: Any
) -> None:
    """A page starts where the page before it ended, when this process showed that page
    (``listed_rows(after=...)``), else it skips rows: both give the same rows, with pinned
    articles, several columns (a sub-column's articles) and equal publish times."""
    unit = cast.village1a
    news = Column.objects.create(unit=unit, key="news", title="新闻")
    sub = Column.objects.create(unit=unit, key="sub", title="子栏目", parent=news)
    for n in range(70):
        publish(
            unit,
            title=f"第{n:02d}条",
            column=sub if n % 3 else news,
            pinned=n in (5, 40),
            ago=timedelta(hours=n // 4),  # four at a time published at the same moment
        )
    url = f"/u/{unit.code}/c/news/"
    reader = _client()
    in_order = [_page(reader, f"{url}?page={n}") for n in range(1, 5)]
    titles = [set(re.findall(r"第\d\d条", text)) for text in in_order]
    assert [len(t) for t in titles] == [20, 20, 20, 10]
    assert set().union(*titles) == {f"第{n:02d}条" for n in range(70)}  # none twice, none left
    assert "第05条" in titles[0] and "第40条" in titles[0]  # pinned first
    for order in ([4, 2, 3, 1], [3, 4, 1, 2], [2, 1, 4, 3]):
        shapes.forget()
        seen = {n: _page(reader, f"{url}?page={n}") for n in order}
        assert [seen[n] for n in range(1, 5)] == in_order, order
    # past the ends a column keeps (here one page's), a page skips from the last one kept
    monkeypatch.setattr(public, "ENDS_KEPT", 1)
    shapes.forget()
    assert [_page(reader, f"{url}?page={n}") for n in range(1, 5)] == in_order
