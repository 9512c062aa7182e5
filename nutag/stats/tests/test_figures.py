"""The figures stay exact through every kind of change: they always equal a plain recount."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nutag.core.actors import SYSTEM
from nutag.orgs import services as org_services
from nutag.orgs.models import CareCommittee, Unit
from nutag.people.models import CareTally, CareWorker, ElderCategory, Person
from nutag.people.services import CareInput, PersonInput, person_create, person_update
from nutag.people.tallies import care_tally_rebuild
from nutag.stats.selectors import unit_figures

pytestmark = pytest.mark.django_db


def recount(unit: Unit) -> tuple[dict[str, int], int, dict[str, int]]:
    """Row by row, in Python, without tallies or path ranges."""
    kinds = Counter(
        kind
        for path, kind, status in CareCommittee.objects.values_list(
            "unit__path", "unit__kind", "unit__status"
        )
        if path.startswith(unit.path) and status == "active"
    )
    participants, elders = 0, Counter()
    for care in CareWorker.objects.select_related("unit"):
        if care.unit.path.startswith(unit.path):
            participants += 1
            if care.elder_category:
                elders[care.elder_category] += 1
    return dict(kinds), participants, dict(elders)


def assert_exact(*units: Unit) -> None:
    for unit in units:
        unit = Unit.objects.get(pk=unit.pk)
        figures = unit_figures(unit=unit)
        kinds, participants, elders = recount(unit)
        assert {k: n for k, n in figures.committees_by_kind.items() if n} == kinds
        assert figures.participants == participants
        assert {k: n for k, n in figures.elders_by_category.items() if n} == elders


def test_figures_follow_creates_updates_moves_and_merges(cast):
    everyone = (
        cast.banner,
        cast.township1,
        cast.township2,
        cast.village1a,
        cast.village1b,
        cast.village2a,
    )
    assert_exact(*everyone)
    a = person_create(
        acting_user=SYSTEM,
        unit=cast.village1b,
        data=PersonInput(name="甲", care=CareInput("cadre")),
    )
    b = person_create(
        acting_user=SYSTEM, unit=cast.village2a, data=PersonInput(name="乙", care=CareInput())
    )
    assert_exact(*everyone)
    person_update(
        acting_user=SYSTEM,
        person=a,
        unit=cast.village1b,
        data=PersonInput(name="甲", care=CareInput("expert")),
    )
    assert_exact(*everyone)
    person_update(
        acting_user=SYSTEM,
        person=b,
        unit=cast.village1a,
        data=PersonInput(name="乙", care=CareInput()),
    )
    assert_exact(*everyone)
    person_update(acting_user=SYSTEM, person=a, unit=cast.village1b, data=PersonInput(name="甲"))
    assert_exact(*everyone)
    org_services.unit_move(acting_user=SYSTEM, unit=cast.village1a, new_parent=cast.township2)
    assert_exact(*everyone)
    org_services.unit_merge(acting_user=SYSTEM, unit=cast.village1a, into=cast.village2a)
    assert_exact(*everyone)


def test_rebuild_repairs_a_damaged_tally(cast):
    CareTally.objects.update(participants=999)
    care_tally_rebuild()
    assert_exact(cast.banner)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),  # which village
            st.sampled_from(["", *ElderCategory.values, None]),  # None: not a care worker
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_sequence_of_role_changes_keeps_figures_exact(cast, steps):
    villages = [cast.village1a, cast.village1b, cast.village2a]
    person = Person.objects.filter(name="随机").first()
    for village_index, category in steps:
        data = PersonInput(name="随机", care=None if category is None else CareInput(category))
        village = villages[village_index]
        if person is None:
            person = person_create(acting_user=SYSTEM, unit=village, data=data)
        else:
            person = person_update(acting_user=SYSTEM, person=person, unit=village, data=data)
        assert_exact(cast.banner, cast.township1, *villages)


def test_figures_are_the_units_subtree_rows_and_counted_without_them(
    cast, django_assert_num_queries
):
    """``unit_figures`` reads the unit's row of each subtree tally (one query); a unit whose
    rows are missing (written behind the services) is counted over the index ranges, with
    the same figures; a stale row is what it shows (the rows are really read)."""
    from nutag.orgs.models import UnitSubtreeTally
    from nutag.people.models import CareSubtreeTally

    township = Unit.objects.get(pk=cast.township1.pk)
    with django_assert_num_queries(1):
        kept = unit_figures(unit=township)
    assert_exact(cast.banner, township, cast.village1a)
    UnitSubtreeTally.objects.filter(unit=township).delete()
    CareSubtreeTally.objects.filter(unit=township).delete()
    with django_assert_num_queries(2):  # the rows, then the ranges
        counted = unit_figures(unit=township)
    assert counted == kept
    assert_exact(township)
    UnitSubtreeTally.objects.filter(unit=cast.banner).update(village=99)
    CareSubtreeTally.objects.filter(unit=cast.banner).update(participants=12345)
    stale = unit_figures(unit=Unit.objects.get(pk=cast.banner.pk))
    assert (stale.committees_by_kind["village"], stale.participants) == (99, 12345)
