"""Cache purge on change of what public pages show (signals are for cache purge only).

Connected by ``SitesConfig.ready``. Each receiver bumps page-cache generations
(``nutag.sites.caching``) at once and again on commit; none changes business state.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from nutag.orgs.models import Unit
from nutag.sites import caching
from nutag.sites.events import site_changed
from nutag.sites.models import Article, Attachment, Column, Placement


def article_changed(sender: type[Article], instance: Article, **kwargs: Any) -> None:
    """Published, updated, withdrawn, deleted: its unit, where it is placed, above, ``/``."""
    if kwargs.get("raw"):
        caching.purge_everything()
        return
    caching.purge_article(article_id=instance.pk, unit_id=instance.unit_id)


def placement_changed(sender: type[Placement], instance: Placement, **kwargs: Any) -> None:
    """Pushed down, recommended up, accepted, removed: that unit and the article's own."""
    if kwargs.get("raw"):
        caching.purge_everything()
        return
    caching.purge_article(article_id=instance.article_id, unit_id=instance.unit_id)


def attachment_changed(sender: type[Attachment], instance: Attachment, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        caching.purge_everything()
        return
    caching.purge_article(article_id=instance.article_id)


def column_changed(sender: type[Column], instance: Column, **kwargs: Any) -> None:
    """Enabled, renamed, reordered: the unit's own pages."""
    if kwargs.get("raw"):
        caching.purge_everything()
        return
    caching.purge_units(unit_ids=[instance.unit_id], ancestors=False)


def unit_changed(sender: type[Unit], instance: Unit, **kwargs: Any) -> None:
    """Renamed, moved, closed, added: names and activity show on other units' pages."""
    caching.purge_everything()


def site_change_announced(
    sender: Any,
    *,
    unit_ids: list[int],
    article_ids: list[int] | None = None,
    slots: bool = True,
    **kwargs: Any,
) -> None:
    """``events.site_changed``, sent on commit by the write services: it also covers their
    bulk writes (``bulk_create``/``bulk_update``), which send no model signal. Sent after
    the commit, so after the model signals' bumps: the purged units' recent pages are then
    rendered again in the background (``nutag.sites.refresh``), with the pages of the
    articles changed (a new one has no reader yet). Unless the change is in sites' own
    content (``slots=False``), the extension apps' kept answers for the same units are
    forgotten too."""
    # sites' own change of these articles (published, withdrawn, pushed down, read aloud):
    # their pages and the lists; anything else (a column, another app) also what an
    # article's page shows of the units (their frame generation)
    articles_only = not slots and bool(article_ids)
    scopes = caching.purge_units(unit_ids=unit_ids, articles_only=articles_only)
    caching.purge_scopes([caching.ROOT_SCOPE], articles_only=articles_only)
    if article_ids:
        caching.purge_article_pages(article_ids)
    if slots:
        caching.purge_slot_answers(scopes | {caching.ROOT_SCOPE})
    caching.refresh_scopes_later(scopes | {caching.ROOT_SCOPE}, article_ids=article_ids or ())


RECEIVERS: list[tuple[type[Any], Any]] = [
    (Article, article_changed),
    (Placement, placement_changed),
    (Attachment, attachment_changed),
    (Column, column_changed),
    (Unit, unit_changed),
]


def connect() -> None:
    for model, receiver in RECEIVERS:
        uid = f"nutag.sites.purge.{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.delete")
    site_changed.connect(site_change_announced, dispatch_uid="nutag.sites.purge.site_changed")
