"""Display helpers of the public site pages: the article text in the visitor's language,
cover pictures, the children's activity bars.

- ``zh-hant``: article text (and other Chinese data: unit names, saved column titles) is
  converted for display with OpenCC ``s2tw``; in HTML only the text between tags is
  converted, so links and picture addresses stay exactly as stored.
- ``mn-mong``: an article's Mongolian version (``title_mn``, ``summary_mn``, ``body_mn``) is
  shown field by field when it has one; otherwise the Chinese text.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import Any

from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from nutag.core import media
from nutag.core.templatetags.local_names import MONGOLIAN, local_name_of
from nutag.sites.columns import DEFAULT_COLUMNS
from nutag.sites.extensions import page_scripts

register = template.Library()

TRADITIONAL = "zh-hant"
ARTICLE_FIELDS = {"title", "summary", "body"}
_TAG = re.compile(r"(<[^>]*>)")
_IMG_NOT_LAZY = re.compile(r"<img(?![^>]*\s(?:loading|fetchpriority)=)", re.IGNORECASE)


@functools.cache
def _s2tw() -> Any:
    """One OpenCC converter per process (building it reads its dictionaries)."""
    import opencc

    return opencc.OpenCC("s2tw")


def to_traditional(text: str) -> str:
    """Simplified → traditional (Taiwan standard) Chinese."""
    return str(_s2tw().convert(text)) if text else text


def html_to_traditional(html: str) -> str:
    """Convert the text of ``html`` and leave every tag (and its attributes) untouched."""
    if not html:
        return html
    parts = _TAG.split(html)
    return "".join(p if i % 2 else to_traditional(p) for i, p in enumerate(parts))


def shows_mongolian(article: Any, lang: str | None = None) -> bool:
    """True when the visitor reads Mongolian and the article has a Mongolian version
    (``lang``: the reader's language when the caller has it, else the active one)."""
    if (get_language() if lang is None else lang) != MONGOLIAN:
        return False
    if article.title_mn:
        return True
    # lists leave the body in the database and say whether there is one (selectors.for_lists)
    has_body = getattr(article, "has_mn_body", None)
    return bool(has_body if has_body is not None else article.body_mn)


def article_text(article: Any, field: str, lang: str | None = None) -> str:
    """``field`` (title, summary or body) of ``article`` as this visitor should read it
    (``lang``: as ``shows_mongolian``)."""
    if field not in ARTICLE_FIELDS:
        raise ValueError(field)
    lang = get_language() if lang is None else lang
    if lang == MONGOLIAN:
        mongolian = getattr(article, f"{field}_mn", "")
        if mongolian:
            return str(mongolian)
    value = str(getattr(article, field) or "")
    if lang == TRADITIONAL:
        return html_to_traditional(value) if field == "body" else to_traditional(value)
    return value


@register.filter
def loc(article: Any, field: str) -> str:
    """``{{ article|loc:"title" }}``: the field in the visitor's language (escaped as usual;
    only ``{{ article|loc:"body"|lazy_images|safe }}`` may be marked safe)."""
    return article_text(article, field)


@register.filter
def zh(value: Any) -> str:
    """Chinese data (a unit's name, a saved column title) in traditional characters on
    ``zh-hant``; unchanged otherwise."""
    text = "" if value is None else str(value)
    return to_traditional(text) if get_language() == TRADITIONAL else text


@register.filter
def column_title(column: Any) -> str:
    """A column's title: its Mongolian title on ``mn-mong`` when it has one; a default
    column whose title was never renamed reads in the visitor's language."""
    if get_language() == MONGOLIAN and column.title_mn:
        return str(column.title_mn)
    default = _DEFAULTS.get(column.key)
    if default is not None:
        shown = str(default.title)
        if column.title in (_stored_default_title(column.key), shown):
            return shown
    return zh(column.title)


_DEFAULTS = {c.key: c for c in DEFAULT_COLUMNS}


@functools.cache
def _stored_default_title(key: str) -> str:
    """The default column's title as the seed stores it (the site's default language): the
    catalogues never change while the process runs, so it is looked up once (switching the
    language for each column of each page was 5 % of a home's render, issue 17)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(_DEFAULTS[key].title)


@register.filter
def unit_name(unit: Any) -> str:
    """A unit's name in the reader's language (``core``'s ``local_name``: Mongolian on
    ``mn-mong`` when it has one), in traditional characters on ``zh-hant``."""
    return zh(local_name_of(unit))


@register.filter
def lazy_images(html: str) -> str:
    """Add ``loading="lazy" decoding="async"`` to pictures in sanitised body HTML."""
    return _IMG_NOT_LAZY.sub('<img loading="lazy" decoding="async"', html or "")


@register.filter
def body_images(html: str, article: Any = None) -> str:
    """Pictures in sanitised body HTML: the first one eager with ``fetchpriority="high"``
    when the article shows no cover (it is then the largest paint), every other one lazy;
    bodies saved before get the column's real width in ``sizes``."""
    html = (html or "").replace(f'sizes="{media.OLD_PAGE_SIZES}"', f'sizes="{media.PAGE_SIZES}"')
    if article is not None and not has_cover(article):
        html = _IMG_NOT_LAZY.sub('<img fetchpriority="high" decoding="async"', html, count=1)
    return lazy_images(html)


def has_cover(article: Any) -> bool:
    return bool(article and (article.cover or _cover_variants(article)))


@register.filter
def mn_lang(article: Any, lang: str | None = None) -> SafeString:
    """` lang="mn-Mong"` on an element showing the article's Mongolian version, else nothing."""
    return SafeString(' lang="mn-Mong"') if shows_mongolian(article, lang) else SafeString("")


# Cover pictures. The write side stores phone-sized variants in ``Article.cover_image``
# ({"name", "width", "height", "variants": [{"width", "height", "webp", "jpeg"}, …]}, widest
# first, see ``nutag.core.media``); older rows may only have ``cover`` and its size.
COVER_DEFAULT_SIZE = (800, 600)
PAGE_SIZES = media.PAGE_SIZES  # the page column's width


def _cover_variants(article: Any) -> list[dict[str, Any]]:
    stored = getattr(article, "cover_image", None)
    if not isinstance(stored, dict):
        return []
    return [v for v in stored.get("variants") or [] if v.get("jpeg") and v.get("width")]


def cover_share_url(article: Any) -> str:
    """The cover picture a chat app should show in a link preview (a phone-sized JPEG)."""
    if not article:
        return ""
    variants = _cover_variants(article)
    if variants:
        return str(default_storage.url(variants[0]["jpeg"]))
    return str(article.cover.url) if article.cover else ""


# The ``<picture>`` of a cover, by what it is made of (the stored names and sizes, the tag's
# arguments): the same inputs print the same HTML, so nothing here is ever stale; a dozen
# storage URLs per picture were a tenth of a cold home (issue 17). Bounded; forgotten when a
# setting changes (the media URL, in tests).
_pictures: dict[tuple[Any, ...], str] = {}
PICTURES_KEPT = 4096


@receiver(setting_changed)
def _forget_pictures(**kwargs: Any) -> None:
    _pictures.clear()


@register.simple_tag
def cover_img(article: Any, sizes: str = PAGE_SIZES, alt: str = "", eager: bool = False) -> str:
    """The article's cover, its size known before it loads, with the phone-sized variants in
    ``srcset`` (AVIF and WebP in ``<source>``s) when the write side stored them — never the
    full picture then, so no phone gets more than it can show (``nutag.core.media``).
    ``eager``: the first picture of the page (its largest paint) is fetched at once with
    ``fetchpriority="high"``; otherwise it is lazy."""
    if not article:
        return ""
    key = (
        article.cover.name if article.cover else "",
        repr(getattr(article, "cover_image", None)),
        getattr(article, "cover_width", None),
        getattr(article, "cover_height", None),
        sizes,
        alt,
        eager,
    )
    found = _pictures.get(key)
    if found is None:
        found = _cover_picture(article, sizes, alt, eager)
        if len(_pictures) >= PICTURES_KEPT:
            _pictures.clear()
        _pictures[key] = found
    return found


def _cover_picture(article: Any, sizes: str, alt: str, eager: bool) -> str:
    stored = getattr(article, "cover_image", None) or {}
    variants = _cover_variants(article)
    if not article.cover and not variants:
        return ""
    width = stored.get("width") or article.cover_width or COVER_DEFAULT_SIZE[0]
    height = stored.get("height") or article.cover_height or COVER_DEFAULT_SIZE[1]
    jpeg = [(default_storage.url(v["jpeg"]), v["width"]) for v in variants]
    # Browsers without srcset get the widest phone-sized file, not the full picture.
    src = default_storage.url(variants[0]["jpeg"]) if variants else article.cover.url
    loading = (
        SafeString('fetchpriority="high" decoding="async"')
        if eager
        else SafeString('loading="lazy" decoding="async"')
    )
    img = format_html(
        '<img src="{}"{} width="{}" height="{}" alt="{}" {}>',
        src,
        format_html(' srcset="{}" sizes="{}"', ", ".join(f"{u} {w}w" for u, w in jpeg), sizes)
        if len(jpeg) > 1
        else "",
        width,
        height,
        alt,
        loading,
    )
    sources = []
    for kind in ("avif", "webp"):
        found = [(default_storage.url(v[kind]), v["width"]) for v in variants if v.get(kind)]
        if found:
            sources.append(
                format_html(
                    '<source type="image/{}" srcset="{}" sizes="{}">',
                    kind,
                    ", ".join(f"{u} {w}w" for u, w in found),
                    sizes,
                )
            )
    if not sources:
        return img
    return format_html("<picture>{}{}</picture>", SafeString("".join(sources)), img)


BAR_WIDTH = 80


@register.simple_tag
def activity_bar(value: int, top: int) -> str:
    """A small inline SVG bar, ``value`` scaled to ``top`` (the number is written beside it,
    so the bar is hidden from screen readers)."""
    width = max(2, round(BAR_WIDTH * value / top)) if top and value else 0
    return format_html(
        '<svg class="spark" width="{}" height="12" viewBox="0 0 {} 12" aria-hidden="true">'
        '<rect width="{}" height="12" rx="2"></rect></svg>',
        BAR_WIDTH,
        BAR_WIDTH,
        width,
    )


@register.simple_tag
def extension_scripts(unit: Any = None) -> SafeString:
    """The page scripts other apps registered (``nutag/sites/extensions.py``)."""
    return page_scripts(unit if getattr(unit, "code", None) else None)


# --- Parts of the page frame kept between renders (issue 17, cold renders) -----------------

# Stands for the request's path in a kept preferences bar; each render puts its own path
# there (``urlencode`` leaves the mark as it is).
_PATH_MARK = "/nutag-kept-path-5d1c9/"

# Parts of the frame that depend on the language (and text size) alone, never on a unit, a
# reader or the data: they change only with the code, its templates and catalogues, that is
# with a new process. Kept in the process (a dict read costs nothing, a cache read about
# as much as rendering them), forgotten when a setting changes (tests), never kept when
# ``NUTAG_SITE_MEMO_SECONDS`` is 0.
_frame_parts: dict[tuple[str, str, bool], str] = {}


@receiver(setting_changed)
def _forget_frame_parts(**kwargs: Any) -> None:
    _frame_parts.clear()


def _frame_part(name: str, large: bool, render: Callable[[], str]) -> str:
    from nutag.sites.selectors.memo import memo_seconds

    key = (name, get_language() or "", large)
    found = _frame_parts.get(key)
    if found is None:
        found = render()
        if memo_seconds() > 0:
            _frame_parts[key] = found
    return found


class _MarkedRequest:
    """The request as the kept preferences bar sees it: only its path, and that a mark."""

    @staticmethod
    def get_full_path() -> str:
        return _PATH_MARK


@register.simple_tag(takes_context=True)
def prefs_bar(context: template.Context) -> SafeString:
    """``components/prefs_bar.html`` (languages, text size), the same HTML as its include:
    rendered once per language and text size and kept (``_frame_part``), the request's path
    (the links' ``next``) put in on every render."""
    from urllib.parse import quote

    from django.template.loader import render_to_string

    name = "components/prefs_bar.html"
    request = context.get("request")
    languages = context.get("NUTAG_LANGUAGES")
    if request is None or languages != settings.LANGUAGES:  # not a page with its processors
        engine = context.template.engine if context.template else template.Engine.get_default()
        with context.push():  # as ``{% include %}`` renders it
            return mark_safe(engine.get_template(name).render(context))  # noqa: S308
    large = bool(context.get("large_text"))

    def render() -> str:
        kept = {"request": _MarkedRequest(), "large_text": large, "NUTAG_LANGUAGES": languages}
        return render_to_string(name, kept)

    html = _frame_part(name, large, render)
    return mark_safe(html.replace(_PATH_MARK, quote(request.get_full_path())))  # noqa: S308


@register.simple_tag
def language_part(name: str) -> SafeString:
    """The template ``name``, which reads nothing from the page's context (only the
    language), rendered once per language and kept (``_frame_part``)."""
    from django.template.loader import render_to_string

    return mark_safe(_frame_part(name, False, lambda: render_to_string(name)))  # noqa: S308


@register.simple_tag
def column_links(unit: Any, columns: Any) -> SafeString:
    """The buttons of ``columns`` on ``unit``'s site (the home's columns, a column's
    subcolumns), as ``{% for %}<a class="btn secondary" href="{% url %}">{{ c|column_title
    }}</a>{% endfor %}`` printed them; kept per language and list of columns under the
    unit's frame generation (a column's change purges it; a publish does not)."""
    import hashlib

    from django.urls import reverse

    from nutag.sites.selectors.memo import FRAME, unit_memo

    columns = list(columns)

    def compute() -> str:
        return str(
            format_html_join(
                "",
                '<a class="btn secondary" href="{}">{}</a>',
                (
                    (reverse("site-column", args=[unit.code, c.key]), column_title(c))
                    for c in columns
                ),
            )
        )

    keys = hashlib.sha256("\n".join(c.key for c in columns).encode()).hexdigest()[:16]
    name = f"colnav:{get_language()}:{keys}"
    return mark_safe(unit_memo(unit, name, compute, by=FRAME))  # noqa: S308


ARTICLE_LIST = "sites/public_article_list.html"


@register.simple_tag(takes_context=True)
def article_list(context: template.Context, articles: Any) -> SafeString:
    """``{% include "sites/public_article_list.html" with articles=… %}``, the same HTML:
    rows already worked out in the view (``views.public.ShownRow``) are printed here, with no
    template node per row (issue 17); any other list goes through the template."""
    from nutag.sites.views.public import ShownRow

    rows = list(articles or [])
    if not all(type(row) is ShownRow and row.shown for row in rows):
        engine = context.template.engine if context.template else template.Engine.get_default()
        with context.push(articles=articles):
            return mark_safe(engine.get_template(ARTICLE_LIST).render(context))  # noqa: S308
    return shown_list(rows)


def shown_list(rows: list[Any]) -> SafeString:
    """The list of ``rows`` (``views.public.ShownRow``s) as ``article_list`` prints it: what
    ``format_html`` gives, each row's text escaped once (its ``lang`` and tags are HTML)."""
    from django.utils.translation import gettext

    items: str
    if not rows:
        items = format_html(
            '<li><span class="muted">{}</span></li>', gettext("Nothing published yet.")
        )
    else:
        esc = html.escape  # what django.utils.html.escape does, without its lazy check
        items = "".join(
            f'<li><a href="{esc(r.url)}"><span class="grow"><span{r.lang}>{esc(r.title)}'
            f'</span>{r.tags}</span><span class="muted">{esc(r.date)}</span></a></li>'
            for r in rows
        )
    return mark_safe(f'\n<ul class="list">{items}</ul>\n')  # noqa: S308 (escaped above)


@register.simple_tag
def bell_link(bell: Any) -> SafeString:
    """The bell in the bar of a logged-in reader's page (``notify.context_processors.bell``):
    unread notifications, their count shown. A page made of a kept shape (``sites.shapes``)
    passes it already printed (``bell_part``), or the mark of its hole."""
    if isinstance(bell, SafeString):
        return bell
    from django.utils.translation import gettext

    count = bell.count
    label = gettext("Notifications")
    if count:
        return format_html(
            '<a class="bell" href="{}" aria-label="{} {}">🔔<b>{}</b></a>',
            bell.url,
            label,
            count,
            count,
        )
    return format_html('<a class="bell" href="{}" aria-label="{}">🔔</a>', bell.url, label)


def bell_part(request: Any) -> SafeString:
    """``bell_link`` for ``request``'s reader ("" for anonymous readers)."""
    from nutag.notify.context_processors import Bell

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return mark_safe("")
    return bell_link(Bell(request))
