"""The public board of concerns in the unit site's 社会治理 (governance) column.

Anonymous pages are cached: the board shows the same to every anonymous reader (public
concerns only, with no name, person or location), and the services announce a change of a
public concern so the cached pages are purged. Two queries: the newest answered public
concerns, and the counts answered / answered within the limit.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.http import HttpRequest
from django.template.loader import render_to_string

from nutag.orgs.models import Unit
from nutag.voice.models import Concern
from nutag.voice.permissions import can_raise_concern
from nutag.voice.selectors import board


def board_counts(*, unit: Unit) -> dict[str, int]:
    return Concern.objects.filter(origin=unit, answered_at__isnull=False).aggregate(
        answered=Count("id"),
        in_time=Count("id", filter=Q(answered_at__lte=F("limit_at"))),
    )


def render_board(request: HttpRequest, unit: Unit, column: object) -> str:
    return render_to_string(
        "voice/_board.html",
        {
            "unit": unit,
            "concerns": board(unit=unit),
            "counts": board_counts(unit=unit),
            # the button only for those the form takes (its residents, its officers): any
            # other login was sent to "not found"; anonymous readers never ask (cached page)
            "may_raise": request.user.is_authenticated and can_raise_concern(request.user, unit),
        },
        request=request,
    )


def board_has_content(unit: Unit) -> bool:
    return Concern.objects.filter(origin=unit, is_public=True).exists()
