"""Disclosures on a unit's site: the public affairs column (党务村务公开) lists the unit's
signed-off disclosures, newest first, each in its latest signed-off version. The same list
for every reader; a sign-off purges the column's cached pages
(``sites.events.announce_site_change``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from nutag.disclosure.selectors import public_disclosures
from nutag.orgs.models import Unit
from nutag.sites.extensions import register_column_page

COLUMN = "public_affairs"
SHOWN = 12  # the newest; the column page keeps to its budget


def render_disclosures(request: HttpRequest, unit: Unit, column: object) -> str:
    disclosures = list(public_disclosures(unit=unit)[:SHOWN])
    if not disclosures:
        return ""
    return render_to_string(
        "disclosure/_column.html", {"disclosures": disclosures, "unit": unit}, request=request
    )


def has_disclosures(unit: Unit) -> bool:
    return public_disclosures(unit=unit).exists()


def register() -> None:
    register_column_page(COLUMN, render_disclosures, has_content=has_disclosures)
