"""Kept page shapes: a public page rendered once per generation, with holes (issue 17).

A page-cache miss of the village home, a column page or an article used to render the page
whole: the unit read, the lists, the article, and Django's template engine over the base
page and its includes (``bench/RESULTS.md``: 1.2–1.8 ms of CPU, three to seven times the
bare view). Yet most of such a page changes only when its unit's pages are purged. What a
reader meets on a miss that the page cache cannot serve — a column's ``?page=`` never asked
before, a logged-in reader (whose pages are never cached), a page asked again after its
entry was dropped — differs from the last render only in a few places: the *holes*.

So each of these pages is made of two functions (``nutag.sites.views.public``):

- ``make()`` reads what the page shows and gives its template, its context and what the
  holes will need (``keep``: the unit, the article, a list's size …), or a response of its
  own (a redirect; a 404 is raised);
- ``fill(request, keep, fresh, generations)`` works out each hole for *this* request: the
  reader's bell, the path the language links return to, the counters, the lists (a home's
  news, a column page's rows and pager: kept in ``keep`` under ``generations``), the other
  apps' blocks (the comments and their form, a poll and its vote). It also counts the read.
  ``fresh`` says whether ``keep`` was made by this request (its counters are current).

On a request, the shape kept for the page's key is filled; without one, ``make()`` runs, the
template is rendered once with a mark in each hole, split at the marks and kept, then filled.
A page nobody asked for since its last purge therefore costs what it did (and the split), and
every later render costs the holes alone.

What keeps this correct:

- **The key** is the page cache's (``caching.page_key``) without the query string, which only
  holes read: the page and its URL arguments, scheme and host (absolute URLs in the share
  tags), language, text size, the HTMX headers, the extension registry's version (as the kept
  answers, ``selectors.memo``), and generations read *before* ``make()``: the site-wide one
  and the unit's *frame* generation (its name, columns, the apps' page scripts: everything
  but articles and lists), and for an article its own (``caching.article_generations``),
  so another article's publish, which purges every page of the unit, leaves the shapes — the
  page cache's miss that follows is a fill. What a home or a column page shows of the
  unit's articles (its news, its columns with something to read, its units below, a
  column's rows and pager) are holes too, made again at each of the unit's page generations
  and kept with the shape in a ``Latest`` (``render_page(shaped_by=...)``,
  ``caching.frame_generations``). A shape made while a change commits is kept under the old
  generation. Shapes also expire with the page
  cache's lifetime (``NUTAG_SITE_MEMO_SECONDS``; 0 keeps none, and pages render whole, as
  they do with ``NUTAG_PAGE_SHAPES=0``).
- **Nothing of one reader reaches another**: the template is rendered for the shape with a
  stand-in of the request that is anonymous (no user, no messages, its own ``META``), so
  whatever differs for a logged-in reader must be a hole, or it is not shown to them at all;
  a shape with a CSRF token in it (a form outside the holes) is never kept: that page is
  rendered whole, for its reader. ``sites/tests/test_shapes.py`` compares shaped pages with
  whole renders byte for byte for anonymous and logged-in readers.
- **Marks cannot be forged**: a hole's mark carries a random number drawn per process, so an
  author cannot put one in an article.

Kept in the process, like the frame parts (``templatetags.public_site``): a shape holds
model instances that fill reads (never changes), and a dictionary read costs nothing where
the default cache would copy a page's worth of HTML per render. Bounded in number and size
(oldest first out); generations are shared by every worker, so a purge in one reaches all.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from nutag.core.views import LARGE_TEXT_COOKIE
from nutag.sites import caching
from nutag.sites.extensions import registry_version
from nutag.sites.selectors.memo import memo_seconds

# letters and digits only: a mark passes escaping and URL quoting unchanged
_NONCE = secrets.token_hex(10)
_MARK = re.compile(rf"zq{_NONCE}([a-z]+)qz")
MOST_SHAPES = 200
MOST_CHARS = 8_000_000  # characters of HTML at most (~16 MB: articles with long bodies)
CSRF_FIELD = "csrfmiddlewaretoken"
PATH = "path"  # the hole of the request's path, which the language links return to


def hole(name: str) -> SafeString:
    """The mark of the hole ``name`` (lower-case letters)."""
    return mark_safe(f"zq{_NONCE}{name}qz")  # noqa: S308 (letters and digits)


@dataclasses.dataclass(frozen=True, slots=True)
class Made:
    """What ``make()`` gives: the template, its context, and what ``fill`` needs."""

    template: str
    context: dict[str, Any]
    keep: Any


@dataclasses.dataclass(frozen=True, slots=True)
class Shape:
    pieces: tuple[str, ...]  # text, hole name, text, …, text
    keep: Any
    until: float  # time.time(), as the page cache
    size: int


# fill(request, keep, fresh, generations): the generations read with the shape's key
# that are not part of it (``render_page(shaped_by=...)``): what a ``Latest`` is kept under
Fill = Callable[[HttpRequest, Any, bool, tuple[int, ...]], Mapping[str, str]]
T = TypeVar("T")


class Latest(Generic[T]):
    """One value kept with the generations it was made at: the lists of a shape that
    outlives them (a column page's rows, the home's news), made again when a later request
    reads other generations. Lives in the shape's ``keep``, so it is per page, language and
    text size, and goes with the shape."""

    __slots__ = ("_slot",)

    def __init__(self) -> None:
        self._slot: tuple[tuple[int, ...], T] | None = None

    def get(self, generations: tuple[int, ...], make: Callable[[], T]) -> T:
        slot = self._slot  # one read: another thread may replace it meanwhile
        if slot is not None and slot[0] == generations:
            return slot[1]
        value = make()
        self._slot = (generations, value)
        return value


_kept: dict[tuple[Any, ...], Shape] = {}
_chars = 0
_lock = threading.Lock()


@receiver(setting_changed)
def _forget_on_setting(**kwargs: Any) -> None:
    forget()


def forget() -> None:
    """Drop every kept shape (a setting changed; each test starts without any)."""
    global _chars
    with _lock:
        _kept.clear()
        _chars = 0


def kept_count() -> int:
    return len(_kept)


def _key(
    request: HttpRequest, page: str, args: tuple[Any, ...], gens: list[int]
) -> tuple[Any, ...]:
    return (
        page,
        *args,
        request.scheme or "",
        request.get_host(),
        get_language() or "",
        request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        registry_version(),  # an app's slot registered or removed (tests)
        *gens,
    )


def _stand_in(request: HttpRequest) -> HttpRequest:
    """The request as the shape's template sees it: anonymous, without messages, with its
    own ``META`` (a token asked for is not set for the reader), its path a hole."""
    stand_in = copy.copy(request)
    stand_in.META = dict(request.META)
    stand_in.user = AnonymousUser()
    stand_in.__dict__.pop("_messages", None)
    mark = str(hole(PATH))
    stand_in.get_full_path = lambda force_append_slash=False: mark  # type: ignore[method-assign]
    return stand_in


def _split(html: str, names: frozenset[str]) -> tuple[str, ...]:
    pieces = tuple(_MARK.split(html))
    unknown = set(pieces[1::2]) - names
    if unknown:  # a mark the page does not fill: a programming error, never shown
        raise ValueError(f"holes without a value: {sorted(unknown)}")
    return pieces


def _filled(pieces: tuple[str, ...], values: Mapping[str, str]) -> str:
    out = list(pieces)
    for i in range(1, len(out), 2):
        out[i] = values[out[i]]
    return "".join(out)


def _keep(key: tuple[Any, ...], shape: Shape) -> None:
    global _chars
    with _lock:
        old = _kept.pop(key, None)
        if old is not None:
            _chars -= old.size
        while _kept and (len(_kept) >= MOST_SHAPES or _chars + shape.size > MOST_CHARS):
            _chars -= _kept.pop(next(iter(_kept))).size
        _kept[key] = shape
        _chars += shape.size


def render_page(
    request: HttpRequest,
    *,
    page: str,
    scope: str,
    args: tuple[Any, ...],
    holes: frozenset[str],
    make: Callable[[], Made | HttpResponse],
    fill: Fill,
    generations: Callable[[], list[int]] | None = None,
    shaped_by: int | None = None,
) -> HttpResponse:
    """The page ``page`` (with its URL arguments ``args``, purged with ``scope``): its kept
    shape filled for this request, or made, kept and filled (see the module docstring).
    ``holes`` are the names ``fill`` gives a value to (``path`` among them). ``generations``:
    what purges the shape, if not the scope's pages (``caching.memo_generations``): an
    article's page gives ``caching.article_generations``. ``shaped_by``: only the first so
    many of them key the shape; the others go to ``fill``, for what it keeps in a ``Latest``
    (a home or a column page: ``caching.frame_generations``)."""
    seconds = memo_seconds()
    if seconds <= 0 or not settings.NUTAG_PAGE_SHAPES or request.method not in ("GET", "HEAD"):
        return _whole(request, make, fill)
    gens = generations() if generations is not None else caching.memo_generations(scope)
    split = len(gens) if shaped_by is None else shaped_by
    lists = tuple(gens[split:])
    key = _key(request, page, args, gens[:split])  # before make(): see the module docstring
    shape = _kept.get(key)
    now = time.time()
    if shape is not None and shape.until > now:
        return HttpResponse(_filled(shape.pieces, fill(request, shape.keep, False, lists)))
    made = make()
    if isinstance(made, HttpResponse):
        return made
    marks = {name: hole(name) for name in holes if name != PATH}
    html = render_to_string(made.template, {**made.context, **marks}, _stand_in(request))
    values = fill(request, made.keep, True, lists)
    if CSRF_FIELD in html:  # a form outside the holes: its token would be another's
        return HttpResponse(_whole_html(request, made, values))
    pieces = _split(html, holes)
    _keep(key, Shape(pieces, made.keep, now + seconds, len(html)))
    return HttpResponse(_filled(pieces, values))


def _whole_html(request: HttpRequest, made: Made, values: Mapping[str, str]) -> str:
    context = {**made.context, **{k: v for k, v in values.items() if k != PATH}}
    return render_to_string(made.template, context, request)


def _whole(
    request: HttpRequest, make: Callable[[], Made | HttpResponse], fill: Fill
) -> HttpResponse:
    """The page rendered for this request alone (shapes off, or not a GET)."""
    made = make()
    if isinstance(made, HttpResponse):
        return made
    return HttpResponse(_whole_html(request, made, fill(request, made.keep, True, ())))
