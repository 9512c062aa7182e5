"""Shared pieces of the sites services: field lists, workflow states, inputs, rights, locking,
file bookkeeping."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from nutag.sites.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Placement,
)

ARTICLE_FIELDS = [
    "kind", "column", "title", "summary", "title_mn", "summary_mn", "pinned", "publish_at",
    "status",
]  # fmt: skip
COLUMN_FIELDS = ["title", "title_mn", "enabled"]
# What a writer may still change; submitted and published articles are frozen (a published
# one is withdrawn first, then edited and published again).
EDITABLE = frozenset({ArticleStatus.DRAFT, ArticleStatus.RETURNED, ArticleStatus.WITHDRAWN})
PUBLISHABLE = frozenset(
    {
        ArticleStatus.DRAFT,
        ArticleStatus.SUBMITTED,
        ArticleStatus.RETURNED,
        ArticleStatus.WITHDRAWN,
    }
)


@dataclasses.dataclass
class ArticleInput:
    """Everything a form, the API or the demo can say about an article's text."""

    title: str
    kind: str = ArticleKind.ARTICLE
    column_key: str = ""
    summary: str = ""
    body: str = ""
    title_mn: str = ""
    summary_mn: str = ""
    body_mn: str = ""
    pinned: bool = False
    publish_at: dt.datetime | None = None


@dataclasses.dataclass
class ArticleFiles:
    """Uploads that come with a save. Each is checked again here (the form checked first)."""

    cover: Any = None
    remove_cover: bool = False
    photos: Sequence[Any] = ()
    audio: Any = None
    remove_audio: bool = False
    attachments: Sequence[Any] = ()


def _locked(article: Article) -> Article:
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("unit", "column")
        .get(pk=article.pk)
    )


def _shown_on(article: Article) -> list[int]:
    return list(
        Placement.objects.filter(article=article, accepted=True).values_list("unit_id", flat=True)
    )
