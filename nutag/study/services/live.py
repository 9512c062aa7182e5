"""Scheduled live meetings: the remote Party lesson (党课) and any 三会一课 meeting held at a
set time, attended by signing in.

- ``meeting_schedule``: the secretary sets the time window (and, for a Party lesson, the
  course lesson it teaches);
- ``meeting_sign_in``: a Party member of the branch signs in from the phone inside the window
  (attendance *remote*), or by scanning the room's QR code (a signed URL valid until the
  meeting ends: *present*). A mobile member (流动党员, the micro-branch) is always *remote*;
- ``meeting_catch_up``: after the meeting, a member who missed it catches up (the lesson read
  to the end, if the meeting has one): *remote*, by catch-up;
- ``meeting_absence_record``: the secretary records an absence with its reason.

Times are the server's (a phone's clock is never read). Signing in twice, or by phone and then
by the room's code, keeps one attendance row and one points entry (the points key is unique).
A person who is not a Party member of the meeting's branch gets ``NotFound``.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record, snapshot
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.core.sanitize import clean_text
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.people.models import PartyMembership, Person
from nutag.study.models import (
    Act,
    Attendance,
    AttendanceStatus,
    Lesson,
    LessonProgress,
    Meeting,
    SignInVia,
)
from nutag.study.permissions import can_manage_study
from nutag.study.services._common import person_of
from nutag.study.services.points import points_award
from nutag.study.tallies import meeting_tally_add

SIGN_IN_EARLY = dt.timedelta(minutes=15)
CATCH_UP_DAYS = 30
LONGEST_MEETING = dt.timedelta(hours=8)
QR_SALT = "nutag.study.meeting-qr"


def _award(meeting: Meeting, person: Person) -> None:
    points_award(person=person, act=Act.MEETING_ATTENDED, key=f"meeting:{meeting.pk}:{person.pk}")


@transaction.atomic
def meeting_schedule(
    *,
    acting_user: Actor,
    unit: Unit,
    kind: str,
    topic: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    online: bool = True,
    lesson: Lesson | None = None,
) -> Meeting:
    """Schedule a live meeting of ``unit``'s branch (its members sign in in the window)."""
    require(acting_user, can_manage_study, unit)
    if ends_at <= starts_at or ends_at - starts_at > LONGEST_MEETING:
        raise ValidationError({"ends_at": _("A meeting ends after it starts, within 8 hours.")})
    if lesson is not None and not unit.path.startswith(lesson.course.unit_path):
        raise ValidationError({"lesson": _("This course was not assigned to this unit.")})
    meeting = Meeting(
        unit=unit,
        unit_path=unit.path,
        kind=kind,
        held_on=timezone.localdate(starts_at),
        topic=clean_text(topic).strip(),
        place=clean_text(place).strip(),
        online=online,
        starts_at=starts_at,
        ends_at=ends_at,
        lesson=lesson,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,  # type: ignore[misc]
    )
    meeting.full_clean()
    meeting.save()
    meeting_tally_add(meeting=meeting)  # same transaction: the figures read the tallies
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=meeting,
        unit=unit,
        changes=snapshot(meeting, ["kind", "held_on", "topic", "starts_at", "ends_at"]),
    )
    return meeting


def member_of_meeting(*, person: Person, meeting: Meeting) -> PartyMembership:
    """The person's Party membership at the meeting's branch; ``NotFound`` for anyone else
    (another branch's member learns nothing about the meeting)."""
    membership = PartyMembership.objects.filter(person=person, unit_id=meeting.unit_id).first()
    if membership is None:
        raise NotFound
    return membership


def meeting_qr_token(*, meeting: Meeting) -> str:
    """The token of the room's QR code: signed, naming the meeting, valid until it ends."""
    if meeting.ends_at is None:
        raise NotFound
    return signing.dumps({"m": meeting.pk, "e": int(meeting.ends_at.timestamp())}, salt=QR_SALT)


def _qr_valid(meeting: Meeting, token: str, now: dt.datetime) -> bool:
    try:
        data = signing.loads(token, salt=QR_SALT)
    except signing.BadSignature:
        return False
    return (
        isinstance(data, dict)
        and data.get("m") == meeting.pk
        and now.timestamp() <= data.get("e", 0)
    )


