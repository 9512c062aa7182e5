"""Five-good committees and their rate: what counts, over which base, for which year."""

from __future__ import annotations

import pytest

from nutag.assess.models import AssessmentStatus, StandardKind
from nutag.factories import make_unit
from nutag.orgs.models import NON_GRASSROOTS_KINDS, Unit, UnitKind, UnitStatus
from nutag.orgs.registry import tally_rebuilds
from nutag.stats.selectors import FiveGood, five_good, five_good_change, unit_figures
from nutag.stats.tests.work import assess, assessment_round, standard

pytestmark = pytest.mark.django_db


def test_grassroots_means_below_township_level_sub_districts_included():
    assert {UnitKind.BANNER, UnitKind.TOWNSHIP} == NON_GRASSROOTS_KINDS
    assert not Unit(kind=UnitKind.BANNER).is_grassroots
    assert not Unit(kind=UnitKind.TOWNSHIP).is_grassroots
    assert Unit(kind=UnitKind.SUBDISTRICT).is_grassroots
    assert all(Unit(kind=k).is_grassroots for k in UnitKind if k not in NON_GRASSROOTS_KINDS)
    # the seed: 83 of its 118 grassroots committees make the 70% it reports (the demo's
    # tests check the 118 of 126: nutag/demo/tests/test_demo.py)
    assert FiveGood.of(count=83, base=118, year=2025).rate == 0.703


def test_nothing_assessed_yet(cast):
    assert five_good(unit=cast.banner) == FiveGood(count=0, base=4, rate=0.0, year=None)


def test_returned_draft_submitted_and_failed_assessments_do_not_count(cast):
    rnd = assessment_round(unit=cast.banner, year=2025)
    assess(rnd, cast.village1a, status=AssessmentStatus.DRAFT)
    assess(rnd, cast.village1b, status=AssessmentStatus.SUBMITTED)
    assess(rnd, cast.village2a, status=AssessmentStatus.RETURNED)
    assess(rnd, cast.school1, passed=False)
    assert five_good(unit=cast.banner) == FiveGood(count=0, base=4, rate=0.0, year=2025)


def test_accepted_and_passed_counts_once_even_in_two_rounds(cast):
    banner_round = assessment_round(unit=cast.banner, year=2025)
    township_round = assessment_round(unit=cast.township1, year=2025)
    assess(banner_round, cast.village1a)
    assess(banner_round, cast.village2a)
    assess(township_round, cast.village1a)
    assess(township_round, cast.village1b)
    # village 1a once: 3, not the rounds' 2 + 2 (the rounds' subtree tallies cannot tell)
    assert five_good(unit=cast.banner) == FiveGood(count=3, base=4, rate=0.75, year=2025)
    assert five_good(unit=cast.township1) == FiveGood(count=2, base=3, rate=0.667, year=2025)
    assert five_good(unit=cast.township2) == FiveGood(count=1, base=1, rate=1.0, year=2025)


def test_only_five_good_standards_count(cast):
    other = standard(unit=cast.banner, kind=StandardKind.FOUR_IN_PLACE)
    rnd = assessment_round(unit=cast.banner, year=2025, std=other)
    for unit in (cast.village1a, cast.village1b, cast.village2a, cast.school1):
        assess(rnd, unit)
    assert five_good(unit=cast.banner).count == 0
    assert five_good(unit=cast.banner).year is None


def test_the_latest_year_with_an_accepted_assessment_is_used(cast):
    old = assessment_round(unit=cast.banner, year=2024)
    assess(old, cast.village1a)
    assess(old, cast.village1b)
    mid = assessment_round(unit=cast.banner, year=2025)
    assess(mid, cast.village1a)
    assess(mid, cast.village1b, passed=False)
    new = assessment_round(unit=cast.banner, year=2026)  # under way: nothing accepted yet
    assess(new, cast.village1a, status=AssessmentStatus.SUBMITTED)
    assert five_good(unit=cast.banner) == FiveGood(count=1, base=4, rate=0.25, year=2025)
    assert five_good(unit=cast.banner, year=2024) == FiveGood(count=2, base=4, rate=0.5, year=2024)
    assert five_good(unit=cast.banner, year=2026).count == 0
    change = five_good_change(unit=cast.banner)
    assert (change.previous.count, change.current.count, change.count) == (2, 1, -1)
    assert change.rate == -0.25
    # the latest year is the subtree's own: township 2 has none accepted at all
    assert five_good(unit=cast.township2).year is None


def test_closed_units_are_out_of_count_and_base(cast):
    rnd = assessment_round(unit=cast.banner, year=2025)
    assess(rnd, cast.village1a)
    assess(rnd, cast.village1b)
    Unit.objects.filter(pk=cast.village1b.pk).update(status=UnitStatus.CLOSED)
    for rebuild in tally_rebuilds().values():  # closed behind the services: recounted
        rebuild()
    assert five_good(unit=cast.banner) == FiveGood(count=1, base=3, rate=0.333, year=2025)


def test_base_excludes_banner_and_townships_but_includes_sub_districts(cast):
    rnd = assessment_round(unit=cast.banner, year=2025)
    assess(rnd, cast.township1)
    assess(rnd, cast.township2)
    district = make_unit(parent=cast.banner, kind=UnitKind.SUBDISTRICT, name="街道")
    community = make_unit(parent=district, kind=UnitKind.COMMUNITY, name="社区")
    assess(rnd, district)
    assess(rnd, community)
    assert five_good(unit=cast.banner) == FiveGood(count=2, base=6, rate=0.333, year=2025)
    assert five_good(unit=district) == FiveGood(count=2, base=2, rate=1.0, year=2025)
    # the township's own assessment neither counts nor sets the year
    assert five_good(unit=cast.township1) == FiveGood(count=0, base=3, rate=0.0, year=None)


def test_the_subtree_stops_at_its_edge(cast):
    rnd = assessment_round(unit=cast.banner, year=2025)
    assess(rnd, cast.village2a)
    assert five_good(unit=cast.township1).count == 0
    assert five_good(unit=cast.township2).count == 1
    assert five_good(unit=cast.village1a) == FiveGood(count=0, base=1, rate=0.0, year=None)


def test_two_queries_or_one_with_the_figures(cast, django_assert_num_queries):
    rnd = assessment_round(unit=cast.banner, year=2025)
    assess(rnd, cast.village1a)
    with django_assert_num_queries(2):  # grassroots committees, five-good by year
        assert five_good(unit=cast.banner).count == 1
    figures = unit_figures(unit=cast.banner)
    with django_assert_num_queries(1):
        assert five_good(unit=cast.banner, figures=figures).count == 1
