"""The grid-governance figures of a unit's subtree: counts only, never a party.

One statement whatever the subtree's size, each part over the ``unit_path`` range of its table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import connections
from django.utils import timezone

from nutag.core.db import read_alias
from nutag.grid.models import Grid, Incident, IncidentKind, IncidentState
from nutag.orgs.models import Unit
from nutag.orgs.paths import range_sql

RESOLVED_WITHIN_DAYS = 30
# The queries of ``grid_figures`` (tests that count a dashboard's queries add this).
GRID_FIGURE_QUERIES = 1


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
    """One statement of fixed SQL (issue 17: building the querysets cost more than running
    them): the incidents' conditional counts in one pass over their path range, the grids'
    two counts as scalar subqueries over theirs."""
    today = today or timezone.localdate()
    alias = read_alias()
    kinds, states = list(IncidentKind.values), list(IncidentState.values)
    resolved_state = IncidentState.RESOLVED.value
    in_range, bounds = range_sql('"unit_path"', path=unit.path)
    incident, grid = Incident._meta.db_table, Grid._meta.db_table
    each_kind = 'COUNT(CASE WHEN "kind" = %s THEN 1 END)'
    each_state = 'COUNT(CASE WHEN "state" = %s THEN 1 END)'
    sql = (
        'SELECT COUNT(*), COUNT(CASE WHEN "state" = %s AND "days_to_resolve" <= %s THEN 1 END), '  # noqa: S608
        'COUNT(CASE WHEN "state" = %s AND "follow_up_on" < %s AND "followed_up_on" IS NULL '
        "THEN 1 END), "
        f"{', '.join([each_kind] * len(kinds) + [each_state] * len(states))}, "
        f'(SELECT COUNT(*) FROM {grid} WHERE {in_range} AND "is_active" = %s), '
        f'(SELECT COUNT("worker_id") FROM {grid} WHERE {in_range} AND "is_active" = %s) '
        f"FROM {incident} WHERE {in_range}"
    )
    day = connections[alias].ops.adapt_datefield_value(today)
    params = [resolved_state, RESOLVED_WITHIN_DAYS, resolved_state, day, *kinds, *states]
    params += [*bounds, True, *bounds, True, *bounds]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    total, within_30, overdue = row[:3]
    by_kind = dict(zip(kinds, row[3 : 3 + len(kinds)], strict=True))
    by_state = dict(zip(states, row[3 + len(kinds) : 3 + len(kinds) + len(states)], strict=True))
    grids, staffed = row[-2:]
    resolved = by_state[resolved_state]
    return GridFigures(
        grids=grids,
        grids_with_worker=staffed,
        incidents=total,
        by_kind={k: n for k, n in by_kind.items() if n},
        by_state={s: n for s, n in by_state.items() if n},
        resolved=resolved,
        resolved_within_30_days=within_30,
        resolved_within_30_days_share=round(within_30 / resolved, 3) if resolved else None,
        follow_ups_overdue=overdue,
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
