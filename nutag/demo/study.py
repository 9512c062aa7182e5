"""The demo's study and branch life: a thematic-education course the banner assigned to every
branch, with realistic completion; a year of 三会一课 with some branches behind; the mobile
members' monthly check-ins with the micro-branch; in the demo village, a remote Party lesson
held last week (members in the room by its QR code, others signed in from their phones, the
mobile members remotely, some caught up afterwards, absences with reasons) and one coming up.

Courses, lessons and meetings go through the services as ``SYSTEM``. Progress and check-ins
are the bulk paths here: the demo's Party members have no logins (those services write only
a login's own records), so their lesson progress, the points it earned and the check-ins are
written with ``bulk_create``, keeping what the service keeps (the unit path copy, completion only
when the end was reached, one points entry per act under its unique key, the day's cap).
Everything is deterministic (the units' order and codes), and a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import zlib

from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.orgs.models import GRASSROOTS_KINDS, Unit, UnitStatus
from nutag.people.models import PartyMembership, Person
from nutag.study import services
from nutag.study.models import (
    DEFAULT_POINTS,
    Act,
    Attendance,
    AttendanceStatus,
    Audience,
    CheckIn,
    Course,
    CourseColumn,
    LessonProgress,
    Meeting,
    MeetingKind,
    PointEntry,
    SignInVia,
)

from .data import BANNER_CODE
from .site import VILLAGE

COURSE_TITLE = "学习贯彻党的二十大精神主题教育"
LESSONS = [
    ("第一讲：学思想", "坚持学思用贯通、知信行统一。"),
    ("第二讲：强党性", "在学习中锤炼党性，在实践中检验党性。"),
    ("第三讲：重实践", "把学习成果转化为为民办实事的实际行动。"),
]
QUIZ = [
    {
        "q": "主题教育的总要求包括哪些？",
        "choices": ["学思想", "强党性", "重实践", "比发帖"],
        "answer": [0, 1, 2],
    },
    {"q": "流动党员可以通过什么参加组织生活？", "choices": ["线上微支部", "不参加"], "answer": [0]},
]
MONTHLY = (MeetingKind.COMMITTEE, MeetingKind.GROUP)
QUARTERLY = (MeetingKind.MEMBERS, MeetingKind.LESSON)


def _share(code: str, salt: str) -> float:
    """A stable number in [0, 1) for a unit: the same demo every time."""
    return (zlib.crc32(f"{salt}:{code}".encode()) % 1000) / 1000


def _course(banner: Unit, today: dt.date) -> Course:
    course = Course.objects.filter(unit=banner, title=COURSE_TITLE).first()
    if course is not None:
        return course
    course = services.course_create(
        acting_user=SYSTEM,
        unit=banner,
        title=COURSE_TITLE,
        summary="旗委部署，各党支部组织党员在线学习，年底前完成。",
        audience=Audience.PARTY,
        column=CourseColumn.THEMATIC,
        is_public=True,
        deadline=dt.date(today.year, 12, 20),
    )
    for i, (title, body) in enumerate(LESSONS):
        services.lesson_add(
            acting_user=SYSTEM,
            course=course,
            title=title,
            body=body,
            minutes=15,
            quiz=QUIZ if i == len(LESSONS) - 1 else None,
        )
    return course


def _progress(course: Course, branches: list[Unit], now: dt.datetime) -> int:
    """Each branch's members studied a share of the course (between a fifth and nine tenths)."""
    if LessonProgress.objects.filter(course=course).exists():
        return 0
    lessons = list(course.lessons.all())
    rows, points = [], []
    per_day = DEFAULT_POINTS[Act.LESSON_COMPLETED]
    members = Person.objects.filter(party__isnull=False, unit__in=branches).order_by(
        "unit_id", "pk"
    )
    by_unit: dict[int, list[Person]] = {}
    for person in members.only("pk", "unit_id", "unit_path"):
        by_unit.setdefault(person.unit_id, []).append(person)
    codes = {u.pk: u.code for u in branches}
    for unit_id, people in by_unit.items():
        share = 0.2 + 0.7 * _share(codes[unit_id], "study")
        studied = people[: round(len(people) * share)]
        for n, person in enumerate(studied):
            # most finish every lesson; some stop after the first ones
            reach = len(lessons) if n % 4 else max(1, n % len(lessons))
            when = now - dt.timedelta(days=1 + (n * 7 + unit_id) % 60)
            earned = 0
            for lesson in lessons[:reach]:
                done = not lesson.quiz  # the quiz lesson waits for its quiz
                rows.append(
                    LessonProgress(
                        person=person,
                        lesson=lesson,
                        course=course,
                        unit_id=person.unit_id,
                        unit_path=person.unit_path,
                        opened_at=when,
                        last_seen_at=when,
                        seconds=lesson.minutes * 60,
                        reached_end=True,
                        completed_at=when if done else None,
                    )
                )
                if done and earned + per_day[0] <= per_day[1]:
                    earned += per_day[0]
                    points.append(
                        PointEntry(
                            person=person,
                            unit_id=person.unit_id,
                            unit_path=person.unit_path,
                            act=Act.LESSON_COMPLETED,
                            key=f"lesson:{person.pk}:{lesson.pk}",
                            points=per_day[0],
                            day=timezone.localdate(when),
                        )
                    )
    LessonProgress.objects.bulk_create(rows, batch_size=500)
    PointEntry.objects.bulk_create(points, batch_size=500)
    return len(rows)


