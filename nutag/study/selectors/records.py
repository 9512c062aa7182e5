"""A branch's study and meetings, points rankings, a person's own record.

Per-person records (who studied, attendance, quiz results) are read only by those with the
people right at the unit or above it (``permissions.can_view_study_records``): the views check
it before calling these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.people.models import PartyMembership, Person
from nutag.study.models import (
    RHYTHM,
    Attendance,
    CheckIn,
    Course,
    Lesson,
    LessonProgress,
    Meeting,
    MeetingKind,
    PointEntry,
    PointRule,
    QuizAttempt,
)
from nutag.study.selectors.courses import audience_people, course_lessons_count


def completed_counts(*, course: Course, people: QuerySet[Person]) -> dict[int, int]:
    """``{person id: lessons of course completed}`` for ``people``."""
    rows = (
        LessonProgress.objects.filter(course=course, person__in=people, completed_at__isnull=False)
        .values("person")
        .annotate(n=Count("id"))
        .values_list("person", "n")
    )
    return dict(rows)


@dataclasses.dataclass(frozen=True)
class BranchStudy:
    course: Course
    lessons: int
    audience: int
    completed: int
    started: int
    not_started: list[Person]

    @property
    def rate(self) -> float:
        return round(self.completed / self.audience, 3) if self.audience else 0.0


def branch_study(*, unit: Unit, course: Course) -> BranchStudy:
    """How the people of ``unit`` (exactly) in the course's audience are doing: three queries."""
    people = audience_people(unit=unit, audience=course.audience, exact=True)
    lessons = course_lessons_count(course=course)
    started_rows = (
        LessonProgress.objects.filter(course=course, person__in=people)
        .values("person")
        .annotate(n=Count("completed_at"))
        .values_list("person", "n")
    )
    started = dict(started_rows)
    everyone = list(people.only("pk", "name").order_by("name_pinyin"))
    return BranchStudy(
        course=course,
        lessons=lessons,
        audience=len(everyone),
        completed=sum(1 for n in started.values() if lessons and n >= lessons),
        started=len(started),
        not_started=[p for p in everyone if p.pk not in started],
    )


@dataclasses.dataclass(frozen=True)
class RhythmRow:
    kind: str
    label: str
    held: int
    required: int  # in the whole year
    expected: int  # by today
    behind: int


@dataclasses.dataclass(frozen=True)
class MeetingRhythm:
    year: int
    rows: list[RhythmRow]

    @property
    def behind(self) -> int:
        return sum(r.behind for r in self.rows)


def expected_by(*, kind: str, year: int, today: dt.date) -> int:
    """Meetings of ``kind`` due by ``today``: one per *completed* period of the year."""
    months = RHYTHM[kind]
    if today.year > year:
        done_months = 12
    elif today.year < year:
        done_months = 0
    else:
        done_months = today.month - 1
    return done_months // months


def rhythm_rows(*, counts: dict[str, int], year: int, today: dt.date) -> list[RhythmRow]:
    rows = []
    for kind in MeetingKind:
        expected = expected_by(kind=kind, year=year, today=today)
        held = counts.get(kind, 0)
        rows.append(
            RhythmRow(
                kind=kind,
                label=str(kind.label),
                held=held,
                required=12 // RHYTHM[kind],
                expected=expected,
                behind=max(0, expected - held),
            )
        )
    return rows


