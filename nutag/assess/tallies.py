"""Keeping ``FiveGoodTally`` exact: recount the five-good results of the given units.

Called inside the caller's transaction by every service that makes an assessment accepted
or takes an acceptance back (``assessment_review``, ``assessment_reopen``), and by bulk
loaders after they insert. A recount (not an increment) is idempotent, so a repeated or
overlapping call cannot drift. Moves need nothing: the rows' ``unit_path`` is a registered
path copy (``nutag.orgs.registry``), rewritten with the unit's. Merges and closures need
nothing either: a closed unit's history stays with it, and the five-good count leaves
closed and non-grassroots units out when it reads (``nutag.stats.selectors.five_good``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, IntegerField, Max, Value, When

from nutag.assess.models import Assessment, AssessmentStatus, FiveGoodTally, StandardKind
from nutag.orgs.figures import figures_changed_for_units
from nutag.orgs.models import Unit

CHUNK = 500


def five_good_tally_refresh(*, unit_ids: Iterable[int | None]) -> None:
    """Recount the five-good tallies of ``unit_ids`` (every year) and store them."""
    ids = sorted({i for i in unit_ids if i is not None})
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        figures_changed_for_units(unit_ids=chunk)  # the dashboards counting them (all workers)
        paths = dict(Unit.objects.filter(pk__in=chunk).values_list("pk", "path"))
        rows = (
            Assessment.objects.filter(
                unit_id__in=chunk,
                status=AssessmentStatus.ACCEPTED,
                round__standard__kind=StandardKind.FIVE_GOOD,
            )
            .values_list("unit_id", "round__year")
            .annotate(
                passed=Max(
                    Case(When(passed=True, then=Value(1)), default=Value(0)),
                    output_field=IntegerField(),
                )
            )
            .order_by()
        )
        FiveGoodTally.objects.filter(unit_id__in=chunk).delete()
        FiveGoodTally.objects.bulk_create(
            [
                FiveGoodTally(unit_id=unit_id, unit_path=paths[unit_id], year=year, passed=bool(p))
                for unit_id, year, p in rows
                if unit_id in paths
            ],
            batch_size=CHUNK,
        )


def five_good_tally_rebuild() -> int:
    """Recount every unit that has an assessment (after a bulk load, or to repair); drop
    the rows of any other. Returns the number of units recounted."""
    FiveGoodTally.objects.exclude(unit_id__in=Assessment.objects.values("unit_id")).delete()
    ids = list(Assessment.objects.values_list("unit_id", flat=True).distinct().order_by())
    five_good_tally_refresh(unit_ids=ids)
    return len(ids)
