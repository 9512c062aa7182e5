"""Test data of the disclosure app, made through its services as the system."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.disclosure import services
from nutag.disclosure.models import Disclosure, DisclosureKind
from nutag.disclosure.periods import Period, parse_period
from nutag.orgs.models import Unit


def quarter(code: str = "2026-Q3") -> Period:
    period = parse_period(code)
    assert period is not None
    return period


def finance_draft(
    unit: Unit, *, code: str = "2026-Q3", income: str = "1000", spending: str = "600"
) -> Disclosure:
    d = services.disclosure_create(
        acting_user=SYSTEM,
        unit=unit,
        kind=DisclosureKind.FINANCE,
        period=quarter(code),
        title=f"{unit.name}{code}财务公开",
        income_total=Decimal(income),
        spending_total=Decimal(spending),
    )
    services.finance_line_add(
        acting_user=SYSTEM,
        disclosure=d,
        direction="income",
        item="上级转移支付",
        amount=Decimal(income),
    )
    services.finance_line_add(
        acting_user=SYSTEM,
        disclosure=d,
        direction="spending",
        item="办公费",
        amount=Decimal(spending),
    )
    services.subsidy_line_add(
        acting_user=SYSTEM,
        disclosure=d,
        household="张三丰",
        kind="草原生态补奖",
        amount=Decimal("300"),
    )
    return d


def signed(unit: Unit, **kw: str) -> Disclosure:
    d = finance_draft(unit, **kw)
    services.disclosure_submit(acting_user=SYSTEM, disclosure=d)
    return services.disclosure_sign_off(acting_user=SYSTEM, disclosure=d)


def signed_on(d: Disclosure, day: dt.date) -> Disclosure:
    """Pretend the sign-off happened on ``day`` (the calendar's tests)."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    Disclosure.objects.filter(pk=d.pk).update(signed_off_at=at)
    d.refresh_from_db()
    return d
