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

The package, split along its seams: ``base`` (limits, tables, ``SearchHit``), ``segment``
(folding and words), ``index`` (index writes), ``query`` (ranked hits), ``highlight``
(marking the words). Import from the package.
"""

from nutag.sites.search.base import (
    FTS_TABLE,
    INDEX_FIELDS,
    INDEXED_MODEL_FIELDS,
    MAX_FIELD_CHARS,
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    MAX_QUERY_TOKENS,
    PG_TABLE,
    SNIPPET_CHARS,
    SQLITE_WEIGHTS,
    SearchHit,
    logger,
)
from nutag.sites.search.highlight import (
    _NON_HAN_WORD_CHAR,
    Highlighter,
    Parts,
    parts_html,
)
from nutag.sites.search.index import (
    _connection,
    _is_indexed_state,
    _Pending,
    _write,
    index_article,
    index_article_ids,
    reindex_all,
    schedule_index,
    unindex_article,
)
from nutag.sites.search.query import (
    _ranked_ids,
    _site_codes,
    ranked_sql,
    search_articles,
)
from nutag.sites.search.segment import (
    _BLOCK_TAG,
    _HAN,
    _HAN_RANGES,
    _IGNORABLE,
    _SPACES,
    _WORD_RUN,
    DOMAIN_WORDS,
    _document,
    _fold_char,
    _han_words,
    _jieba,
    _jieba_cache_dir,
    _tokenizer,
    _tokenizer_lock,
    fold,
    html_to_text,
    query_tokens,
    tokens,
)

__all__ = [
    "DOMAIN_WORDS",
    "FTS_TABLE",
    "INDEXED_MODEL_FIELDS",
    "INDEX_FIELDS",
    "MAX_FIELD_CHARS",
    "MAX_LIMIT",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TOKENS",
    "PG_TABLE",
    "SNIPPET_CHARS",
    "SQLITE_WEIGHTS",
    "_BLOCK_TAG",
    "_HAN",
    "_HAN_RANGES",
    "_IGNORABLE",
    "_NON_HAN_WORD_CHAR",
    "_SPACES",
    "_WORD_RUN",
    "Highlighter",
    "Parts",
    "SearchHit",
    "_Pending",
    "_connection",
    "_document",
    "_fold_char",
    "_han_words",
    "_is_indexed_state",
    "_jieba",
    "_jieba_cache_dir",
    "_ranked_ids",
    "_site_codes",
    "_tokenizer",
    "_tokenizer_lock",
    "_write",
    "fold",
    "html_to_text",
    "index_article",
    "index_article_ids",
    "logger",
    "parts_html",
    "query_tokens",
    "ranked_sql",
    "reindex_all",
    "schedule_index",
    "search_articles",
    "tokens",
    "unindex_article",
]
