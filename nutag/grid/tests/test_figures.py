"""Grid figures: counts over the subtree in a fixed number of queries, never a sibling's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.grid import services
from nutag.grid.selectors.figures import GRID_FIGURE_QUERIES, grid_figures

pytestmark = pytest.mark.django_db


def test_figures_roll_up_and_keep_to_their_queries(cast, grid, incident, django_assert_num_queries):
    today = timezone.localdate()
    other = services.grid_create(acting_user=SYSTEM, unit=cast.village2a, name="二甲网格")
    services.incident_log(acting_user=SYSTEM, grid=other, kind="safety", summary="电线老化")
    services.incident_resolve(
        acting_user=SYSTEM,
        incident=incident,
        outcome="和解",
        resolved_on=today - dt.timedelta(days=5),
        follow_up_on=today - dt.timedelta(days=1),
    )
    late = services.incident_log(
        acting_user=SYSTEM,
        grid=grid,
        kind="family",
        summary="x",
        reported_on=today - dt.timedelta(days=40),
    )
    services.incident_resolve(acting_user=SYSTEM, incident=late, outcome="调解成功")
    with django_assert_num_queries(GRID_FIGURE_QUERIES):
        township = grid_figures(unit=cast.township1)
    assert township.incidents == 2
    assert township.by_kind == {"boundary": 1, "family": 1}
    assert township.by_state == {"resolved": 2}
    assert (township.resolved_within_30_days, township.resolved_within_30_days_share) == (1, 0.5)
    assert township.follow_ups_overdue == 1
    assert (township.grids, township.grids_with_worker) == (1, 1)
    banner = grid_figures(unit=cast.banner)
    assert (banner.incidents, banner.grids) == (3, 2)
    assert grid_figures(unit=cast.village1b).incidents == 0


def test_stats_api_has_the_grid_figures(cast, grid, incident, client):
    data = client.get(f"/api/v1/units/{cast.village1a.code}/stats").json()
    assert data["economy"]["grid"]["incidents"] == 1
    assert data["economy"]["grid"]["by_state"] == {"logged": 1}
    assert "巴特尔" not in str(data)
