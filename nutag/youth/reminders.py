"""Visit reminders: a pair not visited for the time its banner set is reminded once.

A periodic job (``NUTAG_PERIODIC_JOBS["youth-visits"]``, hourly; cheap when nothing is due).
Each pair is reminded once per silence: ``Pairing.reminded_on`` is set, and a new visit
clears it. The notice names no child: it links to the elder's own list of pairs.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.notify.models import Kind
from nutag.notify.services import notify_people
from nutag.orgs.models import Unit
from nutag.youth.models import Pairing, RecordStatus, YouthPolicy

DEFAULT_DAYS = 30


def send_visit_reminders(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    days_by_root = dict(YouthPolicy.objects.values_list("unit__path", "visit_every_days"))
    due = (
        Pairing.objects.filter(
            ended_on__isnull=True, reminded_on__isnull=True, record__status=RecordStatus.ACTIVE
        )
        .annotate(last=Coalesce(Max("visits__visited_on"), "started_on"))
        .filter(last__lte=today - dt.timedelta(days=min([DEFAULT_DAYS, *days_by_root.values()])))
        .values_list("pk", "unit_path", "last")
    )
    sent = 0
    for pk, path, last in due:
        days = days_by_root.get(path[: Unit.steplen], DEFAULT_DAYS)
        if last > today - dt.timedelta(days=days):
            continue
        with transaction.atomic():
            if not Pairing.objects.filter(pk=pk, reminded_on__isnull=True).update(
                reminded_on=today
            ):
                continue
            elders = list(
                Pairing.elders.through.objects.filter(pairing_id=pk).values_list(
                    "person_id", flat=True
                )
            )
            notify_people(
                acting_user=SYSTEM,
                kind=Kind.YOUTH_VISIT_DUE,
                person_ids=elders,
                params={"days": days},
                event_key=f"youth-visit:{pk}:{today.isoformat()}",
                link=reverse("youth-mine"),
            )
        sent += 1
    return sent


def archive_adults() -> int:
    """The coming-of-age job: archive the records of those who reached the banner's age."""
    from nutag.youth.services import records_archive_adults

    return records_archive_adults(acting_user=SYSTEM)


def delete_expired() -> int:
    """The retention job: delete archived records kept past their banner's years (``SYSTEM``)."""
    from nutag.youth.services import records_delete_expired

    return records_delete_expired(acting_user=SYSTEM)
