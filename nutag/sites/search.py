"""Search over a unit's site and everything below it (站内搜索).

What is found: published, due articles placed (and accepted) on the searched unit or on any
unit of its subtree. Scoping and visibility are decided at query time from the article and
placement tables (joined, not copied into the index), so pushing an article down, moving a
unit or the moment a scheduled article comes due never needs a reindex.

How text is matched, on both databases:

- Text is *folded* before it is segmented, both when indexed and when searched: NFKC
  (full-width letters and digits become half-width), Mongolian free variation selectors and
  zero-width joiners dropped, lower case, and traditional characters converted to simplified
  with OpenCC ``t2s`` (so 關心 finds 关心 and the reverse).
- Chinese runs are segmented with jieba, without its HMM guesser so that a word is cut the
  same way in a query and in a text: the index holds the search-mode cut plus every
  dictionary word of the full cut; a query holds the precise cut. Other runs of letters or
  digits (Mongolian, Latin, numbers) are words as they are. Punctuation separates words and
  is never part of a query, so no query text can reach the database as search syntax.
- The index holds the tokens joined by single spaces, in three weighted groups: titles
  (Chinese and Mongolian), summaries, bodies (HTML stripped).

Embedded mode (SQLite): an FTS5 table ``unitsites_article_fts`` (``rowid`` = article id),
queried with ``MATCH`` on quoted tokens (all must occur) and ranked with ``bm25``.
Scale mode (PostgreSQL): a table ``unitsites_article_search`` with a ``tsvector`` over the
same tokens (``simple`` configuration, weights A/B/D) and a GIN index, queried with
``plainto_tsquery('simple', …)`` and ranked with ``ts_rank``. Both tables are made by
migration ``0002_search_index`` and are not Django models.

Both index tables carry the article's ``created_at``, and a hit must match it: a row left
behind by a bulk delete (``manage.py flush``, raw SQL) can never lend its words to a new
article that reuses the id.

Snippets are made here, not by ``snippet()``/``ts_headline``: the database only holds the
segmented, simplified copy (spaces between Chinese words, traditional text converted),
while the reader should see the article's own words. The highlighter works on the original
text of the few hits on a page, so both databases give identical snippets.

Keeping the index in step: ``nutag.sites.search_signals`` schedules the articles touched by
a transaction (article saves and deletes, placement changes) and indexes them once, when the
transaction commits (``schedule_index``). ``manage.py reindex_search`` rebuilds it all; bulk
loaders that bypass ``save()`` call ``reindex_all()`` (or ``index_article_ids``) themselves.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import logging
import os
import re
import tempfile
import threading
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from nutag.core.text import to_simplified
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q, successor
from nutag.sites.models import Article, ArticleStatus, Placement

logger = logging.getLogger(__name__)

FTS_TABLE = "unitsites_article_fts"  # SQLite
PG_TABLE = "unitsites_article_search"  # PostgreSQL

MAX_QUERY_CHARS = 200  # what a visitor types beyond this is ignored
MAX_QUERY_TOKENS = 12  # words of a query; the rest are ignored
MAX_FIELD_CHARS = 200_000  # indexed characters of one field (keeps a tsvector under 1 MB)
MAX_LIMIT = 100
SNIPPET_CHARS = 90
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)  # bm25 weights: titles, summaries, bodies
INDEX_FIELDS = ("title", "summary", "body", "title_mn", "summary_mn", "body_mn")
# Saving any of these may change what the index holds for an article.
INDEXED_MODEL_FIELDS = frozenset({*INDEX_FIELDS, "status", "created_at"})


@dataclasses.dataclass(frozen=True)
class SearchHit:
    """One found article.

    ``snippet`` and ``title_html`` are escaped HTML whose only tags are ``<mark>`` around
    the words searched for; ``*_parts`` are the same as ``(text, marked)`` pairs, for a
    template that converts the text for display. ``site_code`` is the unit whose site the
    result links to: the searched unit when the article is shown there, else the article's
    own unit (where publishing shows it), else the highest unit of the subtree showing it.
    """

    article: Article
    snippet: SafeString
    rank: float
    title_html: SafeString
    title_parts: tuple[tuple[str, bool], ...]
    title_mn_parts: tuple[tuple[str, bool], ...]
    snippet_parts: tuple[tuple[str, bool], ...]
    snippet_is_mongolian: bool
    site_code: str


# --- Segmentation ---------------------------------------------------------------------------

# Words of this domain that jieba's dictionary lacks. Changing the list changes how texts are
# cut: run ``manage.py reindex_search`` afterwards.
DOMAIN_WORDS = (
    "五老",
    "关工委",
    "嘎查",
    "苏木",
    "牧民",
    "党建",
    "三会一课",
    "流动党员",
    "微支部",
    "乡村振兴",
    "精准扶贫",
    "结对帮扶",
    "四纳入",
    "四到位",
    "陈巴尔虎旗",
    "呼伦贝尔",
)

_tokenizer: Any = None
_tokenizer_lock = threading.Lock()


def _jieba() -> Any:
    """The process's jieba tokenizer, loaded on first use (about half a second), once."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # jieba imports pkg_resources
                    import jieba
                # jieba logs "Building prefix dict…" to stderr while loading: keep it quiet.
                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                cache_dir = _jieba_cache_dir()
                if cache_dir:
                    tokenizer.tmp_dir = cache_dir
                tokenizer.initialize()
                for word in DOMAIN_WORDS:
                    tokenizer.add_word(word, freq=None)
                _tokenizer = tokenizer
    return _tokenizer


