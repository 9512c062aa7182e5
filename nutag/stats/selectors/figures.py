"""Figures over a unit and its subtree. A fixed number of queries, whatever the size.

- committees by kind: one grouped count over the (small) unit table;
- people in care work and five elders by category: one sum over the per-unit care tallies
  of the subtree (``people.CareTally``, kept exact by the services), at most one row per
  unit however many people work in the committees.
"""

from __future__ import annotations

import dataclasses

from django.db.models import Count, Sum

from nutag.orgs.models import GRASSROOTS_KINDS, CareCommittee, Unit, UnitKind, UnitStatus
from nutag.orgs.paths import subtree_q
from nutag.people.models import CareTally, ElderCategory
from nutag.people.tallies import CATEGORY_FIELDS


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


def unit_figures(*, unit: Unit) -> UnitFigures:
    """The seed's table for ``unit`` and everything below it."""
    by_kind = {k.value: 0 for k in UnitKind}
    rows = (
        CareCommittee.objects.filter(subtree_q(unit.path, "unit__path"))
        .filter(unit__status=UnitStatus.ACTIVE)
        .values("unit__kind")
        .annotate(n=Count("unit_id"))
        .order_by()
    )
    for row in rows:
        by_kind[row["unit__kind"]] = row["n"]
    sums = CareTally.objects.filter(subtree_q(unit.path, "unit__path")).aggregate(
        participants=Sum("participants"), **{f: Sum(f) for f in CATEGORY_FIELDS}
    )
    return UnitFigures(
        unit=unit,
        committees_by_kind=by_kind,
        participants=sums["participants"] or 0,
        elders_by_category={f: sums[f] or 0 for f in CATEGORY_FIELDS},
    )
