"""What a page shows: the stored count plus what is still pending."""

from __future__ import annotations

from collections.abc import Iterable

from nutag.orgs.models import Unit
from nutag.sites.counting.base import ARTICLE, SITE
from nutag.sites.counting.store import get_store
from nutag.sites.models import Article, SiteCounter

# --- What the page shows --------------------------------------------------------------------


def shown_reads(article: Article, *, stored: int | None = None) -> int:
    """Reads of ``article``: the database value (``stored`` when read apart, else the
    article's own) plus reads not yet flushed."""
    target = (ARTICLE, article.pk)
    base = article.read_count if stored is None else stored
    return int(base) + get_store().pending([target])[target]


def shown_reads_many(articles: Iterable[Article]) -> dict[int, int]:
    """``shown_reads`` of many articles with one cache round trip: {article id: reads}."""
    articles = list(articles)
    pending = get_store().pending([(ARTICLE, a.pk) for a in articles])
    return {a.pk: int(a.read_count) + pending[(ARTICLE, a.pk)] for a in articles}


def shown_visits(unit: Unit, *, stored: int | None = None) -> int:
    """Visits of ``unit``'s site: the database value (``stored`` when read apart) plus
    visits not yet flushed. No query when ``unit`` was fetched with
    ``select_related("site_counter")``."""
    if stored is None:
        try:
            stored = int(unit.site_counter.visits)
        except SiteCounter.DoesNotExist:
            stored = 0
    target = (SITE, unit.pk)
    return stored + get_store().pending([target])[target]
