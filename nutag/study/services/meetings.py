"""三会一课 records: a branch's members' meetings, committee meetings, group meetings and
Party lessons, with who attended (present, remote, absent with a reason)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record, snapshot
from nutag.core.models import AuditAction
from nutag.core.sanitize import clean_text
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.people.models import Person
from nutag.study.models import Act, Attendance, AttendanceStatus, Meeting
from nutag.study.permissions import can_manage_study
from nutag.study.services.points import points_award
from nutag.study.tallies import meeting_tally_add

MEETING_FIELDS = ["kind", "held_on", "place", "online", "topic"]


@transaction.atomic
def meeting_record(
    *,
    acting_user: Actor,
    unit: Unit,
    kind: str,
    held_on: dt.date,
    topic: str,
    place: str = "",
    online: bool = False,
    minutes: str = "",
    attendance: Sequence[tuple[int, str, str]] = (),
) -> Meeting:
    """Record a meeting held by ``unit``'s branch. ``attendance``: ``(person id, status,
    reason)`` for people of the unit; an absence needs its reason. Attending earns points."""
    require(acting_user, can_manage_study, unit)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A meeting is recorded after it was held.")})
    meeting = Meeting(
        unit=unit,
        unit_path=unit.path,
        kind=kind,
        held_on=held_on,
        topic=clean_text(topic).strip(),
        place=clean_text(place).strip(),
        online=online,
        minutes=clean_text(minutes).strip(),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,  # type: ignore[misc]
    )
    meeting.full_clean()
    ids = [pk for pk, _status, _reason in attendance]
    if len(set(ids)) != len(ids):
        raise ValidationError({"attendance": _("Each person once.")})
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids, unit=unit)}
    if len(people) != len(ids):
        raise ValidationError({"attendance": _("Only people of this unit attend its meetings.")})
    rows = []
    for pk, status, reason in attendance:
        if status not in AttendanceStatus.values:
            raise ValidationError({"attendance": _("Unknown attendance.")})
        if status == AttendanceStatus.ABSENT and not reason.strip():
            raise ValidationError({"attendance": _("Give the reason for each absence.")})
        rows.append((pk, status, clean_text(reason).strip()[:100]))
    meeting.save()
    meeting_tally_add(meeting=meeting)  # same transaction: the figures read the tallies
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person_id=pk, status=status, reason=reason)
        for pk, status, reason in rows
    )
    for pk, status, _reason in rows:
        if status != AttendanceStatus.ABSENT:
            points_award(
                person=people[pk], act=Act.MEETING_ATTENDED, key=f"meeting:{meeting.pk}:{pk}"
            )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=meeting,
        unit=unit,
        changes={**snapshot(meeting, MEETING_FIELDS), "attendance": len(rows)},
    )
    return meeting
