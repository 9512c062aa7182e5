"""Study through the API: a lesson's progress and quiz, the caller's own points.

Session login only, the same selectors and services as the pages: the same 404 for a lesson
out of reach, the same refusals (400), the same dedup by the client's id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import ErrorOut, ValidationErrorOut
from nutag.study import selectors, services

session = SessionAuth()
study = Router(tags=["study"])


class ProgressIn(Schema):
    id: str
    seconds: int = 0
    end: bool = False


class ProgressOut(Schema):
    seconds: int
    reached_end: bool
    quiz_passed: bool
    completed: bool


class QuizIn(Schema):
    id: str
    answers: list[list[int]]


class QuizOut(Schema):
    score: int
    passed: bool
    late: bool


class PointOut(Schema):
    act: str
    points: int
    day: dt.date
    note: str


@study.post(
    "/lessons/{lesson_id}/progress",
    auth=session,
    response={
        200: ProgressOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
    },
)
def lesson_progress(request: HttpRequest, lesson_id: int, data: ProgressIn) -> dict[str, Any]:
    lesson = selectors.access_lesson(user=request.user, pk=lesson_id)
    p = services.progress_record(
        acting_user=request.user,
        lesson=lesson,
        client_id=data.id,
        seconds=data.seconds,
        reached_end=data.end,
    )
    return {
        "seconds": p.seconds,
        "reached_end": p.reached_end,
        "quiz_passed": p.quiz_passed,
        "completed": p.completed_at is not None,
    }


@study.post(
    "/lessons/{lesson_id}/quiz",
    auth=session,
    response={200: QuizOut, 400: ValidationErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def lesson_quiz(request: HttpRequest, lesson_id: int, data: QuizIn) -> dict[str, Any]:
    lesson = selectors.access_lesson(user=request.user, pk=lesson_id)
    attempt = services.quiz_submit(
        acting_user=request.user, lesson=lesson, client_id=data.id, answers=data.answers
    )
    return {"score": attempt.score, "passed": attempt.passed, "late": attempt.late}


@study.get("/me/points", auth=session, response={200: Page[PointOut], 401: ErrorOut, 404: ErrorOut})
def my_points(request: HttpRequest, offset: int = 0, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    from nutag.study.services._common import person_of

    person = person_of(request.user)
    return page(
        selectors.points_ledger(person=person, limit=None),
        offset=offset,
        limit=limit,
        out=lambda e: {"act": e.act, "points": e.points, "day": e.day, "note": e.note},
    )


def study_stats(*, unit: Any) -> dict[str, Any]:
    """The ``study`` and ``meetings`` keys of ``GET /api/v1/units/{code}/stats``."""
    from django.utils import timezone

    figures = selectors.study_figures(unit=unit, today=timezone.localdate())
    return {"study": figures.study(), "meetings": figures.meetings()}
