"""Study test data around the shared cast."""

from __future__ import annotations

from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory, UserFactory
from nutag.orgs.models import Unit
from nutag.people.models import PartyMembership, Person
from nutag.study import services
from nutag.study.models import Course, Lesson

QUIZ = [
    {"q": "一加一", "choices": ["一", "二"], "answer": [1]},
    {"q": "选出偶数", "choices": ["二", "三", "四"], "answer": [0, 2]},
]


def member(unit: Unit, name: str, username: str | None = None) -> Person:
    user = UserFactory(username=username) if username else None
    person = PersonFactory(unit=unit, name=name, user=user)
    PartyMembership.objects.create(person=person, unit=unit, unit_path=unit.path)
    return person


def course_with_lessons(
    unit: Unit, *, quiz: bool = True, is_public: bool = False, deadline: object = None
) -> tuple[Course, Lesson, Lesson]:
    course = services.course_create(
        acting_user=SYSTEM,
        unit=unit,
        title="主题教育",
        is_public=is_public,
        deadline=deadline,  # type: ignore[arg-type]
    )
    first = services.lesson_add(
        acting_user=SYSTEM, course=course, title="第一课", body="正文", minutes=5
    )
    second = services.lesson_add(
        acting_user=SYSTEM,
        course=course,
        title="第二课",
        body="正文",
        minutes=5,
        quiz=QUIZ if quiz else None,
    )
    return course, first, second