def _meetings(branches: list[Unit], today: dt.date, village: Unit | None) -> int:
    """This year's 三会一课 up to last month; one branch in five falls behind in spring."""
    if Meeting.objects.filter(unit__in=branches, held_on__year=today.year).exists():
        return 0
    made = 0
    for unit in branches:
        behind = _share(unit.code, "meetings") < 0.2
        members = (
            list(
                Person.objects.filter(unit=unit, party__isnull=False).values_list("pk", flat=True)[
                    :12
                ]
            )
            if village is not None and unit.pk == village.pk
            else []
        )
        for month in range(1, today.month):
            kinds = list(MONTHLY) + (list(QUARTERLY) if month % 3 == 0 else [])
            if behind and month >= max(1, today.month - 3):
                kinds = kinds[:1]  # only the committee met lately
            for kind in kinds:
                attendance = [
                    (pk, "present" if i % 5 else "absent", "" if i % 5 else "外出放牧")
                    for i, pk in enumerate(members)
                ]
                services.meeting_record(
                    acting_user=SYSTEM,
                    unit=unit,
                    kind=kind,
                    held_on=dt.date(today.year, month, 10 if kind in MONTHLY else 20),
                    topic=f"{month}月{MeetingKind(kind).label}",
                    place="党群服务中心",
                    attendance=attendance,
                )
                made += 1
    return made


PLACES = ["海拉尔区", "满洲里市", "呼和浩特市", "北京市", "包头市", "牙克石市"]
DOINGS = [
    "在建筑工地务工，参加了线上支部学习",
    "开网店卖牛羊肉，按时交了党费",
    "跑运输，看了支部通知",
]


def _checkins(today: dt.date) -> int:
    """Mobile members' check-ins with the micro-branch: two in three reported last month,
    half of them this month too (bulk: the members have no logins)."""
    if CheckIn.objects.exists():
        return 0
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    rows = []
    now = timezone.now()
    mobile = PartyMembership.objects.filter(is_mobile=True).select_related("unit").order_by("pk")
    for n, m in enumerate(mobile):
        if n % 3 == 0:
            continue
        months = [last_month, this_month] if n % 2 else [last_month]
        for month in months:
            rows.append(
                CheckIn(
                    person_id=m.person_id,
                    unit_id=m.unit_id,
                    unit_path=m.unit.path,
                    month=month,
                    where=m.current_location or PLACES[n % len(PLACES)],
                    what=DOINGS[n % len(DOINGS)],
                    updated_at=now,
                )
            )
    CheckIn.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def ensure_study(units: dict[str, Unit]) -> int:
    """What is missing of the above; how many things were made."""
    banner = units.get(BANNER_CODE)
    if banner is None:
        return 0
    now = timezone.now()
    today = timezone.localdate(now)
    course = _course(banner, today)
    branches = list(
        Unit.objects.filter(status=UnitStatus.ACTIVE, kind__in=GRASSROOTS_KINDS).order_by("path")
    )
    made = _progress(course, branches, now)
    made += _meetings(branches, today, units.get(VILLAGE))
    made += _checkins(today)
    made += _live_lessons(units.get(VILLAGE), course, now)
    return made


