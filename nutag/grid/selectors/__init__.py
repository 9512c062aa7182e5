"""Reads of grids and incidents, always for a user or a unit."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.grid.models import Grid, Incident, IncidentState, Mediation
from nutag.grid.permissions import can_handle_incident, can_handle_incidents, can_work_grid
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q

__all__ = [
    "access_grid",
    "access_incident",
    "grids_of_unit",
    "incident_mediations",
    "incidents_of_grid",
    "incidents_of_unit",
    "public_grids",
]


def _id(pk: object) -> int:
    try:
        value = int(pk)  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise NotFound from exc
    if not 0 < value < 2**63:
        raise NotFound
    return value


def access_grid(*, user: AnyUser, pk: object) -> Grid:
    """The grid if ``user`` works it (its unit's handlers, its grid worker); else NotFound."""
    grid = Grid.objects.select_related("unit", "worker").filter(pk=_id(pk)).first()
    if grid is None or not can_work_grid(user, grid):
        raise NotFound
    return grid


def access_incident(*, user: AnyUser, pk: object) -> Incident:
    incident = (
        Incident.objects.select_related("grid", "grid__unit", "grid__worker", "unit", "concern")
        .filter(pk=_id(pk))
        .first()
    )
    if incident is None or not can_handle_incident(user, incident):
        raise NotFound
    return incident


def grids_of_unit(*, user: AnyUser, unit: Unit) -> QuerySet[Grid]:
    """The grids of ``unit`` and below, for those who handle incidents there."""
    if not can_handle_incidents(user, unit):
        raise NotFound
    return Grid.objects.filter(subtree_q(unit.path, "unit_path")).select_related("unit", "worker")


def incidents_of_unit(
    *,
    user: AnyUser,
    unit: Unit,
    state: str = "",
    kind: str = "",
    grid: int | None = None,
    follow_up_due: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Incident]:
    """The incidents of ``unit`` and below, filtered, for those who handle them there."""
    if not can_handle_incidents(user, unit):
        raise NotFound
    rows = Incident.objects.filter(subtree_q(unit.path, "unit_path")).select_related("grid", "unit")
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    if grid:
        rows = rows.filter(grid_id=grid)
    if follow_up_due:
        rows = rows.filter(
            state=IncidentState.RESOLVED,
            follow_up_on__lte=today or timezone.localdate(),
            followed_up_on__isnull=True,
        )
    return rows


def incidents_of_grid(*, user: AnyUser, grid: Grid) -> QuerySet[Incident]:
    if not can_work_grid(user, grid):
        raise NotFound
    return Incident.objects.filter(grid=grid).select_related("unit")


def incident_mediations(*, incident: Incident) -> list[Mediation]:
    return list(incident.mediations.all())


def public_grids(*, unit: Unit) -> list[Grid]:
    """The unit's own grids in use, for its site: names, areas, workers' names, the phone the
    worker chose to show. Nothing of the incidents."""
    return list(
        Grid.objects.filter(unit=unit, is_active=True)
        .select_related("worker")
        .only("name", "area", "public_phone", "worker__name")[:30]
    )
