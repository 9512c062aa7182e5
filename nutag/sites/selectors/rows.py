"""The article lists of the public pages in fixed SQL (issue 17, cold pages).

A home page's latest articles and notices and a column's page used to be built by the ORM
(``PlacedArticles``: a joined, deferred, annotated query): 0.3–0.6 ms of Python per query
to build the SQL, and model instances for the rows, against ~0.02 ms for SQLite to run it.
Here the same lists are one fixed statement each, and each row is a small ``ListedArticle``
with only what a list shows. The rules are the same as ``PlacedArticles`` (compared on
varied data in ``tests/test_rows.py``):

- the placements on the unit (its own articles, those pushed down to it, recommendations it
  accepted), ``accepted`` and shown from a moment already past, of one kind or in some
  columns, in the index's order (pinned first, newest first) — the slice is taken there,
  in a subquery that reads the placement index alone;
- each joined to its article, which must be published (a withdrawn article's placements
  lose ``shown_from`` on the write side; the status is checked again here);
- ``count()`` reads the placement index alone;
- a page can start after a row of the page before it (``after``: its ``place``) instead of
  skipping ``offset`` rows, which SQLite does one index entry at a time (a column's page 500
  of 10,000 articles: 1.2 ms against 0.03 ms, ``bench/RESULTS.md``); the place is unique
  (one placement per article and unit), so no row is skipped or shown twice.

The API keeps ``PlacedArticles`` (it needs whole articles for its schema).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from typing import Any, overload

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connections, router
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from nutag.orgs.models import Unit
from nutag.sites.models import Article, ArticleStatus, Placement


@dataclasses.dataclass(frozen=True, slots=True)
class ListedUnit:
    """The unit an article comes from, as a list row names it (``unit_name``)."""

    pk: int
    code: str
    name: str
    name_mn: str

    @property
    def id(self) -> int:
        return self.pk


Place = tuple[Any, Any, int]


@dataclasses.dataclass(frozen=True, slots=True)
class ListedArticle:
    """One row of a list of articles: what ``sites/public_article_list.html`` shows."""

    pk: int
    title: str
    title_mn: str
    has_mn_body: bool
    pinned: bool
    published_at: dt.datetime | None
    via: str
    unit: ListedUnit
    url: str  # the article's page on the site listing it (``{% url 'site-article' … %}``)
    # the row's place in the list's order (the placement's pinned, shown_from as the database
    # gave it, the article's id): ``listed_rows(after=...)`` starts after it
    place: Place

    @property
    def id(self) -> int:
        return self.pk


def _alias() -> str:
    return router.db_for_read(Article) or "default"


def _moment(value: Any) -> dt.datetime | None:
    """A datetime column as the ORM gives it (SQLite returns text, naive UTC)."""
    if value is None or (isinstance(value, dt.datetime) and timezone.is_aware(value)):
        return value  # type: ignore[no-any-return]
    parsed = _parsed(value) if isinstance(value, str) else value
    if parsed is not None and settings.USE_TZ and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed  # type: ignore[no-any-return]


def _parsed(text: str) -> dt.datetime | None:
    try:  # SQLite's "2026-12-07 09:48:20.961272", as the ORM's own fast path reads it
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return parse_datetime(text)


def _where(
    unit: Unit,
    kind: str | None,
    column_keys: list[str] | None,
    after: Place | None = None,
    a: str = "p",
    its_moment: bool = False,
) -> tuple[str, list[Any]]:
    """The placement filter of ``selectors.listed``: the unit's accepted placements shown
    from a moment already past, of ``kind``, in ``column_keys``, for the table named ``a``.
    After an unpinned row (``after``), the unpinned rows shown from its moment or before
    (it had come): one range of the index, each entry tested for nothing else (a row-value
    comparison is tested on every entry SQLite skips: twice the time), the rows of its own
    moment up to itself left to ``listed_rows`` to skip (``its_moment``: those rows)."""
    if after is not None and not after[0]:
        sql = f"{a}.unit_id = %s AND {a}.accepted AND {a}.pinned = %s"
        sql += f" AND {a}.shown_from {'=' if its_moment else '<='} %s"
        params: list[Any] = [unit.pk, after[0], after[1]]
        if its_moment:
            sql += f" AND {a}.article_id >= %s"
            params.append(after[2])
    else:
        sql = f"{a}.unit_id = %s AND {a}.accepted AND {a}.shown_from <= %s"
        if (kind or column_keys) and _vendor() == "sqlite":
            # both values of ``pinned`` named: SQLite then seeks the range ``shown_from <=
            # now`` in each, in the index's order, instead of comparing every entry's moment
            sql = f"{a}.unit_id = %s AND {a}.accepted AND {a}.pinned IN (1, 0)"
            sql += f" AND {a}.shown_from <= %s"
        params = [unit.pk, _now_param()]
        if after is not None:  # after a pinned row (a few, at the top)
            sql += f" AND ({a}.pinned, {a}.shown_from, {a}.article_id) < (%s, %s, %s)"
            params.extend(after)
    if kind:
        sql += f" AND {a}.kind = %s"
        params.append(kind)
    if column_keys is not None:
        if not column_keys:
            return "1 = 0", []
        sql += f" AND {a}.column_key IN ({', '.join(['%s'] * len(column_keys))})"
        params.extend(column_keys)
    return sql, params


def _now_param() -> Any:
    """Now, as the ORM would send it to this database (SQLite compares text)."""
    connection = connections[_alias()]
    return connection.ops.adapt_datetimefield_value(timezone.now())


_PK_MARK = 918273645  # stands for the article's id in the reversed URL

ORDER = "p.pinned DESC, p.shown_from DESC, p.article_id DESC"


def listed_rows(
    *,
    unit: Unit,
    kind: str | None = None,
    column_keys: list[str] | None = None,
    offset: int = 0,
    limit: int | None = None,
    after: Place | None = None,
) -> list[ListedArticle]:
    """The rows ``offset`` … ``offset + limit`` of the list, counted from the row whose
    ``place`` is ``after`` (exclusive) when given, else from the first (see the module
    docstring)."""
    placement = Placement._meta.db_table
    where, params = _where(unit, kind, column_keys, after)
    skip, skip_params = str(int(offset)), list[Any]()
    if after is not None and not after[0] and where != "1 = 0":
        # the range starts at the rows of the after-row's own moment: those up to it (itself
        # included; nearly always it alone) are skipped too, counted by one seek
        same, skip_params = _where(unit, kind, column_keys, after, a="q", its_moment=True)
        skip += f" + (SELECT COUNT(*) FROM {placement} q WHERE {same})"  # noqa: S608 (names; values are parameters)
    window = "" if limit is None else f" LIMIT {int(limit)}"
    if offset or skip_params:
        if not window and _vendor() == "sqlite":  # SQLite has no OFFSET without a LIMIT
            window = " LIMIT -1"
        window += f" OFFSET {skip}"
    article = Article._meta.db_table
    unit_table = Unit._meta.db_table
    sql = (
        "SELECT a.id, a.title, a.title_mn, a.body_mn <> '', a.pinned, a.published_at, p.via,"  # noqa: S608 (names and fixed clauses; values are parameters)
        " u.id, u.code, u.name, u.name_mn, p.pinned, p.shown_from"
        f" FROM (SELECT p.article_id, p.via, p.pinned, p.shown_from FROM {placement} p"
        f" WHERE {where} ORDER BY {ORDER}{window}) p"
        f" INNER JOIN {article} a ON a.id = p.article_id"
        f" INNER JOIN {unit_table} u ON u.id = a.unit_id"
        f" WHERE a.status = %s ORDER BY {ORDER}"
    )
    with connections[_alias()].cursor() as cursor:
        cursor.execute(sql, [*params, *skip_params, ArticleStatus.PUBLISHED])
        found = cursor.fetchall()
    url = _article_url(unit.code)
    units: dict[int, ListedUnit] = {}  # a list's rows come from a few units: one each
    for row in found:
        if row[7] not in units:
            units[row[7]] = ListedUnit(pk=row[7], code=row[8], name=row[9], name_mn=row[10])
    return [
        ListedArticle(
            pk=row[0],
            title=row[1],
            title_mn=row[2],
            has_mn_body=bool(row[3]),
            pinned=bool(row[4]),
            published_at=_moment(row[5]),
            via=row[6],
            unit=units[row[7]],
            url=url.format(row[0]),
            place=(row[11], row[12], row[0]),
        )
        for row in found
    ]


def _article_url(code: str) -> str:
    """The address of an article on ``code``'s site with ``{}`` for its id: one
    ``reverse()`` per unit and prefix, not one ``{% url %}`` per row."""
    return _article_urls(code, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=1024)
def _article_urls(code: str, prefix: str, urlconf: Any) -> str:
    return reverse("site-article", args=[code, _PK_MARK]).replace(str(_PK_MARK), "{}", 1)


@receiver(setting_changed)
def _forget_urls(**kwargs: Any) -> None:
    _article_urls.cache_clear()  # tests that swap the URLs


def _vendor() -> str:
    return str(connections[_alias()].vendor)


def listed_count(
    *, unit: Unit, kind: str | None = None, column_keys: list[str] | None = None
) -> int:
    """How many placements the list has (the placement index alone, as ``listed().count()``)."""
    where, params = _where(unit, kind, column_keys)
    with connections[_alias()].cursor() as cursor:
        table = Placement._meta.db_table
        cursor.execute(f"SELECT COUNT(*) FROM {table} p WHERE {where}", params)  # noqa: S608
        (count,) = cursor.fetchone()
    return int(count)


class ListedRows(Sequence[ListedArticle]):
    """A list of the rows on ``unit``'s site, for a paginator: ``count()`` reads the
    placement index, a slice is one fixed statement."""

    ordered = True  # for Paginator

    def __init__(
        self, *, unit: Unit, kind: str | None = None, column_keys: list[str] | None = None
    ) -> None:
        self.unit, self.kind, self.column_keys = unit, kind, column_keys

    def count(self) -> int:  # type: ignore[override]  # a QuerySet's count(), for Paginator
        return listed_count(unit=self.unit, kind=self.kind, column_keys=self.column_keys)

    def __len__(self) -> int:
        return self.count()

    def rows(
        self, offset: int = 0, limit: int | None = None, after: Place | None = None
    ) -> list[ListedArticle]:
        return listed_rows(
            unit=self.unit,
            kind=self.kind,
            column_keys=self.column_keys,
            offset=offset,
            limit=limit,
            after=after,
        )

    @overload
    def __getitem__(self, k: int) -> ListedArticle: ...

    @overload
    def __getitem__(self, k: slice) -> list[ListedArticle]: ...

    def __getitem__(self, k: int | slice) -> ListedArticle | list[ListedArticle]:
        if isinstance(k, slice):
            if k.step not in (None, 1) or (k.start or 0) < 0 or (k.stop or 0) < 0:
                raise IndexError("ListedRows takes forward slices only")
            start = k.start or 0
            limit = None if k.stop is None else max(0, k.stop - start)
            return self.rows(start, limit) if limit != 0 else []
        if k < 0:
            raise IndexError("ListedRows takes no negative index")
        found = self.rows(k, 1)
        if not found:
            raise IndexError(k)
        return found[0]

    def __iter__(self) -> Iterator[ListedArticle]:
        return iter(self.rows())


def listed_column_keys(*, unit: Unit) -> frozenset[str]:
    """The column keys of the unit's accepted placements shown from a moment already past
    (``listed(unit=unit)``'s distinct non-empty keys): each key found by one seek in the
    placement index from the one before (a recursive statement), then checked for a row
    shown now — not every placement of the unit read (a ``DISTINCT`` read the village's
    10,000: 1.6 ms against 0.03 ms, ``bench/RESULTS.md``)."""
    table = Placement._meta.db_table
    sql = (
        f"WITH RECURSIVE k(key) AS (SELECT MIN(column_key) FROM {table}"  # noqa: S608 (names; values are parameters)
        " WHERE unit_id = %s AND accepted AND column_key > ''"
        f" UNION ALL SELECT (SELECT MIN(column_key) FROM {table}"
        " WHERE unit_id = %s AND accepted AND column_key > k.key) FROM k WHERE k.key IS NOT NULL)"
        f" SELECT k.key FROM k WHERE k.key IS NOT NULL AND EXISTS (SELECT 1 FROM {table} p"
        " WHERE p.unit_id = %s AND p.column_key = k.key AND p.accepted AND p.shown_from <= %s)"
    )
    with connections[_alias()].cursor() as cursor:
        cursor.execute(sql, [unit.pk, unit.pk, unit.pk, _now_param()])
        return frozenset(key for (key,) in cursor.fetchall())
