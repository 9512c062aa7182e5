"""Every workbench form, the GOV.UK way: whatever points at an id finds it.

A crawler walks the workbench from ``/desk/`` as a village's and a township's secretary and as
the banner's officer, following every link under ``/desk/`` (none may lead its reader to "not
found"); each page's own forms are also sent back empty
(what a hurried user does), so the pages with errors are checked too. On every page each
``for``, ``aria-describedby``, ``aria-labelledby``, ``aria-controls`` and ``href="#id"`` must
name an element of the page, no id may be given twice, and a page with errors must carry the
error summary, link each wrong field and prefix its title with "Error: ".
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from nutag.assess.models import Round
from nutag.assess.tests.rounds_helpers import open_round
from nutag.assess.tests.taskdata import fill_and_submit, issue, report_of
from nutag.core.actors import SYSTEM
from nutag.sites.models import ArticleStatus
from nutag.sites.tests.test_desk import make

pytestmark = pytest.mark.django_db

REFERRING = ("for", "aria-describedby", "aria-labelledby", "aria-controls")
# links the crawler must not follow: leaving the session, or files rather than pages
SKIP = ("/desk/logout/", "/export", ".xlsx", ".csv", ".svg", "/download", "/template")
MAX_PAGES = 160
# forms not sent back empty: restructuring a unit needs no field, so an empty post would do it
NO_EMPTY_POST = ("/delete/", "/close/", "/merge/")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.duplicates: list[str] = []  # an id given twice: a label or a link finds the first
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, id)
        self.links: list[str] = []
        self.own_forms = 0  # forms posting to the page itself
        self.summary_links: list[str] = []
        self.title = ""
        self.in_title: list[str] = []  # tags inside <title>: a block that ran into it
        self._in_title = False
        self._in_summary = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._in_title:
            self.in_title.append(tag)
        if a.get("id"):
            if a["id"] in self.ids:
                self.duplicates.append(a["id"])
            self.ids.add(a["id"])
        for name in REFERRING:
            if name in a:
                for ref in a[name].split():
                    self.refs.append((tag, name, ref))
        href = a.get("href", "")
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.refs.append((tag, "href", href[1:]))
            if self._in_summary:
                self.summary_links.append(href[1:])
        elif tag == "a" and href:
            self.links.append(href)
        if tag == "form" and a.get("method", "get").lower() == "post" and not a.get("action"):
            self.own_forms += 1
        if tag == "title":
            self._in_title = True
        if "error-summary" in a.get("class", "").split():
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "div" and self._in_summary:
            self._in_summary -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def problems(page: Page) -> list[str]:
    missing = [f"<{tag} {name}> → #{ref}" for tag, name, ref in page.refs if ref not in page.ids]
    return (
        missing
        + [f"id {twice!r} given twice" for twice in page.duplicates]
        + [f"<{tag}> inside the <title>" for tag in page.in_title]
    )


def workbench_data(cast: Any) -> None:
    """Something behind every kind of page: articles in each state, a task with reports."""
    for status in (ArticleStatus.DRAFT, ArticleStatus.SUBMITTED, ArticleStatus.PUBLISHED):
        make(cast.township1, status=status, title=f"文章{status}")
    task = issue(by=SYSTEM, unit=cast.township1)
    fill_and_submit(report_of(task, cast.village1a), by=cast.village1a_officer)
    if not Round.objects.filter(unit=cast.banner).exists():  # (a caller may have made one)
        open_round(cast.banner)  # the banner's round and standard, which the villages read


def crawl(
    client: Client,
    start: str | list[str] = "/desk/",
    dead: dict[str, str] | None = None,
    *,
    within: str = "/desk/",
    queries: bool = False,
    skip: tuple[str, ...] = SKIP,
    per_shape: int = 0,
    most: int = MAX_PAGES,
) -> dict[str, Page]:
    """The pages reachable from ``start`` by links under ``within`` (with a query string
    only when ``queries``; none containing a piece of ``skip``), at most ``most`` of them and,
    with ``per_shape``, that many of each shape (digits alike); ``dead``, when given, gets
    each link that answered "not found" to this user, with the page that showed it."""
    seen: dict[str, Page] = {}
    queue = deque((url, "") for url in ([start] if isinstance(start, str) else start))
    tried: set[str] = set()
    shapes: Counter[str] = Counter()
    while queue and len(seen) < most:
        url, on = queue.popleft()
        shape = re.sub(r"\d+", "N", url)
        if url in tried or (per_shape and shapes[shape] >= per_shape):
            continue
        tried.add(url)
        shapes[shape] += 1
        response = client.get(url)
        if response.status_code == 404 and dead is not None:
            dead[url] = on
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        page = parse(response.content.decode())
        seen[url] = page
        for href in page.links:
            href = urldefrag(href).url
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith(within):
                continue
            if ("?" in href and not queries) or any(s in href for s in skip) or href in tried:
                continue
            queue.append((href, url))
    return seen


@pytest.mark.parametrize("who", ["village1a_secretary", "township1_secretary", "banner_officer"])
def test_every_workbench_page_and_form_points_at_ids_that_exist(cast: Any, who: str) -> None:
    workbench_data(cast)
    client = Client()
    client.force_login(getattr(cast, who))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    dead: dict[str, str] = {}
    pages = crawl(client, dead=dead)
    assert len(pages) > 20, sorted(pages)  # the crawler really walked the workbench
    broken = {url: problems(page) for url, page in pages.items() if problems(page)}
    assert not broken, broken
    # no page offers a link that its reader may not open ("not found" for them)
    assert not dead, {link: f"linked from {on}" for link, on in dead.items()}
    with_errors = 0
    for url, page in pages.items():
        if not page.own_forms or url.endswith(NO_EMPTY_POST):
            continue
        with transaction.atomic():  # each empty post on the same data: nothing it saves stays
            response = client.post(url, {"empty": ""})  # not falsy: the form is bound
            transaction.set_rollback(True)
        if response.status_code != 200:
            continue  # saved, refused by rights, or a one-button action
        after = parse(response.content.decode())
        assert not problems(after), (url, problems(after))
        if 'id="error-summary"' in response.content.decode():
            with_errors += 1
            assert after.title.startswith("Error: "), (url, after.title)
            assert after.summary_links or "<li>" in response.content.decode(), url
            assert all(ref in after.ids for ref in after.summary_links), url
    assert with_errors >= 5  # the empty forms really came back with errors


def test_the_error_summary_links_each_field_in_specific_words(cast: Any) -> None:
    client = Client()
    client.force_login(cast.township1_secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.post(
        f"/desk/u/{cast.township1.code}/articles/new/", {"kind": "article"}
    ).content.decode()
    page = parse(html)
    assert page.title.startswith("错误：")
    assert "id_title" in page.summary_links
    assert "请填写标题" in html  # "Enter the title", not "This field is required."
    assert "这个字段是必填项" not in html
    # the hint sits above the input and the input points at it and at the error
    start = html.index('for="id_title"')
    assert html.index('id="id_title_error"', start) < html.index('name="title"', start)
    assert 'aria-describedby="id_title_error"' in html or "id_title_error" in html
    # optional fields are marked, required ones are not
    assert "（选填）" in html


def test_taking_an_article_off_the_site_asks_first(cast: Any) -> None:
    article = make(cast.township1, status=ArticleStatus.PUBLISHED)
    client = Client()
    client.force_login(cast.township1_secretary)
    edit = client.get(f"/desk/articles/{article.pk}/").content.decode()
    # after publishing: view it on the site, share it
    assert f'href="/u/{cast.township1.code}/a/{article.pk}/"' in edit
    assert f"/u/{cast.township1.code}/a/{article.pk}/qr.svg" in edit
    assert 'id="share-link"' in edit
    # the button is a link to a page that asks; only the POST there takes it off
    confirm = client.get(f"/desk/articles/{article.pk}/withdraw/")
    assert confirm.status_code == 200
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert f'href="/desk/articles/{article.pk}/"' in confirm.content.decode()  # "No, go back"
    client.post(f"/desk/articles/{article.pk}/withdraw/")
    article.refresh_from_db()
    assert article.status != ArticleStatus.PUBLISHED


def test_the_confirmation_is_not_offered_to_those_who_cannot_take_it_off(cast: Any) -> None:
    article = make(cast.township1, status=ArticleStatus.PUBLISHED)
    client = Client()
    client.force_login(cast.township1_officer)  # writes, does not publish
    response = client.get(f"/desk/articles/{article.pk}/withdraw/")
    assert response.status_code == 302
    client.force_login(cast.village2a_secretary)  # another township's
    assert client.get(f"/desk/articles/{article.pk}/withdraw/").status_code == 404
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED


@pytest.mark.parametrize("path", ["/desk/login/", "join"])
def test_the_forms_of_visitors_point_at_ids_that_exist(cast: Any, path: str) -> None:
    """The login and the request to join a village: filled by people not yet logged in."""
    url = f"/desk/join/{cast.village1a.code}/" if path == "join" else path
    client = Client()
    page = parse(client.get(url).content.decode())
    assert page.own_forms and not problems(page)
    response = client.post(url, {"empty": ""})
    assert response.status_code == 200
    after = parse(response.content.decode())
    assert not problems(after)
    assert after.summary_links and all(ref in after.ids for ref in after.summary_links)


def test_a_public_page_with_a_wrong_form_gets_the_summary_too(rf: Any) -> None:
    """Public pages (``sites/public_base.html``) carry the summary, its styles and the script
    only when a form on them came back with errors: the 14 KB budget is for the normal page."""
    from django import forms
    from django.template.loader import render_to_string

    class Ask(forms.Form):
        question = forms.CharField(label="问题")

    request = rf.get("/")
    clean = render_to_string("sites/public_base.html", {"form": Ask()}, request=request)
    assert "error-summary" not in clean and "forms.js" not in clean
    wrong = render_to_string("sites/public_base.html", {"form": Ask({"x": ""})}, request=request)
    page = parse(wrong)
    assert page.title.startswith("错误：") and page.summary_links == ["id_question"]
    assert "forms.js" in wrong


def test_looking_for_wrong_forms_evaluates_no_lazy_value(rf: Any) -> None:
    """``forms_with_errors`` walks the whole context: it must not evaluate the lazy values
    there (``csrf_token``, ``user`` …): that made every public page read the session and make
    a CSRF token and cookie that nothing on it used (issue 17)."""
    from django import forms
    from django.template import Context, Template
    from django.utils.functional import SimpleLazyObject, lazy

    class Ask(forms.Form):
        question = forms.CharField(label="问题")

    def boom() -> Any:
        raise AssertionError("a lazy value was evaluated")

    wrong = Ask({"x": ""})
    template = Template("{% load forms_ui %}{% forms_with_errors as found %}{{ found|length }}")
    context = Context(
        {
            "csrf_token": SimpleLazyObject(boom),
            "label": lazy(boom, str)(),
            "forms": [Ask(), wrong],
            "form": wrong,  # the same form twice: listed once
        }
    )
    assert template.render(context) == "1"
    assert template.render(Context({"form": Ask()})) == "0"  # unbound: no errors to show


def test_a_public_page_without_a_post_form_sets_no_csrf_cookie(cast: Any) -> None:
    """The village home, a column and an article (the language and text-size switches are
    links) make no token; a page with a POST form still gets one, and it works."""
    article = make(cast.village1a, status=ArticleStatus.PUBLISHED)
    code = cast.village1a.code
    for url in (f"/u/{code}/", f"/u/{code}/a/{article.pk}/"):
        response = Client(enforce_csrf_checks=True).get(url)
        assert response.status_code == 200, url
        assert "csrftoken" not in response.cookies, url
        assert "csrfmiddlewaretoken" not in response.content.decode(), url
    client = Client(enforce_csrf_checks=True)
    form = client.get(f"/desk/join/{code}/")  # a form people not logged in fill
    assert "csrftoken" in form.cookies
    token = form.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    answer = client.post(f"/desk/join/{code}/", {"csrfmiddlewaretoken": token})
    assert answer.status_code == 200  # the form again, with its errors: not refused (403)
    assert "error-summary" in answer.content.decode()
