"""Index writes: an article's words into SQLite FTS5 or PostgreSQL full text, after commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from nutag.sites.models import Article, ArticleStatus
from nutag.sites.search.base import FTS_TABLE, INDEX_FIELDS, PG_TABLE
from nutag.sites.search.segment import _document

# --- Index writes ---------------------------------------------------------------------------


def _connection(using: str = DEFAULT_DB_ALIAS) -> BaseDatabaseWrapper:
    conn = connections[using]
    if conn.vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"Search needs SQLite or PostgreSQL, not {conn.vendor}.")
    return conn


def _is_indexed_state(article: Article) -> bool:
    return article.status == ArticleStatus.PUBLISHED


def _write(
    articles: Sequence[Article], remove_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Write ``articles`` into the index and drop ``remove_ids`` from it, atomically."""
    conn = _connection(using)
    rows = [(a.pk, *_document(a)) for a in articles]
    drop = sorted({int(i) for i in remove_ids} | {a.pk for a in articles})
    if not drop:
        return
    table = Article._meta.db_table
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for start in range(0, len(drop), 500):
                chunk = drop[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608
            if rows:
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, created, title, summary, body) "  # noqa: S608
                    f"SELECT id, created_at, %s, %s, %s FROM {table} WHERE id = %s",
                    [(t, s, b, pk) for pk, t, s, b in rows],
                )
        else:
            removed = sorted(set(drop) - {pk for pk, *_ in rows})
            if removed:
                cursor.execute(f"DELETE FROM {PG_TABLE} WHERE article_id = ANY(%s)", [removed])  # noqa: S608
            if rows:
                cursor.executemany(
                    f"INSERT INTO {PG_TABLE} (article_id, created, search_vector) "  # noqa: S608
                    "SELECT id, created_at, "
                    "setweight(to_tsvector('simple', %s), 'A') || "
                    "setweight(to_tsvector('simple', %s), 'B') || "
                    "setweight(to_tsvector('simple', %s), 'D') "
                    f"FROM {table} WHERE id = %s "
                    "ON CONFLICT (article_id) DO UPDATE "
                    "SET created = EXCLUDED.created, search_vector = EXCLUDED.search_vector",
                    [(t, s, b, pk) for pk, t, s, b in rows],
                )


def index_article(article: Article) -> None:
    """Bring the index in line with ``article`` as given: indexed if published, else removed."""
    if _is_indexed_state(article):
        _write([article], [])
    else:
        unindex_article(article.pk)


def unindex_article(article_id: int) -> None:
    _write([], [article_id])


def index_article_ids(article_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Re-read these articles and index each as it now is (missing ones are removed)."""
    ids = sorted({int(i) for i in article_ids})
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        found = list(
            Article.objects.using(using)
            .filter(pk__in=chunk, status=ArticleStatus.PUBLISHED)
            .only("id", "status", *INDEX_FIELDS)
        )
        _write(found, chunk, using=using)


def reindex_all(*, batch_size: int = 200) -> int:
    """Rebuild the whole index from the published articles; returns how many were indexed."""
    conn = _connection()
    count = 0
    with transaction.atomic():
        with conn.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE if conn.vendor == 'sqlite' else PG_TABLE}")  # noqa: S608
        batch: list[Article] = []
        published = (
            Article.objects.filter(status=ArticleStatus.PUBLISHED)
            .only("id", "status", *INDEX_FIELDS)
            .order_by("id")
        )
        for article in published.iterator(chunk_size=batch_size):
            batch.append(article)
            if len(batch) >= batch_size:
                _write(batch, [])
                count += len(batch)
                batch = []
        if batch:
            _write(batch, [])
            count += len(batch)
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608
    else:
        with conn.cursor() as cursor:
            cursor.execute(f"ANALYZE {PG_TABLE}")
    return count


class _Pending:
    """Articles touched in the current transaction of one connection, indexed on commit."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.ids: set[int] = set()

    def flush(self) -> None:
        ids, self.ids = self.ids, set()
        if ids:
            index_article_ids(ids, using=self.using)


def schedule_index(article_id: int, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Index ``article_id`` as it will be once the current transaction commits.

    However many times an article (or its placements) is saved in one transaction, it is
    segmented once: every call adds the id to a per-connection set and registers a cheap
    on-commit hook; the first hook to run indexes the whole set, the others find it empty.
    Ids of a rolled-back savepoint may stay in the set and be re-read later: harmless, since
    indexing reads what the database holds. Failures are logged, never raised to the
    request that already committed (``robust=True``).
    """
    conn = connections[using]
    pending: _Pending | None = getattr(conn, "_nutag_search_pending", None)
    if pending is None:
        pending = _Pending(using)
        conn._nutag_search_pending = pending  # type: ignore[attr-defined]
    pending.ids.add(int(article_id))
    transaction.on_commit(pending.flush, using=using, robust=True)
