"""bench/dashboard.py at a small size, in-process: the dashboard it times gives the figures the
generator wrote (five-good count and base, both years, tasks on time, progress), in five reads.

Only correctness is checked here; times are the benchmark's business (bench/RESULTS.md).
"""

from __future__ import annotations

import pytest

from bench.dashboard import YEAR, build_and_measure


@pytest.mark.django_db
def test_small_bench_dashboard_gives_the_generated_figures() -> None:
    info, work, m = build_and_measure(
        n_units=200, n_people=2_000, reps=1, warmup=0, page=True, rounds=2
    )  # build_and_measure checks the figures against ``work`` (bench.dashboard.check)
    assert m.queries == 5
    assert m.board.five_good.year == YEAR
    assert m.board.five_good.base == work.grassroots > 100
    assert 0.5 < m.board.five_good.rate < 0.9
    assert set(work.passed) == {YEAR, YEAR - 1}
    assert info.units == 200
