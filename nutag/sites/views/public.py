"""The public site of every unit: home, columns, articles, QR codes and a printable poster.

Thin: fetch through the read-side selectors (404 for a missing unit and for an article not
published here), count the read, render. Every view is wrapped in ``public_page`` (anonymous
pages served from the cache) and the pages call ``count_read`` (no database write on the
page view). Each page costs a fixed number of queries whatever the number of articles.
The home, a column page and an article are made of kept shapes (``nutag.sites.shapes``):
``make`` reads and gives the template's context, ``fill`` works out the holes per request.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import segno
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nutag.core.errors import NotFound
from nutag.core.templatetags.local_names import reader_dates_of
from nutag.orgs.models import TOWNSHIP_LEVEL_KINDS, Unit, UnitKind, UnitStatus
from nutag.sites import shapes
from nutag.sites.caching import (
    ROOT_SCOPE,
    article_generations,
    frame_generations,
    positive_number,
    public_page,
)
from nutag.sites.counting import count_read, shown_reads, shown_visits
from nutag.sites.extensions import article_blocks, column_page
from nutag.sites.models import Article
from nutag.sites.selectors import (
    ACTIVITY_DAYS,
    Picture,
    access_public_article,
    article_attachments,
    column_and_children,
    columns_with_articles,
    public_unit,
    site_children_activity,
    site_column_articles,
    site_column_count,
    site_columns,
    site_home_news,
    stored_reads,
    stored_visits,
    top_columns,
)
from nutag.sites.selectors.memo import site_home_blocks
from nutag.sites.selectors.rows import ListedArticle, ListedRows, Place
from nutag.sites.templatetags.public_site import (
    article_text,
    bell_part,
    cover_share_url,
    mn_lang,
    shown_list,
    shows_mongolian,
    unit_name,
    zh,
)

COLUMN_PAGE_SIZE = 20
SHARE_DESCRIPTION_CHARS = 100
# Sites that show their child units with a figure of their activity.
KINDS_WITH_CHILDREN = {UnitKind.BANNER, *TOWNSHIP_LEVEL_KINDS}


def _merged_redirect(unit: Unit) -> HttpResponse | None:
    """A merged unit's old QR codes and links lead to the unit it was merged into."""
    if unit.status == UnitStatus.CLOSED and unit.merged_into_id:
        target = Unit.objects.only("code").get(pk=unit.merged_into_id)
        return redirect("site-home", code=target.code)
    return None


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def _image_url(request: HttpRequest, article: Article | Picture | None) -> str:
    url = cover_share_url(article)
    return _absolute(request, url) if url else ""


@dataclasses.dataclass(frozen=True, slots=True)
class ShownRow:
    """A list row with what ``sites/public_article_list.html`` prints already worked out in
    the reader's language (issue 17: three filters and a ``{% url %}`` per row were about half
    of a list's render). The HTML is the one the template's per-row filters give."""

    pk: int
    url: str
    lang: SafeString  # `` lang="mn-Mong"`` when the Mongolian version is shown
    title: str
    tags: SafeString  # pinned, sent down by / recommended by (with the leading space)
    date: str
    shown: bool = True


def _tags(row: ListedArticle) -> SafeString:
    tags = []
    if row.pinned:
        tags.append(format_html(' <span class="tag">{}</span>', _("Pinned")))
    if row.via in ("pushed", "recommended"):
        name = conditional_escape(unit_name(row.unit))
        if row.via == "pushed":
            text = _("Sent down by %(name)s") % {"name": name}
            tags.append(format_html(' <span class="tag up">{}</span>', mark_safe(text)))  # noqa: S308
        else:
            text = _("Recommended by %(name)s") % {"name": name}
            tags.append(format_html(' <span class="tag">{}</span>', mark_safe(text)))  # noqa: S308
    return mark_safe("".join(tags))  # noqa: S308


def shown_rows(rows: list[ListedArticle]) -> list[ShownRow]:
    """``rows`` as the list template prints them (see ``ShownRow``)."""
    lang = get_language()
    dates = reader_dates_of([row.published_at for row in rows])
    return [
        ShownRow(
            pk=row.pk,
            url=row.url,
            lang=mn_lang(row, lang),
            title=article_text(row, "title", lang),
            tags=_tags(row),
            date=date,
        )
        for row, date in zip(rows, dates, strict=True)
    ]


