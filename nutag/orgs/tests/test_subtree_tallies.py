"""The subtree tallies (active units by kind, care tallies summed over each subtree) stay
equal to a fresh recount through every write the services make: people added, moved and
removed from care work, care categories changed, units added, renamed to another kind,
closed, merged, moved (past shifting siblings) and deleted."""

from __future__ import annotations

from typing import Any

import pytest

from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory, make_care_worker, make_unit
from nutag.orgs import services
from nutag.orgs.models import Unit, UnitKind, UnitStatus, UnitSubtreeTally
from nutag.orgs.tallies import KIND_FIELDS, ancestor_paths, unit_tally_rebuild
from nutag.people.models import CareSubtreeTally, CareTally, CareWorker, ElderCategory
from nutag.people.services import CareInput, PersonInput, person_create, person_update
from nutag.people.tallies import CARE_FIELDS, care_tally_rebuild


def _stored() -> dict[str, Any]:
    return {
        "units": {
            r["unit_id"]: r
            for r in UnitSubtreeTally.objects.values("unit_id", "unit_path", *KIND_FIELDS)
        },
        "care": {
            r["unit_id"]: r
            for r in CareSubtreeTally.objects.values("unit_id", "unit_path", *CARE_FIELDS)
        },
    }


def _recounted() -> dict[str, Any]:
    """What the rebuild (from the units and the care workers themselves) gives."""
    care_tally_rebuild()
    unit_tally_rebuild()
    return _stored()


def _by_hand(unit: Unit) -> dict[str, int]:
    """Active units by kind and care workers of ``unit``'s subtree, counted from the rows."""
    units = Unit.objects.filter(path__startswith=unit.path, status=UnitStatus.ACTIVE)
    out = {k: units.filter(kind=k).count() for k in KIND_FIELDS}
    workers = CareWorker.objects.filter(unit__path__startswith=unit.path)
    out["participants"] = workers.count()
    for category in ElderCategory:
        out[category.value] = workers.filter(elder_category=category.value).count()
    return out


def _tallied(unit: Unit) -> dict[str, int]:
    kinds = UnitSubtreeTally.objects.values(*KIND_FIELDS).get(unit=unit)
    care = CareSubtreeTally.objects.values(*CARE_FIELDS).get(unit=unit)
    return {**kinds, **care}


def _assert_exact() -> None:
    stored = _stored()
    assert stored == _recounted()
    for unit in Unit.objects.all():
        assert _tallied(unit) == _by_hand(unit), unit


def _carer(unit: Unit, category: str = "") -> Any:
    return person_create(
        acting_user=SYSTEM,
        unit=unit,
        data=PersonInput(name="照料者", care=CareInput(elder_category=category)),
    )


def test_a_write_behind_the_services_is_caught_by_the_recount(cast):
    """The check can fail: a unit closed and a care worker added without the services leave
    the stored tallies behind the recount."""
    Unit.objects.filter(pk=cast.village1b.pk).update(status=UnitStatus.CLOSED)
    assert _stored() != _recounted()
    CareWorker.objects.create(
        person=PersonFactory(unit=cast.village1a),
        unit=cast.village1a,
        unit_path=cast.village1a.path,
    )
    stale = _stored()
    care_tally_rebuild()
    assert _stored() != stale


def test_every_unit_has_its_rows_and_the_root_counts_the_tree(cast):
    assert set(UnitSubtreeTally.objects.values_list("unit_id", flat=True)) == set(
        Unit.objects.values_list("pk", flat=True)
    )
    banner = _tallied(cast.banner)
    assert (banner["banner"], banner["township"], banner["village"], banner["school"]) == (
        1,
        2,
        3,
        1,
    )
    assert _tallied(cast.township1)["village"] == 2
    assert _tallied(cast.village1a)["banner"] == 0
    _assert_exact()


