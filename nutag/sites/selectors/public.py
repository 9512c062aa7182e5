"""Reads of the unit sites: what a visitor sees, what an officer may open."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta
from typing import Any, overload

from django.db import connections, router
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Substr
from django.utils import timezone

from nutag.core.errors import NotFound
from nutag.orgs.models import Unit, UnitKind, UnitStatus
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import AnyUser, Perm, has_unit_perm
from nutag.sites.columns import DEFAULT_COLUMNS
from nutag.sites.extensions import columns_with_content
from nutag.sites.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Attachment,
    Column,
    Placement,
    SiteCounter,
)
from nutag.sites.selectors.memo import BOTH, FRAME, SLOTS, layout, unit_memo
from nutag.sites.selectors.rows import (
    ListedArticle,
    ListedRows,
    ListedUnit,
    listed_column_keys,
    listed_count,
    listed_rows,
)


def site_columns(*, unit: Unit, memo: bool = False) -> list[Column]:
    """The unit's columns in order; the seed's defaults (unsaved) until the unit edits them.
    ``memo``: the saved ones kept until the unit's frame is purged (a column's change purges
    it, ``sites.signals``; a publish does not): for the public pages, never for a write."""

    def saved_columns() -> list[Column]:
        return list(Column.objects.filter(unit=unit).order_by("position", "id"))

    saved = unit_memo(unit, "columns", saved_columns, by=FRAME) if memo else saved_columns()
    if saved:
        return saved
    return [
        Column(unit=unit, key=c.key, title=str(c.title), position=i, enabled=True)
        for i, c in enumerate(DEFAULT_COLUMNS)
    ]


def published_q() -> Q:
    """Published, and due: scheduled articles appear once their time has come."""
    now = timezone.now()
    return Q(status=ArticleStatus.PUBLISHED) & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))


def listed(
    *, unit: Unit, kind: str | None = None, column_keys: list[str] | None = None
) -> QuerySet[Placement]:
    """The placements of what ``unit``'s site lists, in list order (pinned first, newest
    first): a walk of one index of the placement table (``placement_list`` or
    ``placement_column_shown``) in order, whatever the unit's history — no join, no sort of every
    article, no body, and a count that reads that index alone (issue 17)."""
    qs = Placement.objects.filter(unit=unit, accepted=True, shown_from__lte=timezone.now())
    if kind:
        qs = qs.filter(kind=kind)
    if column_keys is not None:
        qs = qs.filter(column_key__in=column_keys)
    return qs.order_by("-pinned", "-shown_from", "-article_id")


def site_articles(
    *, unit: Unit, kind: str | None = None, column_key: str | None = None
) -> QuerySet[Article]:
    """Published articles shown on ``unit``'s site: its own, those pushed down to it, and
    those recommended to it and accepted. Pinned first, newest first.

    No ``DISTINCT``: an article has at most one placement per unit (``placement_unique``), so
    the join gives each article once. Lists shown to visitors read ``PlacedArticles`` instead
    (the placement index alone)."""
    # one filter() call: each call on a many-valued relation would join the placements again
    placed: dict[str, Any] = {
        "placements__unit": unit,
        "placements__accepted": True,
        "placements__shown_from__lte": timezone.now(),
    }
    if kind:
        placed["placements__kind"] = kind
    if column_key:
        placed["placements__column_key"] = column_key
    qs = Article.objects.filter(published_q(), **placed).select_related("unit", "column")
    return qs.order_by("-placements__pinned", "-placements__shown_from", "-placements__article_id")


class PlacedArticles(Sequence[Article]):
    """A list of the articles on ``unit``'s site, for a paginator or the API's ``page()``:
    ``count()`` reads the placement index alone (``listed()``); a slice is one query, the
    placements joined to their articles in the index's order (SQLite and PostgreSQL walk
    ``placement_list``/``placement_column_shown`` and stop at the slice's end, no sort), without
    the long texts ``defer`` (``LIST_DEFERRED`` unless told), each article with ``via``."""

    ordered = True  # for Paginator

    def __init__(
        self,
        *,
        unit: Unit,
        kind: str | None = None,
        column_keys: list[str] | None = None,
        defer: tuple[str, ...] | None = None,
    ) -> None:
        self.unit, self.kind, self.column_keys = unit, kind, column_keys
        self.defer = LIST_DEFERRED if defer is None else defer

    def count(self) -> int:  # type: ignore[override]  # a QuerySet's count(), for Paginator
        return listed(unit=self.unit, kind=self.kind, column_keys=self.column_keys).count()

    def __len__(self) -> int:
        return self.count()

    def articles(self, k: slice | None = None) -> QuerySet[Article]:
        """The articles of the slice ``k`` of the list (all without ``k``): the slice is
        taken in a subquery that reads the placement index alone, so only its rows are
        joined to their articles and sorted."""
        ids = listed(unit=self.unit, kind=self.kind, column_keys=self.column_keys).values(
            "article_id"
        )
        return (
            Article.objects.filter(
                status=ArticleStatus.PUBLISHED,
                pk__in=ids[k] if k is not None else ids,
                placements__unit=self.unit,
            )
            .select_related("unit", "column")
            .defer(*self.defer)
            .annotate(
                via=F("placements__via"),
                has_mn_body=ExpressionWrapper(~Q(body_mn=""), output_field=BooleanField()),
            )
            .order_by("-placements__pinned", "-placements__shown_from", "-placements__article_id")
        )

    @overload
    def __getitem__(self, k: int) -> Article: ...

    @overload
    def __getitem__(self, k: slice) -> list[Article]: ...

    def __getitem__(self, k: int | slice) -> Article | list[Article]:
        if isinstance(k, slice):
            return list(self.articles(k))
        if k < 0:
            raise IndexError("PlacedArticles takes no negative index")
        found = list(self.articles(slice(k, k + 1)))
        if not found:
            raise IndexError(k)
        return found[0]

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles())


# What a list of articles (a home, a column page) never shows: left in the database.
# ``has_mn_body`` stands in for the Mongolian body where a list asks whether the article has
# a Mongolian version.
LIST_DEFERRED = ("body", "body_mn", "summary", "summary_mn")


def for_lists(qs: QuerySet[Article]) -> QuerySet[Article]:
    """``qs`` without the long texts a list does not show (see ``LIST_DEFERRED``)."""
    return qs.defer(*LIST_DEFERRED).annotate(
        has_mn_body=ExpressionWrapper(~Q(body_mn=""), output_field=BooleanField())
    )


def site_notices(*, unit: Unit) -> QuerySet[Article]:
    return site_articles(unit=unit, kind=ArticleKind.NOTICE)


def shown_articles(
    *, article_ids: Iterable[int], unit_codes: Iterable[str]
) -> list[tuple[str, int]]:
    """(unit code, article id) of each article page among these that the sites of these
    units show now: placed there, accepted, shown from a moment already past (as ``listed``:
    ``Placement.shown_from`` is None unless the article is published, and never before it is
    due)."""
    placed = Placement.objects.filter(
        article_id__in=list(article_ids),
        unit__code__in=list(unit_codes),
        accepted=True,
        shown_from__lte=timezone.now(),
    )
    return list(placed.order_by("unit__code", "article_id").values_list("unit__code", "article_id"))


def access_public_article(*, unit: Unit, pk: int | str) -> Article:
    """A published article shown on ``unit``'s site, else 404 (drafts never leak)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound from exc
    article = _public_article(unit=unit, pk=pk)
    if article is None:
        raise NotFound
    return article


