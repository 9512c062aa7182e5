"""The demo's mutual aid and emergencies: the lost-sheep notice at demo-village (a request with
the ear tags and marks), a couple of other requests and offers (one met), and a past snowstorm
emergency from the township over demo-village and its neighbours, closed, with the answers of
some of its people (safe, one needing help).

Through the services with ``SYSTEM``; the emergency is published without notifications (it is
in the past). Idempotent: nothing is made when demo-village already has aid posts.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.people.models import Person
from nutag.voice.models import AidPost, Emergency
from nutag.voice.services import aid, emergencies

from .site import OTHER_VILLAGE, VILLAGE

LOST_SHEEP = "走失5只羊，黑头白身"


def ensure_aid(units: dict[str, Unit]) -> int:
    village = units.get(VILLAGE)
    if village is None or AidPost.objects.filter(unit=village).exists():
        return 0
    other = units.get(OTHER_VILLAGE) or village
    now = timezone.now()
    made = [
        aid.aid_post_create(
            acting_user=SYSTEM,
            unit=village,
            kind="request",
            topic="lost",
            title=LOST_SHEEP,
            text="前天夜里刮大风，羊群从西边草场跑散，少了5只。见到的请告诉村委会或打电话。",
            marks="耳标 150725-0318 至 0322，右耳剪口，背上红色记号",
            contact="村委会转巴特尔",
            now=now - dt.timedelta(days=2),
        ),
        aid.aid_post_create(
            acting_user=SYSTEM,
            unit=village,
            kind="offer",
            topic="fodder",
            title="有两车青干草出售",
            text="今年打的草，捆好了，可以送到冬营地。",
            contact="三队其其格",
            now=now - dt.timedelta(days=6),
        ),
        aid.aid_post_create(
            acting_user=SYSTEM,
            unit=village,
            kind="offer",
            topic="transport",
            title="皮卡车周末可借用拉水",
            now=now - dt.timedelta(days=9),
        ),
    ]
    vet = aid.aid_post_create(
        acting_user=SYSTEM,
        unit=other,
        kind="request",
        topic="vet",
        title="母牛难产，急找兽医",
        now=now - dt.timedelta(days=20),
    )
    aid.aid_post_close(acting_user=SYSTEM, post=vet, now=now - dt.timedelta(days=19))
    made.append(vet)
    _past_emergency(village, now)
    return len(made)


def _past_emergency(village: Unit, now: dt.datetime) -> None:
    if Emergency.objects.filter(origin=village).exists():
        return
    day = now - dt.timedelta(days=40)
    radius = "neighbours" if village.depth > 1 else "unit"
    emergency = emergencies.emergency_publish(
        acting_user=SYSTEM,
        unit=village,
        kind="snowstorm",
        radius=radius,
        text="今晚到明天有暴风雪，请把牲畜赶回棚圈，不要外出放牧；需要帮助请在这里回复。",
        now=day,
        notify=False,
    )
    people = list(Person.objects.filter(unit=village).order_by("pk")[:12])
    for i, person in enumerate(people):
        emergencies.emergency_mark(
            acting_user=SYSTEM,
            emergency=emergency,
            person=person,
            status="help" if i == 3 else "safe",
            note="棚圈顶被压塌，羊在外面" if i == 3 else "",
            now=day + dt.timedelta(hours=2 + i),
        )
    emergencies.emergency_close(
        acting_user=SYSTEM, emergency=emergency, now=day + dt.timedelta(days=2)
    )