@transaction.atomic
def meeting_sign_in(*, acting_user: Actor, meeting: Meeting, qr_token: str = "") -> Attendance:
    """Sign the acting login's person in to a live meeting. Inside the window only; with a
    valid room code: present, otherwise (or a mobile member): remote. Idempotent."""
    person = person_of(acting_user)
    membership = member_of_meeting(person=person, meeting=meeting)
    if meeting.starts_at is None or meeting.ends_at is None:
        raise ValidationError(_("This meeting has no sign-in: it was recorded by the secretary."))
    now = timezone.now()
    if now < meeting.starts_at - SIGN_IN_EARLY:
        raise ValidationError(
            _("Sign-in opens 15 minutes before the start (%(at)s).")
            % {"at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")}
        )
    if now > meeting.ends_at:
        raise ValidationError(_("This meeting is over: catch up on it instead."))
    if qr_token and not _qr_valid(meeting, qr_token, now):
        raise ValidationError(_("This code is not valid for this meeting any more."))
    in_room = bool(qr_token) and not membership.is_mobile
    status = AttendanceStatus.PRESENT if in_room else AttendanceStatus.REMOTE
    via = SignInVia.QR if in_room else SignInVia.PHONE
    attendance = (
        Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    )
    if attendance is None:
        attendance = Attendance(meeting=meeting, person=person)
    elif attendance.status == AttendanceStatus.PRESENT or attendance.status == status:
        return attendance  # signed in already: nothing changes, nothing counts twice
    attendance.status, attendance.via, attendance.reason = status, via, ""
    attendance.signed_at = now
    attendance.full_clean(validate_unique=False)
    attendance.save()
    _award(meeting, person)
    return attendance


@transaction.atomic
def meeting_catch_up(*, acting_user: Actor, meeting: Meeting) -> Attendance:
    """Catch up on a live meeting after it ended (within ``CATCH_UP_DAYS``): counted as
    attended remotely. A meeting with a lesson needs the lesson read to the end first."""
    person = person_of(acting_user)
    member_of_meeting(person=person, meeting=meeting)
    if meeting.starts_at is None or meeting.ends_at is None:
        raise ValidationError(_("This meeting has no sign-in: it was recorded by the secretary."))
    now = timezone.now()
    if now <= meeting.ends_at:
        raise ValidationError(_("This meeting is not over yet: sign in to it instead."))
    if now > meeting.ends_at + dt.timedelta(days=CATCH_UP_DAYS):
        raise ValidationError(_("Catching up is possible for 30 days after the meeting."))
    if meeting.lesson_id is not None:
        read = LessonProgress.objects.filter(
            person=person, lesson_id=meeting.lesson_id, reached_end=True
        ).exists()
        if not read:
            raise ValidationError(_("Read or listen to the lesson to the end first."))
    attendance = (
        Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    )
    if attendance is not None and attendance.status != AttendanceStatus.ABSENT:
        return attendance  # attended already
    if attendance is None:
        attendance = Attendance(meeting=meeting, person=person)
    attendance.status, attendance.via = AttendanceStatus.REMOTE, SignInVia.CATCH_UP
    attendance.signed_at = now
    attendance.full_clean(validate_unique=False)
    attendance.save()
    _award(meeting, person)
    return attendance


@transaction.atomic
def meeting_absence_record(
    *, acting_user: Actor, meeting: Meeting, person: Person, reason: str
) -> Attendance:
    """The secretary records that ``person`` missed ``meeting`` and why. Someone who signed
    in is not marked absent."""
    require(acting_user, can_manage_study, meeting.unit)
    member_of_meeting(person=person, meeting=meeting)
    reason = clean_text(reason).strip()[:100]
    if not reason:
        raise ValidationError({"reason": _("Give the reason for each absence.")})
    attendance = (
        Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    )
    if attendance is not None and attendance.status != AttendanceStatus.ABSENT:
        raise ValidationError({"person": _("This person attended.")})
    if attendance is None:
        attendance = Attendance(meeting=meeting, person=person)
    attendance.status, attendance.via, attendance.reason = (
        AttendanceStatus.ABSENT,
        SignInVia.RECORD,
        reason,
    )
    attendance.full_clean(validate_unique=False)
    attendance.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=meeting,
        unit=meeting.unit,
        changes={"absent": person.pk},
    )
    return attendance
