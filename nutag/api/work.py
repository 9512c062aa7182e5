"""Read-only JSON of the work cycle: standards, rounds, assessments, tasks and reports.

Everything needs a session login and the same rights as the workbench pages (the same
``access_*`` selectors): a unit reads its own records and those of the units below it, never
a sibling's; anything else answers 404, like a missing object.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import ErrorOut, unit_ref
from nutag.api.work_schemas import (
    AssessmentDetailOut,
    AssessmentOut,
    ReportOut,
    RoundDetailOut,
    RoundOut,
    StandardDetailOut,
    StandardOut,
    TaskDetailOut,
    TaskOut,
)
from nutag.assess.models import (
    Assessment,
    AssessmentStatus,
    Evidence,
    Round,
    Standard,
    Task,
    TaskReport,
)
from nutag.assess.selectors import rounds as round_selectors
from nutag.assess.selectors import standards as standard_selectors
from nutag.assess.selectors import tasks as task_selectors
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit

session = SessionAuth()
work = Router(tags=["work"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}


def _work_unit(request: HttpRequest, code: str) -> Unit:
    return access_unit(user=request.user, code=code, perm=Perm.VIEW_WORK)


def _evidence(items: list[Evidence]) -> list[dict[str, Any]]:
    return [
        {
            "kind": e.kind,
            "name": e.name,
            "url": e.url or (e.file.url if e.file else ""),
            "size": e.size,
        }
        for e in items
    ]


def _task(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "unit": unit_ref(task.unit),
        "title": task.title,
        "requirements": task.requirements,
        "due_on": task.due_on,
        "accepts_late": task.accepts_late,
        "status": task.status,
        "figures": [
            {"id": f.pk, "label": f.label, "measure": f.measure} for f in task.figures.all()
        ],
        "commendation_url": (
            reverse("site-article", args=[task.unit.code, task.commendation_id])
            if task.commendation_id
            else None
        ),
    }


def _report(report: TaskReport, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "id": report.pk,
        "task_id": report.task_id,
        "unit": unit_ref(report.unit),
        "status": report.status,
        "status_label": report.get_status_display(),
        "text": report.text,
        "figures": {labels.get(k, k): v for k, v in (report.figures or {}).items()},
        "submitted_at": report.submitted_at,
        "late": report.late,
        "reviewed_at": report.reviewed_at,
        "review_comment": report.review_comment,
        "commended": report.commended,
        "evidence": _evidence(list(report.evidence.all())),
    }


def _labels(task: Task) -> dict[str, str]:
    return {str(f.pk): f.label for f in task.figures.all()}


@work.get("/units/{code}/tasks", auth=session, response={200: Page[TaskOut], **READ_ERRORS})
def unit_tasks(
    request: HttpRequest,
    code: str,
    side: Literal["received", "issued"] = "received",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Tasks the unit received (it has a report to make; open ones first), or with
    ``side=issued`` the tasks it issued (newest due date first)."""
    unit = _work_unit(request, code)
    if side == "issued":
        rows = task_selectors.tasks_issued(unit=unit).select_related("unit")
    else:
        rows = task_selectors.tasks_received(unit=unit)
    return page(rows.prefetch_related("figures"), offset=offset, limit=limit, out=_task)


@work.get("/tasks/{task_id}", auth=session, response={200: TaskDetailOut, **READ_ERRORS})
def task_detail(request: HttpRequest, task_id: int) -> dict[str, Any]:
    task = task_selectors.access_task(user=request.user, pk=task_id)
    reports = task_selectors.reports_visible(user=request.user, task=task)
    board = task_selectors.task_board(task=task, reports=reports)
    return {
        **_task(task),
        "progress": {
            "reports": len(board.accepted)
            + len(board.waiting)
            + len(board.returned)
            + len(board.missing),
            "accepted": len(board.accepted),
            "waiting": len(board.waiting),
            "returned": len(board.returned),
            "missing": len(board.missing),
            "late": len(board.late),
        },
    }


