"""Live meetings (the remote Party lesson) and the micro-branch's remote sign-in: negatives
first (another branch, outside the window, a forged or stale room code), then what counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.people.models import PartyMembership
from nutag.study import services
from nutag.study.models import Attendance, Meeting, PointEntry
from nutag.study.services.live import QR_SALT
from nutag.study.tests.helpers import course_with_lessons, member

pytestmark = pytest.mark.django_db


def live_meeting(unit, *, start: dt.timedelta = dt.timedelta(0), hours: int = 1, lesson=None):  # type: ignore[no-untyped-def]
    """A Party lesson starting ``start`` from now (negative: in the past)."""
    starts = timezone.now() + start
    return services.meeting_schedule(
        acting_user=SYSTEM,
        unit=unit,
        kind="lesson",
        topic="党课",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        lesson=lesson,
    )


def test_schedule_refuses_outside_reach_and_bad_windows(cast):
    now = timezone.now()
    with pytest.raises(NotFound):
        services.meeting_schedule(
            acting_user=cast.village1a_secretary,
            unit=cast.village1b,
            kind="lesson",
            topic="x",
            starts_at=now,
            ends_at=now + dt.timedelta(hours=1),
        )
    for ends in (now, now - dt.timedelta(hours=1), now + dt.timedelta(hours=9)):
        with pytest.raises(ValidationError):
            services.meeting_schedule(
                acting_user=cast.village1a_secretary,
                unit=cast.village1a,
                kind="lesson",
                topic="x",
                starts_at=now,
                ends_at=ends,
            )
    _c, other_lesson, _q = course_with_lessons(cast.village1b)
    with pytest.raises(ValidationError):
        live_meeting(cast.village1a, lesson=other_lesson)
    assert not Meeting.objects.exists()


def test_member_of_another_branch_or_a_non_member_is_refused(cast):
    meeting = live_meeting(cast.village1a)
    outsider = member(cast.village2a, "外人", "outsider")
    with pytest.raises(NotFound):
        services.meeting_sign_in(acting_user=outsider.user, meeting=meeting)
    with pytest.raises(NotFound):
        services.meeting_sign_in(acting_user=SYSTEM, meeting=meeting)
    with pytest.raises(NotFound):
        services.meeting_sign_in(acting_user=cast.village1a_secretary, meeting=meeting)
    assert not Attendance.objects.exists()


def test_sign_in_outside_the_window_is_refused_with_a_message(cast):
    me = member(cast.village1a, "甲", "jia")
    early = live_meeting(cast.village1a, start=dt.timedelta(hours=2))
    with pytest.raises(ValidationError, match="15"):
        services.meeting_sign_in(acting_user=me.user, meeting=early)
    over = live_meeting(cast.village1a, start=dt.timedelta(hours=-3))
    with pytest.raises(ValidationError, match="补学"):  # "catch up on it instead"
        services.meeting_sign_in(acting_user=me.user, meeting=over)
    with pytest.raises(ValidationError):
        services.meeting_catch_up(acting_user=me.user, meeting=early)
    recorded = services.meeting_record(
        acting_user=SYSTEM,
        unit=cast.village1a,
        kind="members",
        held_on=timezone.localdate(),
        topic="x",
    )
    with pytest.raises(ValidationError):
        services.meeting_sign_in(acting_user=me.user, meeting=recorded)
    assert not Attendance.objects.exists() and not PointEntry.objects.exists()


def test_forged_or_other_meetings_room_code_is_refused(cast):
    me = member(cast.village1a, "甲", "jia")
    meeting = live_meeting(cast.village1a)
    other = live_meeting(cast.village1a)
    for token in ("x", services.meeting_qr_token(meeting=other)):
        with pytest.raises(ValidationError):
            services.meeting_sign_in(acting_user=me.user, meeting=meeting, qr_token=token)
    stale = signing.dumps(
        {"m": meeting.pk, "e": int(timezone.now().timestamp()) - 60}, salt=QR_SALT
    )
    with pytest.raises(ValidationError):
        services.meeting_sign_in(acting_user=me.user, meeting=meeting, qr_token=stale)
    assert not Attendance.objects.exists()


def test_phone_sign_in_is_remote_then_the_room_code_makes_it_present_once(cast):
    me = member(cast.village1a, "甲", "jia")
    meeting = live_meeting(cast.village1a, start=dt.timedelta(minutes=10))  # opens 15 min early
    a = services.meeting_sign_in(acting_user=me.user, meeting=meeting)
    assert (a.status, a.via) == ("remote", "phone")
    services.meeting_sign_in(acting_user=me.user, meeting=meeting)
    token = services.meeting_qr_token(meeting=meeting)
    a = services.meeting_sign_in(acting_user=me.user, meeting=meeting, qr_token=token)
    assert (a.status, a.via) == ("present", "qr")
    services.meeting_sign_in(acting_user=me.user, meeting=meeting)  # stays present
    assert Attendance.objects.get().status == "present"
    assert PointEntry.objects.filter(person=me, act="meeting").count() == 1


def test_mobile_member_signs_in_remotely_even_with_the_room_code(cast):
    away = member(cast.village1a, "乙", "yi")
    PartyMembership.objects.filter(person=away).update(is_mobile=True, current_location="包头")
    meeting = live_meeting(cast.village1a)
    token = services.meeting_qr_token(meeting=meeting)
    a = services.meeting_sign_in(acting_user=away.user, meeting=meeting, qr_token=token)
    assert a.status == "remote"


def test_catch_up_needs_the_lesson_read_and_counts_as_remote(cast):
    me = member(cast.village1a, "甲", "jia")
    _c, lesson, _q = course_with_lessons(cast.village1a)
    meeting = live_meeting(cast.village1a, start=dt.timedelta(hours=-2), lesson=lesson)
    with pytest.raises(ValidationError):
        services.meeting_catch_up(acting_user=me.user, meeting=meeting)
    services.progress_record(
        acting_user=me.user, lesson=lesson, client_id="r", seconds=60, reached_end=True
    )
    a = services.meeting_catch_up(acting_user=me.user, meeting=meeting)
    assert (a.status, a.via) == ("remote", "catch_up")
    services.meeting_catch_up(acting_user=me.user, meeting=meeting)
    assert PointEntry.objects.filter(person=me, act="meeting").count() == 1
    late = live_meeting(cast.village1a, start=dt.timedelta(days=-40))
    with pytest.raises(ValidationError):
        services.meeting_catch_up(acting_user=me.user, meeting=late)


def test_absence_is_recorded_by_the_secretary_and_cleared_by_a_catch_up(cast):
    me = member(cast.village1a, "甲", "jia")
    meeting = live_meeting(cast.village1a, start=dt.timedelta(hours=-2))
    with pytest.raises(NotFound):
        services.meeting_absence_record(
            acting_user=cast.village2a_secretary, meeting=meeting, person=me, reason="病"
        )
    with pytest.raises(ValidationError):
        services.meeting_absence_record(
            acting_user=cast.village1a_secretary, meeting=meeting, person=me, reason=" "
        )
    services.meeting_absence_record(
        acting_user=cast.village1a_secretary, meeting=meeting, person=me, reason="住院"
    )
    assert Attendance.objects.get().status == "absent"
    assert not PointEntry.objects.exists()
    services.meeting_catch_up(acting_user=me.user, meeting=meeting)
    assert Attendance.objects.get().status == "remote"
    with pytest.raises(ValidationError):
        services.meeting_absence_record(
            acting_user=cast.village1a_secretary, meeting=meeting, person=me, reason="住院"
        )


def test_an_upcoming_meeting_is_not_counted_as_held(cast):
    from nutag.study.selectors import meeting_rhythm

    live_meeting(cast.village1a, start=dt.timedelta(days=2))
    today = timezone.localdate()
    rhythm = meeting_rhythm(unit=cast.village1a, year=today.year, today=today)
    if (today + dt.timedelta(days=2)).year == today.year:
        assert sum(r.held for r in rhythm.rows) == 0
