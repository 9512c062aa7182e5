"""The public part of tourism on a unit's site: the tourism column (旅游推介) lists the few
first places of the unit and below, and links to the unit's tourism page with the map. The
same list for every anonymous reader; a place added or changed purges the unit's cached
pages (``sites.events.announce_site_change`` in the services)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.sites.extensions import register_column_page
from nutag.tourism.models import Place
from nutag.tourism.selectors import places_of_subtree

TOURISM_COLUMN = "tourism"  # sites.columns
SHOWN = 8


def render_places(request: HttpRequest, unit: Unit, column: object) -> str:
    places = list(places_of_subtree(unit=unit)[:SHOWN])
    if not places:
        return ""
    return render_to_string(
        "tourism/_column.html", {"places": places, "unit": unit}, request=request
    )


def unit_has_places(unit: Unit) -> bool:
    return Place.objects.filter(subtree_q(unit.path, "unit_path"), listed=True).exists()


def register() -> None:
    register_column_page(TOURISM_COLUMN, render_places, has_content=unit_has_places)
