"""Study services: negatives first (wrong user, wrong unit, bad input), then what counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.notify.models import Notification
from nutag.study import services
from nutag.study.models import (
    Act,
    Attendance,
    LessonProgress,
    Meeting,
    PointEntry,
    ProgressEvent,
    QuizAttempt,
)
from nutag.study.services.progress import MAX_STEP_SECONDS
from nutag.study.tests.helpers import QUIZ, course_with_lessons, member

pytestmark = pytest.mark.django_db

RIGHT = [[1], [0, 2]]
WRONG = [[0], [0]]


# --- courses ------------------------------------------------------------------------------


def test_course_create_refuses_outside_reach_and_bad_input(cast):
    with pytest.raises(NotFound):
        services.course_create(acting_user=cast.village1a_secretary, unit=cast.township1, title="x")
    with pytest.raises(NotFound):
        services.course_create(acting_user=cast.village1a_secretary, unit=cast.village1b, title="x")
    with pytest.raises(NotFound):
        services.course_create(acting_user=cast.volunteer, unit=cast.village1a, title="x")
    with pytest.raises(ValidationError):
        services.course_create(acting_user=cast.village1a_secretary, unit=cast.village1a, title="")


def test_course_from_the_banner_tells_every_branch_below(cast):
    course, _a, _b = course_with_lessons(cast.banner)
    told = set(
        Notification.objects.filter(kind="course_assigned").values_list(
            "recipient__user__username", flat=True
        )
    )
    assert {"t1-secretary", "v1a-secretary", "v1a-officer", "v2a-secretary"} <= told
    assert "banner-officer" not in told  # the issuing unit itself is not "assigned"
    assert AuditEntry.objects.filter(object_type="study.course", object_id=str(course.pk)).exists()


def test_lesson_quiz_is_validated(cast):
    course, _a, _b = course_with_lessons(cast.village1a)
    for bad in (
        [{"q": "", "choices": ["a", "b"], "answer": [0]}],
        [{"q": "q", "choices": ["a"], "answer": [0]}],
        [{"q": "q", "choices": ["a", "b"], "answer": []}],
        [{"q": "q", "choices": ["a", "b"], "answer": [5]}],
        ["not a question"],
    ):
        with pytest.raises(ValidationError):
            services.lesson_add(acting_user=SYSTEM, course=course, title="t", quiz=bad)


# --- progress -----------------------------------------------------------------------------


def test_progress_needs_a_person_and_a_course_in_reach(cast):
    _c, lesson, _q = course_with_lessons(cast.village1a)
    with pytest.raises(NotFound):  # a login without a person record
        services.progress_record(acting_user=cast.admin, lesson=lesson, client_id="a")
    outsider = member(cast.village2a, "外人", "outsider").user
    with pytest.raises(NotFound):  # an assigned (not public) course of another village
        services.progress_record(acting_user=outsider, lesson=lesson, client_id="b")
    reader = member(cast.village1a, "读者", "reader").user
    with pytest.raises(ValidationError):
        services.progress_record(acting_user=reader, lesson=lesson, client_id="")
    with pytest.raises(ValidationError):
        services.progress_record(acting_user=reader, lesson=lesson, client_id="x" * 65)
    assert not LessonProgress.objects.exists()


def test_the_same_update_twice_counts_once_and_time_is_clamped(cast):
    _c, lesson, _q = course_with_lessons(cast.village1a)
    user = member(cast.village1a, "读者", "reader").user
    services.progress_record(acting_user=user, lesson=lesson, client_id="u1", seconds=60)
    services.progress_record(acting_user=user, lesson=lesson, client_id="u1", seconds=60)
    p = LessonProgress.objects.get()
    assert p.seconds == 60
    services.progress_record(acting_user=user, lesson=lesson, client_id="u2", seconds=10_000)
    p.refresh_from_db()
    assert p.seconds == 60 + MAX_STEP_SECONDS
    for i in range(20):
        services.progress_record(acting_user=user, lesson=lesson, client_id=f"m{i}", seconds=100)
    p.refresh_from_db()
    assert p.seconds == lesson.max_seconds  # three times the lesson's five minutes
    services.progress_record(acting_user=user, lesson=lesson, client_id="neg", seconds=-500)
    p.refresh_from_db()
    assert p.seconds == lesson.max_seconds
    assert ProgressEvent.objects.count() == 23


def test_reaching_the_end_of_a_lesson_without_quiz_completes_it_once(cast):
    _c, lesson, _q = course_with_lessons(cast.village1a)
    person = member(cast.village1a, "读者", "reader")
    for cid in ("e1", "e2", "e1"):
        services.progress_record(
            acting_user=person.user, lesson=lesson, client_id=cid, seconds=60, reached_end=True
        )
    p = LessonProgress.objects.get()
    assert p.completed_at is not None
    entries = PointEntry.objects.filter(person=person)
    assert [(e.act, e.points) for e in entries] == [(Act.LESSON_COMPLETED, 2)]


def test_server_time_is_used_whatever_the_phone_says(cast):
    _c, lesson, _q = course_with_lessons(cast.village1a)
    user = member(cast.village1a, "读者", "reader").user
    before = timezone.now()
    services.progress_record(acting_user=user, lesson=lesson, client_id="c1", seconds=5)
    p = LessonProgress.objects.get()
    assert p.opened_at >= before and p.last_seen_at >= before


# --- quizzes ------------------------------------------------------------------------------


def test_quiz_refuses_bad_answers_and_runs_out_of_attempts(cast):
    _c, _l, lesson = course_with_lessons(cast.village1a)
    user = member(cast.village1a, "读者", "reader").user
    for bad in ([[1]], [[1], []], [[1], [9]], [[1], [-1]]):
        with pytest.raises(ValidationError):
            services.quiz_submit(acting_user=user, lesson=lesson, client_id="bad", answers=bad)
    assert not QuizAttempt.objects.exists()
    for i in range(lesson.max_attempts):
        services.quiz_submit(acting_user=user, lesson=lesson, client_id=f"w{i}", answers=WRONG)
    with pytest.raises(ValidationError):
        services.quiz_submit(acting_user=user, lesson=lesson, client_id="last", answers=RIGHT)
    assert QuizAttempt.objects.count() == lesson.max_attempts
    assert not PointEntry.objects.exists()


def test_quiz_same_answer_sent_twice_counts_once(cast):
    _c, _l, lesson = course_with_lessons(cast.village1a)
    person = member(cast.village1a, "读者", "reader")
    first = services.quiz_submit(
        acting_user=person.user, lesson=lesson, client_id="q1", answers=RIGHT
    )
    again = services.quiz_submit(
        acting_user=person.user, lesson=lesson, client_id="q1", answers=RIGHT
    )
    assert first.pk == again.pk and first.passed and first.score == 100
    with pytest.raises(ValidationError):  # passed already: a new attempt is refused
        services.quiz_submit(acting_user=person.user, lesson=lesson, client_id="q2", answers=RIGHT)
    assert PointEntry.objects.filter(person=person, act=Act.QUIZ_PASSED).count() == 1
    other = member(cast.village1a, "别人", "other").user
    with pytest.raises(ValidationError):  # someone else's id is not theirs to replay
        services.quiz_submit(acting_user=other, lesson=lesson, client_id="q1", answers=RIGHT)


def test_quiz_and_end_complete_the_lesson_in_either_order(cast):
    _c, _l, lesson = course_with_lessons(cast.village1a)
    person = member(cast.village1a, "读者", "reader")
    services.quiz_submit(acting_user=person.user, lesson=lesson, client_id="q", answers=RIGHT)
    assert LessonProgress.objects.get().completed_at is None
    services.progress_record(
        acting_user=person.user, lesson=lesson, client_id="e", seconds=60, reached_end=True
    )
    assert LessonProgress.objects.get().completed_at is not None
    acts = sorted(PointEntry.objects.filter(person=person).values_list("act", flat=True))
    assert acts == sorted([Act.LESSON_COMPLETED, Act.QUIZ_PASSED])


def test_quiz_after_the_deadline_counts_for_progress_but_earns_no_points(cast):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _c, _l, lesson = course_with_lessons(cast.village1a, deadline=yesterday)
    person = member(cast.village1a, "读者", "reader")
    attempt = services.quiz_submit(
        acting_user=person.user, lesson=lesson, client_id="q", answers=RIGHT
    )
    assert attempt.passed and attempt.late
    assert LessonProgress.objects.get().quiz_passed
    assert not PointEntry.objects.filter(act=Act.QUIZ_PASSED).exists()


def test_a_quiz_needs_a_lesson_with_a_quiz(cast):
    _c, plain, _q = course_with_lessons(cast.village1a)
    user = member(cast.village1a, "读者", "reader").user
    with pytest.raises(NotFound):
        services.quiz_submit(acting_user=user, lesson=plain, client_id="q", answers=[])
    assert len(QUIZ) == 2


# --- study taken home -----------------------------------------------------------------------


def test_study_taken_home_needs_the_right_at_the_members_unit(cast):
    _c, lesson, quiz_lesson = course_with_lessons(cast.village1a)
    elder = member(cast.village1a, "老党员")
    with pytest.raises(NotFound):
        services.study_delivered_home(
            acting_user=cast.village2a_secretary, person=elder, lesson=lesson
        )
    with pytest.raises(NotFound):
        services.study_delivered_home(acting_user=cast.volunteer, person=elder, lesson=lesson)
    p = services.study_delivered_home(
        acting_user=cast.village1a_officer, person=elder, lesson=quiz_lesson, note="上门"
    )
    assert p.completed_at is not None and p.via == "home"
    services.study_delivered_home(
        acting_user=cast.village1a_officer, person=elder, lesson=quiz_lesson
    )
    assert PointEntry.objects.filter(person=elder).count() == 1


# --- meetings -----------------------------------------------------------------------------


def test_meeting_record_refuses_outsiders_future_dates_and_strangers(cast):
    today = timezone.localdate()
    own = member(cast.village1a, "甲")
    stranger = member(cast.village1b, "乙")
    with pytest.raises(NotFound):
        services.meeting_record(
            acting_user=cast.village2a_secretary,
            unit=cast.village1a,
            kind="members",
            held_on=today,
            topic="t",
        )
    with pytest.raises(ValidationError):
        services.meeting_record(
            acting_user=cast.village1a_secretary,
            unit=cast.village1a,
            kind="members",
            held_on=today + dt.timedelta(days=1),
            topic="t",
        )
    with pytest.raises(ValidationError):
        services.meeting_record(
            acting_user=cast.village1a_secretary,
            unit=cast.village1a,
            kind="members",
            held_on=today,
            topic="t",
            attendance=[(stranger.pk, "present", "")],
        )
    with pytest.raises(ValidationError):
        services.meeting_record(
            acting_user=cast.village1a_secretary,
            unit=cast.village1a,
            kind="members",
            held_on=today,
            topic="t",
            attendance=[(own.pk, "absent", "")],
        )
    with pytest.raises(ValidationError):
        services.meeting_record(
            acting_user=cast.village1a_secretary,
            unit=cast.village1a,
            kind="members",
            held_on=today,
            topic="t",
            attendance=[(own.pk, "present", ""), (own.pk, "remote", "")],
        )
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_meeting_attendance_earns_points_for_those_there_only(cast):
    today = timezone.localdate()
    here, away, absent = (member(cast.village1a, n) for n in ("甲", "乙", "丙"))
    meeting = services.meeting_record(
        acting_user=cast.township1_secretary,
        unit=cast.village1a,
        kind="lesson",
        held_on=today,
        topic="党课",
        attendance=[
            (here.pk, "present", ""),
            (away.pk, "remote", ""),
            (absent.pk, "absent", "放牧"),
        ],
    )
    assert meeting.attendance.count() == 3
    earned = set(
        PointEntry.objects.filter(act=Act.MEETING_ATTENDED).values_list("person_id", flat=True)
    )
    assert earned == {here.pk, away.pk}


# --- points -------------------------------------------------------------------------------


def test_point_rules_are_the_banners_and_caps_hold(cast):
    with pytest.raises(NotFound):
        services.point_rule_set(
            acting_user=cast.township1_secretary,
            unit=cast.township1,
            act=Act.VOLUNTEERING,
            points=5,
            daily_cap=5,
        )
    with pytest.raises(NotFound):
        services.point_rule_set(
            acting_user=cast.banner_officer,
            unit=cast.banner,
            act=Act.VOLUNTEERING,
            points=5,
            daily_cap=5,
        )
    services.point_rule_set(
        acting_user=cast.admin, unit=cast.banner, act=Act.VOLUNTEERING, points=4, daily_cap=6
    )
    person = member(cast.village1a, "志愿")
    got = [
        services.points_log_volunteering(
            acting_user=cast.village1a_officer, person=person, ref=f"r{i}", note="修路"
        ).points
        for i in range(3)
    ]
    assert got == [4, 2, 0]  # the cap of 6 a day
    again = services.points_log_volunteering(
        acting_user=cast.village1a_officer, person=person, ref="r0", note="修路"
    )
    assert again is None  # the same form sent twice
    with pytest.raises(NotFound):
        services.points_log_volunteering(
            acting_user=cast.village2a_secretary, person=person, ref="x", note="修路"
        )
    with pytest.raises(ValidationError):
        services.points_log_volunteering(
            acting_user=cast.village1a_officer, person=person, ref="y", note=" "
        )


# --- micro-branch -------------------------------------------------------------------------


def test_checkin_only_by_a_current_mobile_member_once_a_month(cast):
    from nutag.study.models import CheckIn

    stay = member(cast.village1a, "在家党员", "home")
    with pytest.raises(ValidationError):
        services.checkin_post(acting_user=stay.user, where="本村", what="放牧")
    with pytest.raises(NotFound):
        services.checkin_post(acting_user=cast.admin, where="x", what="y")
    away = member(cast.village1a, "外出党员", "away")
    away.party.is_mobile = True
    away.party.save()
    with pytest.raises(ValidationError):
        services.checkin_post(acting_user=away.user, where=" ", what="打工")
    services.checkin_post(acting_user=away.user, where="海拉尔", what="在工地务工")
    services.checkin_post(acting_user=away.user, where="满洲里", what="参加线上支部会")
    checkin = CheckIn.objects.get()
    assert checkin.where == "满洲里" and checkin.unit == cast.village1a
    assert checkin.month == timezone.localdate().replace(day=1)
    away.party.delete()  # left the branch
    with pytest.raises(ValidationError):
        services.checkin_post(acting_user=away.user, where="海拉尔", what="务工")
    assert CheckIn.objects.count() == 1


def test_the_end_reached_too_soon_counts_only_once_the_time_is_plausible(cast):
    _c, lesson, _q = course_with_lessons(cast.village1a)  # 5 minutes: at least 60 s
    person = member(cast.village1a, "读者", "reader")
    p = services.progress_record(
        acting_user=person.user, lesson=lesson, client_id="a", seconds=5, reached_end=True
    )
    assert not p.reached_end and p.completed_at is None
    assert not PointEntry.objects.exists()
    p = services.progress_record(
        acting_user=person.user, lesson=lesson, client_id="b", seconds=30, reached_end=True
    )
    assert not p.reached_end
    # the claim is kept: the time that arrives after it (in any order) completes the lesson
    p = services.progress_record(acting_user=person.user, lesson=lesson, client_id="c", seconds=30)
    assert p.reached_end and p.completed_at is not None
    services.progress_record(acting_user=person.user, lesson=lesson, client_id="d", seconds=30)
    assert PointEntry.objects.filter(person=person).count() == 1


def test_progress_write_reads_only_the_progress_row_when_the_person_is_known(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _c, lesson, _q = course_with_lessons(cast.village1a, is_public=True)
    person = member(cast.village1a, "读者", "reader")
    services.progress_record(acting_user=person.user, lesson=lesson, client_id="a", seconds=5)
    with CaptureQueriesContext(connection) as ctx:
        services.progress_record(
            acting_user=person.user, lesson=lesson, client_id="b", seconds=5, person=person
        )
    sql = [q["sql"].split()[0] for q in ctx.captured_queries]
    # the progress row read before the write; the write transaction (a savepoint inside the
    # test's own transaction) is the event's INSERT and two UPDATEs (the time and the claim,
    # then completion if due); the answer is read after it
    assert sql == ["SELECT", "SAVEPOINT", "INSERT", "UPDATE", "UPDATE", "RELEASE", "SELECT"]
