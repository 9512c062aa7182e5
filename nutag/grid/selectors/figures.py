"""The grid-governance figures of a unit's subtree: counts only, never a party.

Two queries whatever the subtree's size, each over the ``unit_path`` range of its table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from nutag.grid.models import Grid, Incident, IncidentKind, IncidentState
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q

RESOLVED_WITHIN_DAYS = 30
# The queries of ``grid_figures`` (tests that count a dashboard's queries add this).
GRID_FIGURE_QUERIES = 2


@dataclasses.dataclass(frozen=True)
class GridFigures:
    grids: int
    grids_with_worker: int
    incidents: int
    by_kind: dict[str, int]  # kind → incidents (kinds with none left out)
    by_state: dict[str, int]  # state → incidents (states with none left out)
    resolved: int
    resolved_within_30_days: int
    resolved_within_30_days_share: float | None  # of the resolved; None when none resolved
    follow_ups_overdue: int

    def as_api(self) -> dict[str, object]:
        """The figures as ``"economy": {"grid": ...}`` in the stats API."""
        return dataclasses.asdict(self)


def grid_figures(*, unit: Unit, today: dt.date | None = None) -> GridFigures:
    today = today or timezone.localdate()
    within = subtree_q(unit.path, "unit_path")
    counts = Incident.objects.filter(within).aggregate(
        total=Count("id"),
        within_30=Count(
            "id",
            filter=Q(state=IncidentState.RESOLVED, days_to_resolve__lte=RESOLVED_WITHIN_DAYS),
        ),
        overdue=Count(
            "id",
            filter=Q(
                state=IncidentState.RESOLVED,
                follow_up_on__lt=today,
                followed_up_on__isnull=True,
            ),
        ),
        **{f"k_{k}": Count("id", filter=Q(kind=k)) for k in IncidentKind.values},
        **{f"s_{s}": Count("id", filter=Q(state=s)) for s in IncidentState.values},
    )
    grids = Grid.objects.filter(within, is_active=True).aggregate(
        n=Count("id"), staffed=Count("id", filter=Q(worker__isnull=False))
    )
    resolved = counts[f"s_{IncidentState.RESOLVED}"]
    return GridFigures(
        grids=grids["n"],
        grids_with_worker=grids["staffed"],
        incidents=counts["total"],
        by_kind={k: counts[f"k_{k}"] for k in IncidentKind.values if counts[f"k_{k}"]},
        by_state={s: counts[f"s_{s}"] for s in IncidentState.values if counts[f"s_{s}"]},
        resolved=resolved,
        resolved_within_30_days=counts["within_30"],
        resolved_within_30_days_share=round(counts["within_30"] / resolved, 3)
        if resolved
        else None,
        follow_ups_overdue=counts["overdue"],
    )


def grid_dashboard(*, unit: Unit) -> dict[str, object]:
    """The dashboard's grid block: the figures with the kinds' and states' labels."""
    figures = grid_figures(unit=unit)
    kinds = dict(IncidentKind.choices)
    states = dict(IncidentState.choices)
    return {
        "figures": figures,
        "kinds": [(kinds[k], n) for k, n in figures.by_kind.items()],
        "states": [(states[s], n) for s, n in figures.by_state.items()],
        "share": None
        if figures.resolved_within_30_days_share is None
        else round(100 * figures.resolved_within_30_days_share),
    }
