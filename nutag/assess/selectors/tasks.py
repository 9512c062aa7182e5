"""Reads of tasks and their reports, for a user or a unit.

Who sees what: a task is seen by whoever holds ``VIEW_WORK`` at the issuing unit (all its
reports), and by whoever holds it at a unit with a report (only the reports inside their own
reach: a village sees its own report, a township the reports of its villages). A report is
seen with ``VIEW_WORK`` at its unit or above; a sibling never sees it. ``access_*`` raise
``NotFound`` for a missing object and for one out of reach alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Q,
    QuerySet,
)
from django.utils import timezone

from nutag.assess.models import (
    Evidence,
    ReportStatus,
    Task,
    TaskFigure,
    TaskReport,
)
from nutag.assess.permissions import can_view_work
from nutag.assess.services.tasks import deadline_of, is_overdue, local_today
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtrees_q
from nutag.orgs.permissions import AnyUser, Perm, granted_paths, has_unit_perm

__all__ = [
    "ReportRow",
    "ReportTable",
    "TaskBoard",
    "access_report",
    "access_task",
    "can_see_all_reports",
    "deadline_of",
    "is_overdue",
    "report_evidence",
    "report_rows",
    "reports_visible",
    "task_board",
    "tasks_issued",
    "tasks_received",
]


def _as_pk(pk: Any) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound from exc


def can_see_all_reports(*, user: AnyUser, task: Task) -> bool:
    """The issuer's side: ``VIEW_WORK`` at the issuing unit (or above it)."""
    return can_view_work(user, task.unit)


def reports_visible(*, user: AnyUser, task: Task, status: str = "") -> QuerySet[TaskReport]:
    """The task's reports ``user`` may read, in tree order, with their units (only those of
    ``status`` when given)."""
    reports = TaskReport.objects.filter(task=task).select_related("unit").order_by("unit__path")
    if status:
        reports = reports.filter(status=status)
    if can_see_all_reports(user=user, task=task):
        return reports
    paths = granted_paths(user=user, perm=Perm.VIEW_WORK)
    if not paths:
        return reports.none()
    return reports.filter(subtrees_q(paths, "unit__path"))


def access_task(*, user: AnyUser, pk: Any) -> Task:
    """A task ``user`` may read: ``VIEW_WORK`` at the issuer, or at a unit it went to."""
    task = (
        Task.objects.select_related("unit", "issued_by", "commendation")
        .filter(pk=_as_pk(pk))
        .first()
    )
    if task is None:
        raise NotFound
    if can_see_all_reports(user=user, task=task):
        return task
    if reports_visible(user=user, task=task).exists():
        return task
    raise NotFound


def access_report(*, user: AnyUser, pk: Any, perm: Perm = Perm.VIEW_WORK) -> TaskReport:
    """A report ``user`` may read: ``perm`` at the report's unit or above it (the issuer is
    always above). Never a sibling's."""
    report = (
        TaskReport.objects.select_related("task", "task__unit", "unit", "reviewed_by")
        .filter(pk=_as_pk(pk))
        .first()
    )
    if report is None or not has_unit_perm(user=user, perm=perm, unit=report.unit):
        raise NotFound
    return report


def tasks_issued(*, unit: Unit) -> QuerySet[Task]:
    """Tasks ``unit`` issued, newest due date first, with counts of their reports by status
    (``n_reports``, ``n_accepted``, ``n_waiting``, ``n_returned``, ``n_pending``, ``n_late``)."""
    return (
        Task.objects.filter(unit=unit)
        .annotate(
            n_reports=Count("reports"),
            n_accepted=Count("reports", filter=Q(reports__status=ReportStatus.ACCEPTED)),
            n_waiting=Count("reports", filter=Q(reports__status=ReportStatus.SUBMITTED)),
            n_returned=Count("reports", filter=Q(reports__status=ReportStatus.RETURNED)),
            n_pending=Count("reports", filter=Q(reports__status=ReportStatus.PENDING)),
            n_late=Count("reports", filter=Q(reports__late=True)),
        )
        .order_by("-due_on", "-id")
    )


