"""The demo's roster details as offices keep them (issue 11): partial dates, other information.

- Party members of the demo township (巴彦库仁镇) whose joining is known only to the month or
  the year, as its old roster wrote them (入党时间 1975.07, 1986): the person page and the
  export show 1975年7月 and 1986年.
- Five elders of the township with "other information" from the extra columns of that roster
  (籍贯, 微信号): shown on their page and exported back.

Written through ``person_update`` (``acting_user=SYSTEM``, as the rest of the demo
until the services take ``SYSTEM``), so audit rows record it. Idempotent: a person already
carrying the details is left alone. Nothing here changes a count or a figure of the seed.
"""

from __future__ import annotations

import dataclasses

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.people.importing import person_input_of
from nutag.people.models import Person
from nutag.people.partial_dates import DatePrecision
from nutag.people.services import person_update

from .plan import LOGIN_UNITS

TOWNSHIP = LOGIN_UNITS["demo-township"]
PARTIAL_JOINED = [DatePrecision.MONTH, DatePrecision.MONTH, DatePrecision.YEAR] * 2
ORIGINS = ["呼伦贝尔", "陈巴尔虎旗", "鄂温克旗", "海拉尔", "新巴尔虎左旗"]


def ensure_roster_details(units: dict[str, Unit]) -> int:
    """Partial joining dates and other information for a few people; how many were changed."""
    township = units.get(TOWNSHIP)
    if township is None:
        return 0
    people = (
        Person.objects.filter(subtree_q(township.path, field="unit_path"))
        .select_related("unit", "party", "care", "youth")
        .order_by("pk")
    )
    changed = 0
    members = list(people.filter(party__joined_on__isnull=False)[: len(PARTIAL_JOINED)])
    for person, precision in zip(members, PARTIAL_JOINED, strict=False):
        if person.party.joined_on_precision != DatePrecision.DAY:
            continue
        data = person_input_of(person)
        if data.party is None:
            continue
        data.party = dataclasses.replace(data.party, joined_on_precision=precision)
        person_update(acting_user=SYSTEM, person=person, unit=person.unit, data=data)
        changed += 1
    elders = people.exclude(care__elder_category="").filter(care__isnull=False)
    for n, person in enumerate(elders[: len(ORIGINS)]):
        if person.extra:
            continue
        data = person_input_of(person)
        data.extra = {"籍贯": ORIGINS[n], "微信号": f"nutag-elder-{person.pk}"}
        person_update(acting_user=SYSTEM, person=person, unit=person.unit, data=data)
        changed += 1
    return changed
