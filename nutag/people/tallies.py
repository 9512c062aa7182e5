"""Keeping ``CareTally`` exact: recount the care workers of the given units.

Called inside the caller's transaction by every service that changes ``CareWorker`` rows
(``person_create``, ``person_update``, ``unit_merge``) and by bulk loaders after they insert.
A recount (not an increment) is idempotent, so a repeated or overlapping call cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count

from nutag.orgs.figures import figures_changed_for_units
from nutag.orgs.models import Unit
from nutag.people.models import CareTally, CareWorker, ElderCategory

CATEGORY_FIELDS = [c.value for c in ElderCategory]
CHUNK = 500


def care_tally_refresh(*, unit_ids: Iterable[int | None]) -> None:
    """Recount the care workers of ``unit_ids`` and store the counts."""
    ids = sorted({i for i in unit_ids if i is not None})
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        figures_changed_for_units(unit_ids=chunk)  # the dashboards counting them (all workers)
        paths = dict(Unit.objects.filter(pk__in=chunk).values_list("pk", "path"))
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
            update_fields=["unit_path", "participants", *CATEGORY_FIELDS],
        )


def care_tally_rebuild() -> int:
    """Recount every unit (after a bulk load, or to repair). Returns the number of units."""
    ids = list(Unit.objects.values_list("pk", flat=True))
    care_tally_refresh(unit_ids=ids)
    return len(ids)
