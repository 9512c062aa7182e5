"""Who may do what with grids and incidents (rows ``manage_grids`` and ``handle_incident``
of docs/permissions.md).

- Grids (create, edit, assign the worker): the unit's secretaries and those above them
  (``CHANGE_UNIT``: a grid is a division of the unit, like its names and bodies).
- Incidents (log, mediate, resolve, refer up, close, follow up; read them): those who handle
  residents' concerns at the incident's unit or above (``HANDLE_CONCERNS``: officers and
  secretaries), and the grid worker of the incident's grid, through their own login.
- Incidents are never public (the parties are named); only counts are.
"""

from __future__ import annotations

from nutag.core.actors import AnyUser
from nutag.grid.models import Grid, Incident
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_unit_perm


def can_manage_grids(user: AnyUser, unit: Unit) -> bool:
    return has_unit_perm(user=user, perm=Perm.CHANGE_UNIT, unit=unit)


def can_handle_incidents(user: AnyUser, unit: Unit) -> bool:
    """List, log and handle the incidents of ``unit`` and below."""
    return has_unit_perm(user=user, perm=Perm.HANDLE_CONCERNS, unit=unit)


def is_grid_worker(user: AnyUser, grid: Grid) -> bool:
    if not user.is_authenticated or grid.worker_id is None:
        return False
    from nutag.people.models import Person

    return Person.objects.filter(pk=grid.worker_id, user_id=user.pk).exists()


def can_work_grid(user: AnyUser, grid: Grid) -> bool:
    """Log and handle incidents in ``grid``: its unit's handlers or its own grid worker."""
    return can_handle_incidents(user, grid.unit) or is_grid_worker(user, grid)


def can_handle_incident(user: AnyUser, incident: Incident) -> bool:
    return can_work_grid(user, incident.grid)
