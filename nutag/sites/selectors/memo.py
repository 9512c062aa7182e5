"""Answers about a unit's site kept under its page generation (issue 17, cold pages).

A page-cache miss used to ask the same questions again on every render: which columns have
something to read (a ``DISTINCT`` over the placements and the extension apps' seven
``has_content`` checks), and which home blocks are empty (an open poll? an emergency?).
Their answers only change when the unit's pages are purged: every write that changes them
announces it (``sites.events.announce_site_change``, or the sites' own signals), which bumps
the unit's page generation (``nutag.sites.caching``, ``nutag.core.generations``). So they
are kept in the default cache under a key made of:

- the site-wide and the unit's page generations (``caching.memo_generations``, read-only; read
  *before* the answer is computed, so an answer computed while a change commits is stored
  under the old generation and never read again);
- the unit's id and the question's name;
- the extension registry's version (an app registering or removing a slot asks again).

The extension apps' answers (which of their columns have content, which of their blocks are
empty, a block an app keeps itself) are kept under the unit's *slot* generations instead
(``by=SLOTS``; ``caching.memo_generations``): every announced change bumps them but those of
sites' own content (``announce_site_change(..., slots=False)``: an article published,
withdrawn, pushed down, a column edited, an article's reading), and the sites' model
signals never do. So the first render after a publish asks the placements again, but no
other app (the seven "has content?" checks and the empty blocks were about half of that
render's time, ``bench/RESULTS.md``). Such an answer must depend only on the app's own data
(and the unit, or the id of the article it is under): an answer that reads sites' articles
or columns stays under the page generation.

What a page shows of the unit but not of its articles — its saved columns, their buttons —
is kept under the unit's *frame* generation (``by=FRAME``), which every purge bumps but that
of an article, its placements and attachments (``caching.purge_scopes(...,
articles_only=True)``): a publish asks it again no more than an article's page does.

They live as long as a page (``NUTAG_SITE_MEMO_SECONDS``, by default the page cache's
``NUTAG_PAGE_CACHE_SECONDS``): nothing is more stale than the cached page an anonymous
reader gets anyway. With the page cache off (0) nothing is kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from typing import Any, Final, Literal, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from nutag.orgs.models import Unit
from nutag.sites import caching
from nutag.sites.extensions import (
    home_block_parts,
    home_blocks,
    registry_version,
    unit_only_home_blocks,
)

T = TypeVar("T")

PREFIX = "sitememo"


def memo_seconds() -> int:
    seconds = getattr(settings, "NUTAG_SITE_MEMO_SECONDS", None)
    return caching.page_cache_seconds() if seconds is None else int(seconds)


PAGE: Final = "page"  # the unit's page generation: sites' own answers (the default)
SLOTS: Final = "slots"  # its slot generation: an extension app's answer
BOTH: Final = "both"  # either: an answer made of both kinds (one look-up where two would do)
FRAME: Final = "frame"  # its frame generation: sites' answers about the unit, not its articles
By = Literal["page", "slots", "both", "frame"]


def layout(*classes: Any) -> str:
    """A short digest of these dataclasses' names and fields, for the name of an answer that
    holds them: with Redis, kept answers outlive a restart, so the code after an upgrade that
    changes such a class must never read (unpickle) what the code before it kept."""
    text = ";".join(
        f"{c.__qualname__}:{','.join(f.name for f in dataclasses.fields(c))}" for c in classes
    )
    return hashlib.blake2s(text.encode(), digest_size=4).hexdigest()


def memo_key(unit: Unit, name: str, *, by: By = PAGE) -> str:
    """The key of ``name``'s answer for ``unit`` at the unit's current generations: the
    page generation, the slot generation or both (``by``), with the site-wide one."""
    gens = caching.memo_generations(
        unit.code, page=by in (PAGE, BOTH), slots=by in (SLOTS, BOTH), frame=by == FRAME
    )
    return f"{PREFIX}:{name}:{unit.pk}:{':'.join(map(str, gens))}:{registry_version()}"


def unit_memo(
    unit: Unit,
    name: str,
    compute: Callable[[], T],
    *,
    fresh: Callable[[T], bool] | None = None,
    by: By = PAGE,
) -> T:
    """``compute()``'s answer for ``unit``, kept until the unit's pages are purged
    (``by=SLOTS``: until a change announced by an app other than sites, for an answer that
    depends only on that app's data; ``BOTH``: until either; see the module docstring).

    ``fresh(answer)``: whether a kept answer still holds (an answer that also changes with
    time alone, a poll that closes at a given moment); a stale one is computed again."""
    seconds = memo_seconds()
    if seconds <= 0:
        return compute()
    key = memo_key(unit, name, by=by)  # before computing: see the module docstring
    cache = caches["default"]
    found = cache.get(key)
    if isinstance(found, tuple) and len(found) == 1 and (fresh is None or fresh(found[0])):
        return found[0]  # type: ignore[no-any-return]
    value = compute()
    cache.set(key, (value,), seconds)
    return value


def site_home_blocks(request: HttpRequest, unit: Unit) -> SafeString:
    """The extension apps' home blocks for ``unit`` (``extensions.home_blocks``), without
    asking again the ``unit_only`` blocks that were empty at this slot generation."""
    seconds = memo_seconds()
    if seconds <= 0:
        return home_blocks(request, unit)
    key = memo_key(unit, "empty_blocks", by=SLOTS)
    cache = caches["default"]
    skip = cache.get(key)
    known = isinstance(skip, frozenset)
    parts = home_block_parts(request, unit, skip=skip if known else frozenset())
    if not known:
        only = unit_only_home_blocks()
        cache.set(key, frozenset(k for k, html in parts if k in only and not html), seconds)
    return mark_safe("".join(html for _key, html in parts))  # noqa: S308
