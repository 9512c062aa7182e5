"""The public part of youth care on a unit's site: the care column (关心下一代) shows the
newest photos of the unit's activities that may be shown (``photo_is_public``: every young
person in them consented, or they show nobody). The same photos for every anonymous reader;
a photo added or a sign-up taken back purges the column's cached pages
(``sites.events.announce_site_change``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from nutag.orgs.models import Unit
from nutag.sites.extensions import register_column_page
from nutag.youth.selectors.activities import public_photos
from nutag.youth.services.activities import CARE_COLUMN


def render_care_photos(request: HttpRequest, unit: Unit, column: object) -> str:
    photos = public_photos(unit=unit)
    if not photos:
        return ""
    return render_to_string(
        "youth/_column_photos.html", {"photos": photos, "unit": unit}, request=request
    )


def register() -> None:
    register_column_page(CARE_COLUMN, render_care_photos)
