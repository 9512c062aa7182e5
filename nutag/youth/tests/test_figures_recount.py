"""The youth figures' fixed SQL against a straightforward recount through the ORM (issue 17):
a sibling's rows, an archived record, an ended pair and an activity after today are never
counted, and every figure equals the recount on a small tree with varied data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.factories import make_elder, make_youth_record
from nutag.orgs.models import Unit
from nutag.youth import services
from nutag.youth.models import (
    Activity,
    Circumstance,
    GoodDeed,
    Need,
    Pairing,
    RecordStatus,
    SignUp,
    Visit,
    YouthRecord,
)
from nutag.youth.selectors.figures import (
    SMALLEST_SHOWN,
    YouthFigures,
    _month_starts,
    youth_figures,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 7, 15)


def recount(unit: Unit, today: dt.date) -> YouthFigures:
    """Row by row through the ORM, ``startswith`` on the path."""
    under = {"unit_path__startswith": unit.path}
    records = YouthRecord.objects.filter(status=RecordStatus.ACTIVE, **under)
    by_code: dict[str, int] = {}
    names: dict[str, str] = {}
    for record in records.prefetch_related("circumstances"):
        for c in record.circumstances.all():
            by_code[c.code] = by_code.get(c.code, 0) + 1
            names[c.code] = c.name
    months = [first.strftime("%Y-%m") for first in _month_starts(today)]
    visits: dict[str, int] = {}
    for v in Visit.objects.filter(**under):
        key = v.visited_on.strftime("%Y-%m")
        if key in months:
            visits[key] = visits.get(key, 0) + 1
    deeds = [d for d in GoodDeed.objects.filter(**under) if d.done_on.year == today.year]
    held = [
        a
        for a in Activity.objects.filter(**under)
        if a.held_on.year == today.year and a.held_on <= today
    ]
    needs = list(Need.objects.filter(**under))
    return YouthFigures(
        young_people=records.count(),
        by_circumstance={k: n for k, n in sorted(by_code.items()) if n >= SMALLEST_SHOWN},
        pairs=Pairing.objects.filter(ended_on__isnull=True, **under).count(),
        visits_by_month={k: visits[k] for k in months if k in visits},
        needs=len(needs),
        needs_resolved=sum(n.resolved_on is not None for n in needs),
        good_deeds=len(deeds),
        people_helped=sum(d.people_helped for d in deeds),
        activities=len(held),
        participants=SignUp.objects.filter(activity__in=held, checked_in_at__isnull=False).count(),
        names=dict(sorted(names.items())),
    )


def _varied(cast):  # type: ignore[no-untyped-def]
    left_behind = Circumstance.objects.filter(code="left_behind")
    several = Circumstance.objects.filter(code__in=["left_behind", "law"])
    records = [
        make_youth_record(unit=cast.village1a, name=f"甲{i}", circumstances=left_behind)
        for i in range(3)
    ]
    records.append(make_youth_record(unit=cast.village1b, name="乙", circumstances=several))
    records.append(make_youth_record(unit=cast.village2a, name="丙", circumstances=several))
    archived = make_youth_record(unit=cast.village1a, name="丁", circumstances=left_behind)
    YouthRecord.objects.filter(pk=archived.pk).update(status=RecordStatus.ARCHIVED)
    make_youth_record(unit=cast.village1b, name="戊")  # no circumstance
    elder = make_elder(unit=cast.village1a, username="elder")
    other = make_elder(unit=cast.village2a, username="other")
    pair = services.pairing_create(
        acting_user=SYSTEM, record=records[0], elders=[elder], started_on=dt.date(2025, 1, 1)
    )
    ended = services.pairing_create(
        acting_user=SYSTEM, record=records[1], elders=[elder], started_on=dt.date(2025, 1, 1)
    )
    services.pairing_end(acting_user=SYSTEM, pairing=ended, ended_on=dt.date(2026, 3, 1))
    far = services.pairing_create(
        acting_user=SYSTEM, record=records[4], elders=[other], started_on=dt.date(2025, 1, 1)
    )
    for day in (
        dt.date(2026, 1, 31),  # before the six months
        dt.date(2026, 2, 1),
        dt.date(2026, 5, 31),
        dt.date(2026, 6, 1),
        dt.date(2026, 7, 15),
        dt.date(2026, 7, 16),  # after "today"
    ):
        services.visit_create(acting_user=SYSTEM, pairing=pair, visited_on=day, kind="home")
    services.visit_create(
        acting_user=SYSTEM, pairing=far, visited_on=dt.date(2026, 6, 2), kind="home"
    )
    need = services.need_create(acting_user=SYSTEM, record=records[0], need="冬衣")
    services.need_resolve(acting_user=SYSTEM, need=need, resource="捐赠")
    services.need_create(acting_user=SYSTEM, record=records[3], need="课本")
    services.need_create(acting_user=SYSTEM, record=records[4], need="学费")
    for unit, day, helped in (
        (cast.village1a, dt.date(2026, 3, 1), 4),
        (cast.township1, dt.date(2026, 5, 1), 2),
        (cast.village1a, dt.date(2025, 12, 31), 9),  # last year
        (cast.village2a, dt.date(2026, 3, 1), 7),
    ):
        GoodDeed.objects.create(
            unit=unit,
            unit_path=unit.path,
            done_on=day,
            kind="help",
            what="修",
            people_helped=helped,
        )
    for unit, day in (
        (cast.village1a, dt.date(2026, 6, 1)),
        (cast.village1a, dt.date(2026, 8, 1)),  # after "today"
        (cast.village2a, dt.date(2026, 6, 1)),
    ):
        activity = Activity.objects.create(
            unit=unit, unit_path=unit.path, kind="camp", title="夏令营", held_on=day, place="苏木"
        )
        for i, record in enumerate(records[:3]):
            SignUp.objects.create(
                activity=activity,
                young=record.young,
                unit_path=record.unit_path,
                checked_in_at=timezone.now() if i < 2 else None,
            )


def test_a_sibling_an_archived_record_and_an_ended_pair_are_never_counted(cast):
    _varied(cast)
    town = youth_figures(unit=cast.township1, today=TODAY)
    assert town.young_people == 5  # not the archived one, not the sibling township's
    assert town.by_circumstance == {"left_behind": 4}  # "law" once here: left out
    assert town.pairs == 1  # the ended pair left out
    assert town.visits_by_month == {"2026-02": 1, "2026-05": 1, "2026-06": 1, "2026-07": 2}
    assert (town.needs, town.needs_resolved) == (2, 1)
    assert (town.good_deeds, town.people_helped) == (2, 6)
    assert (town.activities, town.participants) == (1, 2)
    other = youth_figures(unit=cast.township2, today=TODAY)
    assert (other.young_people, other.pairs, other.needs, other.good_deeds) == (1, 1, 1, 1)


def test_the_fixed_sql_equals_the_recount(cast):
    assert youth_figures(unit=cast.banner, today=TODAY) == recount(cast.banner, TODAY)
    _varied(cast)
    for unit in (cast.banner, cast.township1, cast.township2, cast.village1a, cast.village1b):
        for today in (TODAY, dt.date(2026, 12, 31), dt.date(2027, 1, 10)):
            assert youth_figures(unit=unit, today=today) == recount(unit, today), unit.name