def _jieba_cache_dir() -> str | None:
    """A private directory for jieba's dictionary cache (not the shared /tmp itself)."""
    path = os.path.join(tempfile.gettempdir(), f"nutag-jieba-{os.getuid()}")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return path


# Characters that only steer shaping or joining: Mongolian free variation selectors, the
# zero-width (non-)joiners and spaces, the soft hyphen.
_IGNORABLE = dict.fromkeys([0x00AD, 0x180B, 0x180C, 0x180D, 0x180F, 0x200B, 0x200C, 0x200D, 0xFEFF])
_HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = re.compile(f"[{_HAN_RANGES}]")
_WORD_RUN = re.compile(r"[^\W_]+")  # letters and digits of any script


def fold(text: str) -> str:
    """Text as it is indexed and searched: NFKC, no shaping marks, lower case, simplified."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_IGNORABLE).lower()
    return to_simplified(text)


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).translate(_IGNORABLE).lower()


def _han_words(run: str, *, for_query: bool) -> list[str]:
    tokenizer = _jieba()
    if for_query:
        return [w for w in tokenizer.cut(run, HMM=False) if w.strip()]
    words = [w for w in tokenizer.cut_for_search(run, HMM=False) if w.strip()]
    seen = set(words)
    # Every dictionary word of the run too, so that a query word is found even where the
    # text's own best cut went another way (人民共和国 inside 中华人民共和国).
    words += [w for w in tokenizer.cut(run, cut_all=True) if w.strip() and w not in seen]
    return words


def tokens(text: str, *, for_query: bool = False) -> list[str]:
    """The words of ``text`` (folded, segmented), in order."""
    out: list[str] = []
    for run in _WORD_RUN.findall(fold(text)):
        if _HAN.search(run):
            # A jieba word is a piece of the run, so it holds letters and digits only.
            out.extend(w for w in _han_words(run, for_query=for_query) if _WORD_RUN.fullmatch(w))
        else:
            out.append(run)
    return out


def query_tokens(query: str) -> list[str]:
    """The distinct words of a visitor's query (at most ``MAX_QUERY_TOKENS``)."""
    found: list[str] = []
    for word in tokens((query or "")[:MAX_QUERY_CHARS], for_query=True):
        if word not in found:
            found.append(word)
            if len(found) == MAX_QUERY_TOKENS:
                break
    return found


