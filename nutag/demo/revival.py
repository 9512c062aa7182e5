"""The demo's revitalisation ledger: one township (demo-village's) with two dozen households
under watch across its villages — the three risk categories, their paired cadres (the
villages' and the township's position holders), measures of every kind, a season of visits,
two years of incomes (some under the monitoring line), and a few status changes (risk
removed, one household returned to poverty and back under watch).

Through the services with ``SYSTEM``; dates run back from the day of loading, so nothing is
in the future. Idempotent: nothing is made when the township already has a household in the
ledger. Heads are grown-up people of the roster, picked in a fixed order.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Position, Unit
from nutag.orgs.paths import subtree_q
from nutag.people.models import Person
from nutag.revival import services
from nutag.revival.models import HouseholdStatus, WatchedHousehold

from .site import VILLAGE

HOUSEHOLDS = 24
CATEGORIES = ["unstable"] * 12 + ["marginal"] * 9 + ["hardship"] * 3
MEASURES = [
    ("industry", "发放基础母牛两头，入股嘎查合作社", Decimal("16000")),
    ("jobs", "安排草原管护公益岗位", Decimal("9600")),
    ("schooling", "子女就读高中，落实雨露计划助学", Decimal("3000")),
    ("health", "慢性病签约家庭医生，大病保险二次报销", Decimal("4200")),
    ("housing", "危房改造验收合格", Decimal("25000")),
    ("social", "纳入农村低保，按月发放", Decimal("5400")),
]
VISIT_NOTES = [
    "入户了解接羔情况，母羊膘情一般，提醒备足草料",
    "核对今年打草和出栏收入，家里人身体都好",
    "孩子开学，学费已落实，家长务工在外",
    "老人住院回来，帮助办理报销手续",
    "查看暖棚修缮进度，商量合作社分红",
]
SOURCES = ["养殖", "养殖、务工", "公益岗位、养殖", "低保、养老金", "务工、合作社分红"]


def _cadres(township: Unit) -> dict[str, list[Person]]:
    """Position holders of the township and its villages, by unit path (the township's under
    its own path): a household is paired with its village's cadre, or the township's."""
    rows = (
        Position.objects.filter(subtree_q(township.path, "unit__path"), ended_on__isnull=True)
        .select_related("person", "unit")
        .order_by("unit__path", "pk")
    )
    found: dict[str, list[Person]] = {}
    for row in rows:
        found.setdefault(row.unit.path, [])
        if row.person not in found[row.unit.path]:
            found[row.unit.path].append(row.person)
    return found


def ensure_revival(units: dict[str, Unit]) -> int:
    village = units.get(VILLAGE)
    if village is None:
        return 0
    township = Unit.objects.get_parent(village)
    if (
        township is None
        or WatchedHousehold.objects.filter(subtree_q(township.path, "unit_path")).exists()
    ):
        return 0
    today = timezone.localdate()
    grown = today.replace(year=today.year - 25)
    villages = list(Unit.objects.get_children(township).order_by("path"))
    heads: list[Person] = []
    per_village = max(1, HOUSEHOLDS // max(1, len(villages)) + 1)
    for unit in villages:
        heads += list(
            Person.objects.filter(unit=unit, birth_date__lte=grown, watched_household__isnull=True)
            .select_related("unit")
            .order_by("pk")[:per_village]
        )
    heads = heads[:HOUSEHOLDS]
    cadres = _cadres(township)
    made = 0
    for i, head in enumerate(heads):
        household = services.household_create(
            acting_user=SYSTEM,
            head=head,
            category=CATEGORIES[i % len(CATEGORIES)],
            members=2 + i % 5,
            watched_since=today - dt.timedelta(days=700 - 7 * i),
            notes="",
        )
        made += 1
        pool = cadres.get(head.unit.path) or cadres.get(township.path) or []
        if pool:
            services.pairing_add(
                acting_user=SYSTEM,
                household=household,
                cadre=pool[i % len(pool)],
                started_on=household.watched_since,
            )
        for j in range(1 + i % 2):
            kind, description, amount = MEASURES[(i + j) % len(MEASURES)]
            services.measure_add(
                acting_user=SYSTEM,
                household=household,
                kind=kind,
                description=description,
                taken_on=today - dt.timedelta(days=300 - 40 * j - i),
                amount=amount,
            )
        for k in range(1 + i % 3):
            services.visit_add(
                acting_user=SYSTEM,
                household=household,
                visited_on=today - dt.timedelta(days=20 + 45 * k + i),
                notes=VISIT_NOTES[(i + k) % len(VISIT_NOTES)],
                cadre=pool[i % len(pool)] if pool else None,
            )
        base = 5600 + 230 * i
        for year, rise in ((today.year - 2, 0), (today.year - 1, 900)):
            services.income_set(
                acting_user=SYSTEM,
                household=household,
                year=year,
                per_capita=Decimal(base + rise),
                sources=SOURCES[i % len(SOURCES)],
            )
        if i % 6 == 5:
            services.household_status_change(
                acting_user=SYSTEM,
                household=household,
                to_status=HouseholdStatus.REMOVED,
                reason="连续两年人均纯收入高于监测线，两不愁三保障稳定",
                changed_on=today - dt.timedelta(days=60),
            )
        if i == 3:
            services.household_status_change(
                acting_user=SYSTEM,
                household=household,
                to_status=HouseholdStatus.RETURNED,
                reason="雪灾损失牲畜过半，家中老人重病",
                changed_on=today - dt.timedelta(days=120),
            )
            services.household_status_change(
                acting_user=SYSTEM,
                household=household,
                to_status=HouseholdStatus.WATCHED,
                reason="落实临时救助和产业补贴后重新纳入监测帮扶",
                changed_on=today - dt.timedelta(days=30),
            )
    return made
