"""Unit tree writes: create, move, merge, close, delete, positions — and their history."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from nutag.core.actors import SYSTEM
from nutag.core.models import AuditAction, AuditEntry
from nutag.factories import PersonFactory, make_unit, person_with_position
from nutag.orgs import services
from nutag.orgs.models import (
    Access,
    Branch,
    CareCommittee,
    Position,
    PositionTitle,
    Unit,
    UnitKind,
    UnitStatus,
)
from nutag.orgs.permissions import Perm, forget_grants, has_unit_perm
from nutag.orgs.selectors import seed_model_check, unit_history
from nutag.people.models import CareWorker, Person
from nutag.people.services import PersonInput, person_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """Messages are asserted in English here; other tests check the Chinese."""
    with translation.override("en"):
        yield


def test_create_refuses_a_bad_code_and_a_sibling_parent(cast):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            acting_user=cast.township1_secretary,
            parent=cast.township1,
            code="12AB",
            kind=UnitKind.VILLAGE,
            name="x",
        )
    assert "code" in exc.value.message_dict
    with pytest.raises(services.NotFound):
        services.unit_create(
            acting_user=cast.township1_secretary,
            parent=cast.township2,
            code="150799200299",
            kind=UnitKind.VILLAGE,
            name="越界嘎查",
        )
    with pytest.raises(ValidationError):  # duplicate code
        services.unit_create(
            acting_user=cast.township1_secretary,
            parent=cast.township1,
            code=cast.village2a.code,
            kind=UnitKind.VILLAGE,
            name="重复",
        )
    assert not Unit.objects.filter(name__in=["越界嘎查", "重复"]).exists()


def test_create_makes_both_bodies_and_an_audit_row(cast):
    unit = services.unit_create(
        acting_user=cast.township1_secretary,
        parent=cast.township1,
        code="１５０７９９１００２０９",  # full-width digits are normalised
        kind=UnitKind.VILLAGE,
        name="新嘎查",
    )
    assert unit.code == "150799100209"
    assert Branch.objects.filter(unit=unit).exists()
    assert CareCommittee.objects.filter(unit=unit).exists()
    entry = AuditEntry.objects.get(object_type="orgs.unit", object_id=str(unit.pk))
    assert entry.actor == cast.township1_secretary
    assert entry.changes["name"] == [None, "新嘎查"]


def test_update_records_before_and_after(cast):
    services.unit_update(acting_user=cast.village1a_secretary, unit=cast.village1a, name="一甲新名")
    entry = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_id=str(cast.village1a.pk)
    ).get()
    assert entry.changes == {"name": ["一甲嘎查", "一甲新名"]}
    with pytest.raises(services.NotFound):
        services.unit_update(acting_user=cast.village1a_secretary, unit=cast.village1b, name="x")
    with pytest.raises(services.NotFound):
        services.unit_update(acting_user=cast.village1a_officer, unit=cast.village1a, name="x")


def test_move_carries_people_paths_and_history(cast):
    person = PersonFactory(unit=cast.village1a, name="移动者")
    CareWorker.objects.create(person=person, unit=cast.village1a, unit_path=cast.village1a.path)
    services.unit_update(acting_user=SYSTEM, unit=cast.village1a, name="一甲嘎查")
    # township 1 secretary cannot move into township 2
    with pytest.raises(services.NotFound):
        services.unit_move(
            acting_user=cast.township1_secretary, unit=cast.village1a, new_parent=cast.township2
        )
    moved = services.unit_move(acting_user=SYSTEM, unit=cast.village1a, new_parent=cast.township2)
    assert moved.path.startswith(cast.township2.path)
    person.refresh_from_db()
    assert person.unit_path == moved.path
    assert CareWorker.objects.get(person=person).unit_path == moved.path
    # its history moved with it: township 2's secretary now reads it
    t2s = person_with_position(
        unit=cast.township2, title=PositionTitle.BRANCH_SECRETARY, username="t2s", name="二苏木书记"
    ).user
    entries = unit_history(user=t2s, unit=cast.township2)
    assert any(
        e.action == AuditAction.MOVE and e.object_id == str(cast.village1a.pk) for e in entries
    )
    forget_grants(cast.township1_secretary)
    assert not has_unit_perm(user=cast.township1_secretary, perm=Perm.VIEW_UNIT, unit=moved)


def _copies_in_step() -> None:
    """Every path copy (people, roles, audit rows, assessments) equals its unit's path."""
    from nutag.assess.models import Assessment

    for model in (Person, CareWorker, Assessment):
        for row in model.objects.select_related("unit"):
            assert row.unit_path == row.unit.path, (model.__name__, row.unit.name)
    paths = dict(Unit.objects.values_list("pk", "path"))
    for entry in AuditEntry.objects.filter(object_type="orgs.unit"):
        if int(entry.object_id) in paths:
            assert entry.unit_path == paths[int(entry.object_id)], entry


