"""bench/stats.py at its ``--small`` size, in-process: the figures it measures are right.

Only correctness is checked here; times are the benchmark's business (bench/RESULTS.md).
"""

from __future__ import annotations

import pytest

from bench.stats import SMALL, brute_force_figures, build_and_measure
from nutag.orgs.models import Unit
from nutag.stats.selectors import unit_figures


@pytest.mark.django_db
def test_small_bench_figures_equal_a_brute_force_count() -> None:
    info, measured = build_and_measure(
        n_units=SMALL["units"], n_people=SMALL["people"], reps=1, warmup=0, api=True
    )
    assert info.units == SMALL["units"]
    assert measured.person_count == SMALL["people"]
    assert Unit.objects.find_problems() == ([], [], [], [], [])

    figures = measured.figures
    brute = brute_force_figures(root_code=info.root_code)
    assert {k: n for k, n in figures.committees_by_kind.items() if n} == brute["committees_by_kind"]
    assert brute["committees_by_kind"] == info.units_by_kind
    assert figures.participants == brute["participants"] == info.care_workers
    assert 0.25 * SMALL["people"] < figures.participants < 0.35 * SMALL["people"]
    assert figures.elders_by_category == {
        c: brute["elders_by_category"].get(c, 0) for c in figures.elders_by_category
    }
    assert figures.elders_by_category == info.elders_by_category
    assert all(figures.elders_by_category.values())

    # A subtree that is not the whole tree: the path range must stop at its edge.
    sample = Unit.objects.get(code=info.sample_code)
    part = unit_figures(unit=sample)
    brute_part = brute_force_figures(root_code=info.sample_code)
    assert 0 < part.participants == brute_part["participants"] == info.sample_care_workers
    assert part.participants < figures.participants
    assert part.elders_by_category == info.sample_elders_by_category
    assert {k: n for k, n in part.committees_by_kind.items() if n} == brute_part[
        "committees_by_kind"
    ]
