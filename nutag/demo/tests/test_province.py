"""``generate_province`` at a tiny banner size: the tree is sound and every figure the
dashboards show equals a row-by-row recount of what was written."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from nutag.assess.models import Assessment, TaskReport
from nutag.demo.province import ELDER_CATEGORIES, YEAR, generate_province, level_sizes
from nutag.orgs.models import GRASSROOTS_KINDS, CareCommittee, Unit
from nutag.people.models import CareWorker, Person
from nutag.stats.selectors import unit_figures
from nutag.stats.selectors.five_good import five_good

pytestmark = pytest.mark.django_db


def recount(unit: Unit) -> dict[str, object]:
    """The seed's figures for ``unit``'s subtree, counted in Python without path ranges."""
    by_kind: Counter[str] = Counter()
    for path, kind in CareCommittee.objects.values_list("unit__path", "unit__kind"):
        if path.startswith(unit.path):
            by_kind[kind] += 1
    elders: Counter[str] = Counter()
    participants = 0
    for path, category in CareWorker.objects.values_list("unit_path", "elder_category"):
        if path.startswith(unit.path):
            participants += 1
            elders[category] += bool(category)
    return {
        "committees": {k: n for k, n in by_kind.items() if n},
        "participants": participants,
        "elders": {c: elders[c] for c in ELDER_CATEGORIES},
    }


def shown(unit: Unit) -> dict[str, object]:
    figures = unit_figures(unit=unit)
    return {
        "committees": {k: n for k, n in figures.committees_by_kind.items() if n},
        "participants": figures.participants,
        "elders": figures.elders_by_category,
    }


@override_settings(NUTAG_IS_PRODUCTION=True)
def test_refused_in_production() -> None:
    with pytest.raises(CommandError, match="NUTAG_IS_PRODUCTION"):
        call_command("generate_province", "--units", "30", "--people", "10", stdout=StringIO())
    assert not Unit.objects.exists()


def test_too_few_units_is_an_error_not_a_broken_tree() -> None:
    with pytest.raises(ValueError, match="Too few units"):
        level_sizes({"leagues": 0, "banners": 0, "townships": 12, "units": 20, "people": 0})
    with pytest.raises(CommandError, match="Too few units"):
        call_command("generate_province", "--units", "20", "--people", "10", stdout=StringIO())


def test_a_second_run_on_the_same_database_is_refused() -> None:
    call_command("generate_province", "--units", "30", "--people", "50", stdout=StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("generate_province", "--units", "30", "--people", "50", stdout=StringIO())
    assert Person.objects.count() == 50


def test_banner_scale_figures_equal_a_recount() -> None:
    info = generate_province(scale="banner", units=60, people=3_000, seed=7)
    root = Unit.objects.get(code=info.root_code)
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assert Unit.objects.count() == info.units == 60
    assert info.units_by_level == [1, 12, 47]
    # every unit has its bodies, every person row its unit's path copy
    assert CareCommittee.objects.count() == 60
    assert Person.objects.count() == 3_000
    mismatched = [p for p, up in Person.objects.values_list("unit__path", "unit_path") if p != up]
    assert mismatched == []
    # uneven, as real villages are: not every grassroots unit has the same number of people
    per_unit = Counter(Person.objects.values_list("unit_id", flat=True))
    assert max(per_unit.values()) > 2 * min(per_unit.values())
    # the figures the dashboard and the stats API show equal a recount, at the root and below
    expected = recount(root)
    assert shown(root) == expected
    assert expected["participants"] == info.care_workers > 0
    assert expected["elders"] == info.elders_by_category
    township = Unit.objects.filter(depth=root.depth + 1).order_by("path").last()
    assert township is not None
    assert shown(township) == recount(township)
    # five-good: the latest round, over every grassroots committee
    grassroots = Unit.objects.filter(kind__in=GRASSROOTS_KINDS).count()
    board = five_good(unit=root)
    assert board.year == YEAR
    assert board.base == grassroots == info.grassroots
    assert board.count == info.passed[YEAR]
    assert board.count == Assessment.objects.filter(round__year=YEAR, passed=True).count()
    assert TaskReport.objects.count() == info.reports == 3 * 12


def test_the_command_reports_what_it_wrote() -> None:
    out = StringIO()
    call_command("generate_province", "--units", "40", "--people", "500", stdout=out)
    assert "Generated 970000: 40 units" in out.getvalue()
    assert "500 people" in out.getvalue()