# --- The three pages readers open most, made of kept shapes (``nutag.sites.shapes``) -------
# Each page is ``make`` (what it reads and its template) and ``fill`` (its holes for this
# request: the reader's bell, the path the language links return to, the counters, the other
# apps' blocks, a column page's rows and pager); ``fill`` also counts the read.

HOME_HOLES = frozenset({shapes.PATH, "bell", "visits", "blocks", "news", "below", "shareimage"})
COLUMN_HOLES = frozenset({shapes.PATH, "bell", "rows", "pager", "extra"})
ARTICLE_HOLES = frozenset({shapes.PATH, "bell", "reads", "extra"})


def _number(n: int) -> str:
    return str(intcomma(n, use_l10n=False))  # thousands grouped in every language


# The home's and a column page's shapes hold their unit's frame (names, columns: what
# changes with the frame generation, ``caching.frame_generations``); their lists (the news,
# the columns with something to read, the units below, a column's rows) are holes, kept in
# the shape's ``Latest`` under the unit's page generation, which every publish bumps. So a
# publish makes the lists again, not the page; what they show of the articles is asked once
# for every shape of the home (``site_home_news``), its columns when the shape is made.


@dataclasses.dataclass(frozen=True, slots=True)
class _HomeKept:
    unit: Unit
    columns: list[Any]  # its columns (saved, or the seed's defaults): part of its frame
    top: list[Any]  # those inside no other column
    lists: shapes.Latest[dict[str, str]] = dataclasses.field(default_factory=shapes.Latest)


def _home_made(request: HttpRequest, unit: Unit) -> shapes.Made:
    columns = site_columns(unit=unit, memo=True)
    kept = _HomeKept(unit, columns, top_columns(columns=columns))
    name = zh(unit.name)
    context: dict[str, Any] = {
        "unit": unit,
        "share": {  # its image, the unit's picture, is the ``shareimage`` hole
            "type": "website",
            "title": name,
            "description": _("%(name)s: notices, news and services") % {"name": name},
            "url": _absolute(request, reverse("site-home", args=[unit.code])),
        },
    }
    return shapes.Made("sites/site_home.html", context, kept)


def _home_lists(request: HttpRequest, kept: _HomeKept) -> dict[str, str]:
    """The home's holes that change with its unit's page generation (see above)."""
    unit = kept.unit
    children = site_children_activity(unit=unit) if unit.kind in KINDS_WITH_CHILDREN else []
    found = site_home_news(unit=unit)
    picture = found.picture
    news = {
        "articles": shown_rows(found.articles),
        "notices": shown_rows(found.notices),
        "picture": picture,
    }
    below = {
        "unit": unit,
        "columns": columns_with_articles(
            unit=unit, columns=kept.top, every=kept.columns, listed=found.listed_keys
        ),
        "children": children,
        "activity_top": max((c.published for c in children), default=0),
        "activity_days": ACTIVITY_DAYS,
    }
    image = _image_url(request, picture)
    return {
        "news": render_to_string("sites/_home_news.html", news),
        "below": render_to_string("sites/_home_below.html", below),
        "shareimage": format_html(
            '<meta property="og:image" content="{}">\n<meta itemprop="image" content="{}">\n',
            image,
            image,
        )
        if image
        else "",
    }


def _home_fill(
    request: HttpRequest, kept: _HomeKept, fresh: bool, generations: tuple[int, ...]
) -> dict[str, str]:
    unit = kept.unit
    count_read(request, unit=unit)
    stored = None if fresh else stored_visits(unit_id=unit.pk)
    return {
        **kept.lists.get(generations, lambda: _home_lists(request, kept)),
        shapes.PATH: quote(request.get_full_path()),
        "bell": bell_part(request),
        # counted but not yet written included
        "visits": _number(shown_visits(unit, stored=stored)),
        # other apps' content (sites/extensions.py); empty blocks not asked again (memo)
        "blocks": site_home_blocks(request, unit),
    }


def _home(request: HttpRequest, *, scope: str, find: Callable[[], Unit | None]) -> HttpResponse:
    def make() -> shapes.Made | HttpResponse:
        unit = find()
        if unit is None:
            return render(request, "stats/empty.html")
        return _merged_redirect(unit) or _home_made(request, unit)

    return shapes.render_page(
        request,
        page="home",
        scope=scope,
        args=(scope,),
        holes=HOME_HOLES,
        make=make,
        fill=_home_fill,
        generations=lambda: frame_generations(scope),
        shaped_by=2,
    )


