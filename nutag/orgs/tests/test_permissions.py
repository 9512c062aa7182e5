"""Rights flow down the tree: a grant at a unit covers it and below, never a sibling or above."""

import pytest

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.orgs.paths import minimal_paths, subtree_q, successor
from nutag.orgs.permissions import Perm, can_restructure, has_unit_perm, units_where


def test_successor_carries():
    assert successor("0001") == "0002"
    assert successor("0009") == "000A"
    assert successor("000Z") == "0010"
    assert successor("ZZZZ") is None
    assert minimal_paths(["00010002", "0001", "0003"]) == ["0001", "0003"]


@pytest.mark.django_db
def test_subtree_q_matches_exactly_the_descendants(cast):
    for unit in Unit.objects.all():
        expected = set(Unit.objects.get_tree(unit).values_list("pk", flat=True))
        got = set(Unit.objects.filter(subtree_q(unit.path)).values_list("pk", flat=True))
        assert got == expected, unit


@pytest.mark.django_db
def test_anonymous_and_roleless_users_hold_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), cast.volunteer, cast.resident):
        for perm in Perm:
            assert not units_where(user=user, perm=perm).exists()
            assert not has_unit_perm(user=user, perm=perm, unit=cast.village1a)


@pytest.mark.django_db
def test_township_secretary_covers_its_villages_not_siblings_or_banner(cast):
    user = cast.township1_secretary
    assert has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=cast.village1a)
    assert has_unit_perm(user=user, perm=Perm.MANAGE_POSITIONS, unit=cast.township1)
    assert not has_unit_perm(user=user, perm=Perm.VIEW_PEOPLE, unit=cast.banner)
    assert not has_unit_perm(user=user, perm=Perm.VIEW_PEOPLE, unit=cast.township2)
    assert not has_unit_perm(user=user, perm=Perm.VIEW_PEOPLE, unit=cast.village2a)
    codes = set(units_where(user=user, perm=Perm.VIEW_UNIT).values_list("code", flat=True))
    assert codes == {
        cast.township1.code,
        cast.village1a.code,
        cast.village1b.code,
        cast.school1.code,
    }


@pytest.mark.django_db
def test_village_secretary_cannot_touch_sibling_village(cast):
    user = cast.village1a_secretary
    assert has_unit_perm(user=user, perm=Perm.MANAGE_POSITIONS, unit=cast.village1a)
    assert not has_unit_perm(user=user, perm=Perm.VIEW_PEOPLE, unit=cast.village1b)
    assert not has_unit_perm(user=user, perm=Perm.VIEW_PEOPLE, unit=cast.township1)
    # Restructuring a unit needs the right above it.
    assert not can_restructure(user=user, unit=cast.village1a)
    assert can_restructure(user=cast.township1_secretary, unit=cast.village1a)
    assert not can_restructure(user=cast.township1_secretary, unit=cast.township1)


@pytest.mark.django_db
def test_officer_sees_masked_id_but_not_history(cast):
    user = cast.village1a_officer
    assert has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=cast.village1a)
    assert not has_unit_perm(user=user, perm=Perm.VIEW_ID_NUMBER, unit=cast.village1a)
    assert not has_unit_perm(user=user, perm=Perm.VIEW_HISTORY, unit=cast.village1a)
    assert not has_unit_perm(user=user, perm=Perm.MANAGE_POSITIONS, unit=cast.village1a)


@pytest.mark.django_db
def test_ended_position_grants_nothing(cast):
    from nutag.orgs.models import Position
    from nutag.orgs.services import position_end

    position = Position.objects.get(person__user=cast.village2a_secretary)
    position_end(acting_user=SYSTEM, position=position)
    cast.village2a_secretary.refresh_from_db()
    assert not has_unit_perm(
        user=cast.village2a_secretary, perm=Perm.VIEW_UNIT, unit=cast.village2a
    )
