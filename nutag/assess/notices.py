"""Who is told of the work cycle's events, and the reminders job.

Called by the assess services inside their transaction (the notifications are written with
the event; their sending waits for the commit), and by the periodic job ``send_reminders``
(never by a page view).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.urls import reverse
from django.utils import timezone

from nutag.assess.models import (
    Assessment,
    AssessmentStatus,
    ReportStatus,
    Round,
    RoundStatus,
    Task,
    TaskReport,
    TaskStatus,
)
from nutag.core.actors import SYSTEM, Actor
from nutag.notify.models import Kind
from nutag.notify.services import notify_units
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm


def _actor(user: object) -> Actor:
    return user if user is not None else SYSTEM  # type: ignore[return-value]


def task_issued(acting_user: object, task: Task, units: Sequence[Unit]) -> None:
    """Each target unit's officers and secretaries: a task from above."""
    reports = dict(TaskReport.objects.filter(task=task).values_list("unit_id", "pk"))
    notify_units(
        acting_user=_actor(acting_user),
        kind=Kind.TASK_ISSUED,
        units=units,
        perm=Perm.REPORT_TASKS,
        params={"from": task.unit.name, "title": task.title, "due": task.due_on.isoformat()},
        event_key=f"task-issued:{task.pk}",
        link=lambda unit_id: (
            reverse("desk-report", args=[reports[unit_id]]) if unit_id in reports else ""
        ),
    )


def report_returned(acting_user: object, report: TaskReport) -> None:
    notify_units(
        acting_user=_actor(acting_user),
        kind=Kind.REPORT_RETURNED,
        units=[report.unit],
        perm=Perm.REPORT_TASKS,
        params={"title": report.task.title, "comment": report.review_comment},
        event_key=f"report-returned:{report.pk}:{report.version}",
        link=reverse("desk-report", args=[report.pk]),
    )


def assessment_submitted(acting_user: object, assessment: Assessment) -> None:
    """The reviewers: those holding the review right at the unit above."""
    parent = Unit.objects.get_parent(assessment.unit)
    if parent is None:
        return
    notify_units(
        acting_user=_actor(acting_user),
        kind=Kind.ASSESSMENT_SUBMITTED,
        units=[parent],
        perm=Perm.REVIEW,
        params={"unit": assessment.unit.name, "round": assessment.round.title},
        event_key=f"assessment-submitted:{assessment.pk}:{assessment.version}",
        link=reverse("desk-assessment", args=[assessment.pk]),
    )


def send_reminders(*, today: dt.date | None = None) -> int:
    """Tasks due tomorrow and overdue, self-assessments due within three days, each told
    once (the event key holds the report or assessment and the due date)."""
    today = today or timezone.localdate()
    told = 0
    open_reports = TaskReport.objects.filter(
        task__status=TaskStatus.OPEN,
        status__in=[ReportStatus.PENDING, ReportStatus.RETURNED],
    ).select_related("task", "unit")
    for report in open_reports.filter(task__due_on=today + dt.timedelta(days=1)).iterator():
        told += notify_units(
            acting_user=SYSTEM,
            kind=Kind.TASK_DUE_SOON,
            units=[report.unit],
            perm=Perm.REPORT_TASKS,
            params={"title": report.task.title, "due": report.task.due_on.isoformat()},
            event_key=f"task-due:{report.pk}:{report.task.due_on.isoformat()}",
            link=reverse("desk-report", args=[report.pk]),
        )
    for report in open_reports.filter(task__due_on__lt=today).iterator():
        told += notify_units(
            acting_user=SYSTEM,
            kind=Kind.TASK_OVERDUE,
            units=[report.unit],
            perm=Perm.REPORT_TASKS,
            params={"title": report.task.title, "due": report.task.due_on.isoformat()},
            event_key=f"task-overdue:{report.pk}:{report.task.due_on.isoformat()}",
            link=reverse("desk-report", args=[report.pk]),
        )
    soon = Assessment.objects.filter(
        round__status=RoundStatus.OPEN,
        status__in=[AssessmentStatus.DRAFT, AssessmentStatus.RETURNED],
        round__self_due__gte=today,
        round__self_due__lte=today + dt.timedelta(days=3),
    ).select_related("round", "unit")
    for assessment in soon.iterator():
        round_: Round = assessment.round
        told += notify_units(
            acting_user=SYSTEM,
            kind=Kind.ASSESSMENT_DUE_SOON,
            units=[assessment.unit],
            perm=Perm.SELF_ASSESS,
            params={"round": round_.title, "due": round_.self_due.isoformat()},
            event_key=f"assessment-due:{assessment.pk}:{round_.self_due.isoformat()}",
            link=reverse("desk-assessment", args=[assessment.pk]),
        )
    return told