_UNIT_FIELDS = ("id", "path", "depth", "numchild", "code", "kind", "name", "name_mn", "status")
_COLUMN_FIELDS = ("id", "unit_id", "key", "parent_id", "title", "title_mn", "position", "enabled")


def _public_article(*, unit: Unit, pk: int) -> Article | None:
    """``site_articles(unit=unit).filter(pk=pk).select_related("unit", "column").first()`` in
    one fixed statement (issue 17: the ORM spent more time building that query than SQLite
    running it): published and due, placed on ``unit`` (accepted, shown from a moment already
    past). Its unit and column come joined, with the fields a page shows (the others are
    read if asked for, as deferred fields)."""
    alias = router.db_for_read(Article) or "default"
    now = connections[alias].ops.adapt_datetimefield_value(timezone.now())
    unit_cols = ", ".join(f"u.{f} AS _u_{f}" for f in _UNIT_FIELDS)
    column_cols = ", ".join(f"c.{f} AS _c_{f}" for f in _COLUMN_FIELDS)
    sql = (
        f"SELECT a.*, {unit_cols}, {column_cols} FROM {Article._meta.db_table} a"  # noqa: S608 (names, no values)
        f" INNER JOIN {Unit._meta.db_table} u ON u.id = a.unit_id"
        f" LEFT OUTER JOIN {Column._meta.db_table} c ON c.id = a.column_id"
        " WHERE a.id = %s AND a.status = %s AND (a.publish_at IS NULL OR a.publish_at <= %s)"
        f" AND EXISTS (SELECT 1 FROM {Placement._meta.db_table} p WHERE p.article_id = a.id"
        " AND p.unit_id = %s AND p.accepted AND p.shown_from <= %s)"
    )
    found = list(
        Article.objects.raw(sql, [pk, ArticleStatus.PUBLISHED, now, unit.pk, now]).using(alias)
    )
    if not found:
        return None
    article = found[0]
    extra = {
        name: article.__dict__.pop(name)
        for name in list(article.__dict__)
        if name[:3] in ("_u_", "_c_")
    }
    if article.unit_id == unit.pk:
        owner = unit
    else:
        owner = Unit.from_db(alias, list(_UNIT_FIELDS), [extra[f"_u_{f}"] for f in _UNIT_FIELDS])
    Article.unit.field.set_cached_value(article, owner)  # type: ignore[attr-defined]
    column = None
    if extra["_c_id"] is not None:
        values = [extra[f"_c_{f}"] for f in _COLUMN_FIELDS]
        values[-1] = bool(values[-1])  # ``enabled``: SQLite gives 0/1
        column = Column.from_db(alias, list(_COLUMN_FIELDS), values)
    Article.column.field.set_cached_value(article, column)  # type: ignore[attr-defined]
    return article


