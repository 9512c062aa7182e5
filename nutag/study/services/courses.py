"""Courses and lessons, made at a unit and assigned to it and every unit below it (the
banner assigns a thematic-education course to every branch); reminders to the people who
have not finished."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core import media
from nutag.core.actors import Actor
from nutag.core.audit import audit_record, snapshot
from nutag.core.models import AuditAction
from nutag.core.sanitize import clean_text
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import require
from nutag.sites.events import announce_site_change
from nutag.study import notices
from nutag.study.models import Audience, Course, CourseColumn, Lesson
from nutag.study.permissions import can_manage_study
from nutag.study.selectors.courses import audience_people, course_lessons_count
from nutag.study.selectors.records import completed_counts
from nutag.study.services.files import store_lesson_files

COURSE_FIELDS = ["title", "audience", "column", "is_public", "deadline"]
MAX_QUESTIONS = 10


@transaction.atomic
def course_create(
    *,
    acting_user: Actor,
    unit: Unit,
    title: str,
    summary: str = "",
    audience: str = Audience.PARTY,
    column: str = CourseColumn.ONLINE_STUDY,
    is_public: bool = True,
    deadline: dt.date | None = None,
) -> Course:
    """Make a course at ``unit``: it is assigned to ``unit`` and every unit below it, and the
    study officers there are told."""
    require(acting_user, can_manage_study, unit)
    course = Course(
        unit=unit,
        unit_path=unit.path,
        title=clean_text(title).strip(),
        summary=clean_text(summary).strip(),
        audience=audience,
        column=column,
        is_public=is_public,
        deadline=deadline,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,  # type: ignore[misc]
    )
    course.full_clean()
    course.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=course,
        unit=unit,
        changes=snapshot(course, COURSE_FIELDS),
    )
    notices.course_assigned(acting_user=acting_user, course=course)
    announce_site_change(
        unit_ids=Unit.objects.filter(subtree_q(unit.path)).values_list("pk", flat=True)
    )
    return course


def clean_quiz(quiz: Any) -> list[dict[str, Any]]:
    """A quiz as stored: ``[{"q", "choices", "answer"}]``; anything else is refused."""
    if not quiz:
        return []
    message = _("Each question needs its text, two to six choices and at least one right answer.")
    if not isinstance(quiz, list) or len(quiz) > MAX_QUESTIONS:
        raise ValidationError({"quiz": message})
    cleaned = []
    for item in quiz:
        try:
            q = clean_text(str(item["q"])).strip()
            choices = [clean_text(str(c)).strip() for c in item["choices"]]
            answer = sorted({int(i) for i in item["answer"]})
        except (KeyError, TypeError, ValueError):
            raise ValidationError({"quiz": message}) from None
        if not q or not 2 <= len(choices) <= 6 or not all(choices):
            raise ValidationError({"quiz": message})
        if not answer or any(i < 0 or i >= len(choices) for i in answer):
            raise ValidationError({"quiz": message})
        cleaned.append({"q": q, "choices": choices, "answer": answer})
    return cleaned


@transaction.atomic
def lesson_add(
    *,
    acting_user: Actor,
    course: Course,
    title: str,
    body: str = "",
    audio_url: str = "",
    video_url: str = "",
    minutes: int = 10,
    quiz: Any = None,
    pass_mark: int = 60,
    max_attempts: int = 3,
    pdf: Any = None,
    images: Sequence[Any] = (),
) -> Lesson:
    """Add a lesson at the end of ``course``, with an optional PDF and pictures (checked by
    content, stored, and removed again if the lesson is not saved)."""
    require(acting_user, can_manage_study, course.unit)
    lesson = Lesson(
        course=course,
        position=course_lessons_count(course=course),
        title=clean_text(title).strip(),
        body=clean_text(body).strip(),
        audio_url=audio_url,
        video_url=video_url,
        minutes=minutes,
        quiz=clean_quiz(quiz),
        pass_mark=pass_mark,
        max_attempts=max_attempts,
    )
    if not 0 < pass_mark <= 100:
        raise ValidationError({"pass_mark": _("The pass mark is a percentage from 1 to 100.")})
    lesson.full_clean()

    def run(written: list[str]) -> None:
        store_lesson_files(lesson, pdf=pdf, images=images, written=written)
        lesson.save()

    media.saving(run)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=lesson,
        unit=course.unit,
        changes=snapshot(lesson, ["title", "minutes", "pass_mark"]),
    )
    return lesson


@transaction.atomic
def study_remind(*, acting_user: Actor, unit: Unit, course: Course) -> int:
    """Remind the people of ``unit`` in the course's audience who have not finished it (once a
    day per course and unit). Returns how many were told."""
    require(acting_user, can_manage_study, unit)
    if not unit.path.startswith(course.unit_path):
        raise ValidationError({"course": _("This course was not assigned to this unit.")})
    lessons = course_lessons_count(course=course)
    people = audience_people(unit=unit, audience=course.audience, exact=True).filter(
        user__isnull=False
    )
    done = completed_counts(course=course, people=people)
    unfinished = [pk for pk in people.values_list("pk", flat=True) if done.get(pk, 0) < lessons]
    return notices.study_reminder(
        acting_user=acting_user,
        course=course,
        unit=unit,
        person_ids=unfinished,
        day=timezone.localdate(),
    )