@work.get("/tasks/{task_id}/reports", auth=session, response={200: Page[ReportOut], **READ_ERRORS})
def task_reports(
    request: HttpRequest,
    task_id: int,
    status: str = "",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The task's reports the caller may read: all of them on the issuer's side, otherwise
    those of the caller's own units; optionally of one status."""
    task = task_selectors.access_task(user=request.user, pk=task_id)
    labels = _labels(task)
    reports = task_selectors.reports_visible(
        user=request.user, task=task, status=status
    ).prefetch_related("evidence")
    return page(reports, offset=offset, limit=limit, out=lambda r: _report(r, labels))


@work.get("/reports/{report_id}", auth=session, response={200: ReportOut, **READ_ERRORS})
def report_detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = task_selectors.access_report(user=request.user, pk=report_id)
    return _report(report, _labels(report.task))


def _round(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "unit": unit_ref(round_.unit),
        "title": round_.title,
        "year": round_.year,
        "standard": round_.standard.name,
        "standard_kind": round_.standard.kind,
        "pass_mark": round_.pass_mark,
        "self_due": round_.self_due,
        "status": round_.status,
    }


def _assessment(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "round_id": a.round_id,
        "unit": unit_ref(a.unit),
        "status": a.status,
        "status_label": a.get_status_display(),
        "self_total": a.self_total,
        "score": a.score,
        "passed": a.passed,
        "submitted_at": a.submitted_at,
        "reviewed_at": a.reviewed_at,
        "review_comment": a.review_comment,
    }


@work.get("/units/{code}/rounds", auth=session, response={200: Page[RoundOut], **READ_ERRORS})
def unit_rounds(
    request: HttpRequest,
    code: str,
    side: Literal["taking_part", "issued"] = "taking_part",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Rounds the unit takes part in (it has an assessment), or with ``side=issued`` the
    rounds it opened; newest first."""
    unit = _work_unit(request, code)
    if side == "issued":
        rows = round_selectors.rounds_issued(unit=unit).select_related("unit")
    else:
        rows = round_selectors.rounds_for_unit(unit=unit)
    return page(rows, offset=offset, limit=limit, out=_round)


def _standard(standard: Standard) -> dict[str, Any]:
    return {
        "id": standard.pk,
        "unit": unit_ref(standard.unit),
        "kind": standard.kind,
        "name": standard.name,
        "name_mn": standard.name_mn,
        "description": standard.description,
        "pass_mark": standard.pass_mark,
        "total": getattr(standard, "total", None) or 0,
        "item_count": getattr(standard, "item_count", 0),
    }


@work.get("/units/{code}/standards", auth=session, response={200: Page[StandardOut], **READ_ERRORS})
def unit_standards(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """The standards a round opened at the unit may use: the unit's own and those of the
    units above, nearest first."""
    unit = _work_unit(request, code)
    rows = standard_selectors.standards_usable(unit=unit)
    return page(rows, offset=offset, limit=limit, out=_standard)


@work.get(
    "/standards/{standard_id}", auth=session, response={200: StandardDetailOut, **READ_ERRORS}
)
def standard_detail(request: HttpRequest, standard_id: int) -> dict[str, Any]:
    """One standard, item by item (for those who work at its unit or below it)."""
    standard = standard_selectors.access_standard(user=request.user, pk=standard_id)
    summary = standard_selectors.standard_summary(standard=standard)
    return {
        **_standard(standard),
        "total": summary.total,
        "item_count": len(summary.items),
        "items": [
            {
                "id": i.pk,
                "position": i.position,
                "title": i.title,
                "title_mn": i.title_mn,
                "guidance": i.guidance,
                "evidence": i.evidence,
                "accepts": list(i.accepts or []),
                "points": i.points,
                "auto_source": i.auto_source,
            }
            for i in summary.items
        ],
    }


@work.get("/rounds/{round_id}", auth=session, response={200: RoundDetailOut, **READ_ERRORS})
def round_detail(request: HttpRequest, round_id: int) -> dict[str, Any]:
    round_ = round_selectors.access_round(user=request.user, pk=round_id)
    visible = round_selectors.round_results(round=round_, user=request.user)
    by_status = {s.value: 0 for s in AssessmentStatus}
    passed = 0
    for status, ok in visible.values_list("status", "passed"):
        by_status[status] += 1
        passed += bool(status == AssessmentStatus.ACCEPTED and ok)
    return {
        **_round(round_),
        "progress": {
            "assessments": sum(by_status.values()),
            "by_status": by_status,
            "passed": passed,
        },
    }


@work.get(
    "/rounds/{round_id}/assessments",
    auth=session,
    response={200: Page[AssessmentOut], **READ_ERRORS},
)
def round_assessments(
    request: HttpRequest,
    round_id: int,
    status: str = "",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The round's assessments at or below the caller's units, optionally of one status."""
    round_ = round_selectors.access_round(user=request.user, pk=round_id)
    rows = round_selectors.round_results(round=round_, user=request.user, status=status)
    return page(rows, offset=offset, limit=limit, out=_assessment)


@work.get(
    "/assessments/{assessment_id}", auth=session, response={200: AssessmentDetailOut, **READ_ERRORS}
)
def assessment_detail(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    """One committee's assessment, item by item with its evidence: only for the committee
    itself and the units above it."""
    a = round_selectors.access_assessment(user=request.user, pk=assessment_id)
    items = round_selectors.assessment_items(assessment=a)
    return {
        **_assessment(a),
        "summary": a.summary,
        "items": [
            {
                "item": i.item.title,
                "points": i.item.points,
                "self_score": i.self_score,
                "note": i.note,
                "known_value": i.auto_value,
                "known_source": i.auto_note,
                "review_score": i.review_score,
                "review_comment": i.review_comment,
                "evidence": _evidence(i.shown_evidence),  # type: ignore[attr-defined]
            }
            for i in items
        ],
    }
