"""Queries: the ranked page of hits over a unit's subtree, with snippets."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q, successor
from nutag.sites.models import Article, ArticleStatus, Placement
from nutag.sites.search.base import FTS_TABLE, MAX_LIMIT, PG_TABLE, SQLITE_WEIGHTS, SearchHit
from nutag.sites.search.highlight import Highlighter, parts_html
from nutag.sites.search.index import _connection
from nutag.sites.search.segment import query_tokens

# --- Queries --------------------------------------------------------------------------------


def ranked_sql(*, unit: Unit, words: list[str], limit: int, offset: int) -> tuple[str, list[Any]]:
    """The SQL and parameters of the ranked page of hits: rows ``(article id, score)``."""
    conn = _connection()
    article = Article._meta.db_table
    placement = Placement._meta.db_table
    unit_table = Unit._meta.db_table
    upper = successor(unit.path)
    path_sql = "u.path >= %s" + (" AND u.path < %s" if upper else "")
    path_params: list[Any] = [unit.path] + ([upper] if upper else [])
    now = timezone.now()
    visible = (
        "a.status = %s AND (a.publish_at IS NULL OR a.publish_at <= %s) "  # noqa: S608
        f"AND EXISTS (SELECT 1 FROM {placement} p JOIN {unit_table} u ON u.id = p.unit_id "
        f"WHERE p.article_id = a.id AND p.accepted AND {path_sql})"
    )
    if conn.vendor == "sqlite":
        match = " ".join(f'"{w}"' for w in words)  # quoted: never FTS5 syntax
        w_title, w_summary, w_body = SQLITE_WEIGHTS
        sql = (
            f"SELECT a.id, bm25({FTS_TABLE}, 0, {w_title}, {w_summary}, {w_body}) AS score "  # noqa: S608
            f"FROM {FTS_TABLE} f JOIN {article} a ON a.id = f.rowid AND a.created_at = f.created "
            f"WHERE {FTS_TABLE} MATCH %s AND {visible} "
            "ORDER BY score, a.published_at DESC, a.id DESC LIMIT %s OFFSET %s"
        )
        now_param: Any = conn.ops.adapt_datetimefield_value(now)
        return sql, [match, ArticleStatus.PUBLISHED.value, now_param, *path_params, limit, offset]
    sql = (
        "SELECT a.id, ts_rank(s.search_vector, q.q) AS score "  # noqa: S608
        f"FROM {PG_TABLE} s JOIN {article} a ON a.id = s.article_id AND a.created_at = s.created "
        "CROSS JOIN plainto_tsquery('simple', %s) AS q(q) "
        f"WHERE s.search_vector @@ q.q AND {visible} "
        "ORDER BY score DESC, a.published_at DESC NULLS LAST, a.id DESC LIMIT %s OFFSET %s"
    )
    return sql, [" ".join(words), ArticleStatus.PUBLISHED.value, now, *path_params, limit, offset]


def _ranked_ids(
    *, unit: Unit, words: list[str], limit: int, offset: int
) -> list[tuple[int, float]]:
    """``(article id, rank)`` of the page of hits, best first (higher is better). One query."""
    sql, params = ranked_sql(unit=unit, words=words, limit=limit, offset=offset)
    conn = _connection()
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    sign = -1.0 if conn.vendor == "sqlite" else 1.0  # bm25: lower is better
    return [(int(pk), sign * float(score)) for pk, score in rows]


def _site_codes(*, unit: Unit, articles: dict[int, Article]) -> dict[int, str]:
    """For each article, the code of the unit whose site the result should open. One query."""
    shown: dict[int, list[tuple[str, int, str]]] = {}
    rows = (
        Placement.objects.filter(article_id__in=list(articles), accepted=True)
        .filter(Q(unit_id=F("article__unit_id")) | subtree_q(unit.path, "unit__path"))
        .values_list("article_id", "unit_id", "unit__code", "unit__path")
    )
    for article_id, unit_id, code, path in rows:
        shown.setdefault(article_id, []).append((path, unit_id, code))
    codes: dict[int, str] = {}
    for pk, article in articles.items():
        places = shown.get(pk, [])
        by_unit = {unit_id: code for _, unit_id, code in places}
        if unit.pk in by_unit:
            codes[pk] = unit.code
        elif article.unit_id in by_unit:
            codes[pk] = by_unit[article.unit_id]
        elif places:  # the highest unit of the subtree that shows it
            codes[pk] = min(places)[2]
        else:
            codes[pk] = article.unit.code
    return codes


def search_articles(*, unit: Unit, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    """Published, due articles shown on ``unit``'s site or on any site below it that
    contain every word of ``query``, best first, with highlighted snippets.

    Three queries whatever the number of hits (none for a query without words): the ranked
    page of ids, the articles with their units, the placements that pick each link's site.
    """
    words = query_tokens(query)
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    if not words or not limit:
        return []
    ranked = _ranked_ids(unit=unit, words=words, limit=limit, offset=offset)
    if not ranked:
        return []
    articles = Article.objects.select_related("unit").in_bulk([pk for pk, _ in ranked])
    codes = _site_codes(unit=unit, articles=articles)
    highlighter = Highlighter(words)
    hits: list[SearchHit] = []
    for pk, rank in ranked:
        article = articles.get(pk)
        if article is None:  # deleted between the two queries
            continue
        title_parts = highlighter.parts(article.title, window=None) or ((article.title, False),)
        title_mn_parts = highlighter.parts(article.title_mn, window=None)
        snippet_parts, mongolian = highlighter.snippet(article)
        hits.append(
            SearchHit(
                article=article,
                snippet=parts_html(snippet_parts),
                rank=rank,
                title_html=parts_html(title_parts),
                title_parts=title_parts,
                title_mn_parts=title_mn_parts,
                snippet_parts=snippet_parts,
                snippet_is_mongolian=mongolian,
                site_code=codes[pk],
            )
        )
    return hits
