"""Which courses a unit's site shows, and reading one course or lesson."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.people.models import Person
from nutag.study.models import Audience, Course, Lesson
from nutag.study.permissions import can_read_course


def ancestor_paths(unit: Unit) -> list[str]:
    """The unit's path and every ancestor's (a course made there is assigned to ``unit``)."""
    return [unit.path[:end] for end in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]


def courses_for_unit(*, unit: Unit, column: str | None = None) -> QuerySet[Course]:
    """Courses assigned to ``unit``: made at it or at any unit above it, newest first."""
    qs = Course.objects.filter(unit_path__in=ancestor_paths(unit))
    if column:
        qs = qs.filter(column=column)
    return qs


def unit_has_courses(unit: Unit) -> bool:
    return courses_for_unit(unit=unit).exists()


def _reader_path(user: AnyUser) -> str | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).values_list("unit_path", flat=True).first()


def _path_of(user: AnyUser, course: Course, reader: Person | None) -> str | None:
    """The reader's unit path, read only when the course is not public (``reader``: the
    caller's person already read, so no second query)."""
    if course.is_public:
        return None
    if reader is not None and user.is_authenticated and reader.user_id == user.pk:
        return reader.unit_path
    return _reader_path(user)


def access_course(
    *, user: AnyUser, pk: int | str, unit: Unit | None = None, reader: Person | None = None
) -> Course:
    """The course if ``user`` may read it (and, with ``unit``, if it is assigned there)."""
    course = Course.objects.select_related("unit").filter(pk=pk).first()
    if course is None or not can_read_course(
        user, course, person_path=_path_of(user, course, reader)
    ):
        raise NotFound
    if unit is not None and not unit.path.startswith(course.unit_path):
        raise NotFound
    return course


def access_lesson(
    *, user: AnyUser, pk: int | str, unit: Unit | None = None, reader: Person | None = None
) -> Lesson:
    """The lesson if ``user`` may read its course (and, with ``unit``, if it is assigned
    there). ``reader``: the user's person, when the caller has read it already."""
    lesson = Lesson.objects.select_related("course", "course__unit").filter(pk=pk).first()
    if lesson is None:
        raise NotFound
    course = lesson.course
    if not can_read_course(user, course, person_path=_path_of(user, course, reader)):
        raise NotFound
    if unit is not None and not unit.path.startswith(course.unit_path):
        raise NotFound
    return lesson


def course_lessons_count(*, course: Course) -> int:
    return Lesson.objects.filter(course=course).count()


AUDIENCE_FILTER: dict[str, Q] = {
    Audience.EVERYONE: Q(),
    Audience.PARTY: Q(party__isnull=False),
    Audience.ELDERS: Q(care__isnull=False) & ~Q(care__elder_category=""),
    Audience.YOUTH: Q(youth__isnull=False),
}


def audience_people(*, unit: Unit, audience: str, exact: bool = False) -> QuerySet[Person]:
    """The people of ``unit`` (``exact``) or its subtree in a course's audience."""
    where = Q(unit=unit) if exact else subtree_q(unit.path, field="unit_path")
    return Person.objects.filter(where & AUDIENCE_FILTER[audience])
