"""Reads of standards: which a unit may use, and one standard for a user."""

from __future__ import annotations

import dataclasses

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum

from nutag.assess.models import Round, Standard, StandardItem
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import is_within
from nutag.orgs.permissions import AnyUser, Perm, granted_paths, is_platform_admin


def ancestor_paths(unit: Unit) -> list[str]:
    """The paths of ``unit`` and of every unit above it."""
    return [unit.path[: i * Unit.steplen] for i in range(1, unit.depth + 1)]


def standards_usable(*, unit: Unit) -> QuerySet[Standard]:
    """Standards a round opened at ``unit`` may use: those of the unit and of units above,
    nearest first, each with ``total`` points, ``item_count`` and ``used`` (by a round)."""
    return (
        Standard.objects.filter(unit__path__in=ancestor_paths(unit))
        .select_related("unit")
        .annotate(
            total=Sum("items__points"),
            item_count=Count("items"),
            used=Exists(Round.objects.filter(standard=OuterRef("pk"))),
        )
        .order_by("-unit__depth", "id")
    )


def _related(path: str, grants: list[str]) -> bool:
    """``path`` lies under a grant, or a grant lies under ``path``."""
    return any(is_within(path, g) or is_within(g, path) for g in grants)


def can_see_standard(*, user: AnyUser, standard: Standard) -> bool:
    """Anyone with ``VIEW_WORK`` at the standard's unit or below (where it is usable)."""
    if is_platform_admin(user):
        return True
    return _related(standard.unit.path, granted_paths(user=user, perm=Perm.VIEW_WORK))


def access_standard(*, user: AnyUser, pk: int | str) -> Standard:
    """The standard if ``user`` may read it; ``NotFound`` for missing and for not theirs."""
    try:
        standard = Standard.objects.select_related("unit").get(pk=int(pk))
    except (Standard.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not can_see_standard(user=user, standard=standard):
        raise NotFound
    return standard


def access_standard_item(*, user: AnyUser, pk: int | str) -> StandardItem:
    try:
        item = StandardItem.objects.select_related("standard", "standard__unit").get(pk=int(pk))
    except (StandardItem.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not can_see_standard(user=user, standard=item.standard):
        raise NotFound
    return item


@dataclasses.dataclass
class StandardSummary:
    standard: Standard
    items: list[StandardItem]
    total: int
    used: bool

    @property
    def pass_mark_too_high(self) -> bool:
        return self.standard.pass_mark > self.total


def standard_summary(*, standard: Standard) -> StandardSummary:
    items = list(standard.items.order_by("position", "id"))
    return StandardSummary(
        standard=standard,
        items=items,
        total=sum(i.points for i in items),
        used=Round.objects.filter(standard=standard).exists(),
    )
