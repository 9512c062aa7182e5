"""The demo's residents' concerns: a season (the last ~90 days) of concerns in every state
across the banner's villages and communities, so the board, the officers' lists and the
dashboard's figures show something real.

- ``SEASON`` concerns, placed deterministically (``random.Random(13)``) on villages and
  communities, each raised for a resident of that unit by its officers (a phone call or a
  visit: the system acts for them) or, at demo-village, by demo-resident's own login;
- each is taken as far as its planned state through the services (accepted, in progress,
  answered, closed with a rating, reopened); the open ones from early in the season are past
  their limit: the dashboard counts them overdue until the escalation job (``run_worker``)
  passes them up;
- the services stamp today's time, so one ``UPDATE`` per concern then moves its dates back
  to its day in the season (created, steps, answered, closed, limits), which is what the
  figures (median time to answer, share within the limit) read.

And an open village poll (议事) at demo-village: where to drill the new well.

Idempotent: no concern is made when the banner already has some; the poll is found by its
question.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit, UnitKind
from nutag.orgs.paths import subtree_q
from nutag.people.models import Person
from nutag.voice import services
from nutag.voice.models import Concern, ConcernState, ConcernStep, Poll

from .data import BANNER_CODE
from .site import VILLAGE

SEASON = 72

TEXTS: dict[str, list[str]] = {
    "roads": [
        "去冬营地的砂石路被雨水冲断了一段，拉草的车过不去。",
        "村口的桥护栏坏了，晚上看不清。",
    ],
    "water": [
        "三队的机井水泵坏了，牲畜饮水要赶到十公里外。",
        "自来水这几天有异味，老人孩子不敢喝。",
    ],
    "pasture": ["邻旗的牛群越界进了我家的打草场。", "草原鼠害严重，希望安排灭鼠。"],
    "schooling": ["孩子在旗里上学，周末接送的班车停了。", "寄宿学校冬天宿舍暖气不热。"],
    "health": ["卫生室的医生调走了，看病要去苏木。", "家里老人需要慢病药，村里买不到。"],
    "social_security": ["养老保险缴费记录少了一年，请帮忙查一下。", "低保复核结果还没有通知。"],
    "young_people": ["放假的孩子在网吧待到很晚，希望组织些活动。", "留守孩子的作业没人辅导。"],
    "other": ["冬季转场时间希望提前通知。", "村务公开栏很久没更新了。"],
}
ANSWERS = [
    "已联系苏木安排维修，预计本周内完成。",
    "已核实情况，村委会明天上门处理。",
    "已转相关部门，答复如下：已纳入本月工作安排。",
    "已协调解决，请您查看，有问题随时反映。",
]
# (state, share of the season): what the demo shows across the banner
STATES = [
    (ConcernState.CLOSED, 0.35),
    (ConcernState.ANSWERED, 0.2),
    (ConcernState.IN_PROGRESS, 0.12),
    (ConcernState.ACCEPTED, 0.1),
    (ConcernState.RECEIVED, 0.13),
    (ConcernState.REOPENED, 0.1),
]


POLL_QUESTION = "嘎查新打的机井建在哪里？"
POLL_OPTIONS = ["一队冬营地旁", "二队夏营地路口", "嘎查委员会院内"]


def ensure_poll(village: Unit | None) -> int:
    """An open poll at demo-village (a week from today), unless it has one open."""
    if village is None or Poll.objects.filter(unit=village, question=POLL_QUESTION).exists():
        return 0
    now = timezone.now()
    services.poll_create(
        acting_user=SYSTEM,
        unit=village,
        question=POLL_QUESTION,
        options=POLL_OPTIONS,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
    )
    return 1


def ensure_voice(units: dict[str, Unit]) -> int:
    """A season of concerns, unless the banner has some already, and the open poll.
    Returns how many things were made."""
    banner = units[BANNER_CODE]
    polls = ensure_poll(units.get(VILLAGE))
    if Concern.objects.filter(subtree_q(banner.path, "unit_path")).exists():
        return polls
    rng = random.Random(13)  # noqa: S311 - a demo, not a secret
    categories = services.categories_ensure(acting_user=SYSTEM, banner=banner)
    places = sorted(
        (u for u in units.values() if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)),
        key=lambda u: u.code,
    )
    village = units.get(VILLAGE)
    resident = get_user_model().objects.filter(username="demo-resident").first()
    now = timezone.now()
    plan = [state for state, share in STATES for _ in range(round(SEASON * share))]
    made = 0
    for i, state in enumerate(plan):
        unit = village if village is not None and i % 6 == 0 else rng.choice(places)
        category = rng.choice(categories)
        created = now - dt.timedelta(days=rng.randint(1, 90), hours=rng.randint(0, 12))
        mine = unit == village and resident is not None and i % 12 == 0
        person = (
            None
            if mine
            else Person.objects.filter(unit=unit, is_resident=True).order_by("pk").first()
        )
        concern = services.concern_submit(
            acting_user=resident if mine and resident is not None else SYSTEM,
            unit=unit,
            category=category,
            text=rng.choice(TEXTS[category.key]),
            is_public=unit == village or rng.random() < 0.5,
            person=person,
            now=created,
        ).concern
        answer_hours = rng.choice([6, 20, 30, 52, 80, 120, 200, 400])
        _advance(concern, state, rng, actor=resident if mine else SYSTEM)
        _backdate(concern, created, answer_hours)
        made += 1
    return made + polls


def _advance(concern: Concern, state: str, rng: random.Random, *, actor: object) -> None:
    if state == ConcernState.RECEIVED:
        return
    concern = services.concern_accept(acting_user=SYSTEM, concern=concern, version=concern.version)
    if state == ConcernState.ACCEPTED:
        return
    concern = services.concern_start(acting_user=SYSTEM, concern=concern, version=concern.version)
    if state == ConcernState.IN_PROGRESS:
        return
    concern = services.concern_answer(
        acting_user=SYSTEM, concern=concern, version=concern.version, answer=rng.choice(ANSWERS)
    )
    if state == ConcernState.ANSWERED:
        return
    if state == ConcernState.REOPENED:
        services.concern_reopen(
            acting_user=SYSTEM,
            concern=concern,
            version=concern.version,
            note="修了又坏了，还是不行。",
        )
        return
    services.concern_close(
        acting_user=SYSTEM,
        concern=concern,
        version=concern.version,
        rating=rng.choice([5, 5, 4, 4, 3, 2]),
        comment=rng.choice(["谢谢", "解决得很快", "", "还算满意"]),
    )


def _backdate(concern: Concern, created: dt.datetime, answer_hours: int) -> None:
    """Move the concern's dates from today back to its day in the season."""
    concern.refresh_from_db()
    limit = created + dt.timedelta(days=concern.category.days_limit)
    answered = created + dt.timedelta(hours=answer_hours) if concern.answered_at else None
    fields: dict[str, object] = {"created_at": created, "limit_at": limit}
    if concern.state in (ConcernState.RECEIVED, ConcernState.ACCEPTED, ConcernState.IN_PROGRESS):
        fields["due_at"] = limit
    if answered is not None:
        fields["answered_at"] = answered
    if concern.closed_at:
        fields["closed_at"] = answered + dt.timedelta(hours=20) if answered else created
    Concern.objects.filter(pk=concern.pk).update(**fields)
    steps = list(concern.steps.order_by("at", "id"))
    last = answered or created + dt.timedelta(hours=answer_hours)
    for n, step in enumerate(steps):
        at = created + (last - created) * n / max(len(steps) - 1, 1) if n else created
        ConcernStep.objects.filter(pk=step.pk).update(at=at)
