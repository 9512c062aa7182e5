"""Reads for live meetings, the member's own pages and the desk's people lists.

``member_meeting`` is the one way a member reaches a meeting: only a Party member of the
meeting's branch (mobile members included) sees it; anyone else gets ``NotFound``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.people.models import PartyMembership, Person
from nutag.study.models import (
    Attendance,
    CheckIn,
    Course,
    Lesson,
    LessonProgress,
    Meeting,
    QuizAttempt,
)

RECENT_DAYS = 30


def person_for(user: AnyUser) -> Person | None:
    """The logged-in user's own person record, or ``None``."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).select_related("unit").first()


def member_meeting(*, user: AnyUser, pk: int) -> tuple[Meeting, Person, Attendance | None]:
    """A live meeting of the user's own branch, the user's person and their attendance."""
    person = person_for(user)
    if person is None:
        raise NotFound
    meeting = (
        Meeting.objects.filter(
            pk=pk,
            starts_at__isnull=False,
            unit_id__in=PartyMembership.objects.filter(person=person).values("unit_id"),
        )
        .select_related("lesson", "unit")
        .first()
    )
    if meeting is None:
        raise NotFound
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first()
    return meeting, person, attendance


def member_meetings(*, person: Person, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """The live meetings of the person's branch that are upcoming, on now, or can still be
    caught up on (one query)."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            unit_id__in=PartyMembership.objects.filter(person=person).values("unit_id"),
            starts_at__isnull=False,
            ends_at__gte=now - dt.timedelta(days=RECENT_DAYS),
        )
        .select_related("lesson")
        .order_by("starts_at")
    )


@dataclasses.dataclass(frozen=True)
class LiveState:
    upcoming: bool
    open: bool
    over: bool


def live_state(meeting: Meeting, now: dt.datetime | None = None) -> LiveState:
    from nutag.study.services.live import SIGN_IN_EARLY

    now = now or timezone.now()
    if meeting.starts_at is None or meeting.ends_at is None:
        return LiveState(False, False, True)
    return LiveState(
        upcoming=now < meeting.starts_at - SIGN_IN_EARLY,
        open=meeting.starts_at - SIGN_IN_EARLY <= now <= meeting.ends_at,
        over=now > meeting.ends_at,
    )


def branch_members(*, unit: Unit, limit: int = 200) -> list[Person]:
    """The Party members of ``unit``'s branch (mobile ones included), by name."""
    return list(
        Person.objects.filter(Q(unit=unit) | Q(party__unit=unit), party__isnull=False)
        .distinct()
        .order_by("name_pinyin")[:limit]
    )


def unit_people(*, unit: Unit, limit: int = 300) -> list[Person]:
    return list(Person.objects.filter(unit=unit).order_by("name_pinyin")[:limit])


def my_course_progress(*, person: Person | None, course: Course) -> dict[int, LessonProgress]:
    if person is None:
        return {}
    return {p.lesson_id: p for p in LessonProgress.objects.filter(person=person, course=course)}


def my_lesson_state(*, person: Person | None, lesson: Lesson) -> tuple[LessonProgress | None, int]:
    """The person's progress on ``lesson`` and the quiz attempts used."""
    if person is None:
        return None, 0
    progress = LessonProgress.objects.filter(person=person, lesson=lesson).first()
    return progress, QuizAttempt.objects.filter(person=person, lesson=lesson).count()


def my_checkins(*, person: Person | None, limit: int = 12) -> list[CheckIn]:
    return list(CheckIn.objects.filter(person=person)[:limit]) if person else []


def readable_courses(*, user: AnyUser, unit: Unit) -> QuerySet[Course]:
    """The courses assigned to ``unit`` that ``user`` may read: the public ones for anyone,
    all of them for the unit's people and for officers at the unit or above (newest first)."""
    from nutag.orgs.paths import is_within
    from nutag.orgs.permissions import Perm, has_unit_perm
    from nutag.study.selectors.courses import courses_for_unit

    qs = courses_for_unit(unit=unit)
    person = person_for(user)
    if has_unit_perm(user=user, perm=Perm.VIEW_UNIT, unit=unit) or (
        person is not None and is_within(person.unit_path, unit.path)
    ):
        return qs
    return qs.filter(is_public=True)


def meetings_for(*, user: AnyUser, unit: Unit) -> QuerySet[Meeting]:
    """``unit``'s meetings for a Party member of its branch or an officer with the records
    right at it or above (``NotFound`` for anyone else), newest first."""
    from nutag.study.permissions import can_view_study_records

    if not can_view_study_records(user, unit):
        person = person_for(user)
        if person is None or not PartyMembership.objects.filter(person=person, unit=unit).exists():
            raise NotFound
    return Meeting.objects.filter(unit=unit).select_related("lesson").order_by("-held_on", "-id")


def attendance_of(*, meetings: list[Meeting]) -> dict[int, list[Attendance]]:
    """``{meeting id: attendance rows}`` for the page of meetings shown (one query); call only
    for a reader allowed to see attendance (``can_view_study_records``)."""
    rows: dict[int, list[Attendance]] = {m.pk: [] for m in meetings}
    for a in Attendance.objects.filter(meeting__in=meetings).select_related("person"):
        rows[a.meeting_id].append(a)
    return rows
