"""Reads of the unit sites: what a visitor sees, what an officer may open."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from nutag.orgs.models import Unit
from nutag.orgs.permissions import AnyUser, Perm, has_unit_perm
from nutag.sites.columns import DEFAULT_COLUMNS
from nutag.sites.models import Article, ArticleKind, ArticleStatus, Column


def site_columns(*, unit: Unit) -> list[Column]:
    """The unit's columns in order; the seed's defaults (unsaved) until the unit edits them."""
    saved = list(Column.objects.filter(unit=unit).order_by("position", "id"))
    if saved:
        return saved
    return [
        Column(unit=unit, key=c.key, title=str(c.title), position=i, enabled=True)
        for i, c in enumerate(DEFAULT_COLUMNS)
    ]


def published_q() -> Q:
    """Published, and due: scheduled articles appear once their time has come."""
    now = timezone.now()
    return Q(status=ArticleStatus.PUBLISHED) & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))


def site_articles(
    *, unit: Unit, kind: str | None = None, column_key: str | None = None
) -> QuerySet[Article]:
    """Published articles shown on ``unit``'s site: its own, those pushed down to it, and
    those recommended to it and accepted. Pinned first, newest first."""
    qs = Article.objects.filter(
        published_q(), placements__unit=unit, placements__accepted=True
    ).select_related("unit", "column")
    if kind:
        qs = qs.filter(kind=kind)
    if column_key:
        qs = qs.filter(column__key=column_key)
    return qs.order_by("-pinned", "-published_at", "-id").distinct()


def site_notices(*, unit: Unit) -> QuerySet[Article]:
    return site_articles(unit=unit, kind=ArticleKind.NOTICE)


def access_public_article(*, unit: Unit, pk: int | str) -> Article:
    """A published article shown on ``unit``'s site, else 404 (drafts never leak)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    article = site_articles(unit=unit).filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def access_article(*, user: AnyUser, pk: int | str, perm: Perm = Perm.WRITE_ARTICLES) -> Article:
    """An article of a unit where ``user`` holds ``perm``; 404 for missing and not yours."""
    try:
        article = Article.objects.select_related("unit", "column").get(pk=int(pk))
    except (Article.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc
    if not has_unit_perm(user=user, perm=perm, unit=article.unit):
        raise Http404
    return article
