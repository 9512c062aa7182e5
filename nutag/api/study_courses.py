"""Study through the API: a unit's courses, a course with its lessons, a unit's 三会一课
meetings, recording or scheduling a meeting, and signing in to a live one.

The same selectors, services and rights as the pages: a course out of reach, a unit's
meetings for someone neither a Party member of the branch nor above it in the tree, a meeting
of another branch are 404; attendance is shown only to those with the records right at the
unit or above it. Lists are paged with ``nutag.api.pagination``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import ErrorOut, Moment, ValidationErrorOut, one_of, text
from nutag.orgs.selectors import get_unit_by_code
from nutag.study import selectors, services
from nutag.study.models import (
    Attendance,
    AttendanceStatus,
    Course,
    Lesson,
    Meeting,
    MeetingKind,
)
from nutag.study.permissions import can_view_study_records
from nutag.study.selectors import live

session = SessionAuth()
study_courses = Router(tags=["study"])

ERRORS: dict[int, Any] = {400: ValidationErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class CourseOut(Schema):
    id: int
    title: str
    summary: str
    audience: str
    column: str
    is_public: bool
    deadline: dt.date | None
    unit: str


class LessonOut(Schema):
    id: int
    position: int
    title: str
    body: str
    audio_url: str
    video_url: str
    minutes: int
    questions: int
    pass_mark: int


class CourseDetailOut(CourseOut):
    lessons: list[LessonOut]


class AttendanceOut(Schema):
    person_id: int
    name: str
    status: str
    via: str
    reason: str


class MeetingOut(Schema):
    id: int
    kind: str
    held_on: dt.date
    topic: str
    place: str
    online: bool
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    lesson_id: int | None
    attendance: list[AttendanceOut] | None = None


# Field types as the services check them (schemathesis holds the schema to it).
MeetingTopic = Annotated[str, text(200, required=True)]
MeetingPlace = Annotated[str, text(100)]
AbsenceReason = Annotated[str, text(100)]


class AttendanceIn(Schema):
    person_id: int
    status: Annotated[str, one_of(AttendanceStatus.values)]
    reason: AbsenceReason = ""  # required for an absence


class MeetingIn(Schema):
    """A meeting held (``held_on``, with its attendance and minutes) or a live one scheduled
    (``starts_at`` and ``ends_at``, optionally the ``lesson_id`` it teaches)."""

    kind: Annotated[str, one_of(MeetingKind.values)]
    topic: MeetingTopic
    place: MeetingPlace = ""
    online: bool = False
    held_on: dt.date | None = None
    minutes: str = ""
    attendance: list[AttendanceIn] = []
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    lesson_id: int | None = None


class SignInIn(Schema):
    token: str = ""
    catch_up: bool = False


class SignInOut(Schema):
    meeting_id: int
    status: str
    via: str


def _course_out(course: Course) -> dict[str, Any]:
    return {
        "id": course.pk,
        "title": course.title,
        "summary": course.summary,
        "audience": course.audience,
        "column": course.column,
        "is_public": course.is_public,
        "deadline": course.deadline,
        "unit": course.unit.code,
    }


def _lesson_out(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "position": lesson.position,
        "title": lesson.title,
        "body": lesson.body,
        "audio_url": lesson.audio_url,
        "video_url": lesson.video_url,
        "minutes": lesson.minutes,
        "questions": len(lesson.quiz),
        "pass_mark": lesson.pass_mark,
    }


def _attendance_out(a: Attendance) -> dict[str, Any]:
    return {
        "person_id": a.person_id,
        "name": a.person.name,
        "status": a.status,
        "via": a.via,
        "reason": a.reason,
    }


def _meeting_out(m: Meeting, attendance: list[Attendance] | None = None) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": m.kind,
        "held_on": m.held_on,
        "topic": m.topic,
        "place": m.place,
        "online": m.online,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "lesson_id": m.lesson_id,
        "attendance": (
            [_attendance_out(a) for a in attendance] if attendance is not None else None
        ),
    }


@study_courses.get("/units/{code}/courses", auth=session, response={200: Page[CourseOut], **ERRORS})
def unit_courses(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """The courses assigned to the unit that the caller may read, newest first."""
    unit = get_unit_by_code(code=code)
    rows = live.readable_courses(user=request.user, unit=unit).select_related("unit")
    return page(rows, offset=offset, limit=limit, out=_course_out)


@study_courses.get("/courses/{course_id}", auth=session, response={200: CourseDetailOut, **ERRORS})
def course_detail(request: HttpRequest, course_id: int) -> dict[str, Any]:
    course = selectors.access_course(user=request.user, pk=course_id)
    return {**_course_out(course), "lessons": [_lesson_out(x) for x in course.lessons.all()]}


@study_courses.get(
    "/units/{code}/meetings", auth=session, response={200: Page[MeetingOut], **ERRORS}
)
def unit_meetings(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """The unit's meetings, newest first; attendance only for those above it in the tree."""
    unit = get_unit_by_code(code=code)
    result = page(live.meetings_for(user=request.user, unit=unit), offset=offset, limit=limit)
    meetings: list[Meeting] = result["items"]
    if can_view_study_records(request.user, unit):
        rows = live.attendance_of(meetings=meetings)
        result["items"] = [_meeting_out(m, rows[m.pk]) for m in meetings]
    else:
        result["items"] = [_meeting_out(m) for m in meetings]
    return result