def test_moves_and_new_units_keep_every_path_copy_in_step(cast):
    """Units are kept sorted by code: a unit placed before its new siblings shifts them, with
    their subtrees, and the copies of their paths follow, as the moved unit's do."""
    from nutag.stats.tests.work import assess, assessment_round

    rnd = assessment_round(unit=cast.banner, year=2025)
    for unit in (cast.village1a, cast.village1b, cast.village2a, cast.school1):
        PersonFactory(unit=unit)
        assess(rnd, unit)
    # a unit below village 1b, with its people and an assessment
    hamlet = make_unit(
        parent=cast.village1b, kind=UnitKind.VILLAGE, name="小组", code="150799100100"
    )
    PersonFactory(unit=hamlet)
    assess(rnd, hamlet)
    before = cast.village1b.path
    # a new first child of township 1 shifts village 1a, village 1b (and the hamlet), school 1
    services.unit_create(
        acting_user=SYSTEM, parent=cast.township1, code="150799100200", kind="village", name="新村"
    )
    assert Unit.objects.get(pk=cast.village1b.pk).path != before
    _copies_in_step()
    # village 1a sorts before village 2a under township 2: village 2a shifts
    services.unit_move(acting_user=SYSTEM, unit=cast.village1a, new_parent=cast.township2)
    _copies_in_step()
    # the hamlet moves up to township 1, before every child there: its old parent shifts
    # while it is still inside it
    services.unit_move(acting_user=SYSTEM, unit=hamlet, new_parent=cast.township1)
    assert Unit.objects.get(pk=hamlet.pk).depth == 3
    _copies_in_step()
    # a merged unit's assessments stay with it (history), its children's follow them
    services.unit_merge(acting_user=SYSTEM, unit=cast.township1, into=cast.township2)
    _copies_in_step()


def test_move_under_itself_is_refused(cast):
    child = make_unit(parent=cast.village1a, kind=UnitKind.SCHOOL, name="村小")
    with pytest.raises(ValidationError):
        services.unit_move(acting_user=SYSTEM, unit=cast.village1a, new_parent=child)


def test_merge_moves_people_and_closes(cast):
    person = PersonFactory(unit=cast.village1b, name="并入者")
    services.unit_merge(
        acting_user=cast.township1_secretary, unit=cast.village1b, into=cast.village1a
    )
    cast.village1b.refresh_from_db()
    person.refresh_from_db()
    assert cast.village1b.status == UnitStatus.CLOSED
    assert cast.village1b.merged_into == cast.village1a
    assert person.unit == cast.village1a
    assert person.unit_path == cast.village1a.path
    # the closed unit is kept, with its history
    assert AuditEntry.objects.filter(
        object_id=str(cast.village1b.pk), action=AuditAction.MERGE
    ).exists()
    with pytest.raises(services.NotFound):  # village secretary cannot merge their own unit away
        services.unit_merge(
            acting_user=cast.village1a_secretary, unit=cast.village1a, into=cast.village1b
        )


def test_close_and_delete_refuse_units_with_people(cast):
    with pytest.raises(ValidationError) as exc:
        services.unit_close(acting_user=cast.township1_secretary, unit=cast.village1a)
    assert "people" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.unit_delete(acting_user=cast.township1_secretary, unit=cast.village1a)
    assert "people" in str(exc.value)
    assert Unit.objects.filter(pk=cast.village1a.pk, status=UnitStatus.ACTIVE).exists()