def tasks_received(*, unit: Unit) -> QuerySet[Task]:
    """Tasks with a report for ``unit``, with that report's ``report_id``,
    ``report_status`` and ``report_late``; open ones first, soonest due first."""
    return (
        Task.objects.annotate(mine=FilteredRelation("reports", condition=Q(reports__unit=unit)))
        .filter(mine__isnull=False)
        .select_related("unit")
        .annotate(
            report_id=F("mine__id"),
            report_status=F("mine__status"),
            report_late=F("mine__late"),
        )
        .order_by("-status", "due_on", "id")  # "open" > "closed": open tasks first
    )


def report_evidence(*, report: TaskReport) -> QuerySet[Evidence]:
    return Evidence.objects.filter(report=report).order_by("id")


# --- the board ------------------------------------------------------------------------------


@dataclasses.dataclass
class TaskBoard:
    """A task's reports grouped for the issuer (统一检查验收): who lags comes first."""

    task: Task
    overdue: bool
    days_left: int
    late: list[TaskReport]  # submitted after the due date (any status since)
    missing: list[TaskReport]  # not submitted yet (pending)
    returned: list[TaskReport]  # sent back, not submitted again
    waiting: list[TaskReport]  # waiting for inspection
    accepted: list[TaskReport]

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.returned) + len(self.waiting) + len(self.accepted)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "accepted": len(self.accepted),
            "waiting": len(self.waiting),
            "returned": len(self.returned),
            "missing": len(self.missing),
            "late": len(self.late),
            "reported": len(self.accepted) + len(self.waiting),
        }

    def percent(self, key: str) -> int:
        """A share of all reports, as a whole percentage (for the progress bar)."""
        return round(100 * self.counts[key] / self.total) if self.total else 0

    @property
    def accepted_percent(self) -> int:
        return self.percent("accepted")

    @property
    def waiting_percent(self) -> int:
        return self.percent("waiting")

    @property
    def returned_percent(self) -> int:
        return self.percent("returned")


def task_board(*, task: Task, reports: QuerySet[TaskReport] | None = None) -> TaskBoard:
    """The board of ``task`` over ``reports`` (all of its reports by default). One query."""
    rows = list(
        (reports if reports is not None else TaskReport.objects.filter(task=task))
        .select_related("unit")
        .order_by("unit__path")
    )
    by: dict[str, list[TaskReport]] = {s: [] for s in ReportStatus.values}
    for r in rows:
        by[r.status].append(r)
    now = timezone.now()
    return TaskBoard(
        task=task,
        overdue=is_overdue(task, now=now),
        days_left=(task.due_on - local_today()).days,
        late=[r for r in rows if r.late],
        missing=by[ReportStatus.PENDING],
        returned=by[ReportStatus.RETURNED],
        waiting=by[ReportStatus.SUBMITTED],
        accepted=by[ReportStatus.ACCEPTED],
    )


# --- the table (list and export) ------------------------------------------------------------


@dataclasses.dataclass
class ReportRow:
    report: TaskReport
    unit: Unit
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    late: bool
    values: list[int | None]


@dataclasses.dataclass
class ReportTable:
    figures: list[TaskFigure]
    rows: list[ReportRow]
    totals_reported: list[int]  # over reports waiting for inspection or accepted
    totals_accepted: list[int]  # over accepted reports only


def report_rows(*, task: Task, reports: QuerySet[TaskReport] | None = None) -> ReportTable:
    """One row per report (unit, status, submitted at, late, each figure) and the figure
    totals. Two queries, however many reports."""
    figures = list(TaskFigure.objects.filter(task=task).order_by("position", "id"))
    qs = reports if reports is not None else TaskReport.objects.filter(task=task)
    rows: list[ReportRow] = []
    reported = [0] * len(figures)
    accepted = [0] * len(figures)
    labels = dict(ReportStatus.choices)
    for r in qs.select_related("unit").order_by("unit__path"):
        stored = r.figures or {}
        values: list[int | None] = []
        for i, f in enumerate(figures):
            raw = stored.get(str(f.pk))
            value = int(raw) if isinstance(raw, int) else None
            values.append(value)
            if value is not None and r.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
                reported[i] += value
                if r.status == ReportStatus.ACCEPTED:
                    accepted[i] += value
        rows.append(
            ReportRow(
                report=r,
                unit=r.unit,
                status=r.status,
                status_label=str(labels.get(r.status, r.status)),
                submitted_at=r.submitted_at,
                late=r.late,
                values=values,
            )
        )
    return ReportTable(
        figures=figures, rows=rows, totals_reported=reported, totals_accepted=accepted
    )
