"""Rounds, assessments, tasks and reports for the stats tests, written straight to the tables.

The stats app only reads these tables; the workflow that fills them is tested in
``nutag/assess``. Building rows directly keeps these tests about the figures.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nutag.assess.models import (
    Assessment,
    AssessmentStatus,
    AssessmentSubtreeTally,
    ReportStatus,
    ReportSubtreeTally,
    Round,
    RoundStatus,
    Standard,
    StandardKind,
    Task,
    TaskReport,
)
from nutag.assess.tallies import five_good_tally_refresh, round_tally_build, task_tally_build
from nutag.orgs.models import Unit
from nutag.orgs.tallies import own_counts_changing


def standard(*, unit: Unit, kind: str = StandardKind.FIVE_GOOD, name: str = "") -> Standard:
    return Standard.objects.create(
        unit=unit, kind=kind, name=name or f"{kind}-{unit.code}", pass_mark=60
    )


def assessment_round(
    *, unit: Unit, year: int, std: Standard | None = None, title: str = ""
) -> Round:
    std = std or Standard.objects.filter(unit=unit, kind=StandardKind.FIVE_GOOD).first()
    if std is None:
        std = standard(unit=unit)
    rnd = Round.objects.create(
        unit=unit,
        standard=std,
        year=year,
        title=title or f"{year} {std.name}",
        self_due=dt.date(year, 11, 30),
        status=RoundStatus.FINISHED,
        pass_mark=std.pass_mark,
    )
    round_tally_build(rnd)  # as ``round_open`` does (its issuer's row, the "built" mark)
    return rnd


def assess(
    rnd: Round,
    unit: Unit,
    *,
    status: str = AssessmentStatus.ACCEPTED,
    passed: bool | None = None,
) -> Assessment:
    if status == AssessmentStatus.ACCEPTED and passed is None:
        passed = True
    # written directly, not through the services: the round's subtree tally follows, and the
    # unit's five-good tally is recounted, as ``assessment_review`` does
    with own_counts_changing({unit.pk: unit.path}, model=AssessmentSubtreeTally):
        assessment = Assessment.objects.create(
            round=rnd,
            unit=unit,
            status=status,
            score=(80 if passed else 40) if status == AssessmentStatus.ACCEPTED else None,
            passed=passed if status == AssessmentStatus.ACCEPTED else None,
        )
    five_good_tally_refresh(unit_ids=[unit.pk])
    return assessment


def task(*, unit: Unit, due_on: dt.date, title: str = "") -> Task:
    t = Task.objects.create(
        unit=unit, title=title or f"任务 {due_on}", requirements="按要求上报", due_on=due_on
    )
    task_tally_build(t)  # as ``task_issue`` does (its issuer's row, the "built" mark)
    return t


def report(t: Task, unit: Unit, *, status: str = ReportStatus.PENDING, late: bool = False) -> None:
    submitted = status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    with own_counts_changing({unit.pk: unit.path}, model=ReportSubtreeTally):  # as the services
        TaskReport.objects.create(
            task=t,
            unit=unit,
            status=status,
            late=late,
            submitted_at=timezone.now() if submitted else None,
        )
