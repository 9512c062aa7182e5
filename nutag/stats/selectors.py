"""Figures over a unit and its subtree. A fixed number of queries, whatever the size.

- committees by kind: one grouped count over the (small) unit table;
- people in care work and five elders by category: one grouped count over the
  care-worker table's ``(unit_path, elder_category)`` index, a range scan.
"""

from __future__ import annotations

import dataclasses

from django.db.models import Count

from nutag.orgs.models import CareCommittee, Unit, UnitKind, UnitStatus
from nutag.orgs.paths import subtree_q
from nutag.people.models import CareWorker, ElderCategory


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
    def five_elders(self) -> int:
        return sum(self.elders_by_category.values())

    def committee_rows(self) -> list[tuple[str, str, int]]:
        return [(k.value, str(k.label), self.committees_by_kind[k.value]) for k in UnitKind]

    def elder_rows(self) -> list[tuple[str, str, int]]:
        return [(c.value, str(c.label), self.elders_by_category[c.value]) for c in ElderCategory]


def unit_figures(*, unit: Unit) -> UnitFigures:
    """The seed's table for ``unit`` and everything below it, computed from the data."""
    by_kind = {k.value: 0 for k in UnitKind}
    rows = (
        CareCommittee.objects.filter(subtree_q(unit.path, "unit__path"))
        .filter(unit__status=UnitStatus.ACTIVE)
        .values("unit__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        by_kind[row["unit__kind"]] = row["n"]
    elders = {c.value: 0 for c in ElderCategory}
    participants = 0
    care_rows = (
        CareWorker.objects.filter(subtree_q(unit.path, "unit_path"))
        .values("elder_category")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in care_rows:
        participants += row["n"]
        if row["elder_category"]:
            elders[row["elder_category"]] = row["n"]
    return UnitFigures(
        unit=unit,
        committees_by_kind=by_kind,
        participants=participants,
        elders_by_category=elders,
    )
