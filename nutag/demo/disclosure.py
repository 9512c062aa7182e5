"""Disclosure in the demo: the last quarter's finance disclosure of every village and
community, most signed off in time, about one in five late and one in eight still missing;
a project and a few subsidies in every fourth; the demo village's disclosure corrected once
(version 2 shows what changed).

Written through the services as ``SYSTEM``, the sign-offs back-dated with ``now``;
idempotent (nothing is made once the banner has a disclosure).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.disclosure import services
from nutag.disclosure.models import Disclosure, DisclosureKind
from nutag.disclosure.periods import calendar_quarters, due_date, due_days_for
from nutag.orgs.models import Unit, UnitKind
from nutag.orgs.paths import subtree_q

from .data import BANNER_CODE
from .site import VILLAGE

INCOME = [
    ("上级转移支付", 120000, 260000),
    ("集体草场承包费", 20000, 90000),
    ("村集体经济分红", 5000, 40000),
]
SPENDING = [
    ("村干部报酬", 30000, 60000),
    ("办公及水电费", 3000, 9000),
    ("道路维修", 10000, 80000),
    ("困难户慰问", 2000, 8000),
]
PROJECTS = [
    ("嘎查文化室修缮", "锡林郭勒建工有限公司"),
    ("牧区饮水井", "旗水务公司"),
    ("巷道硬化", ""),
]
SUBSIDIES = [
    ("巴特尔", "草原生态保护补奖"),
    ("乌云其其格", "草原生态保护补奖"),
    ("张建国", "低保"),
    ("苏和", "高龄津贴"),
]


def _at(day: dt.date, now: dt.datetime) -> dt.datetime:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))
    return min(at, now)


def ensure_disclosure(units: dict[str, Unit]) -> int:
    """Returns how many disclosures were made."""
    banner = units[BANNER_CODE]
    if Disclosure.objects.filter(subtree_q(banner.path, "unit_path")).exists():
        return 0
    rng = random.Random(19)  # noqa: S311 - a demo, not a secret
    now = timezone.now()
    period, _last = calendar_quarters(timezone.localdate())
    due = due_date(period, due_days_for(banner))
    places = sorted(
        (u for u in units.values() if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)),
        key=lambda u: u.code,
    )
    demo_village = units.get(VILLAGE)
    made = 0
    for i, unit in enumerate(places):
        if unit != demo_village and i % 8 == 7:
            continue  # missing: not published yet
        late = unit != demo_village and i % 5 == 3
        income = [(item, Decimal(rng.randrange(lo, hi, 100))) for item, lo, hi in INCOME]
        spending = [(item, Decimal(rng.randrange(lo, hi, 100))) for item, lo, hi in SPENDING]
        quarter = (period.start.month - 1) // 3 + 1
        d = services.disclosure_create(
            acting_user=SYSTEM,
            unit=unit,
            kind=DisclosureKind.FINANCE,
            period=period,
            title=f"{unit.name}{period.start.year}年第{quarter}季度财务公开",
            body="本季度收支情况如下，请村民监督。如有疑问，可点击条目旁的“询问”。",
            income_total=sum((a for _i, a in income), Decimal(0)),
            spending_total=sum((a for _i, a in spending), Decimal(0)),
        )
        for item, amount in income:
            services.finance_line_add(
                acting_user=SYSTEM, disclosure=d, direction="income", item=item, amount=amount
            )
        for item, amount in spending:
            services.finance_line_add(
                acting_user=SYSTEM, disclosure=d, direction="spending", item=item, amount=amount
            )
        if i % 4 == 0 or unit == demo_village:
            name, contractor = PROJECTS[i % len(PROJECTS)]
            services.project_line_add(
                acting_user=SYSTEM,
                disclosure=d,
                name=name,
                budget=Decimal(rng.randrange(50000, 300000, 1000)),
                contractor=contractor,
                progress=rng.choice([30, 60, 100]),
            )
            for household, kind in SUBSIDIES:
                services.subsidy_line_add(
                    acting_user=SYSTEM,
                    disclosure=d,
                    household=household,
                    kind=kind,
                    amount=Decimal(rng.randrange(800, 6000, 10)),
                )
        signed_day = (
            due + dt.timedelta(days=rng.randint(3, 25))
            if late
            else (period.end + dt.timedelta(days=rng.randint(2, max(2, (due - period.end).days))))
        )
        at = _at(signed_day, now)
        services.disclosure_submit(acting_user=SYSTEM, disclosure=d, now=at - dt.timedelta(days=1))
        services.disclosure_sign_off(acting_user=SYSTEM, disclosure=d, now=at)
        made += 1
        if unit == demo_village:
            made += _correct(d, at, now)
    return made


def _correct(first: Disclosure, signed: dt.datetime, now: dt.datetime) -> int:
    """The demo village found a mistake in its road repair figure: version 2."""
    second = services.disclosure_correct(
        acting_user=SYSTEM, disclosure=first, note="道路维修金额录入有误，更正为实际结算金额"
    )
    road = second.finance.get(item="道路维修")
    services.line_remove(
        acting_user=SYSTEM, disclosure=second, line_kind="finance", line_id=road.pk
    )
    corrected = road.amount - Decimal(1200)
    services.finance_line_add(
        acting_user=SYSTEM,
        disclosure=second,
        direction="spending",
        item="道路维修",
        amount=corrected,
    )
    services.disclosure_update(
        acting_user=SYSTEM,
        disclosure=second,
        title=second.title,
        body=second.body,
        income_total=second.income_total,
        spending_total=(second.spending_total or Decimal(0)) - Decimal(1200),
    )
    at = min(signed + dt.timedelta(days=6), now)
    services.disclosure_submit(
        acting_user=SYSTEM, disclosure=second, now=at - dt.timedelta(hours=2)
    )
    services.disclosure_sign_off(acting_user=SYSTEM, disclosure=second, now=at)
    return 1