@public_page
def site_root(request: HttpRequest) -> HttpResponse:
    """``/``: the root unit's site (the banner's)."""
    return _home(
        request,
        scope=ROOT_SCOPE,
        find=lambda: Unit.objects.get_root_nodes().select_related("site_counter").first(),
    )


@public_page
def site_home(request: HttpRequest, code: str) -> HttpResponse:
    return _home(request, scope=code, find=lambda: public_unit(code=code))


PAGES_KEPT = 16  # a column's list pages kept with its shape (per language and text size)
ENDS_KEPT = 500  # where its pages end, for the next page to start there (``listed_rows``)


@dataclasses.dataclass(frozen=True, slots=True)
class _ColumnLists:
    """A column's list at one page generation of its unit."""

    count: int  # articles in the column and its sub-columns
    # each ``?page=`` asked (its clean value): its rows and pager, the same for every reader
    pages: dict[str | None, tuple[str, str]] = dataclasses.field(default_factory=dict)
    # each page number shown: the place of its last row, where the next page starts
    ends: dict[int, Place] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class _ColumnKept:
    unit: Unit
    column: Any  # a Column (saved, or one of the seed's defaults)
    keys: list[str]  # the column's and its sub-columns'
    articles: ListedRows  # in them
    lists: shapes.Latest[_ColumnLists] = dataclasses.field(default_factory=shapes.Latest)


@public_page(params={"page": positive_number})
def site_column(request: HttpRequest, code: str, key: str) -> HttpResponse:
    def make() -> shapes.Made:
        unit = public_unit(code=code)
        found = column_and_children(columns=site_columns(unit=unit, memo=True), key=key)
        if found is None:
            raise NotFound
        column, subcolumns = found
        keys = [column.key, *(c.key for c in subcolumns)]
        articles = site_column_articles(unit=unit, keys=keys)
        context = {"unit": unit, "column": column, "subcolumns": subcolumns}
        kept = _ColumnKept(unit, column, keys, articles)
        return shapes.Made("sites/site_column.html", context, kept)

    return shapes.render_page(
        request,
        page="column",
        scope=code,
        args=(code, key),
        holes=COLUMN_HOLES,
        make=make,
        fill=_column_fill,
        generations=lambda: frame_generations(code),
        shaped_by=2,
    )


def _column_rows(kept: _ColumnKept, lists: _ColumnLists, page: Page[Any]) -> list[ListedArticle]:
    """The rows of ``page``: from the end of the nearest page before it that this process
    has shown (readers page on, one "older" at a time), else from the start."""
    number = page.number
    before = number - 1
    if before and before not in lists.ends:  # a page asked out of turn: the nearest before it
        shown = list(lists.ends)  # (a copy: another thread may add to it)
        before = max((n for n in shown if n < number), default=0)
    skip = (number - 1 - before) * COLUMN_PAGE_SIZE
    rows = kept.articles.rows(skip, COLUMN_PAGE_SIZE, after=lists.ends.get(before))
    if rows and len(lists.ends) < ENDS_KEPT:
        lists.ends[number] = rows[-1].place
    return rows


def _column_fill(
    request: HttpRequest, kept: _ColumnKept, fresh: bool, generations: tuple[int, ...]
) -> dict[str, str]:
    lists = kept.lists.get(
        generations,
        lambda: _ColumnLists(site_column_count(unit=kept.unit, keys=kept.keys)),
    )
    asked = request.GET.get("page")
    listed = lists.pages.get(asked)
    if listed is None:
        # the page's number and neighbours from the count alone: its rows are read below
        paginator = Paginator(range(lists.count), COLUMN_PAGE_SIZE)
        page = paginator.get_page(asked)
        listed = (shown_list(shown_rows(_column_rows(kept, lists, page))), _pager(page))
        if len(lists.pages) < PAGES_KEPT:
            lists.pages[asked] = listed
    count_read(request, unit=kept.unit)
    return {
        shapes.PATH: quote(request.get_full_path()),
        "bell": bell_part(request),
        "rows": listed[0],
        "pager": listed[1],
        "extra": column_page(request, kept.unit, kept.column),  # other apps' content
    }


