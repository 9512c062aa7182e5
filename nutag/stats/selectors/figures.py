"""Figures over a unit and its subtree. One query, whatever the size.

- committees by kind: the unit's row of ``orgs.UnitSubtreeTally`` (its subtree's active units
  by kind; every unit has its committee);
- people in care work and five elders by category: its row of ``people.CareSubtreeTally``
  (the subtree's ``people.CareTally`` rows summed).

Both are kept exact by the services (``nutag.orgs.tallies``); a unit without rows is counted
over index ranges (``grouped.bucket_unit_rows``), in a second query.
"""

from __future__ import annotations

import dataclasses

from nutag.orgs.models import GRASSROOTS_KINDS, Unit, UnitKind
from nutag.people.models import ElderCategory
from nutag.people.tallies import CATEGORY_FIELDS
from nutag.stats.selectors.grouped import bucket_unit_rows


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
    """The seed's table for ``unit`` and everything below it: one row of each subtree tally
    (``orgs.UnitSubtreeTally``, ``people.CareSubtreeTally``), read as the dashboard reads a
    child's (``grouped.bucket_unit_rows``); a unit without tally rows (written behind the
    services, before ``rebuild_tallies``) is counted over the index ranges instead."""
    by_kind = {k.value: 0 for k in UnitKind}
    care = [0] * (1 + len(CATEGORY_FIELDS))
    for _key, kind, units, *sums in bucket_unit_rows(keys=[(unit.path, False)]):
        if kind is not None:
            by_kind[kind] = by_kind.get(kind, 0) + int(units)
        care = [a + int(b or 0) for a, b in zip(care, sums, strict=True)]
    return UnitFigures(
        unit=unit,
        committees_by_kind=by_kind,
        participants=care[0],
        elders_by_category=dict(zip(CATEGORY_FIELDS, care[1:], strict=True)),
    )
