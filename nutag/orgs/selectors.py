"""Reads of the unit tree, for a user or a unit."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Case, QuerySet, Value, When
from django.utils.translation import gettext as _

from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.orgs.models import (
    BRANCH_COMMITTEE_TITLES,
    Position,
    PositionTitle,
    Unit,
)
from nutag.orgs.paths import minimal_paths, subtree_q
from nutag.orgs.permissions import AnyUser, Perm, granted_paths, has_unit_perm, is_platform_admin


def get_unit_by_code(*, code: str) -> Unit:
    try:
        return Unit.objects.get(code=code)
    except Unit.DoesNotExist as exc:
        raise NotFound from exc


def access_unit(*, user: AnyUser, code: str, perm: Perm = Perm.VIEW_UNIT) -> Unit:
    """The unit if ``user`` holds ``perm`` there; 404 for a missing unit and for one not theirs."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not has_unit_perm(user=user, perm=perm, unit=unit):
        raise NotFound
    return unit


def access_position(*, user: AnyUser, pk: int | str) -> Position:
    try:
        position = Position.objects.select_related("unit", "person").get(pk=int(pk))
    except (Position.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not has_unit_perm(user=user, perm=Perm.MANAGE_POSITIONS, unit=position.unit):
        raise NotFound
    return position


def my_units(*, user: AnyUser) -> list[Unit]:
    """The top units of the user's reach (each position's unit, nested ones dropped)."""
    if is_platform_admin(user):
        return list(Unit.objects.get_root_nodes())
    paths = minimal_paths(granted_paths(user=user, perm=Perm.VIEW_UNIT))
    return list(Unit.objects.filter(path__in=paths).order_by("path"))


def unit_children(*, unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")


def unit_ancestors(*, unit: Unit) -> list[Unit]:
    paths = [unit.path[: i * Unit.steplen] for i in range(1, unit.depth)]
    return list(Unit.objects.filter(path__in=paths).order_by("depth"))


def current_positions(*, unit: Unit) -> QuerySet[Position]:
    """The posts held now, in the order of the titles' list (secretary first)."""
    rank = Case(
        *(When(title=title, then=Value(i)) for i, title in enumerate(PositionTitle.values)),
        default=Value(len(PositionTitle.values)),
    )
    return (
        Position.objects.filter(unit=unit, ended_on__isnull=True)
        .select_related("person")
        .order_by(rank, "id")
    )


def unit_history(*, user: AnyUser, unit: Unit, limit: int = 200) -> QuerySet[AuditEntry]:
    """Who changed what in ``unit``'s subtree, newest first (secretaries only)."""
    if not has_unit_perm(user=user, perm=Perm.VIEW_HISTORY, unit=unit):
        raise NotFound
    return (
        AuditEntry.objects.filter(subtree_q(unit.path, "unit_path"))
        .select_related("actor", "unit")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclasses.dataclass
class SeedModelResult:
    """Does the unit follow the seed model of "branch + committee"?

    The care-committee chair is the branch secretary, and the executive vice-chair is a
    retired member who also sits on the branch committee.
    """

    unit: Unit
    problems: list[str]

    @property
    def follows(self) -> bool:
        return not self.problems


def seed_model_check(*, root: Unit) -> list[SeedModelResult]:
    """Check every active unit in ``root``'s subtree; two queries whatever the size."""
    units = list(Unit.objects.filter(subtree_q(root.path), status="active").order_by("path"))
    positions = (
        Position.objects.filter(subtree_q(root.path, "unit__path"), ended_on__isnull=True)
        .select_related("person", "person__care")
        .values(
            "unit_id", "title", "person_id", "person__is_retired", "person__care__elder_category"
        )
    )
    by_unit: dict[int, list[dict[str, Any]]] = {}
    for row in positions:
        by_unit.setdefault(int(row["unit_id"]), []).append(dict(row))
    results = []
    for unit in units:
        rows = by_unit.get(unit.pk, [])
        holders: dict[str, list[dict[str, Any]]] = {}
        branch_people = set()
        for held in rows:
            holders.setdefault(held["title"], []).append(held)
            if held["title"] in BRANCH_COMMITTEE_TITLES:
                branch_people.add(held["person_id"])
        problems = []
        secretary = holders.get(PositionTitle.BRANCH_SECRETARY, [])
        chair = holders.get(PositionTitle.CHAIR, [])
        vice = holders.get(PositionTitle.EXEC_VICE_CHAIR, [])
        if not secretary:
            problems.append(_("The Party branch has no secretary."))
        if not chair:
            problems.append(_("The care committee has no chair."))
        elif secretary and chair[0]["person_id"] != secretary[0]["person_id"]:
            problems.append(_("The committee chair is not the branch secretary."))
        if not vice:
            problems.append(_("The care committee has no executive vice-chair."))
        else:
            v = vice[0]
            if not (v["person__is_retired"] or v["person__care__elder_category"]):
                problems.append(_("The executive vice-chair is not a retired member."))
            if v["person_id"] not in branch_people:
                problems.append(_("The executive vice-chair does not sit on the branch committee."))
        results.append(SeedModelResult(unit=unit, problems=problems))
    return results