def _pager(page: Page[Any]) -> str:
    """Newer / "page n of m" / older, when the list has more than one page."""
    if not page.has_other_pages():
        return ""
    newer = (
        format_html(
            '<a class="btn secondary" href="?page={}">{}</a>',
            page.previous_page_number(),
            _("Newer"),
        )
        if page.has_previous()
        else "<span></span>"
    )
    older = (
        format_html(
            '<a class="btn secondary" href="?page={}">{}</a>', page.next_page_number(), _("Older")
        )
        if page.has_next()
        else "<span></span>"
    )
    where = _("Page %(n)s of %(total)s") % {"n": page.number, "total": page.paginator.num_pages}
    return format_html(
        '<nav class="pager">{}\n<span class="muted">{}</span>\n{}</nav>',
        mark_safe(newer),  # noqa: S308 (made by format_html above, or a bare tag)
        where,
        mark_safe(older),  # noqa: S308
    )


@dataclasses.dataclass(frozen=True, slots=True)
class _ArticleKept:
    unit: Unit
    article: Article


@public_page
def site_article(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    def make() -> shapes.Made:
        unit = public_unit(code=code)
        article = access_public_article(unit=unit, pk=pk)
        return shapes.Made(
            "sites/site_article.html",
            _article_context(request, unit, article),
            _ArticleKept(unit, article),
        )

    number = int(pk)  # the URL takes digits only
    return shapes.render_page(
        request,
        page="article",
        scope=code,
        args=(code, number),
        holes=ARTICLE_HOLES,
        make=make,
        fill=_article_fill,
        # not purged by another article's publish: its own and its unit's frame generations
        generations=lambda: article_generations(code, number),
    )


def _article_context(request: HttpRequest, unit: Unit, article: Article) -> dict[str, Any]:
    title = article_text(article, "title")
    description = article_text(article, "summary") or Truncator(
        " ".join(strip_tags(article_text(article, "body")).split())
    ).chars(SHARE_DESCRIPTION_CHARS)
    column = article.column if article.column and article.column.unit_id == unit.pk else None
    return {
        "unit": unit,
        "article": article,
        "column": column if column and column.enabled else None,
        "attachments": article_attachments(article=article),
        "speech_lang": "mn" if shows_mongolian(article) else "zh-CN",
        # the server's reading of the Chinese text, for a phone with no Chinese voice
        "speech_url": article.speech.url if article.speech and not shows_mongolian(article) else "",
        "share": {
            "type": "article",
            "title": title,
            "description": description,
            "url": _absolute(request, reverse("site-article", args=[unit.code, article.pk])),
            "image": _image_url(request, article),
        },
    }


def _article_fill(
    request: HttpRequest, kept: _ArticleKept, fresh: bool, generations: tuple[int, ...]
) -> dict[str, str]:
    unit, article = kept.unit, kept.article
    count_read(request, unit=unit, article=article)
    stored = None if fresh else stored_reads(article_id=article.pk)
    return {
        shapes.PATH: quote(request.get_full_path()),
        "bell": bell_part(request),
        "reads": _number(shown_reads(article, stored=stored)),
        "extra": article_blocks(request, unit, article),  # other apps' content
    }


def qr_svg(url: str, *, inline: bool = False) -> str:
    """A QR code of ``url`` as scalable SVG (no fixed size: it fills what holds it)."""
    qr = segno.make(url, error="m")
    if inline:
        return str(qr.svg_inline(omitsize=True, border=2, light="#fff"))
    out = io.BytesIO()
    qr.save(out, kind="svg", omitsize=True, border=2, light="#fff", title=url)
    return out.getvalue().decode()


def _svg_response(svg: str) -> HttpResponse:
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@public_page
def site_qr(request: HttpRequest, code: str) -> HttpResponse:
    unit = public_unit(code=code)
    return _svg_response(qr_svg(_absolute(request, reverse("site-home", args=[unit.code]))))


@public_page
def article_qr(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = public_unit(code=code)
    article = access_public_article(unit=unit, pk=pk)
    url = _absolute(request, reverse("site-article", args=[unit.code, article.pk]))
    return _svg_response(qr_svg(url))


@public_page
def site_poster(request: HttpRequest, code: str) -> HttpResponse:
    """A printable A4 poster: the unit's names and a big QR code of its site."""
    unit = public_unit(code=code)
    url = _absolute(request, reverse("site-home", args=[unit.code]))
    return render(
        request,
        "sites/site_poster.html",
        {
            "unit": unit,
            "site_url": url,
            # segno's own SVG of a URL we built: no user input reaches it unescaped.
            "qr_svg": mark_safe(qr_svg(url, inline=True)),  # noqa: S308
        },
    )
