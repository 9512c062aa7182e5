"""Study and branch life: courses and lessons, progress, quizzes, 三会一课 meetings, points.

Models hold data and invariants only; every write goes through ``nutag.study.services``.
"""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nutag.core.models import TimeStampedModel


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    PARTY = "party", _("Party members")
    ELDERS = "elders", _("Five elders")
    YOUTH = "youth", _("Young people")


class CourseColumn(models.TextChoices):
    """The site column a course shows in (a key of ``nutag.sites.columns``)."""

    ONLINE_STUDY = "online_study", _("Branch online study")  # 支部在线学习
    THEMATIC = "thematic_education", _("Thematic education")  # 主题教育


class Course(TimeStampedModel):
    """A series of lessons made at ``unit`` and assigned to it and every unit below it."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="courses")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PARTY
    )
    column = models.CharField(
        _("column"), max_length=40, choices=CourseColumn.choices, default=CourseColumn.ONLINE_STUDY
    )
    is_public = models.BooleanField(_("open to everyone"), default=True)
    deadline = models.DateField(_("Deadline"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Lesson(TimeStampedModel):
    """One lesson of a course: text, an audio or video link, and an optional quiz.

    ``quiz`` is a list of ``{"q": text, "choices": [text, ...], "answer": [index, ...]}``;
    one answer index is a single choice, several a multiple choice.
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(blank=True)
    audio_url = models.URLField(blank=True)
    video_url = models.URLField(blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes to study"), default=10)
    quiz = models.JSONField(default=list, blank=True)
    # A PDF (checked by content, stored under a random name, served by the lesson's file view
    # with safe headers) and pictures (``core.media.store_image`` dicts, shown in the text).
    pdf = models.FileField(blank=True, max_length=200)
    pdf_name = models.CharField(max_length=200, blank=True)
    images = models.JSONField(default=list, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("Pass mark (%)"), default=60)
    max_attempts = models.PositiveSmallIntegerField(default=3)

    class Meta:
        ordering = ["course", "position", "id"]

    @property
    def pdf_version(self) -> str:
        """A short tag of the stored PDF, carried by its link (``?v=``): a replaced file gets a
        new link, so the copy a phone keeps (cache first, sites/static/sites/sw.js) is never
        served in place of a newer file."""
        if not self.pdf:
            return ""
        return hashlib.sha256(self.pdf.name.encode()).hexdigest()[:10]

    def __str__(self) -> str:
        return self.title

    @property
    def max_seconds(self) -> int:
        """The most study time one lesson can count: three times its expected length."""
        return max(self.minutes, 1) * 60 * 3

    @property
    def min_seconds(self) -> int:
        """The least study time before "read to the end" counts: a fifth of its length."""
        return max(self.minutes, 1) * 60 // 5


class StudyVia(models.TextChoices):
    ONLINE = "online", _("Online")
    HOME = "home", _("Taken home")  # 送学到家


class LessonProgress(models.Model):
    """One person's progress on one lesson (the row every progress update touches)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="progress")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    opened_at = models.DateTimeField(_("opened"))
    last_seen_at = models.DateTimeField(_("last seen"))
    seconds = models.PositiveIntegerField(default=0)
    reached_end = models.BooleanField(default=False)
    # The page said it reached the end; it counts (``reached_end``) once the time spent is
    # plausible, whatever order the updates arrive in.
    end_claimed = models.BooleanField(default=False)
    quiz_passed = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    via = models.CharField(
        _("how it was studied"), max_length=10, choices=StudyVia.choices, default="online"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "lesson"], name="study_progress_once")
        ]
        indexes = [models.Index(fields=["unit_path", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.lesson_id}"


class ProgressEvent(models.Model):
    """A progress update already applied, by the client's id (offline replays count once)."""

    client_id = models.CharField(max_length=64, unique=True)
    progress = models.ForeignKey(LessonProgress, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.client_id


class QuizAttempt(models.Model):
    """One answered quiz. ``late``: sent after the course's deadline (kept, earns no points)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attempts")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    client_id = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(default=False)
    late = models.BooleanField(default=False)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.lesson_id}:{self.score}"


class MeetingKind(models.TextChoices):
    """三会一课: 支部党员大会, 支部委员会, 党小组会, 党课."""

    MEMBERS = "members", _("Branch members' meeting")
    COMMITTEE = "committee", _("Branch committee meeting")
    GROUP = "group", _("Party group meeting")
    LESSON = "lesson", _("Party lesson")


# How many of each kind a branch must hold in a year, and per how many months.
RHYTHM: dict[str, int] = {
    MeetingKind.MEMBERS: 3,  # quarterly
    MeetingKind.COMMITTEE: 1,  # monthly
    MeetingKind.GROUP: 1,  # monthly
    MeetingKind.LESSON: 3,  # quarterly
}


class Meeting(TimeStampedModel):
    """One of the branch's 三会一课, recorded by its secretary or an officer."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="meetings")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    online = models.BooleanField(_("Online"), default=False)
    topic = models.CharField(_("Topic"), max_length=200)
    minutes = models.TextField(_("Minutes"), blank=True)
    # A scheduled live meeting (a remote Party lesson): members sign in from their phone
    # between ``starts_at`` (a little before) and ``ends_at``, or catch up afterwards.
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    photos = models.JSONField(_("Photos"), default=list, blank=True)  # store_image dicts
    lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "held_on"]),
            # the few meetings dated after a day (scheduled live ones): the study figures
            # take them off the tallies (nutag/study/selectors/figures.py)
            models.Index(fields=["held_on", "unit_path"], name="meeting_day_path"),
        ]

    # Labels of the audit keys that are not fields (``core.audit.change_rows``).
    audit_labels: ClassVar[dict[str, Any]] = {
        "attendance": _("Attendance"),
        "absent": _("Absent"),
    }

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class MeetingTally(models.Model):
    """Per unit and year: how many 三会一课 of each kind its branch held (or scheduled) that
    year, dated by ``held_on``.

    Derived data, kept exact by ``nutag.study.tallies.meeting_tally_add``, which every service
    that creates a meeting calls in the same transaction (meetings are never edited in kind or
    date, nor deleted). It exists so that the study figures of a subtree read one row per
    branch instead of every meeting of the year (issue 17). ``manage.py rebuild_tallies``
    recomputes every row.
    """

    # no index of its own: the unique (unit, year) constraint's index starts with the unit
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="meeting_tallies", db_index=False
    )
    # A copy of the unit's path, kept in step by the tree registry (``register_path_copy``).
    unit_path = models.CharField(max_length=255, editable=False)
    year = models.PositiveSmallIntegerField()
    members = models.PositiveIntegerField(default=0)
    committee = models.PositiveIntegerField(default=0)
    group = models.PositiveIntegerField(default=0)
    lesson = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="meetingtally_unit_year"),
        ]
        indexes = [
            # covering: the figures read the year's rows of a path range, and nothing else
            models.Index(
                fields=["year", "unit_path", "unit", "members", "committee", "group", "lesson"],
                name="meetingtally_year_path",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    REMOTE = "remote", _("Remote")
    ABSENT = "absent", _("Absent")


class SignInVia(models.TextChoices):
    RECORD = "record", _("Recorded by the secretary")
    PHONE = "phone", _("Signed in from the phone")
    QR = "qr", _("Scanned the room's code")
    CATCH_UP = "catch_up", _("Caught up afterwards")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    reason = models.CharField(max_length=100, blank=True)
    via = models.CharField(max_length=10, choices=SignInVia.choices, default=SignInVia.RECORD)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="study_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.person_id}:{self.status}"


class Act(models.TextChoices):
    """Verified acts that earn points (积分). Posting earns nothing."""

    LESSON_COMPLETED = "lesson", _("Lesson completed")
    QUIZ_PASSED = "quiz", _("Quiz passed")
    MEETING_ATTENDED = "meeting", _("Meeting attended")
    VOLUNTEERING = "volunteering", _("Volunteering logged by an officer")


DEFAULT_POINTS: dict[str, tuple[int, int]] = {
    # act: (points, most points of this act per person per day)
    Act.LESSON_COMPLETED: (2, 10),
    Act.QUIZ_PASSED: (1, 5),
    Act.MEETING_ATTENDED: (3, 6),
    Act.VOLUNTEERING: (5, 10),
}


class PointRule(models.Model):
    """The banner's rule for one act: points per act and the cap per person per day."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    act = models.CharField(max_length=16, choices=Act.choices)
    points = models.PositiveSmallIntegerField(_("points per act"))
    daily_cap = models.PositiveSmallIntegerField(_("most points per day"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "act"], name="study_rule_once")]

    def __str__(self) -> str:
        return f"{self.act}: {self.points}"


class PointEntry(models.Model):
    """One verified act in a person's points ledger; ``key`` names the act (never twice)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    act = models.CharField(max_length=16, choices=Act.choices)
    key = models.CharField(max_length=120, unique=True)
    points = models.PositiveSmallIntegerField(_("points"))
    day = models.DateField(_("day"))
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "day", "act"])]

    def __str__(self) -> str:
        return self.key


class CheckIn(models.Model):
    """A mobile member's monthly check-in with the micro-branch (流动党员微支部): where they
    are and what they did. One per person and month (sent again, it is updated)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    month = models.DateField()
    where = models.CharField(_("where you are"), max_length=100)
    what = models.TextField(_("what you did this month"), max_length=1000)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="study_checkin_monthly")
        ]
        ordering = ["-month", "-updated_at"]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.month}"
