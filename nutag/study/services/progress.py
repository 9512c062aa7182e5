"""A person's progress on a lesson, quizzes, and study taken home (送学到家).

Progress is written by the reader's phone: the lesson page (and the service worker's offline
queue) sends small updates, each with an id the phone made (``client_id``). The server
applies an id once (``ProgressEvent``, unique), so a replayed queue or a resent request counts
nothing twice. Times are the server's: the phone's clock is never read. The seconds an update
claims are clamped to ``MAX_STEP_SECONDS`` and the lesson's total to ``Lesson.max_seconds``
(three times its expected length), so time spent cannot be farmed.

A lesson is *completed* when it was read or listened to the end and its quiz (if any) was
passed — or when it was taken to the person's home by an officer or elder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.orgs.permissions import require
from nutag.people.models import Person
from nutag.study.models import (
    Act,
    Lesson,
    LessonProgress,
    ProgressEvent,
    QuizAttempt,
    StudyVia,
)
from nutag.study.permissions import can_manage_study, can_read_course
from nutag.study.services._common import person_of
from nutag.study.services.points import points_award

MAX_STEP_SECONDS = 120
CLIENT_ID_MAX = 64


def _person(acting_user: Actor, person: Person | None) -> Person:
    """The acting login's person: the one the caller read already (if it is theirs), else
    read now. Saves the progress write a query."""
    if (
        person is not None
        and person.user_id is not None
        and person.user_id == getattr(acting_user, "pk", None)
    ):
        return person
    return person_of(acting_user)


def _clean_client_id(client_id: str) -> str:
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > CLIENT_ID_MAX:
        raise ValidationError({"client_id": _("A progress update needs an id of 1–64 characters.")})
    return client_id


def _locked_progress(*, person: Person, lesson: Lesson, now: dt.datetime) -> LessonProgress:
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        person=person,
        lesson=lesson,
        defaults={
            "course_id": lesson.course_id,
            "unit_id": person.unit_id,
            "unit_path": person.unit_path,
            "opened_at": now,
            "last_seen_at": now,
        },
    )
    return progress


def _complete_if_done(progress: LessonProgress, lesson: Lesson, now: dt.datetime) -> bool:
    """Mark completed (once) when the end was reached and the quiz, if any, passed."""
    if progress.completed_at is not None:
        return False
    done = progress.via == StudyVia.HOME or (
        progress.reached_end and (progress.quiz_passed or not lesson.quiz)
    )
    if not done:
        return False
    progress.completed_at = now
    return True


def _award_completion(person: Person, lesson: Lesson) -> None:
    points_award(person=person, act=Act.LESSON_COMPLETED, key=f"lesson:{person.pk}:{lesson.pk}")


def _progress_row(*, person: Person, lesson: Lesson, now: dt.datetime) -> LessonProgress:
    """The person's progress row on ``lesson``, made on the first update (no lock: every
    later change to it is a single SQL ``UPDATE``)."""
    progress = LessonProgress.objects.filter(person=person, lesson=lesson).first()
    if progress is not None:
        return progress
    try:
        with transaction.atomic():
            return LessonProgress.objects.create(
                person=person,
                lesson=lesson,
                course_id=lesson.course_id,
                unit_id=person.unit_id,
                unit_path=person.unit_path,
                opened_at=now,
                last_seen_at=now,
            )
    except IntegrityError:  # made by a concurrent first update
        return LessonProgress.objects.get(person=person, lesson=lesson)


def progress_record(
    *,
    acting_user: Actor,
    lesson: Lesson,
    client_id: str,
    seconds: int = 0,
    reached_end: bool = False,
    person: Person | None = None,
) -> LessonProgress:
    """Apply one progress update of the acting login's own person (idempotent by
    ``client_id``): opened, time spent, reached the end. "The end" counts only once the time
    spent reaches the lesson's ``min_seconds`` (a fifth of its expected length): a page
    scrolled straight to the bottom is not a lesson read; the page keeps sending "end" with
    its later updates, so it counts as soon as the time is plausible. ``person``: the acting
    login's person when the caller has read it already (one query fewer).

    The write is short: the reads happen before it; the transaction is the client id's row
    (a repeat fails its unique key and changes nothing), one ``UPDATE`` that adds the time in
    SQL (capped) and keeps the "end" claim, and one conditional ``UPDATE`` that marks the
    lesson completed — the update that changed that row is the one that awards the points, so
    concurrent updates never count twice, need no row lock, and the result does not depend on
    the order they arrive in (the claim and the time are added, whichever comes first)."""
    client_id = _clean_client_id(client_id)
    person = _person(acting_user, person)
    if not can_read_course(acting_user, lesson.course, person_path=person.unit_path):  # type: ignore[arg-type]
        raise NotFound
    now = timezone.now()
    step = max(0, min(int(seconds or 0), MAX_STEP_SECONDS))
    progress = _progress_row(person=person, lesson=lesson, now=now)
    claimed = Q(end_claimed=True) | Q(pk__isnull=not reached_end)  # the claim, old or this one
    reached = Q(reached_end=True) | (claimed & Q(seconds__gte=lesson.min_seconds - step))
    done = Q(via=StudyVia.HOME) | (Q(reached_end=True) & Q(quiz_passed=True))
    if not lesson.quiz:
        done |= Q(reached_end=True)
    try:
        with transaction.atomic():
            ProgressEvent.objects.create(client_id=client_id, progress=progress, received_at=now)
            rows = LessonProgress.objects.filter(pk=progress.pk)
            rows.update(
                seconds=Least(F("seconds") + step, lesson.max_seconds),
                end_claimed=Case(When(claimed, then=Value(True)), default=Value(False)),
                reached_end=Case(When(reached, then=Value(True)), default=Value(False)),
                last_seen_at=now,
            )
            # the update that completes the lesson is the one whose UPDATE changes this row
            if rows.filter(done, completed_at__isnull=True).update(completed_at=now):
                _award_completion(person, lesson)
    except IntegrityError:
        pass  # applied before: a resent or replayed update
    progress.refresh_from_db(fields=["seconds", "reached_end", "quiz_passed", "completed_at"])
    return progress


def _score(lesson: Lesson, answers: Sequence[Sequence[int]]) -> int:
    quiz = lesson.quiz
    if len(answers) != len(quiz):
        raise ValidationError({"answers": _("Answer every question.")})
    right = 0
    for question, given in zip(quiz, answers, strict=True):
        choices = set(given)
        if not choices or any(
            not isinstance(i, int) or i < 0 or i >= len(question["choices"]) for i in choices
        ):
            raise ValidationError({"answers": _("Answer every question.")})
        right += choices == set(question["answer"])
    return round(100 * right / len(quiz))


def quiz_submit(
    *,
    acting_user: Actor,
    lesson: Lesson,
    client_id: str,
    answers: Sequence[Sequence[int]],
) -> QuizAttempt:
    """Answer a lesson's quiz (single or multiple choice). The same ``client_id`` sent again
    returns the first attempt; past the attempts allowed, or once passed, it is refused.
    After the course's deadline an attempt counts for progress but earns no points."""
    client_id = _clean_client_id(client_id)
    person = person_of(acting_user)
    if not can_read_course(acting_user, lesson.course, person_path=person.unit_path):  # type: ignore[arg-type]
        raise NotFound
    if not lesson.quiz:
        raise NotFound
    now = timezone.now()
    with transaction.atomic():
        progress = _locked_progress(person=person, lesson=lesson, now=now)
        earlier = QuizAttempt.objects.filter(client_id=client_id).first()
        if earlier is not None:
            if earlier.person_id != person.pk:
                raise ValidationError({"client_id": _("This id was used already.")})
            return earlier
        if progress.quiz_passed:
            raise ValidationError({"answers": _("You have passed this quiz already.")})
        tried = QuizAttempt.objects.filter(person=person, lesson=lesson).count()
        if tried >= lesson.max_attempts:
            raise ValidationError({"answers": _("No attempts left for this quiz.")})
        score = _score(lesson, answers)
        deadline = lesson.course.deadline
        attempt = QuizAttempt(
            person=person,
            lesson=lesson,
            unit_path=person.unit_path,
            client_id=client_id,
            answers=[sorted(set(a)) for a in answers],
            score=score,
            passed=score >= lesson.pass_mark,
            late=bool(deadline and timezone.localdate(now) > deadline),
            submitted_at=now,
        )
        attempt.full_clean()
        attempt.save()
        if attempt.passed:
            progress.quiz_passed = True
            progress.last_seen_at = now
            completed = _complete_if_done(progress, lesson, now)
            progress.save(update_fields=["quiz_passed", "last_seen_at", "completed_at"])
            if not attempt.late:
                points_award(
                    person=person, act=Act.QUIZ_PASSED, key=f"quiz:{person.pk}:{lesson.pk}"
                )
            if completed:
                _award_completion(person, lesson)
    return attempt


@transaction.atomic
def study_delivered_home(
    *, acting_user: Actor, person: Person, lesson: Lesson, note: str = ""
) -> LessonProgress:
    """An officer or elder took ``lesson`` to ``person``'s home (送学到家): it counts as
    completed for the person. Needs the study right at the person's unit."""
    require(acting_user, can_manage_study, person.unit)
    if not can_read_course(acting_user, lesson.course, person_path=person.unit_path):  # type: ignore[arg-type]
        raise NotFound
    if not lesson.course.unit_path or not person.unit_path.startswith(lesson.course.unit_path):
        raise ValidationError({"lesson": _("This course was not assigned to the person's unit.")})
    now = timezone.now()
    progress = _locked_progress(person=person, lesson=lesson, now=now)
    progress.via = StudyVia.HOME
    progress.reached_end = True
    progress.last_seen_at = now
    completed = _complete_if_done(progress, lesson, now)
    progress.save(update_fields=["via", "reached_end", "last_seen_at", "completed_at"])
    if completed:
        _award_completion(person, lesson)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=progress,
        unit=person.unit,
        changes={"via": [None, StudyVia.HOME]},
        note=note,
    )
    return progress
