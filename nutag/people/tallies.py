"""Keeping ``CareTally`` and ``CareSubtreeTally`` exact.

``care_tally_refresh`` recounts the care workers of the given units. It is called inside the
caller's transaction by every service that changes ``CareWorker`` rows (``person_create``,
``person_update``, ``unit_merge``) and by bulk loaders after they insert. A recount (not an
increment) is idempotent, so a repeated or overlapping call cannot drift. The change of each
unit's counts (new recount less the stored one, read with the unit's row locked, so that
two refreshes of a unit take turns) is then added to the subtree tallies of the unit and
its ancestors (``nutag.orgs.tallies.subtree_add``: ``F()`` updates).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count

from nutag.orgs.figures import figures_changed_for_units
from nutag.orgs.models import Unit
from nutag.orgs.tallies import subtree_add, subtree_rebuild
from nutag.people.models import CareSubtreeTally, CareTally, CareWorker, ElderCategory

CATEGORY_FIELDS = [c.value for c in ElderCategory]
CARE_FIELDS = ["participants", *CATEGORY_FIELDS]
CHUNK = 500


def care_tally_refresh(*, unit_ids: Iterable[int | None], subtrees: bool = True) -> None:
    """Recount the care workers of ``unit_ids``, store the counts and add their change to the
    subtree tallies (``subtrees=False``: the caller rebuilds those afterwards)."""
    ids = sorted({i for i in unit_ids if i is not None})
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            _refresh(ids[start : start + CHUNK], subtrees=subtrees)


def _refresh(chunk: list[int], *, subtrees: bool) -> None:
    figures_changed_for_units(unit_ids=chunk)  # the dashboards counting them (all workers)
    units = Unit.objects.filter(pk__in=chunk).order_by("pk")
    if subtrees:
        units = units.select_for_update()  # two refreshes of a unit take turns
    paths = dict(units.values_list("pk", "path"))
    before = {
        row[0]: row[1:]
        for row in CareTally.objects.filter(unit_id__in=chunk).values_list("unit_id", *CARE_FIELDS)
    }
    tallies = {i: CareTally(unit_id=i, unit_path=paths[i]) for i in chunk if i in paths}
    rows = (
        CareWorker.objects.filter(unit_id__in=chunk)
        .values_list("unit_id", "elder_category")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, category, n in rows:
        tally = tallies[unit_id]
        tally.participants += n
        if category:
            setattr(tally, category, getattr(tally, category) + n)
    CareTally.objects.bulk_create(
        tallies.values(),
        update_conflicts=True,
        unique_fields=["unit"],
        update_fields=["unit_path", *CARE_FIELDS],
    )
    if not subtrees:
        return
    for unit_id, tally in tallies.items():
        old = before.get(unit_id) or (0,) * len(CARE_FIELDS)
        deltas = {f: getattr(tally, f) - n for f, n in zip(CARE_FIELDS, old, strict=True)}
        subtree_add(CareSubtreeTally, tally.unit_path, deltas)


def care_subtree_rebuild() -> int:
    """Recompute every unit's care subtree tally from the care tallies."""
    own = {
        row[0]: dict(zip(CARE_FIELDS, row[1:], strict=True))
        for row in CareTally.objects.values_list("unit_id", *CARE_FIELDS)
    }
    return subtree_rebuild(CareSubtreeTally, own, CARE_FIELDS)


def care_tally_rebuild() -> int:
    """Recount every unit, then the subtree sums (after a bulk load, or to repair). Returns
    the number of units."""
    ids = list(Unit.objects.values_list("pk", flat=True))
    care_tally_refresh(unit_ids=ids, subtrees=False)
    care_subtree_rebuild()
    return len(ids)
