"""The public part of grid governance on a unit's site: the governance column (社会治理)
shows the unit's grids, their areas and grid workers (with the phone each worker chose to
show). Incidents are never shown there: they name the parties. The same for every
anonymous reader; a grid's change purges the cached pages (``sites.events``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from nutag.grid.models import Grid
from nutag.grid.selectors import public_grids
from nutag.orgs.models import Unit
from nutag.sites.extensions import register_column_page

GOVERNANCE_COLUMN = "governance"


def render_grids(request: HttpRequest, unit: Unit, column: object) -> str:
    grids = public_grids(unit=unit)
    if not grids:
        return ""
    return render_to_string("grid/_column_grids.html", {"grids": grids}, request=request)


def unit_has_grids(unit: Unit) -> bool:
    return Grid.objects.filter(unit=unit, is_active=True).exists()


def register() -> None:
    register_column_page(GOVERNANCE_COLUMN, render_grids, has_content=unit_has_grids)
