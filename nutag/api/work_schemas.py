"""Schemas of the work endpoints: assessment rounds, assessments, tasks and reports."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from nutag.api.schemas import UnitRef


class EvidenceOut(Schema):
    kind: str
    name: str
    url: str  # the file's address, or the linked record's path
    size: int


class FigureOut(Schema):
    id: int
    label: str
    measure: str


class TaskOut(Schema):
    id: int
    unit: UnitRef  # the issuer
    title: str
    requirements: str
    due_on: dt.date
    accepts_late: bool
    status: str
    figures: list[FigureOut]
    commendation_url: str | None


class TaskProgressOut(Schema):
    reports: int
    accepted: int
    waiting: int
    returned: int
    missing: int
    late: int


class TaskDetailOut(TaskOut):
    progress: TaskProgressOut  # over the reports the caller may read


class ReportOut(Schema):
    id: int
    task_id: int
    unit: UnitRef
    status: str
    status_label: str
    text: str
    figures: dict[str, int | None]  # figure label → value
    submitted_at: dt.datetime | None
    late: bool
    reviewed_at: dt.datetime | None
    review_comment: str
    commended: bool
    evidence: list[EvidenceOut]


class RoundOut(Schema):
    id: int
    unit: UnitRef  # the issuer
    title: str
    year: int
    standard: str
    standard_kind: str
    pass_mark: int
    self_due: dt.date
    status: str


class RoundProgressOut(Schema):
    assessments: int  # over the assessments the caller may read
    by_status: dict[str, int]
    passed: int


class RoundDetailOut(RoundOut):
    progress: RoundProgressOut


class AssessmentOut(Schema):
    id: int
    round_id: int
    unit: UnitRef
    status: str
    status_label: str
    self_total: int
    score: int | None
    passed: bool | None
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    review_comment: str


class AssessmentItemOut(Schema):
    item: str
    points: int
    self_score: int | None
    note: str
    known_value: int | None
    known_source: str
    review_score: int | None
    review_comment: str
    evidence: list[EvidenceOut]


class AssessmentDetailOut(AssessmentOut):
    summary: str
    items: list[AssessmentItemOut]


class StandardOut(Schema):
    id: int
    unit: UnitRef  # the unit that set it; usable there and below
    kind: str
    name: str
    name_mn: str
    description: str
    pass_mark: int
    total: int  # the points of all its items
    item_count: int


class StandardItemOut(Schema):
    id: int
    position: int
    title: str
    title_mn: str
    guidance: str
    evidence: str
    accepts: list[str]
    points: int
    auto_source: str


class StandardDetailOut(StandardOut):
    items: list[StandardItemOut]