def article_attachments(*, article: Article) -> list[Attachment]:
    """The article's attachments in the order they were added: one fixed statement."""
    table = Attachment._meta.db_table
    sql = f"SELECT * FROM {table} WHERE article_id = %s ORDER BY id"  # noqa: S608 (a name)
    return list(Attachment.objects.raw(sql, [article.pk]).using(router.db_for_read(Attachment)))


def access_article(*, user: AnyUser, pk: int | str, perm: Perm = Perm.WRITE_ARTICLES) -> Article:
    """An article of a unit where ``user`` holds ``perm``; 404 for missing and not yours."""
    try:
        article = Article.objects.select_related("unit", "column").get(pk=int(pk))
    except (Article.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound from exc
    if not has_unit_perm(user=user, perm=perm, unit=article.unit):
        raise NotFound
    return article


# --- Public pages (read side) -------------------------------------------------------------

HOME_NOTICES = 5
HOME_ARTICLES = 10
ACTIVITY_DAYS = 30


def public_unit(*, code: str) -> Unit:
    """The unit whose site is asked for, else 404. One query: its visit counter is joined,
    so ``counting.shown_visits`` needs none."""
    alias = router.db_for_read(Unit) or "default"
    sql = (
        f"SELECT u.*, c.visits AS _site_visits FROM {Unit._meta.db_table} u"  # noqa: S608 (names)
        f" LEFT OUTER JOIN {SiteCounter._meta.db_table} c ON c.unit_id = u.id WHERE u.code = %s"
    )
    # fixed SQL (issue 17): ``Unit.objects.select_related("site_counter").filter(code=code)
    # .first()``, without the ORM building the query on every page
    found = list(Unit.objects.raw(sql, [str(code)]).using(alias))
    if not found:
        raise NotFound
    unit = found[0]
    visits = unit.__dict__.pop("_site_visits", None)
    counter = None
    if visits is not None:
        counter = SiteCounter.from_db(alias, ["unit_id", "visits"], [unit.pk, int(visits)])
        SiteCounter.unit.field.set_cached_value(counter, unit)  # type: ignore[attr-defined]
    Unit.site_counter.related.set_cached_value(unit, counter)  # type: ignore[attr-defined]
    return unit


def stored_visits(*, unit_id: int) -> int:
    """The visits of a unit's site stored so far (``counting`` adds what is pending): one
    small statement, for a page made of a kept shape (``sites.shapes``)."""
    return _one_number(
        f"SELECT visits FROM {SiteCounter._meta.db_table} WHERE unit_id = %s",  # noqa: S608 (names)
        unit_id,
        SiteCounter,
    )


def stored_reads(*, article_id: int) -> int:
    """The reads of an article stored so far (see ``stored_visits``)."""
    return _one_number(
        f"SELECT read_count FROM {Article._meta.db_table} WHERE id = %s",  # noqa: S608 (names)
        article_id,
        Article,
    )


def _one_number(sql: str, pk: int, model: type[Model]) -> int:
    alias = router.db_for_read(model) or "default"
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def with_placement_via(qs: QuerySet[Article], *, unit: Unit) -> QuerySet[Article]:
    """Annotate ``via``: how each article came to ``unit``'s site (own, pushed, recommended)."""
    via = Placement.objects.filter(article=OuterRef("pk"), unit=unit).values("via")[:1]
    return qs.annotate(via=Subquery(via))


def site_home_notices(*, unit: Unit, limit: int = HOME_NOTICES) -> list[ListedArticle]:
    """The newest notices on ``unit``'s site, each with ``via`` (pushed down or own): rows
    of one fixed statement (``rows.py``), the same as ``PlacedArticles(...)[:limit]``."""
    return listed_rows(unit=unit, kind=ArticleKind.NOTICE, limit=limit)


def site_latest_articles(*, unit: Unit, limit: int = HOME_ARTICLES) -> list[ListedArticle]:
    return listed_rows(unit=unit, kind=ArticleKind.ARTICLE, limit=limit)


@dataclasses.dataclass(frozen=True, slots=True)
class Picture:
    """A unit's picture: what the home's ``{% cover_img %}``, its ``og:image`` and the chat
    app's share card read of the article whose cover it is (``cover`` as the model gives it,
    its file's ``name``, ``url`` and truth), not the article (issue 17: building the model
    from ``raw()`` cost three times its statement)."""

    pk: int
    cover_name: str
    cover_width: int | None
    cover_height: int | None
    cover_image: dict[str, Any]

    @property
    def cover(self) -> FieldFile:
        return FieldFile(None, Article._meta.get_field("cover"), self.cover_name)  # type: ignore[arg-type]


def site_picture(*, unit: Unit) -> Picture | None:
    """The unit's picture: the cover of its newest published own article that has one. Kept
    until the unit's pages are purged (every article change purges them, ``sites.signals``;
    an article scheduled for later is announced when it comes due, ``events.publish_due``)
    with the rest of the home's news (``site_home_news``)."""
    return site_home_news(unit=unit).picture


def _site_picture(unit: Unit) -> Picture | None:
    """``Article.objects.filter(published_q(), unit=unit).exclude(cover="").order_by(
    "-published_at", "-id").first()``'s cover as one fixed statement (the ORM took 1.2 ms to
    build what SQLite runs in 0.02 ms, on every render after a publish): the index
    ``article_newest_cover`` walked from the newest. The empty cover is written in the
    statement, not bound: SQLite prepares a statement again at every run when a bound value
    decides whether a partial index applies."""
    alias = router.db_for_read(Article) or "default"
    now = connections[alias].ops.adapt_datetimefield_value(timezone.now())
    sql = (
        "SELECT a.id, a.cover, a.cover_width, a.cover_height, a.cover_image"  # noqa: S608 (names, no values)
        f" FROM {Article._meta.db_table} a"
        " WHERE a.status = %s AND (a.publish_at IS NULL OR a.publish_at <= %s)"
        " AND a.unit_id = %s AND NOT (a.cover = '')"
        " ORDER BY a.published_at DESC, a.id DESC LIMIT 1"
    )
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [ArticleStatus.PUBLISHED, now, unit.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    field = Article._meta.get_field("cover_image")
    stored = field.from_db_value(row[4], None, connections[alias])  # type: ignore[arg-type,attr-defined]
    return Picture(row[0], row[1], row[2], row[3], stored if isinstance(stored, dict) else {})


@dataclasses.dataclass(frozen=True, slots=True)
class HomeNews:
    """What a unit's home shows of its articles at one page generation, in no language:
    its latest articles and notices, its picture, the keys of its columns with an article
    listed (``site_home_news``)."""

    articles: list[ListedArticle]
    notices: list[ListedArticle]
    picture: Picture | None
    listed_keys: frozenset[str]


# the name it is kept under changes with what it holds (an upgrade never reads an older one)
_HOME_NEWS = f"home_news:{layout(HomeNews, ListedArticle, ListedUnit, Picture)}"


def site_home_news(*, unit: Unit) -> HomeNews:
    """The home's news (``HomeNews``), kept until the unit's pages are purged: one answer
    for every language, text size and logged-in reader (and every worker, with Redis) where
    each asked its four statements, and one look-up of the kept answers where three were
    (issue 17: after a publish the look-ups cost as much as a statement)."""
    return unit_memo(
        unit,
        _HOME_NEWS,
        lambda: HomeNews(
            articles=site_latest_articles(unit=unit),
            notices=site_home_notices(unit=unit),
            picture=_site_picture(unit),
            listed_keys=listed_column_keys(unit=unit),
        ),
    )


def column_and_children(*, columns: list[Column], key: str) -> tuple[Column, list[Column]] | None:
    """The enabled column ``key`` among ``columns`` and its enabled sub-columns, or None.

    Saved columns name their parent by id; the seed's unsaved defaults by key."""
    by_key = {c.key: c for c in columns if c.enabled}
    column = by_key.get(key)
    if column is None:
        return None
    default_parent = {c.key: c.parent for c in DEFAULT_COLUMNS}
    children = [
        c
        for c in columns
        if c.enabled
        and (
            (c.pk is not None and c.parent_id is not None and c.parent_id == column.pk)
            or (c.pk is None and default_parent.get(c.key) == key)
        )
    ]
    return column, children


def top_columns(*, columns: list[Column]) -> list[Column]:
    """The enabled columns that sit inside no other column."""
    default_parent = {c.key: c.parent for c in DEFAULT_COLUMNS}
    return [
        c
        for c in columns
        if c.enabled
        and (c.parent_id is None if c.pk is not None else not default_parent.get(c.key))
    ]


def used_column_keys(
    *, unit: Unit, memo: bool = False, listed: frozenset[str] | None = None
) -> frozenset[str]:
    """Keys of the columns with something to read on ``unit``'s site: a published article
    placed in it, or an extension app's content (``extensions.columns_with_content``).
    ``memo``: kept until the unit's pages are purged or an app announces a change, the
    apps' part apart (a publish asks the placements again, no app). ``listed``: the keys
    with an article listed, when the caller has them (``HomeNews.listed_keys``)."""
    if not memo:
        if listed is None:
            listed = listed_column_keys(unit=unit)
        return listed | columns_with_content(unit)

    def filled() -> frozenset[str]:  # apps above sites fill some columns (extensions.py)
        return unit_memo(
            unit, "filled_columns", lambda: frozenset(columns_with_content(unit)), by=SLOTS
        )

    if listed is not None:
        return listed | filled()
    return unit_memo(
        unit, "used_columns", lambda: listed_column_keys(unit=unit) | filled(), by=BOTH
    )


def columns_with_articles(
    *,
    unit: Unit,
    columns: list[Column],
    every: list[Column] | None = None,
    listed: frozenset[str] | None = None,
) -> list[Column]:
    """``columns`` that have something to read on ``unit``'s site (a published article in the
    column or in a column inside it). Visitors see only these; officers manage every column
    in the workbench. ``every`` is ``site_columns(unit=unit)`` when the caller has it, and
    ``listed`` the keys with an article listed (``HomeNews.listed_keys``). Which columns are
    used is kept (``used_column_keys(memo=True)``)."""
    used = used_column_keys(unit=unit, memo=True, listed=listed)
    default_parent = {c.key: c.parent for c in DEFAULT_COLUMNS}
    every = site_columns(unit=unit) if every is None else every
    key_of = {c.pk: c.key for c in every if c.pk is not None}
    inside: dict[str, set[str]] = {}
    for c in every:
        if c.pk is not None:
            parent = key_of.get(c.parent_id) if c.parent_id is not None else None
        else:
            parent = default_parent.get(c.key)
        if parent:
            inside.setdefault(parent, set()).add(c.key)
    return [c for c in columns if c.key in used or inside.get(c.key, set()) & used]


def site_column_articles(*, unit: Unit, keys: list[str]) -> ListedRows:
    """Published articles on ``unit``'s site in any of the columns ``keys``, to be paged:
    rows of fixed statements (``rows.py``), the same as ``PlacedArticles``."""
    return ListedRows(unit=unit, column_keys=keys)


def site_column_count(*, unit: Unit, keys: list[str]) -> int:
    """How many articles ``site_column_articles(unit=unit, keys=keys)`` lists, kept until the
    unit's pages are purged: counted once per publish for every language, text size and
    (with Redis) worker of the column's page, where each counted (a column of 10,000
    articles: the count walks 10,000 index entries, ``bench/RESULTS.md``)."""
    digest = hashlib.blake2s("\n".join(keys).encode(), digest_size=8).hexdigest()
    return unit_memo(
        unit, f"column_count:{digest}", lambda: listed_count(unit=unit, column_keys=keys)
    )


@dataclasses.dataclass(frozen=True)
class ChildActivity:
    unit: Unit
    published: int


def site_children_activity(*, unit: Unit, days: int = ACTIVITY_DAYS) -> list[ChildActivity]:
    """The unit's active child units, each with the articles and notices published in its
    whole subtree in the last ``days`` days. Two queries whatever the size: the children,
    and one count grouped by the child's path prefix."""
    children = list(
        Unit.objects.filter(
            subtree_q(unit.path), depth=unit.depth + 1, status=UnitStatus.ACTIVE
        ).order_by("path")
    )
    if not children:
        return []
    width = (unit.depth + 1) * Unit.steplen
    since = timezone.now() - timedelta(days=days)
    rows = (
        Article.objects.filter(published_q(), published_at__gte=since)
        .filter(subtree_q(unit.path, "unit__path"), unit__depth__gt=unit.depth)
        .annotate(branch=Substr("unit__path", 1, width))
        .values("branch")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["branch"]: int(row["n"]) for row in rows}
    rank = {kind: i for i, kind in enumerate(UnitKind.values)}
    children.sort(key=lambda c: (rank.get(c.kind, len(rank)), c.path))
    return [ChildActivity(unit=c, published=counts.get(c.path, 0)) for c in children]
