"""Figure generations (``nutag.orgs.figures``): a change reaches the units that count it —
the unit and every unit above it, every unit below for subtree-wide changes — and no other."""

from __future__ import annotations

from typing import Any

import pytest

from nutag.core.actors import SYSTEM
from nutag.core.audit import audit_record
from nutag.core.models import AuditAction
from nutag.orgs import figures
from nutag.orgs.models import Unit

pytestmark = pytest.mark.django_db


def versions(*units: Unit, with_parent: bool = False) -> list[str]:
    return [figures.figures_version(path=u.path, with_parent=with_parent) for u in units]


def test_the_path_step_is_the_trees() -> None:
    assert Unit.steplen == figures.STEP


def test_a_change_reaches_the_unit_and_those_above_it_only(cast: Any) -> None:
    before = versions(cast.village1a, cast.township1, cast.banner, cast.village1b, cast.township2)
    figures.figures_changed(unit_paths=[cast.village1a.path])
    after = versions(cast.village1a, cast.township1, cast.banner, cast.village1b, cast.township2)
    changed = [b != a for b, a in zip(before, after, strict=True)]
    assert changed == [True, True, True, False, False]


def test_with_the_parent_a_siblings_change_counts(cast: Any) -> None:
    before = versions(cast.village1b, with_parent=True) + versions(cast.village2a, with_parent=True)
    figures.figures_changed(unit_paths=[cast.village1a.path])
    after = versions(cast.village1b, with_parent=True) + versions(cast.village2a, with_parent=True)
    assert [before[0] != after[0], before[1] != after[1]] == [True, False]


def test_a_subtree_change_reaches_every_unit_below(cast: Any) -> None:
    before = versions(cast.village1a, cast.school1, cast.village2a, cast.banner)
    figures.figures_changed(unit_paths=[cast.township1.path], subtree=True)
    after = versions(cast.village1a, cast.school1, cast.village2a, cast.banner)
    changed = [b != a for b, a in zip(before, after, strict=True)]
    assert changed == [True, True, False, True]


def test_everywhere_and_unit_changes_reach_every_unit(cast: Any) -> None:
    before = versions(cast.village2a, cast.banner)
    figures.figures_changed_everywhere()
    middle = versions(cast.village2a, cast.banner)
    cast.school1.name = "改名学校"
    cast.school1.save()
    after = versions(cast.village2a, cast.banner)
    assert before[0] != middle[0] != after[0] and before[1] != middle[1] != after[1]


def test_audited_writes_of_a_source_count_others_do_not(cast: Any) -> None:
    from nutag.factories import PersonFactory
    from nutag.stats.tests.work import assess, assessment_round

    row = assess(assessment_round(unit=cast.banner, year=2025), cast.village1a)
    person = PersonFactory(unit=cast.village1a)
    before = versions(cast.village1a)
    # an audit row about something that is not a figure source changes nothing
    audit_record(actor=SYSTEM, action=AuditAction.UPDATE, obj=person, unit=cast.village1a)
    assert versions(cast.village1a) == before
    # an audit row about an assessment (as a compare-and-set update, which sends no signal)
    audit_record(actor=SYSTEM, action=AuditAction.UPDATE, obj=row, unit=cast.village1a)
    assert versions(cast.village1a) != before


def test_care_tallies_count(cast: Any) -> None:
    from nutag.people.tallies import care_tally_refresh

    before = versions(cast.township2, cast.township1)
    care_tally_refresh(unit_ids=[cast.village2a.pk])
    after = versions(cast.township2, cast.township1)
    assert [before[0] != after[0], before[1] != after[1]] == [True, False]
