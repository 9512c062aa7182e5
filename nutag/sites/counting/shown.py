"""What a page shows: the stored count plus what is still pending."""

from __future__ import annotations

from collections.abc import Iterable

from nutag.orgs.models import Unit
from nutag.sites.counting.base import ARTICLE, SITE
from nutag.sites.counting.store import get_store
from nutag.sites.models import Article, SiteCounter

# --- What the page shows --------------------------------------------------------------------


def shown_reads(article: Article) -> int:
    """Reads of ``article``: the database value plus reads not yet flushed."""
    target = (ARTICLE, article.pk)
    return int(article.read_count) + get_store().pending([target])[target]


def shown_reads_many(articles: Iterable[Article]) -> dict[int, int]:
    """``shown_reads`` of many articles with one cache round trip: {article id: reads}."""
    articles = list(articles)
    pending = get_store().pending([(ARTICLE, a.pk) for a in articles])
    return {a.pk: int(a.read_count) + pending[(ARTICLE, a.pk)] for a in articles}


def shown_visits(unit: Unit) -> int:
    """Visits of ``unit``'s site: the database value plus visits not yet flushed. No query
    when ``unit`` was fetched with ``select_related("site_counter")``."""
    try:
        stored = int(unit.site_counter.visits)
    except SiteCounter.DoesNotExist:
        stored = 0
    target = (SITE, unit.pk)
    return stored + get_store().pending([target])[target]