def test_delete_a_mistake_and_close_an_empty_unit(cast):
    mistake = services.unit_create(
        acting_user=cast.township1_secretary,
        parent=cast.township1,
        code="150799100288",
        kind="village",
        name="错建",
    )
    services.unit_delete(acting_user=cast.township1_secretary, unit=mistake)
    assert not Unit.objects.filter(code="150799100288").exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_repr="错建").exists()
    closed = services.unit_close(acting_user=cast.township1_secretary, unit=cast.village1b)
    assert closed.status == UnitStatus.CLOSED
    with pytest.raises(ValidationError):
        person_create(acting_user=SYSTEM, unit=closed, data=PersonInput(name="新人"))


def test_position_assign_replaces_single_holder_and_keeps_history(cast):
    p1 = PersonFactory(unit=cast.village1b, name="甲")
    p2 = PersonFactory(unit=cast.village1b, name="乙")
    first = services.position_assign(
        acting_user=cast.township1_secretary,
        unit=cast.village1b,
        person_id=p1.pk,
        title=PositionTitle.CHAIR,
    )
    assert first.access == Access.SECRETARY
    services.position_assign(
        acting_user=cast.township1_secretary,
        unit=cast.village1b,
        person_id=p2.pk,
        title=PositionTitle.CHAIR,
    )
    first.refresh_from_db()
    assert first.ended_on is not None
    assert (
        Position.objects.filter(
            unit=cast.village1b, title=PositionTitle.CHAIR, ended_on__isnull=True
        ).count()
        == 1
    )


def test_position_refuses_person_or_unit_out_of_reach(cast):
    outsider = PersonFactory(unit=cast.village2a, name="外人")
    with pytest.raises(services.NotFound):
        services.position_assign(
            acting_user=cast.township1_secretary,
            unit=cast.village1a,
            person_id=outsider.pk,
            title="member",
        )
    with pytest.raises(services.NotFound):
        services.position_assign(
            acting_user=cast.township1_secretary,
            unit=cast.village2a,
            person_id=outsider.pk,
            title="member",
        )
    with pytest.raises(ValidationError):
        mine = Person.objects.filter(unit=cast.village1a).first()
        services.position_assign(
            acting_user=cast.township1_secretary,
            unit=cast.village1a,
            person_id=mine.pk,
            title="emperor",
        )
    assert not Position.objects.filter(person=outsider).exists()


def test_seed_model_check_reports_why(cast):
    unit = cast.village1b
    sec = PersonFactory(unit=unit, name="书记")
    vice = PersonFactory(unit=unit, name="副主任", is_retired=True)
    services.position_assign(
        acting_user=SYSTEM, unit=unit, person_id=sec.pk, title=PositionTitle.BRANCH_SECRETARY
    )
    result = {r.unit.pk: r for r in seed_model_check(root=unit)}[unit.pk]
    assert not result.follows
    assert any("chair" in p for p in result.problems)
    services.position_assign(
        acting_user=SYSTEM, unit=unit, person_id=sec.pk, title=PositionTitle.CHAIR
    )
    services.position_assign(
        acting_user=SYSTEM, unit=unit, person_id=vice.pk, title=PositionTitle.EXEC_VICE_CHAIR
    )
    result = {r.unit.pk: r for r in seed_model_check(root=unit)}[unit.pk]
    assert result.problems == ["The executive vice-chair does not sit on the branch committee."]
    services.position_assign(
        acting_user=SYSTEM, unit=unit, person_id=vice.pk, title=PositionTitle.BRANCH_MEMBER
    )
    result = {r.unit.pk: r for r in seed_model_check(root=unit)}[unit.pk]
    assert result.follows


def test_seed_model_check_runs_fixed_queries(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        seed_model_check(root=cast.banner)


def test_merge_ends_terms_one_audit_row_each(cast):
    services.unit_merge(
        acting_user=cast.township1_secretary, unit=cast.village1a, into=cast.village1b
    )
    ended = Position.objects.filter(unit=cast.village1a)
    assert ended.count() == 2 and not ended.filter(ended_on__isnull=True).exists()
    for position in ended:
        entry = AuditEntry.objects.get(
            object_type="orgs.position", object_id=str(position.pk), action=AuditAction.UPDATE
        )
        assert entry.actor == cast.township1_secretary
        assert entry.changes["ended_on"][0] is None
