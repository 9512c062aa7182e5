"""Search limits, table names and the hit a query returns."""

from __future__ import annotations

import dataclasses
import logging

from django.utils.safestring import SafeString

from nutag.sites.models import Article

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
