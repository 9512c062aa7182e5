"""The assessments' derived tallies.

``FiveGoodTally`` (below, first) and the keyed subtree tallies of assessments per round and
reports per task (at the end; see ``nutag.orgs.tallies``).

Keeping ``FiveGoodTally`` exact: recount the five-good results of the given units.

Called inside the caller's transaction by every service that makes an assessment accepted
or takes an acceptance back (``assessment_review``, ``assessment_reopen``), and by bulk
loaders after they insert. A recount (not an increment) is idempotent, so a repeated or
overlapping call cannot drift. Moves need nothing: the rows' ``unit_path`` is a registered
path copy (``nutag.orgs.registry``), rewritten with the unit's. Merges and closures need
nothing either: a closed unit's history stays with it, and the five-good count leaves
closed and non-grassroots units out when it reads (``nutag.stats.selectors.five_good``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager

from django.db import models
from django.db.models import Case, IntegerField, Max, Value, When

from nutag.assess.models import (
    Assessment,
    AssessmentStatus,
    AssessmentSubtreeTally,
    FiveGoodTally,
    ReportStatus,
    ReportSubtreeTally,
    Round,
    StandardKind,
    Task,
    TaskReport,
)
from nutag.orgs.figures import figures_changed_for_units
from nutag.orgs.models import GRASSROOTS_KINDS, Unit, UnitStatus
from nutag.orgs.registry import KeyedSubtreeSums, keyed_subtree_sums
from nutag.orgs.tallies import keyed_rebuild, own_counts_changing

CHUNK = 500
REPORTED = frozenset({ReportStatus.SUBMITTED, ReportStatus.ACCEPTED})


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


# --- Keyed subtree tallies: assessments per round, reports per task (``nutag.orgs.tallies``) --


def assessment_own(
    unit_ids: Sequence[int] | None, round_ids: Sequence[int] | None
) -> dict[tuple[int, int], dict[str, int]]:
    """Each unit's own counts in ``AssessmentSubtreeTally``: its assessment in each round
    (at most one) by status, if the unit is active; when accepted, whether of a grassroots
    unit, and whether it met the standard (passed; five-good if also grassroots)."""
    rows = Assessment.objects.filter(unit__status=UnitStatus.ACTIVE)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    if round_ids is not None:
        rows = rows.filter(round_id__in=list(round_ids))
    own: dict[tuple[int, int], dict[str, int]] = {}
    fields = ("unit_id", "round_id", "status", "passed", "unit__kind")
    for unit_id, round_id, status, passed, kind in rows.values_list(*fields).order_by():
        counts = own.setdefault((unit_id, round_id), {})
        counts[status] = counts.get(status, 0) + 1
        if status == AssessmentStatus.ACCEPTED:
            grassroots = int(kind in GRASSROOTS_KINDS)
            counts["grassroots_accepted"] = counts.get("grassroots_accepted", 0) + grassroots
            if passed:
                counts["passed"] = counts.get("passed", 0) + 1
                counts["five_good"] = counts.get("five_good", 0) + grassroots
    return own


def report_outcome(status: str, late: bool) -> str:
    """A report's outcome as the tallies and the dashboard count it: ``on_time`` or ``late``
    once reported (submitted or accepted), else ``open``."""
    return ("late" if late else "on_time") if status in REPORTED else "open"


def report_own(
    unit_ids: Sequence[int] | None, task_ids: Sequence[int] | None
) -> dict[tuple[int, int], dict[str, int]]:
    """Each unit's own counts in ``ReportSubtreeTally``: its report on each task by outcome,
    if the unit is active."""
    rows = TaskReport.objects.filter(unit__status=UnitStatus.ACTIVE)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    if task_ids is not None:
        rows = rows.filter(task_id__in=list(task_ids))
    own: dict[tuple[int, int], dict[str, int]] = {}
    for unit_id, task_id, status, late in rows.values_list(
        "unit_id", "task_id", "status", "late"
    ).order_by():
        outcome = report_outcome(status, late)
        counts = own.setdefault((unit_id, task_id), {})
        counts[outcome] = counts.get(outcome, 0) + 1
    return own


ASSESSMENT_FIELDS = (
    "draft",
    "submitted",
    "returned",
    "accepted",
    "passed",
    "grassroots_accepted",
    "five_good",
)
REPORT_FIELDS = ("on_time", "late", "open")


def _entry(model: type[models.Model]) -> KeyedSubtreeSums:
    return next(e for e in keyed_subtree_sums() if e.model is model)


def assessment_changing(assessment: Assessment) -> AbstractContextManager[None]:
    """Around a change of ``assessment``'s status or result: its unit's counts in the
    round's subtree tally follow (``nutag.orgs.tallies.own_counts_changing``)."""
    return own_counts_changing(
        {assessment.unit_id: assessment.unit_path},
        model=AssessmentSubtreeTally,
        key_ids=[assessment.round_id],
    )


def report_changing(report: TaskReport) -> AbstractContextManager[None]:
    """Around a change of ``report``'s status or lateness: the same for the task's tally
    (the services' report comes with its unit, ``select_related``)."""
    return own_counts_changing(
        {report.unit_id: report.unit.path}, model=ReportSubtreeTally, key_ids=[report.task_id]
    )


def round_tally_build(round_: Round) -> int:
    """A round's subtree tally rows, when it opens (its assessments just made), with its
    issuer's row even at zero: the mark that the round's tally was built, which the
    dashboard checks before it trusts a missing row to mean zero
    (``nutag.stats.selectors.grouped``). Every unit a round counts is below its issuer."""
    entry = _entry(AssessmentSubtreeTally)
    return keyed_rebuild(entry, key_ids=[round_.pk], marks={round_.pk: round_.unit_id}, fresh=True)


def task_tally_build(task: Task) -> int:
    """A task's subtree tally rows, when it is issued (its reports just made), with its
    issuer's row (as ``round_tally_build``)."""
    entry = _entry(ReportSubtreeTally)
    return keyed_rebuild(entry, key_ids=[task.pk], marks={task.pk: task.unit_id}, fresh=True)


def assessment_subtree_rebuild() -> int:
    """Every round's subtree tally, recounted (``manage.py rebuild_tallies``). Returns rows."""
    marks = dict(Round.objects.values_list("pk", "unit_id"))
    return keyed_rebuild(_entry(AssessmentSubtreeTally), marks=marks)


def report_subtree_rebuild() -> int:
    """Every task's subtree tally, recounted (``manage.py rebuild_tallies``). Returns rows."""
    marks = dict(Task.objects.values_list("pk", "unit_id"))
    return keyed_rebuild(_entry(ReportSubtreeTally), marks=marks)
