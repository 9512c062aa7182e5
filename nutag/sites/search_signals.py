"""Keeps the search index in step with articles and their placements (CONVENTIONS allow
signals for search indexing). Nothing here changes business state: each receiver only
schedules the article to be re-read and indexed once the transaction commits
(``nutag.sites.search.schedule_index``), so a transaction that saves an article and pushes
it to a hundred units segments its text once.

A ``QuerySet.update()`` or ``bulk_create()`` sends no signal: code that publishes,
withdraws or loads articles that way calls ``schedule_index`` or ``index_article_ids``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nutag.sites.models import Article, Placement
from nutag.sites.search import INDEXED_MODEL_FIELDS, schedule_index


@receiver(post_save, sender=Article, dispatch_uid="nutag.sites.search.article_saved")
def article_saved(
    sender: type[Article],
    instance: Article,
    update_fields: frozenset[str] | None = None,
    using: str = "default",
    **kwargs: Any,
) -> None:
    # A save of other fields only (a read count, a cover variant) leaves the index as it is.
    if update_fields is not None and not (set(update_fields) & INDEXED_MODEL_FIELDS):
        return
    schedule_index(instance.pk, using=using)


@receiver(post_delete, sender=Article, dispatch_uid="nutag.sites.search.article_deleted")
def article_deleted(
    sender: type[Article], instance: Article, using: str = "default", **kwargs: Any
) -> None:
    schedule_index(instance.pk, using=using)  # found missing on commit: removed


@receiver(post_save, sender=Placement, dispatch_uid="nutag.sites.search.placement_saved")
@receiver(post_delete, sender=Placement, dispatch_uid="nutag.sites.search.placement_deleted")
def placement_changed(
    sender: type[Placement], instance: Placement, using: str = "default", **kwargs: Any
) -> None:
    # Scoping reads the placements at query time; this only makes sure an article that
    # became visible through a placement is indexed as it now is.
    schedule_index(instance.article_id, using=using)