_BLOCK_TAG = re.compile(
    r"<(?:br|hr|/?(?:p|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|pre|"
    r"figure|figcaption))\b[^>]*>",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def html_to_text(body: str) -> str:
    """The text of sanitised article HTML, one line per block, entities decoded."""
    if not body:
        return ""
    return html.unescape(strip_tags(_BLOCK_TAG.sub("\n", body)))


def _document(article: Article) -> tuple[str, str, str]:
    """The indexed text of an article: titles, summaries, bodies, each pre-segmented."""

    def words(*parts: str) -> str:
        return " ".join(tokens(" \n".join(p[:MAX_FIELD_CHARS] for p in parts if p)))

    return (
        words(article.title, article.title_mn),
        words(article.summary, article.summary_mn),
        words(html_to_text(article.body), html_to_text(article.body_mn)),
    )


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


# --- Highlighting ---------------------------------------------------------------------------

Parts = tuple[tuple[str, bool], ...]
_NON_HAN_WORD_CHAR = f"[^\\W_{_HAN_RANGES}]"


def parts_html(parts: Parts) -> SafeString:
    """``(text, marked)`` pairs as escaped HTML with ``<mark>`` around marked text."""
    return mark_safe(  # noqa: S308 - every piece of text is escaped here
        "".join(
            f"<mark>{escape(text)}</mark>" if marked else str(escape(text))
            for text, marked in parts
        )
    )


class Highlighter:
    """Finds the searched words in an article's own text (whatever its characters) and
    cuts a window around the first one."""

    SNIPPET_FIELDS = ("summary", "body", "summary_mn", "body_mn", "title_mn")

    def __init__(self, words: Sequence[str]) -> None:
        alternatives = []
        for word in sorted(set(words), key=len, reverse=True):
            if _HAN.search(word):
                alternatives.append(re.escape(word))
            else:  # a Latin or Mongolian word is marked whole, not inside a longer word
                alternatives.append(
                    f"(?<!{_NON_HAN_WORD_CHAR}){re.escape(word)}(?!{_NON_HAN_WORD_CHAR})"
                )
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None

    @staticmethod
    def _folded_with_map(text: str) -> tuple[str, list[int]] | tuple[str, range]:
        """``fold(text)`` with the original index of every folded character."""
        folded = fold(text)
        if len(folded) == len(text):
            # The usual case (full-width punctuation, case, traditional characters all fold
            # one to one). A decomposition offset by a composition elsewhere would shift a
            # mark by a character: cosmetic, and not worth a slower path for every text.
            return folded, range(len(text))
        pieces = [_fold_char(char) for char in text]
        origin = [i for i, piece in enumerate(pieces) for _ in piece]
        folded = "".join(pieces)
        simplified = to_simplified(folded)
        if len(simplified) != len(folded):  # a phrase changed length: convert char by char
            simplified = "".join(c2 if len(c2 := to_simplified(c)) == 1 else c for c in folded)
        return simplified, origin

    def _spans(self, text: str) -> tuple[list[tuple[int, int]], int]:
        """Marked spans of ``text`` (original indices), and the text's length."""
        if not self.pattern or not text:
            return [], len(text)
        folded, origin = self._folded_with_map(text)
        spans: list[tuple[int, int]] = []
        for found in self.pattern.finditer(folded):
            if found.end() <= found.start():
                continue
            start, end = origin[found.start()], origin[found.end() - 1] + 1
            if spans and start <= spans[-1][1]:  # touching or overlapping: one mark
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return spans, len(text)

    def parts(self, text: str, *, window: int | None) -> Parts:
        """``text`` (whitespace collapsed) as ``(text, marked)`` pairs; with ``window``, only
        about that many characters around the first match, "…" where cut. Empty when
        ``window`` is set and nothing matches."""
        text = _SPACES.sub(" ", text or "").strip()
        if not text:
            return ()
        spans, length = self._spans(text)
        start, end = 0, length
        if window is not None:
            if not spans:
                return ()
            if length > window:
                start = max(0, spans[0][0] - window // 4)
                end = min(length, start + window)
                start = max(0, end - window)
        out: list[tuple[str, bool]] = []
        if start > 0:
            out.append(("…", False))
        cursor = start
        for s, e in spans:
            if e <= start or s >= end:
                continue
            s, e = max(s, start), min(e, end)
            if s > cursor:
                out.append((text[cursor:s], False))
            out.append((text[s:e], True))
            cursor = e
        if cursor < end:
            out.append((text[cursor:end], False))
        if end < length:
            out.append(("…", False))
        return tuple(out)

    def snippet(self, article: Article) -> tuple[Parts, bool]:
        """The snippet of ``article``: the first field, in reading order, where a searched
        word occurs; else the start of its summary or text. Also: is it Mongolian?"""
        for field in self.SNIPPET_FIELDS:
            value = getattr(article, field) or ""
            text = html_to_text(value) if field.startswith("body") else value
            found = self.parts(text, window=SNIPPET_CHARS)
            if found:
                return found, field.endswith("_mn")
        text = _SPACES.sub(" ", article.summary or html_to_text(article.body)).strip()
        if not text:
            return (), False
        if len(text) > SNIPPET_CHARS:
            return ((text[:SNIPPET_CHARS], False), ("…", False)), False
        return ((text, False),), False