@study_courses.post("/units/{code}/meetings", auth=session, response={201: MeetingOut, **ERRORS})
def meeting_create(request: HttpRequest, code: str, payload: MeetingIn) -> Any:
    """Record a meeting held, or (with ``starts_at`` and ``ends_at``) schedule a live one."""
    unit = get_unit_by_code(code=code)
    if payload.starts_at is not None or payload.ends_at is not None:
        if payload.starts_at is None or payload.ends_at is None:
            raise ValidationError({"ends_at": _("Give both the start and the end.")})
        lesson = None
        if payload.lesson_id is not None:
            lesson = selectors.access_lesson(user=request.user, pk=payload.lesson_id, unit=unit)
        meeting = services.meeting_schedule(
            acting_user=request.user,
            unit=unit,
            kind=payload.kind,
            topic=payload.topic,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            place=payload.place,
            online=payload.online,
            lesson=lesson,
        )
        return Status(201, _meeting_out(meeting, []))
    if payload.held_on is None:
        raise ValidationError({"held_on": _("Give the date it was held, or its start and end.")})
    meeting = services.meeting_record(
        acting_user=request.user,
        unit=unit,
        kind=payload.kind,
        held_on=payload.held_on,
        topic=payload.topic,
        place=payload.place,
        online=payload.online,
        minutes=payload.minutes,
        attendance=[(a.person_id, a.status, a.reason) for a in payload.attendance],
    )
    rows = list(live.attendance_of(meetings=[meeting])[meeting.pk])
    return Status(201, _meeting_out(meeting, rows))


@study_courses.post(
    "/meetings/{meeting_id}/sign-in", auth=session, response={200: SignInOut, **ERRORS}
)
def meeting_sign_in(request: HttpRequest, meeting_id: int, payload: SignInIn) -> dict[str, Any]:
    """Sign in to a live meeting of one's branch (in its window; with the room's ``token``:
    present), or with ``catch_up`` after it ended. Signing in again changes nothing."""
    meeting, _person, _attendance = live.member_meeting(user=request.user, pk=meeting_id)
    if payload.catch_up:
        a = services.meeting_catch_up(acting_user=request.user, meeting=meeting)
    else:
        a = services.meeting_sign_in(
            acting_user=request.user, meeting=meeting, qr_token=payload.token
        )
    return {"meeting_id": meeting.pk, "status": a.status, "via": a.via}
