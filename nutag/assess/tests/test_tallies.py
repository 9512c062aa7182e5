"""The five-good tallies (``assess.FiveGoodTally``) stay equal to a recount of the
assessments after every service path: accept (passed or not), return, resubmit, reopen, a
unit moved, merged or closed, and ``rebuild_tallies``; and ``five_good()`` read from them
equals the figure counted assessment by assessment."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import pytest
from django.core.management import call_command

from nutag.assess.models import Assessment, AssessmentStatus, FiveGoodTally, StandardKind
from nutag.assess.services import assessments as assessment_services
from nutag.assess.tallies import five_good_tally_rebuild
from nutag.assess.tests.rounds_helpers import (
    assessment_of,
    defaults,
    open_round,
    review,
    submitted,
    this_year,
)
from nutag.core.actors import SYSTEM
from nutag.orgs import services as org_services
from nutag.orgs.models import Unit, UnitStatus
from nutag.stats.selectors import five_good

pytestmark = pytest.mark.django_db


def _recount() -> set[tuple[int, str, int, bool]]:
    """What the tallies must hold, from the assessments themselves."""
    passed: dict[tuple[int, int], bool] = defaultdict(bool)
    for a in Assessment.objects.filter(
        status=AssessmentStatus.ACCEPTED, round__standard__kind=StandardKind.FIVE_GOOD
    ).select_related("round"):
        passed[(a.unit_id, a.round.year)] |= bool(a.passed)
    paths = dict(Unit.objects.values_list("pk", "path"))
    return {(u, paths[u], y, p) for (u, y), p in passed.items()}


def _stored() -> set[tuple[int, str, int, bool]]:
    return set(FiveGoodTally.objects.values_list("unit_id", "unit_path", "year", "passed"))


def _brute_count(unit: Unit, year: int) -> int:
    """Five-good committees of ``unit``'s subtree in ``year``, one assessment at a time."""
    units = {
        u.pk: u
        for u in Unit.objects.all()
        if u.path.startswith(unit.path) and u.is_active and u.is_grassroots
    }
    return len(
        {
            a.unit_id
            for a in Assessment.objects.filter(
                status=AssessmentStatus.ACCEPTED,
                round__standard__kind=StandardKind.FIVE_GOOD,
                round__year=year,
                passed=True,
            )
            if a.unit_id in units
        }
    )


def _check(cast: Any, year: int) -> None:
    assert _stored() == _recount()
    for unit in (cast.banner, cast.township1, cast.township2, cast.village1a):
        unit = Unit.objects.get(pk=unit.pk)
        assert five_good(unit=unit, year=year).count == _brute_count(unit, year), unit


def test_nothing_is_tallied_before_an_acceptance(cast):
    round_ = open_round(cast.banner)
    submitted(assessment_of(round_, cast.village1a))
    review(
        submitted(assessment_of(round_, cast.village1b)),
        user=cast.township1_secretary,
        decision="return",
        comment="请补充",
    )
    assert not FiveGoodTally.objects.exists()
    _check(cast, this_year())


def test_accept_return_resubmit_and_reopen_keep_the_tally_exact(cast):
    year = this_year()
    round_ = open_round(cast.banner)
    good = submitted(assessment_of(round_, cast.village1a))
    review(good, user=cast.township1_secretary)  # full points: passed
    _check(cast, year)
    assert five_good(unit=cast.banner).count == 1
    weak = submitted(assessment_of(round_, cast.village1b))
    review(weak, user=cast.township1_secretary, score=lambda item: 1)  # accepted, failed
    _check(cast, year)
    assert five_good(unit=cast.banner).count == 1
    assert FiveGoodTally.objects.filter(passed=False).count() == 1
    # returned, sent again, accepted
    later = submitted(assessment_of(round_, cast.village2a))
    review(later, user=SYSTEM, decision="return", comment="请补充照片")
    _check(cast, year)
    later = submitted(assessment_of(round_, cast.village2a))
    review(later, user=SYSTEM)
    _check(cast, year)
    assert five_good(unit=cast.banner).count == 2
    # an acceptance taken back
    good = assessment_of(round_, cast.village1a)
    assessment_services.assessment_reopen(
        acting_user=cast.township1_secretary,
        assessment=good,
        comment="分数加错了",
        version=good.version,
    )
    _check(cast, year)
    assert five_good(unit=cast.banner).count == 1


def test_another_standard_kind_is_not_tallied(cast):
    other = defaults(cast.banner)[StandardKind.FOUR_IN_PLACE]
    round_ = open_round(cast.banner, other)
    review(submitted(assessment_of(round_, cast.village1a)), user=cast.township1_secretary)
    assert not FiveGoodTally.objects.exists()
    _check(cast, this_year())


def test_moved_merged_and_closed_units(cast):
    year = this_year()
    round_ = open_round(cast.banner)
    for unit in (cast.village1a, cast.village1b, cast.village2a):
        review(submitted(assessment_of(round_, unit)), user=SYSTEM)
    _check(cast, year)
    assert five_good(unit=cast.township1).count == 2
    # moved: the tally's path copy follows the unit
    org_services.unit_move(acting_user=SYSTEM, unit=cast.village1a, new_parent=cast.township2)
    _check(cast, year)
    assert five_good(unit=Unit.objects.get(pk=cast.township2.pk)).count == 2
    assert five_good(unit=Unit.objects.get(pk=cast.township1.pk)).count == 1
    # merged: the closed unit keeps its history, which no longer counts
    org_services.unit_merge(acting_user=SYSTEM, unit=cast.village1b, into=cast.village1a)
    assert Unit.objects.get(pk=cast.village1b.pk).status == UnitStatus.CLOSED
    _check(cast, year)
    assert five_good(unit=Unit.objects.get(pk=cast.township1.pk)).count == 0
    assert five_good(unit=cast.banner).count == 2


def test_rebuild_repairs_a_damaged_tally(cast):
    year = this_year()
    round_ = open_round(cast.banner)
    for unit in (cast.village1a, cast.village2a):
        review(submitted(assessment_of(round_, unit)), user=SYSTEM)
    expected = _stored()
    FiveGoodTally.objects.filter(unit=cast.village1a).update(passed=False)
    FiveGoodTally.objects.create(unit=cast.school1, unit_path=cast.school1.path, year=year)
    assert _stored() != expected
    assessed = Assessment.objects.values("unit_id").distinct().count()  # every committee below
    assert five_good_tally_rebuild() == assessed
    assert _stored() == expected
    FiveGoodTally.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert f"five_good: recounted {assessed} units." in out.getvalue()
    assert "care: recounted" in out.getvalue()
    assert _stored() == expected
    _check(cast, year)
