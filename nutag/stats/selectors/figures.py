"""Figures over a unit and its subtree. A fixed number of queries, whatever the size.

- committees by kind: counts over the unit table's ``(kind, path)`` index, one range per kind,
  less the closed units (``(status, path)`` index);
- people in care work and five elders by category: one sum over the per-unit care tallies
  of the subtree (``people.CareTally``, kept exact by the services), at most one row per
  unit however many people work in the committees.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import connections
from django.db.models import Sum

from nutag.core.db import read_alias
from nutag.orgs.models import GRASSROOTS_KINDS, Unit, UnitKind, UnitStatus
from nutag.orgs.paths import subtree_q, successor
from nutag.people.models import CareTally, ElderCategory
from nutag.people.tallies import CATEGORY_FIELDS

UNIT = Unit._meta.db_table


@dataclasses.dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    committees_by_kind: dict[str, int]
    participants: int
    elders_by_category: dict[str, int]

    @property
    def committees(self) -> int:
        return sum(self.committees_by_kind.values())

    @property
    def grassroots_committees(self) -> int:
        """Active committees below township level (基层关工委): the base of the five-good rate."""
        return sum(n for kind, n in self.committees_by_kind.items() if kind in GRASSROOTS_KINDS)

    @property
    def five_elders(self) -> int:
        return sum(self.elders_by_category.values())

    def committee_rows(self) -> list[tuple[str, str, int]]:
        return [(k.value, str(k.label), self.committees_by_kind[k.value]) for k in UnitKind]

    def elder_rows(self) -> list[tuple[str, str, int]]:
        return [(c.value, str(c.label), self.elders_by_category[c.value]) for c in ElderCategory]


def _committees_sql(path: str) -> tuple[str, list[Any]]:
    """Active committees by kind over the subtree: every unit has its committee
    (``unit_create`` makes both, ``unit_delete`` removes both), so the units are counted,
    one range of the ``(kind, path)`` index per kind (read from the index alone), less the
    closed ones, found through the ``(status, path)`` index."""
    upper = successor(path)
    u_range = "path >= %s" + (" AND path < %s" if upper else "")
    bounds = [path, upper] if upper else [path]
    kinds = [k.value for k in UnitKind]
    statuses = sorted(s for s in UnitStatus if s != UnitStatus.ACTIVE)
    # Only table names and placeholders are written into the text; every value is a parameter.
    each = f"SELECT kind, COUNT(*) FROM {UNIT} WHERE kind = %s AND {u_range} GROUP BY kind"  # noqa: S608
    parts = [each for _ in kinds]
    marks = ", ".join("%s" for _ in statuses)
    parts.append(
        # grouped by ``kind || ''``, so that SQLite finds the few closed units through the
        # ``(status, path)`` index rather than walking ``(kind, path)`` for its order
        f"SELECT kind || '', -COUNT(*) FROM {UNIT} WHERE status IN ({marks}) AND {u_range} "  # noqa: S608
        "GROUP BY kind || ''"
    )
    params: list[Any] = []
    for kind in kinds:
        params += [kind, *bounds]
    params += [*statuses, *bounds]
    return " UNION ALL ".join(parts), params


def unit_figures(*, unit: Unit) -> UnitFigures:
    """The seed's table for ``unit`` and everything below it. Two queries, each reading
    index ranges only (at most one entry per unit of the subtree)."""
    by_kind = {k.value: 0 for k in UnitKind}
    sql, params = _committees_sql(unit.path)
    with connections[read_alias()].cursor() as cursor:  # a replica's when one serves the view
        cursor.execute(sql, params)
        for kind, n in cursor.fetchall():
            by_kind[kind] = by_kind.get(kind, 0) + int(n)
    # The care tallies' own path copy and covering index: no look-up of the units.
    sums = CareTally.objects.filter(subtree_q(unit.path, "unit_path")).aggregate(
        participants=Sum("participants"), **{f: Sum(f) for f in CATEGORY_FIELDS}
    )
    return UnitFigures(
        unit=unit,
        committees_by_kind=by_kind,
        participants=sums["participants"] or 0,
        elders_by_category={f: sums[f] or 0 for f in CATEGORY_FIELDS},
    )
