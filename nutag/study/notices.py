"""Who is told of study events. Called by the study services inside their transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.notify.models import Kind
from nutag.notify.services import notify_people, notify_units
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import Perm
from nutag.study.models import Course


def _due(course: Course) -> str:
    return course.deadline.isoformat() if course.deadline else _("no deadline")


def course_assigned(*, acting_user: Actor, course: Course) -> None:
    """The study officers of every active unit below the course's unit."""
    units = list(
        Unit.objects.filter(subtree_q(course.unit_path), status=UnitStatus.ACTIVE).exclude(
            pk=course.unit_id
        )
    )
    codes = {u.pk: u.code for u in units}
    notify_units(
        acting_user=acting_user,
        kind=Kind.COURSE_ASSIGNED,
        units=units,
        perm=Perm.MANAGE_STUDY,
        params={"from": course.unit.name, "title": course.title, "due": _due(course)},
        event_key=f"course-assigned:{course.pk}",
        link=lambda unit_id: reverse("study-desk-course", args=[codes[unit_id], course.pk]),
    )


def study_reminder(
    *, acting_user: Actor, course: Course, unit: Unit, person_ids: Sequence[int], day: dt.date
) -> int:
    """The people of a branch who have not finished a course (once a day)."""
    if not person_ids:
        return 0
    return notify_people(
        acting_user=acting_user,
        kind=Kind.STUDY_REMINDER,
        person_ids=person_ids,
        params={"title": course.title, "due": _due(course)},
        event_key=f"study-remind:{course.pk}:{unit.pk}:{day.isoformat()}",
        link=reverse("study-course", args=[unit.code, course.pk]),
    )
