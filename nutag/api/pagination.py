"""One way to page a list, the same in every router (docs/architecture.md, "The API").

A list endpoint takes ``offset`` (default 0) and ``limit`` (default 50, at most 200; values
outside are brought back into range, never refused) and answers a ``Page[ItemOut]``:
``{"count": <all matching>, "offset": …, "limit": …, "items": [...]}``. Filters are optional
query parameters named after what they filter (``q`` for text search, ``role``, ``status``,
``unread`` …), applied before counting.

    @router.get("/units/{code}/things", auth=session, response={200: Page[ThingOut], ...})
    def things(request, code: str, q: str = "", offset: int = 0, limit: int = DEFAULT_LIMIT):
        return page(selectors.things(...), offset=offset, limit=limit, out=_thing_out)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Schema

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Page(Schema, Generic[T]):
    count: int
    offset: int
    limit: int
    items: list[T]


def page(
    rows: QuerySet[Any] | Sequence[Any],
    *,
    offset: int,
    limit: int,
    out: Callable[[Any], Any] = lambda row: row,
) -> dict[str, Any]:
    """One page of ``rows`` (counted in the database for a queryset), each through ``out``."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, 2**31))
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    return {
        "count": count,
        "offset": offset,
        "limit": limit,
        "items": [out(row) for row in rows[offset : offset + limit]],
    }
