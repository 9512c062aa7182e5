"""Residents' concerns, and study (courses, progress, points, 三会一课) of a year."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from nutag.demo.province import BulkWriter
from nutag.demo.province_activity.common import (
    ANSWER,
    CONCERN_TEXTS,
    CONCERNS_PER_PERSON,
    STUDY_SHARE,
    ActivityInfo,
    _banners,
    _Ids,
    _moment,
    _Sink,
    _Unit,
    copy_rows,
)


def _concerns(
    writer: BulkWriter, ids: _Ids, root: Any, units: Sequence[_Unit], people: dict[int, int],
    rng: random.Random, now: dt.datetime, info: ActivityInfo,
) -> None:  # fmt: skip
    from nutag.core.actors import SYSTEM
    from nutag.voice.models import Concern, ConcernCounter, ConcernState, ConcernStep, StepKind
    from nutag.voice.services import categories_ensure

    categories = categories_ensure(acting_user=SYSTEM, banner=root)
    concerns: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    counters: Counter[tuple[int, int]] = Counter()
    order = [ConcernState.RECEIVED, ConcernState.ACCEPTED, ConcernState.IN_PROGRESS,
             ConcernState.ANSWERED, ConcernState.CLOSED]  # fmt: skip
    for unit in units:
        if unit.kind not in ("village", "community"):
            continue
        count = int(people.get(unit.id, 0) * CONCERNS_PER_PERSON * rng.uniform(0.5, 1.5))
        moments = sorted(_moment(rng, now) for _ in range(count))
        first = ids.take(Concern, count)
        for n, created in enumerate(moments):
            year = timezone.localtime(created).year
            counters[(unit.id, year)] += 1
            category = rng.choice(categories)
            limit = created + dt.timedelta(days=category.days_limit)
            age_days = (now - created).days
            roll = rng.random()
            if age_days > 30:
                state = ConcernState.CLOSED if roll < 0.6 else ConcernState.ANSWERED
                state = ConcernState.IN_PROGRESS if roll > 0.97 else state
            else:  # the last month's: in every state
                state = order[min(4, int(roll * 5))]
            reached = order.index(state)
            at, trail = created, []
            for step_no, kind in enumerate(
                [StepKind.RECEIVED, StepKind.ACCEPTED, StepKind.IN_PROGRESS, StepKind.ANSWERED,
                 StepKind.CLOSED][: reached + 1]
            ):  # fmt: skip
                if step_no:
                    at = min(now, at + dt.timedelta(hours=rng.lognormvariate(3, 1)))
                trail.append((kind, at))
            answered_at = trail[3][1] if reached >= 3 else None
            closed_at = trail[4][1] if reached >= 4 else None
            pk = first + n
            concerns.append(
                {"id": pk, "number": f"{unit.code}-{year}-{counters[(unit.id, year)]:05d}",
                 "unit_id": unit.id, "unit_path": unit.path, "origin_id": unit.id,
                 "category_id": category.pk, "text": rng.choice(CONCERN_TEXTS),
                 "on_behalf": True, "state": state, "limit_at": limit, "due_at": limit,
                 "answer": ANSWER if answered_at else "", "answered_at": answered_at,
                 "rating": rng.choice([3, 4, 5, 5, 5]) if closed_at else None,
                 "closed_at": closed_at, "version": len(trail),
                 "created_at": created, "updated_at": trail[-1][1]}
            )  # fmt: skip
            for kind, when in trail:
                steps.append({"concern_id": pk, "kind": kind, "at": when, "unit_id": unit.id})
    first_step = ids.take(ConcernStep, len(steps))
    for n, row in enumerate(steps):
        row["id"] = first_step + n
    copy_rows(writer, Concern, concerns)
    copy_rows(writer, ConcernStep, steps)
    ConcernCounter.objects.bulk_create(  # the last number given at each unit in each year
        [ConcernCounter(unit_id=u, year=y, last=last) for (u, y), last in counters.items()],
        batch_size=5_000,
    )
    info.concerns, info.concern_steps = len(concerns), len(steps)


def _study(
    writer: BulkWriter, ids: _Ids, root: Any, units: Sequence[_Unit], level: dict[int, str],
    rng: random.Random, now: dt.datetime, info: ActivityInfo,
) -> None:  # fmt: skip
    from nutag.core.actors import SYSTEM
    from nutag.orgs.models import GRASSROOTS_KINDS, Unit
    from nutag.orgs.paths import subtree_q
    from nutag.people.models import PartyMembership
    from nutag.study import services
    from nutag.study.models import (
        DEFAULT_POINTS,
        RHYTHM,
        Act,
        Audience,
        CourseColumn,
        LessonProgress,
        Meeting,
        MeetingKind,
        PointEntry,
    )

    banners = _banners(units, level)
    lessons_of: dict[str, list[tuple[int, int]]] = {}  # banner path → (course id, lesson id)
    for banner in banners:
        banner_unit = Unit.objects.get(pk=banner.id)
        lessons_of[banner.path] = []
        for title, column in (("学习贯彻党的二十大精神", CourseColumn.THEMATIC),
                              ("基层党支部工作实务", CourseColumn.ONLINE_STUDY)):  # fmt: skip
            course = services.course_create(
                acting_user=SYSTEM, unit=banner_unit, title=title, audience=Audience.PARTY,
                summary="旗委部署，党员在线学习。", column=column, is_public=True,
            )  # fmt: skip
            info.courses += 1
            for n in range(3):
                lesson = services.lesson_add(
                    acting_user=SYSTEM, course=course, title=f"第{n + 1}讲", body="学习内容。",
                    minutes=15,
                )  # fmt: skip
                lessons_of[banner.path].append((course.pk, lesson.pk))
    depth = len(banners[0].path) if banners else 0
    progress, points = _Sink(writer, ids, LessonProgress), _Sink(writer, ids, PointEntry)
    per, _cap = DEFAULT_POINTS[Act.LESSON_COMPLETED]
    members = PartyMembership.objects.filter(subtree_q(root.path, "unit_path")).order_by("pk")
    for person_id, unit_id, path in members.values_list("person_id", "unit_id", "unit_path"):
        lessons = lessons_of.get(path[:depth])
        if not lessons or rng.random() >= STUDY_SHARE:
            continue
        start = now - dt.timedelta(days=rng.uniform(7, 300))  # a lesson a day from there
        for n, (course_id, lesson_id) in enumerate(lessons[: rng.randint(1, len(lessons))]):
            when = min(now, start + dt.timedelta(days=n, minutes=rng.randint(0, 600)))
            progress.add(
                {"person_id": person_id, "lesson_id": lesson_id, "course_id": course_id,
                 "unit_id": unit_id, "unit_path": path, "opened_at": when, "last_seen_at": when,
                 "seconds": 15 * 60, "reached_end": True, "completed_at": when}
            )  # fmt: skip
            # one lesson a day: always under the daily cap of the lesson act
            points.add(
                {"person_id": person_id, "unit_id": unit_id, "unit_path": path,
                 "act": Act.LESSON_COMPLETED, "key": f"lesson:{person_id}:{lesson_id}",
                 "points": per, "day": timezone.localtime(when).date(), "created_at": when}
            )  # fmt: skip
    info.lesson_progress, info.points = progress.flush(), points.flush()

    meetings = _Sink(writer, ids, Meeting)
    today = timezone.localtime(now).date()
    months = [(today.year - (today.month - m <= 0), (today.month - m - 1) % 12 + 1)
              for m in range(12)]  # fmt: skip
    for unit in units:
        if unit.kind not in GRASSROOTS_KINDS:
            continue
        skip = 0.3 if rng.random() < 0.25 else 0.0  # a quarter of the branches fall behind
        for year, month in months:
            for kind in MeetingKind.values:
                if RHYTHM[kind] == 3 and month % 3 != 1:
                    continue
                day = dt.date(year, month, rng.randint(1, 28))
                if day > today or rng.random() < skip:
                    continue
                stamp = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
                meetings.add(
                    {"unit_id": unit.id, "unit_path": unit.path, "kind": kind, "held_on": day,
                     "topic": f"{year}年{month}月{MeetingKind(kind).label}", "place": "党员活动室",
                     "created_at": stamp, "updated_at": stamp}
                )  # fmt: skip
    info.meetings = meetings.flush()
