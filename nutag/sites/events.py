"""What the write side tells the rest of the app, after a change has committed.

``site_changed`` is sent (``transaction.on_commit``) by every service in
``nutag.sites.services`` that changes what a public page shows: an article published,
withdrawn, pushed down or accepted from a recommendation, a column renamed, hidden or moved.
Receivers are for cache purge and search indexing only (never for domain flow):

    site_changed.connect(receiver)   # receiver(sender, *, unit_ids: list[int],
                                     #          article_ids: list[int], slots: bool, **kwargs)

``unit_ids`` are the units whose site shows something different; ``article_ids`` the
articles whose own page changed (empty for column changes). ``slots`` is False only when
the change is in sites' own content (articles, placements, columns, an article's reading):
then the extension apps' kept answers for those units (which of their columns have content,
which of their blocks are empty, ``sites.selectors.memo``) still hold. Every other app
announces with the default, ``slots=True``, so that an app never has to know what sites
keeps.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

site_changed = Signal()


def announce_site_change(
    *, unit_ids: Iterable[int], article_ids: Iterable[int] = (), slots: bool = True
) -> None:
    """Send ``site_changed`` once the current transaction commits. ``slots=False``: only for
    sites' own services (see the module docstring)."""
    units = sorted(set(unit_ids))
    articles = sorted(set(article_ids))

    def send() -> None:
        site_changed.send(sender=None, unit_ids=units, article_ids=articles, slots=slots)

    transaction.on_commit(send)


def publish_due(*, now: object = None) -> int:
    """The scheduled-publishing job (every minute, from ``NUTAG_PERIODIC_JOBS``): articles
    whose ``publish_at`` has passed since the last run now show, so the pages that list them
    are purged. Never run on a page view. Returns how many articles came due."""
    import datetime as dt

    from django.core.cache import cache
    from django.utils import timezone

    from nutag.sites.models import Article, ArticleStatus, Placement

    moment = now if isinstance(now, dt.datetime) else timezone.now()
    last = cache.get("sites:publish_due:last")
    since = (
        dt.datetime.fromtimestamp(last, tz=dt.UTC)
        if isinstance(last, int | float)
        else moment - dt.timedelta(minutes=10)
    )
    due = list(
        Article.objects.filter(
            status=ArticleStatus.PUBLISHED, publish_at__gt=since, publish_at__lte=moment
        ).values_list("pk", flat=True)
    )
    if due:
        units = Placement.objects.filter(article_id__in=due).values_list("unit_id", flat=True)
        site_changed.send(sender=None, unit_ids=sorted(set(units)), article_ids=due, slots=False)
    cache.set("sites:publish_due:last", moment.timestamp(), timeout=None)
    return len(due)
