"""Reads for the writing desk: a unit's articles by stage, column choices, recommendations."""

from __future__ import annotations

import dataclasses

from django.db.models import QuerySet

from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.permissions import AnyUser
from nutag.sites.columns import DEFAULT_COLUMNS
from nutag.sites.models import Article, ArticleStatus, Column, Placement, PlacementVia
from nutag.sites.permissions import can_decide_recommendation
from nutag.sites.selectors.public import site_columns
from nutag.sites.services import EDITABLE, PUBLISHABLE, units_below

PUBLISHED_SHOWN = 30


@dataclasses.dataclass
class DeskArticles:
    drafts: list[Article]
    waiting: list[Article]
    returned: list[Article]
    published: list[Article]
    recommended_to_us: list[Placement]


def desk_articles(*, unit: Unit, include_recommendations: bool) -> DeskArticles:
    """The unit's own articles by stage (newest first) and, for its secretary, the articles
    units below recommend to it and that wait for a decision."""
    rows = list(
        Article.objects.filter(unit=unit)
        .exclude(status=ArticleStatus.PUBLISHED)
        .select_related("column")
        .order_by("-updated_at", "-id")
    )
    published = list(
        Article.objects.filter(unit=unit, status=ArticleStatus.PUBLISHED)
        .select_related("column")
        .order_by("-published_at", "-id")[:PUBLISHED_SHOWN]
    )
    recommended: list[Placement] = []
    if include_recommendations:
        recommended = list(
            Placement.objects.filter(unit=unit, via=PlacementVia.RECOMMENDED, accepted=False)
            .select_related("article", "article__unit")
            .order_by("-created_at", "-id")
        )
    return DeskArticles(
        drafts=[a for a in rows if a.status in {ArticleStatus.DRAFT, ArticleStatus.WITHDRAWN}],
        waiting=[a for a in rows if a.status == ArticleStatus.SUBMITTED],
        returned=[a for a in rows if a.status == ArticleStatus.RETURNED],
        published=published,
        recommended_to_us=recommended,
    )


def column_choices(*, unit: Unit, current_key: str = "") -> list[tuple[str, str]]:
    """``(key, title)`` of the unit's shown columns (and the article's current one), in site
    order; columns inside a group are marked with a dash."""
    columns = site_columns(unit=unit)
    parents = {c.key: c.parent for c in DEFAULT_COLUMNS}
    saved = any(c.pk for c in columns)
    by_pk = {c.pk: c for c in columns}

    def parent_key(c: Column) -> str:
        if saved:
            parent = by_pk.get(c.parent_id) if c.parent_id else None
            return parent.key if parent else ""
        return parents.get(c.key, "")

    tops = [c for c in columns if not parent_key(c)]
    choices: list[tuple[str, str]] = []
    for top in tops:
        group = [top] + [c for c in columns if parent_key(c) == top.key]
        for c in group:
            if c.enabled or c.key == current_key:
                choices.append((c.key, ("— " if c is not top else "") + c.title))
    return choices


def desk_columns(*, unit: Unit) -> list[tuple[Column, bool]]:
    """The unit's columns in site order, each with whether it sits inside a group."""
    columns = site_columns(unit=unit)
    parents = {c.key: c.parent for c in DEFAULT_COLUMNS}
    saved = any(c.pk for c in columns)
    if not saved:
        return [(c, bool(parents.get(c.key))) for c in columns]
    tops = [c for c in columns if c.parent_id is None]
    ordered: list[tuple[Column, bool]] = []
    for top in tops:
        ordered.append((top, False))
        ordered += [(c, True) for c in columns if c.parent_id == top.pk]
    return ordered


def push_targets(*, article: Article) -> QuerySet[Unit]:
    return units_below(unit=article.unit)


def article_pushed_to(*, article: Article) -> list[Placement]:
    return list(
        Placement.objects.filter(article=article)
        .exclude(unit_id=article.unit_id)
        .select_related("unit")
        .order_by("unit__path")
    )


def access_recommendation(*, user: AnyUser, pk: int | str) -> Placement:
    """A recommendation waiting at a unit where ``user`` may publish; 404 otherwise."""
    try:
        placement = Placement.objects.select_related("unit", "article", "article__unit").get(
            pk=int(pk), via=PlacementVia.RECOMMENDED
        )
    except (Placement.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound from exc
    if not can_decide_recommendation(user, placement):
        raise NotFound
    return placement


def is_editable(article: Article) -> bool:
    return article.status in EDITABLE


def is_publishable(article: Article) -> bool:
    return article.status in PUBLISHABLE