LIVE_TOPIC = "远程党课：学思想、强党性"
NEXT_TOPIC = "远程党课：重实践、办实事"


def _evening(day: dt.datetime, days: int) -> dt.datetime:
    """19:30 local time, ``days`` from ``day``: when herders are back from the pasture."""
    local = timezone.localtime(day) + dt.timedelta(days=days)
    return local.replace(hour=19, minute=30, second=0, microsecond=0)


def _live_lessons(village: Unit | None, course: Course, now: dt.datetime) -> int:
    """The demo village's remote Party lesson a week ago, with its attendance, and the next
    one in three days (scheduled through the service). The attendance is bulk, as above (the
    members have no logins), keeping the service's rules: the mobile members are remote, a
    catch-up only for who read the lesson to the end, one points entry per person."""
    if village is None or Meeting.objects.filter(unit=village, topic=LIVE_TOPIC).exists():
        return 0
    lesson = course.lessons.order_by("position").first()
    past_start = _evening(now, -7)
    past = services.meeting_schedule(
        acting_user=SYSTEM,
        unit=village,
        kind=MeetingKind.LESSON,
        topic=LIVE_TOPIC,
        starts_at=past_start,
        ends_at=past_start + dt.timedelta(hours=1),
        place="党群服务中心",
        online=True,
        lesson=lesson,
    )
    next_start = _evening(now, 3)
    services.meeting_schedule(
        acting_user=SYSTEM,
        unit=village,
        kind=MeetingKind.LESSON,
        topic=NEXT_TOPIC,
        starts_at=next_start,
        ends_at=next_start + dt.timedelta(hours=1),
        place="党群服务中心",
        online=True,
        lesson=lesson,
    )
    members = list(
        PartyMembership.objects.filter(unit=village).select_related("person").order_by("pk")
    )
    read = set(
        LessonProgress.objects.filter(lesson=lesson, reached_end=True).values_list(
            "person_id", flat=True
        )
    )
    rows, points = [], []
    per_act = DEFAULT_POINTS[Act.MEETING_ATTENDED][0]
    for i, m in enumerate(members):
        signed = past_start + dt.timedelta(minutes=i % 20)
        if m.is_mobile:
            status, via = AttendanceStatus.REMOTE, SignInVia.PHONE
        elif i % 4 == 0:
            status, via = AttendanceStatus.PRESENT, SignInVia.QR
        elif i % 4 == 1:
            status, via = AttendanceStatus.REMOTE, SignInVia.PHONE
        elif m.person_id in read:
            status, via = AttendanceStatus.REMOTE, SignInVia.CATCH_UP
            signed = past_start + dt.timedelta(days=2)
        else:
            status, via = AttendanceStatus.ABSENT, SignInVia.RECORD
        rows.append(
            Attendance(
                meeting=past,
                person_id=m.person_id,
                status=status,
                via=via,
                reason="" if status != AttendanceStatus.ABSENT else "外出放牧，待补学",
                signed_at=None if status == AttendanceStatus.ABSENT else signed,
            )
        )
        if status != AttendanceStatus.ABSENT:
            points.append(
                PointEntry(
                    person_id=m.person_id,
                    unit_id=m.person.unit_id,
                    unit_path=m.person.unit_path,
                    act=Act.MEETING_ATTENDED,
                    key=f"meeting:{past.pk}:{m.person_id}",
                    points=per_act,
                    day=timezone.localdate(signed),
                    note=LIVE_TOPIC,
                )
            )
    Attendance.objects.bulk_create(rows)
    PointEntry.objects.bulk_create(points)
    return 2 + len(rows)
