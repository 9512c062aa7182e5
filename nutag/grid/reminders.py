"""Follow-up reminders: a resolved incident whose follow-up date has come is reminded once
to its grid worker (``NUTAG_PERIODIC_JOBS["grid-follow-ups"]``, hourly; cheap when nothing
is due). ``Incident.reminded_on`` marks it; the notice names no party."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.grid.models import Incident, IncidentState
from nutag.notify.models import Kind
from nutag.notify.services import notify_people


def send_follow_up_reminders(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    due = Incident.objects.filter(
        state=IncidentState.RESOLVED,
        follow_up_on__lte=today,
        followed_up_on__isnull=True,
        reminded_on__isnull=True,
        grid__worker__isnull=False,
    ).values_list("pk", "grid__worker_id", "grid__name", "follow_up_on")
    sent = 0
    for pk, worker_id, grid_name, due_on in due:
        with transaction.atomic():
            if not Incident.objects.filter(pk=pk, reminded_on__isnull=True).update(
                reminded_on=today
            ):
                continue
            notify_people(
                acting_user=SYSTEM,
                kind=Kind.GRID_FOLLOW_UP_DUE,
                person_ids=[worker_id],
                params={"grid": grid_name, "due": due_on.isoformat() if due_on else ""},
                event_key=f"grid-follow-up:{pk}",
                link=reverse("grid-incident", args=[pk]),
            )
        sent += 1
    return sent