def test_people_in_care_work_added_changed_moved_and_removed(cast):
    assert _tallied(cast.banner)["participants"] == 1  # the cast's volunteer teacher
    a = _carer(cast.village1a, ElderCategory.TEACHER)
    _carer(cast.village1a)
    _carer(cast.village2a, ElderCategory.CADRE)
    make_care_worker(person=PersonFactory(unit=cast.township1), unit=cast.township1)
    assert _tallied(cast.banner)["participants"] == 5
    assert _tallied(cast.township1)["teacher"] == 2
    _assert_exact()
    # another category, then another unit, then out of care work
    data = PersonInput(name=a.name, care=CareInput(elder_category=ElderCategory.VETERAN))
    a = person_update(acting_user=SYSTEM, person=a, unit=a.unit, data=data)
    assert (_tallied(cast.township1)["teacher"], _tallied(cast.township1)["veteran"]) == (1, 1)
    _assert_exact()
    a = person_update(acting_user=SYSTEM, person=a, unit=cast.village2a, data=data)
    assert _tallied(cast.township2)["participants"] == 2
    assert _tallied(cast.township1)["participants"] == 3
    _assert_exact()
    person_update(acting_user=SYSTEM, person=a, unit=cast.village2a, data=PersonInput(name="x"))
    assert _tallied(cast.township2)["participants"] == 1
    _assert_exact()


def test_units_added_changed_closed_merged_moved_and_deleted(cast):
    _carer(cast.village1b, ElderCategory.EXPERT)
    extra = make_unit(parent=cast.township2, kind=UnitKind.VILLAGE, name="新村")
    _carer(extra, ElderCategory.MODEL_WORKER)
    assert _tallied(cast.banner)["village"] == 4
    _assert_exact()
    # a kind changed
    services.unit_update(acting_user=SYSTEM, unit=extra, name="新社区", kind=UnitKind.COMMUNITY)
    assert (_tallied(cast.township2)["village"], _tallied(cast.township2)["community"]) == (1, 1)
    _assert_exact()
    # a subtree moved under a unit whose children shift (codes sort before theirs)
    township3 = make_unit(
        parent=cast.banner, kind=UnitKind.TOWNSHIP, name="第三镇", code="150799050"
    )
    services.unit_move(acting_user=SYSTEM, unit=cast.township1, new_parent=township3)
    assert _tallied(township3)["village"] == 2 and _tallied(township3)["expert"] == 1
    assert _tallied(cast.banner)["village"] == 3 and _tallied(cast.banner)["community"] == 1
    _assert_exact()
    # merged: its people move, it closes, its units move too
    services.unit_merge(acting_user=SYSTEM, unit=cast.village1b, into=cast.village2a)
    assert _tallied(cast.township2)["expert"] == 1
    assert _tallied(township3)["village"] == 1
    _assert_exact()
    # closed, and deleted
    empty = make_unit(parent=cast.township2, kind=UnitKind.SCHOOL, name="空校")
    assert _tallied(cast.banner)["school"] == 2
    services.unit_close(acting_user=SYSTEM, unit=empty)
    assert _tallied(cast.banner)["school"] == 1
    added = make_unit(parent=township3, kind=UnitKind.ORGAN, name="误加")
    assert _tallied(cast.banner)["organ"] == 1
    services.unit_delete(acting_user=SYSTEM, unit=added)
    assert _tallied(township3)["organ"] == 0 and _tallied(cast.banner)["organ"] == 0
    _assert_exact()


@pytest.mark.parametrize("self_too", [True, False])
def test_ancestor_paths(self_too):
    paths = ancestor_paths("000100020003", self_too=self_too)
    assert paths[:2] == ["0001", "00010002"]
    assert ("000100020003" in paths) is self_too


def test_the_rebuild_repairs_missing_and_stale_rows(cast):
    expected = _stored()
    UnitSubtreeTally.objects.filter(unit=cast.township1).delete()
    CareSubtreeTally.objects.update(participants=999)
    CareTally.objects.update(participants=999)
    assert _recounted() == expected
