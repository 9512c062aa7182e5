"""The demo's bulk path (``nutag.demo.build.bulk_insert_people``) against the services.

The same planned people (those of one demo village) are written twice into a fresh unit: once
through the bulk path, once through ``person_create`` / ``position_assign`` /
``guardian_add``. What the services keep — the ``unit_path`` copies, the names' pinyin and
initials, the care tallies, the posts' access — must come out the same. The checks after a
whole demo load (tallies recounted, path copies, the tree) are in ``test_demo.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from nutag.core.actors import SYSTEM
from nutag.demo import build
from nutag.demo.plan import DemoPlan, PlannedGuardianship, plan_people
from nutag.factories import Cast
from nutag.orgs.models import Position, Unit, UnitKind
from nutag.orgs.services import position_assign, unit_create
from nutag.people.models import (
    CareTally,
    CareWorker,
    Guardianship,
    PartyMembership,
    Person,
    YoungPerson,
)
from nutag.people.services import guardian_add, person_create

pytestmark = pytest.mark.django_db

DEMO_VILLAGE = "150725100201"
TEST_CODE = "150799100203"
SKIP = {"id", "created_at", "updated_at"}


def _village_plan(code: str) -> DemoPlan:
    """The planned people, posts and guardianships of one demo village, moved to ``code``."""
    plan = plan_people()
    indexes = [i for i, p in enumerate(plan.people) if p.unit_code == DEMO_VILLAGE]
    new = {old: i for i, old in enumerate(indexes)}
    return DemoPlan(
        people=[dataclasses.replace(plan.people[i], unit_code=code) for i in indexes],
        positions=[
            dataclasses.replace(p, person=new[p.person], unit_code=code)
            for p in plan.positions
            if p.person in new
        ],
        guardianships=[
            PlannedGuardianship(new[g.young], new[g.guardian], g.relation)
            for g in plan.guardianships
            if g.young in new and g.guardian in new
        ],
        logins={},
    )


def _rows(queryset: Any, person_key: str = "person__id_number") -> list[tuple[Any, ...]]:
    """Rows as sorted tuples, the person named by ID number instead of a primary key."""
    rows = []
    for row in queryset.values(person_key, *_fields(queryset.model)):
        rows.append(tuple(sorted((k, str(v)) for k, v in row.items())))
    return sorted(rows)


def _fields(model: Any) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname not in SKIP and f.attname not in {"person_id", "young_id", "guardian_id"}
    ]


def _state(unit: Unit) -> dict[str, Any]:
    """Everything the services keep about the unit's people, in comparable form."""
    people = Person.objects.filter(unit=unit)
    tally = CareTally.objects.filter(unit=unit).values().first() or {}
    return {
        "people": _rows(people, person_key="id_number"),
        "roles": [
            _rows(model.objects.filter(person__in=people))
            for model in (PartyMembership, CareWorker, YoungPerson)
        ],
        "positions": _rows(Position.objects.filter(unit=unit)),
        "guardianships": sorted(
            Guardianship.objects.filter(guardian__in=people).values_list(
                "young__person__id_number", "guardian__id_number", "relation"
            )
        ),
        "tally": tally,
        "tree": Unit.objects.find_problems(),
    }


def _through_bulk(plan: DemoPlan, unit: Unit) -> None:
    build.bulk_insert_people(plan, {unit.code: unit})


def _through_services(plan: DemoPlan, unit: Unit, admin: Any) -> None:
    pks = [
        person_create(acting_user=admin, unit=unit, data=planned.data).pk for planned in plan.people
    ]
    for post in plan.positions:
        position_assign(
            acting_user=admin,
            unit=unit,
            person_id=pks[post.person],
            title=post.title,
            represents=post.represents,
            access=post.access,
            started_on=post.started_on,
        )
    for pair in plan.guardianships:
        guardian_add(
            acting_user=admin,
            young=Person.objects.get(pk=pks[pair.young]),
            guardian_id=pks[pair.guardian],
            relation=pair.relation,
        )


def _built(write: Callable[[], None], unit: Unit) -> dict[str, Any]:
    """Write, read the state, and roll the writing back (so both ways start alike)."""
    savepoint = transaction.savepoint()
    try:
        write()
        return _state(unit)
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.fixture
def unit(cast: Cast) -> Unit:
    return unit_create(
        acting_user=SYSTEM,
        parent=cast.township1,
        code=TEST_CODE,
        kind=UnitKind.VILLAGE,
        name="对照嘎查",
    )


@pytest.fixture
def plan() -> DemoPlan:
    plan = _village_plan(TEST_CODE)
    # the comparison means something only if every kind of row is there
    assert len(plan.people) > 20
    assert plan.positions and plan.guardianships
    roles = [p.data for p in plan.people]
    assert any(d.party for d in roles) and any(d.youth for d in roles)
    assert any(d.care and d.care.elder_category for d in roles)
    assert any(d.care and not d.care.elder_category for d in roles)
    return plan


def test_a_bulk_path_that_forgets_the_tallies_is_caught(
    plan: DemoPlan, unit: Unit, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "care_tally_refresh", lambda **_kwargs: None)
    bulk = _built(lambda: _through_bulk(plan, unit), unit)
    services = _built(lambda: _through_services(plan, unit, cast.admin), unit)
    assert bulk["tally"] != services["tally"]


def test_a_bulk_path_that_forgets_a_path_copy_is_caught(
    plan: DemoPlan, unit: Unit, cast: Cast
) -> None:
    def stale_paths() -> None:
        _through_bulk(plan, unit)
        CareWorker.objects.filter(unit=unit).update(unit_path=cast.township1.path)

    bulk = _built(stale_paths, unit)
    services = _built(lambda: _through_services(plan, unit, cast.admin), unit)
    assert bulk["roles"] != services["roles"]


def test_the_bulk_path_keeps_what_the_services_keep(plan: DemoPlan, unit: Unit, cast: Cast) -> None:
    bulk = _built(lambda: _through_bulk(plan, unit), unit)
    services = _built(lambda: _through_services(plan, unit, cast.admin), unit)
    assert bulk["tally"]["participants"] == sum(1 for p in plan.people if p.data.care)
    assert len(bulk["people"]) == len(plan.people)
    assert bulk == services
    assert bulk["tree"] == ([], [], [], [], [])


def test_the_bulk_path_skips_people_already_there(plan: DemoPlan, unit: Unit) -> None:
    first, created = build.bulk_insert_people(plan, {unit.code: unit})
    assert created == len(plan.people)
    before = _state(unit)
    again, created = build.bulk_insert_people(plan, {unit.code: unit})
    assert (again, created) == (first, 0)
    assert _state(unit) == before