def meeting_rhythm(*, unit: Unit, year: int, today: dt.date) -> MeetingRhythm:
    """``unit``'s own 三会一课 in ``year`` against the rhythm (members' meeting and Party
    lesson quarterly, committee and group monthly): one query."""
    counts = dict(
        Meeting.objects.filter(unit=unit, held_on__year=year, held_on__lte=today)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return MeetingRhythm(year=year, rows=rhythm_rows(counts=counts, year=year, today=today))


def meetings_held(
    *, unit_ids: list[int], year: int, within: Unit | None = None
) -> list[tuple[int, int]]:
    """``[(unit id, meetings held in year)]`` for the assessment autofill: one query."""
    qs = Meeting.objects.filter(held_on__year=year, held_on__lte=timezone.localdate())
    qs = (
        qs.filter(subtree_q(within.path, field="unit_path"))
        if within
        else qs.filter(unit_id__in=unit_ids)
    )
    return list(qs.values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n").order_by())


def unit_meeting(*, unit: Unit, pk: int) -> Meeting:
    """One meeting of ``unit``'s branch; ``NotFound`` for another unit's or a missing one."""
    meeting = Meeting.objects.filter(unit=unit, pk=pk).first()
    if meeting is None:
        raise NotFound
    return meeting


def unit_meetings(*, unit: Unit, limit: int = 50) -> QuerySet[Meeting]:
    return Meeting.objects.filter(unit=unit).annotate(present=Count("attendance"))[:limit]


def assigned_lessons(*, unit: Unit, limit: int = 100) -> list[Lesson]:
    """Lessons of the courses assigned to ``unit`` (a live Party lesson may teach one)."""
    from nutag.study.selectors.courses import ancestor_paths

    return list(
        Lesson.objects.filter(course__unit_path__in=ancestor_paths(unit))
        .select_related("course")
        .order_by("-course__created_at", "position")[:limit]
    )


def point_rules(*, unit: Unit) -> list[PointRule]:
    return list(PointRule.objects.filter(unit=unit))


def meeting_attendance(*, meeting: Meeting) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting=meeting).select_related("person")


def points_ranking(*, unit: Unit, year: int, limit: int = 20) -> list[tuple[Person, int]]:
    """The people of ``unit``'s subtree with the most points in ``year``: two queries."""
    rows = list(
        PointEntry.objects.filter(subtree_q(unit.path, field="unit_path"), day__year=year)
        .values("person")
        .annotate(total=Sum("points"))
        .order_by("-total", "person")[:limit]
    )
    people = Person.objects.in_bulk([r["person"] for r in rows])
    return [(people[r["person"]], r["total"]) for r in rows if r["person"] in people]


def points_ledger(*, person: Person, limit: int | None = 200) -> QuerySet[PointEntry]:
    """How ``person`` earned each point, newest first (all of them with ``limit=None``)."""
    rows = PointEntry.objects.filter(person=person)
    return rows if limit is None else rows[:limit]


@dataclasses.dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    what: str
    title: str
    detail: str


def person_timeline(*, person: Person, limit: int = 100) -> list[TimelineItem]:
    """A person's study record as a timeline: lessons opened and completed, quizzes."""
    from django.utils.translation import gettext as _

    items: list[TimelineItem] = []
    progress = LessonProgress.objects.filter(person=person).select_related("lesson", "course")
    for p in progress.order_by("-last_seen_at")[:limit]:
        if p.completed_at:
            what = _("Taken home") if p.via == "home" else _("Completed")
            items.append(TimelineItem(p.completed_at, what, p.lesson.title, p.course.title))
        items.append(TimelineItem(p.opened_at, _("Opened"), p.lesson.title, p.course.title))
    attempts = QuizAttempt.objects.filter(person=person).select_related("lesson")[:limit]
    for a in attempts:
        what = _("Quiz passed") if a.passed else _("Quiz not passed")
        items.append(TimelineItem(a.submitted_at, what, a.lesson.title, f"{a.score}%"))
    items.sort(key=lambda i: i.at, reverse=True)
    return items[:limit]


@dataclasses.dataclass(frozen=True)
class MobileMember:
    person: Person
    location: str
    last: CheckIn | None

    @property
    def checked_in_this_month(self) -> bool:
        from django.utils import timezone

        return self.last is not None and self.last.month == timezone.localdate().replace(day=1)


def mobile_members(*, unit: Unit) -> list[MobileMember]:
    """The mobile members of ``unit``'s branch with their last check-in: two queries."""
    members = list(
        PartyMembership.objects.filter(unit=unit, is_mobile=True)
        .select_related("person")
        .order_by("person__name_pinyin")
    )
    last: dict[int, CheckIn] = {}
    for c in CheckIn.objects.filter(person__in=[m.person_id for m in members]).order_by("month"):
        last[c.person_id] = c
    return [MobileMember(m.person, m.current_location, last.get(m.person_id)) for m in members]
