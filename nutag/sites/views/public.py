"""The public site of every unit: home, columns, articles, QR codes and a printable poster.

Thin: fetch through the read-side selectors (404 for a missing unit and for an article not
published here), count the read, render. Every view is wrapped in ``public_page`` (anonymous
pages served from the cache) and the pages call ``count_read`` (no database write on the
page view). Each page costs a fixed number of queries whatever the number of articles.
"""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import segno
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from nutag.core.errors import NotFound
from nutag.core.templatetags.local_names import reader_date_of
from nutag.orgs.models import TOWNSHIP_LEVEL_KINDS, Unit, UnitKind, UnitStatus
from nutag.sites.caching import positive_number, public_page
from nutag.sites.counting import count_read, shown_reads, shown_visits
from nutag.sites.extensions import article_blocks, column_page
from nutag.sites.models import Article
from nutag.sites.selectors import (
    ACTIVITY_DAYS,
    access_public_article,
    article_attachments,
    column_and_children,
    columns_with_articles,
    public_unit,
    site_children_activity,
    site_column_articles,
    site_columns,
    site_home_notices,
    site_latest_articles,
    site_picture,
    top_columns,
)
from nutag.sites.selectors.memo import site_home_blocks
from nutag.sites.selectors.rows import ListedArticle
from nutag.sites.templatetags.public_site import (
    article_text,
    cover_share_url,
    mn_lang,
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


def _image_url(request: HttpRequest, article: Article | None) -> str:
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
    return [
        ShownRow(
            pk=row.pk,
            url=row.url,
            lang=mn_lang(row),
            title=article_text(row, "title"),
            tags=_tags(row),
            date=reader_date_of(row.published_at),
        )
        for row in rows
    ]


def _home(request: HttpRequest, unit: Unit) -> HttpResponse:
    count_read(request, unit=unit)
    children = site_children_activity(unit=unit) if unit.kind in KINDS_WITH_CHILDREN else []
    picture = site_picture(unit=unit)
    name = zh(unit.name)
    columns = site_columns(unit=unit, memo=True)
    context: dict[str, Any] = {
        "unit": unit,
        "visits": shown_visits(unit),  # counted but not yet written included
        # other apps' content (sites/extensions.py); empty blocks not asked again (memo)
        "blocks": site_home_blocks(request, unit),
        "picture": picture,
        "notices": shown_rows(site_home_notices(unit=unit)),
        "columns": columns_with_articles(
            unit=unit, columns=top_columns(columns=columns), every=columns
        ),
        "articles": shown_rows(site_latest_articles(unit=unit)),
        "children": children,
        "activity_top": max((c.published for c in children), default=0),
        "activity_days": ACTIVITY_DAYS,
        "share": {
            "type": "website",
            "title": name,
            "description": _("%(name)s: notices, news and services") % {"name": name},
            "url": _absolute(request, reverse("site-home", args=[unit.code])),
            "image": _image_url(request, picture),
        },
    }
    return render(request, "sites/site_home.html", context)


@public_page
def site_root(request: HttpRequest) -> HttpResponse:
    """``/``: the root unit's site (the banner's)."""
    root = Unit.objects.get_root_nodes().select_related("site_counter").first()
    if root is None:
        return render(request, "stats/empty.html")
    return _home(request, root)


@public_page
def site_home(request: HttpRequest, code: str) -> HttpResponse:
    unit = public_unit(code=code)
    return _merged_redirect(unit) or _home(request, unit)


@public_page(params={"page": positive_number})
def site_column(request: HttpRequest, code: str, key: str) -> HttpResponse:
    unit = public_unit(code=code)
    found = column_and_children(columns=site_columns(unit=unit, memo=True), key=key)
    if found is None:
        raise NotFound
    column, subcolumns = found
    articles = site_column_articles(unit=unit, keys=[column.key, *(c.key for c in subcolumns)])
    page = Paginator(articles, COLUMN_PAGE_SIZE).get_page(request.GET.get("page"))
    count_read(request, unit=unit)
    return render(
        request,
        "sites/site_column.html",
        {
            "unit": unit,
            "column": column,
            "subcolumns": subcolumns,
            "page": page,
            "rows": shown_rows(list(page.object_list)),
            "extra": column_page(request, unit, column),  # other apps' content
        },
    )


@public_page
def site_article(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = public_unit(code=code)
    article = access_public_article(unit=unit, pk=pk)
    count_read(request, unit=unit, article=article)
    title = article_text(article, "title")
    description = article_text(article, "summary") or Truncator(
        " ".join(strip_tags(article_text(article, "body")).split())
    ).chars(SHARE_DESCRIPTION_CHARS)
    column = article.column if article.column and article.column.unit_id == unit.pk else None
    return render(
        request,
        "sites/site_article.html",
        {
            "unit": unit,
            "article": article,
            "column": column if column and column.enabled else None,
            "attachments": article_attachments(article=article),
            "extra": article_blocks(request, unit, article),  # other apps' content
            "reads": shown_reads(article),
            "speech_lang": "mn" if shows_mongolian(article) else "zh-CN",
            # the server's reading of the Chinese text, for a phone with no Chinese voice
            "speech_url": article.speech.url
            if article.speech and not shows_mongolian(article)
            else "",
            "share": {
                "type": "article",
                "title": title,
                "description": description,
                "url": _absolute(request, reverse("site-article", args=[unit.code, article.pk])),
                "image": _image_url(request, article),
            },
        },
    )


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
