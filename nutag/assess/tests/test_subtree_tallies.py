"""The rounds' and tasks' subtree tallies (``assess.AssessmentSubtreeTally``,
``assess.ReportSubtreeTally``) stay equal to a recount and to a count by hand through every
write the services make: a round opened, assessments submitted, returned, accepted (passed
or not) and reopened; a task issued, reports submitted, returned and accepted; units moved,
merged, closed and given another kind. The dashboard reads them, and gives what it counts
from the assessments and reports themselves when a tally is missing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from nutag.assess.models import (
    Assessment,
    AssessmentStatus,
    AssessmentSubtreeTally,
    ReportStatus,
    ReportSubtreeTally,
    TaskReport,
)
from nutag.assess.services import assessments as assessment_services
from nutag.assess.services import reports as report_services
from nutag.assess.tallies import (
    ASSESSMENT_FIELDS,
    REPORT_FIELDS,
    assessment_subtree_rebuild,
    report_subtree_rebuild,
)
from nutag.assess.tests.rounds_helpers import assessment_of, open_round, review, submitted
from nutag.assess.tests.taskdata import fill_and_submit, issue, report_of
from nutag.core.actors import SYSTEM
from nutag.orgs import services as org_services
from nutag.orgs.models import Unit, UnitKind, UnitStatus
from nutag.stats.selectors import dashboard

pytestmark = pytest.mark.django_db


def _stored() -> dict[str, set[tuple[Any, ...]]]:
    """Every row with a non-zero count (rows at zero, e.g. an issuer's mark, are alike)."""
    out: dict[str, set[tuple[Any, ...]]] = {}
    for name, model, key, fields in (
        ("assessments", AssessmentSubtreeTally, "round_id", ASSESSMENT_FIELDS),
        ("reports", ReportSubtreeTally, "task_id", REPORT_FIELDS),
    ):
        rows = model._default_manager.values_list("unit_id", "unit_path", key, *fields)
        out[name] = {row for row in rows if any(row[3:])}
    return out


def _recounted() -> dict[str, set[tuple[Any, ...]]]:
    assessment_subtree_rebuild()
    report_subtree_rebuild()
    return _stored()


def _by_hand(unit: Unit) -> dict[tuple[str, int], dict[str, int]]:
    """The counts of ``unit``'s subtree, one assessment and one report at a time."""
    out: dict[tuple[str, int], dict[str, int]] = {}
    for a in Assessment.objects.select_related("unit"):
        if not a.unit.path.startswith(unit.path) or a.unit.status != UnitStatus.ACTIVE:
            continue
        counts = out.setdefault(("round", a.round_id), dict.fromkeys(ASSESSMENT_FIELDS, 0))
        counts[a.status] += 1
        if a.status == AssessmentStatus.ACCEPTED:
            counts["grassroots_accepted"] += a.unit.is_grassroots
            counts["passed"] += bool(a.passed)
            counts["five_good"] += bool(a.passed) and a.unit.is_grassroots
    for r in TaskReport.objects.select_related("unit"):
        if not r.unit.path.startswith(unit.path) or r.unit.status != UnitStatus.ACTIVE:
            continue
        counts = out.setdefault(("task", r.task_id), dict.fromkeys(REPORT_FIELDS, 0))
        reported = r.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
        counts[("late" if r.late else "on_time") if reported else "open"] += 1
    return out


def _tallied(unit: Unit) -> dict[tuple[str, int], dict[str, int]]:
    out: dict[tuple[str, int], dict[str, int]] = {}
    for name, model, fields in (
        ("round", AssessmentSubtreeTally, ASSESSMENT_FIELDS),
        ("task", ReportSubtreeTally, REPORT_FIELDS),
    ):
        for row in model._default_manager.filter(unit=unit).values(f"{name}_id", *fields):
            counts = {f: row[f] for f in fields}
            if any(counts.values()):
                out[(name, row[f"{name}_id"])] = counts
    return out


def _assert_exact() -> None:
    stored = _stored()
    assert stored == _recounted()
    for unit in Unit.objects.all():
        assert _tallied(unit) == _by_hand(unit), unit


def _boards(cast: Any) -> list[Any]:
    units = [Unit.objects.get(pk=u.pk) for u in (cast.banner, cast.township1, cast.village1a)]
    return [dashboard(unit=u, siblings=True) for u in units]


def _work(cast: Any) -> tuple[Any, Any]:
    """A five-good round with every outcome, and a task with every outcome."""
    round_ = open_round(cast.banner)
    review(submitted(assessment_of(round_, cast.village1a)), user=SYSTEM)  # passed
    review(submitted(assessment_of(round_, cast.village1b)), user=SYSTEM, score=lambda i: 1)
    review(
        submitted(assessment_of(round_, cast.village2a)),
        user=SYSTEM,
        decision="return",
        comment="请补充",
    )
    submitted(assessment_of(round_, cast.school1))
    review(submitted(assessment_of(round_, cast.township1)), user=SYSTEM)  # not grassroots
    task = issue(by=SYSTEM, unit=cast.banner, scope="subtree")
    fill_and_submit(report_of(task, cast.village1a), by=SYSTEM)
    done = fill_and_submit(report_of(task, cast.village1b), by=SYSTEM)
    report_services.report_inspect(
        acting_user=SYSTEM, report=done, decision="accept", version=done.version
    )
    back = fill_and_submit(report_of(task, cast.school1), by=SYSTEM)
    report_services.report_inspect(
        acting_user=SYSTEM, report=back, decision="return", comment="补充照片", version=back.version
    )
    return round_, task


# --- Negatives first ------------------------------------------------------------------------


def test_a_write_behind_the_services_is_caught_by_the_recount(cast):
    """The check can fail: an assessment accepted and a report submitted without the
    services leave the stored tallies behind the recount."""
    round_, task = _work(cast)
    _assert_exact()
    Assessment.objects.filter(round=round_, unit=cast.school1).update(
        status=AssessmentStatus.ACCEPTED, passed=True
    )
    assert _tallied(cast.banner) != _by_hand(cast.banner)
    TaskReport.objects.filter(task=task, unit=cast.village2a).update(status=ReportStatus.SUBMITTED)
    assert _stored() != _recounted()
    _assert_exact()  # the recount repaired it


def test_a_sibling_subtree_and_a_closed_unit_count_nothing(cast):
    round_, task = _work(cast)
    township2 = _tallied(cast.township2)
    assert township2[("round", round_.pk)]["returned"] == 1  # village 2a's, only
    assert township2[("round", round_.pk)]["accepted"] == 0
    org_services.unit_close(acting_user=SYSTEM, unit=cast.school1)
    _assert_exact()
    tallied = _tallied(cast.township1)
    assert tallied[("round", round_.pk)]["submitted"] == 0  # the school's is no longer counted
    assert tallied[("task", task.pk)] == {"on_time": 2, "late": 0, "open": 1}


def test_a_unit_of_another_kind_is_no_five_good_committee(cast):
    round_, _task = _work(cast)
    row = _tallied(cast.township1)[("round", round_.pk)]
    assert (row["accepted"], row["passed"], row["five_good"]) == (3, 2, 1)  # not township1
    org_services.unit_update(
        acting_user=SYSTEM, unit=cast.village1a, name="一甲镇", kind=UnitKind.TOWNSHIP
    )
    _assert_exact()
    assert _tallied(cast.banner)[("round", round_.pk)]["five_good"] == 0
    org_services.unit_update(
        acting_user=SYSTEM, unit=cast.village1a, name="一甲嘎查", kind=UnitKind.VILLAGE
    )
    _assert_exact()
    assert _tallied(cast.banner)[("round", round_.pk)]["five_good"] == 1


# --- Every service path ---------------------------------------------------------------------


def test_opening_a_round_and_issuing_a_task_make_their_rows(cast):
    round_ = open_round(cast.banner)
    assert _tallied(cast.banner)[("round", round_.pk)]["draft"] == 6  # every unit below
    task = issue(by=SYSTEM, unit=cast.township1)  # to its children
    assert _tallied(cast.township1)[("task", task.pk)] == {"on_time": 0, "late": 0, "open": 3}
    assert _tallied(cast.banner)[("task", task.pk)]["open"] == 3
    assert ("task", task.pk) not in _tallied(cast.township2)
    _assert_exact()


def test_submit_return_accept_and_reopen_keep_the_tallies_exact(cast):
    round_, task = _work(cast)
    _assert_exact()
    good = assessment_of(round_, cast.village1a)
    assessment_services.assessment_reopen(
        acting_user=SYSTEM, assessment=good, comment="分数加错了", version=good.version
    )
    _assert_exact()
    review(submitted(assessment_of(round_, cast.village2a)), user=SYSTEM)
    _assert_exact()
    row = _tallied(cast.banner)[("round", round_.pk)]
    assert (row["accepted"], row["passed"], row["five_good"]) == (3, 2, 1)
    back = report_of(task, cast.school1)
    fill_and_submit(back, by=SYSTEM)
    _assert_exact()
    assert _tallied(cast.banner)[("task", task.pk)] == {"on_time": 3, "late": 0, "open": 3}


def test_moved_merged_and_deleted_units(cast):
    round_, task = _work(cast)
    org_services.unit_move(acting_user=SYSTEM, unit=cast.village1a, new_parent=cast.township2)
    _assert_exact()
    assert _tallied(cast.township2)[("round", round_.pk)]["five_good"] == 1
    assert _tallied(cast.township1)[("round", round_.pk)]["five_good"] == 0
    org_services.unit_move(acting_user=SYSTEM, unit=cast.township1, new_parent=cast.township2)
    _assert_exact()
    org_services.unit_merge(acting_user=SYSTEM, unit=cast.village2a, into=cast.village1a)
    _assert_exact()
    new = org_services.unit_create(
        acting_user=SYSTEM,
        parent=Unit.objects.get(pk=cast.township2.pk),
        code="150799200299",
        kind=UnitKind.VILLAGE,
        name="新嘎查",
    )
    _assert_exact()
    org_services.unit_delete(acting_user=SYSTEM, unit=new)
    _assert_exact()
    assert _tallied(cast.banner)[("task", task.pk)]["on_time"] == 2


def test_rebuild_tallies_repairs_them(cast):
    _work(cast)
    expected = _stored()
    AssessmentSubtreeTally.objects.filter(unit=cast.banner).update(draft=99)
    ReportSubtreeTally.objects.all().delete()
    assert _stored() != expected
    out = io.StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert "assessment_subtree: recounted" in out.getvalue()
    assert "report_subtree: recounted" in out.getvalue()
    assert _stored() == expected


# --- What the dashboard reads ---------------------------------------------------------------


def test_the_dashboard_gives_the_same_figures_without_the_tallies(cast):
    """A tally missing (a bulk load before ``rebuild_tallies``): its issuer's row, the mark
    that it was built, is gone, and the dashboard counts the rows themselves, to the same
    figures; the tallies save it reading them."""
    _work(cast)
    org_services.unit_close(acting_user=SYSTEM, unit=cast.school1)
    with_tallies = _boards(cast)
    assert with_tallies[0].total.progress.accepted == 3
    assert with_tallies[0].total.five_good.count == 1
    assert with_tallies[0].total.tasks.on_time == 2
    AssessmentSubtreeTally.objects.all().delete()
    ReportSubtreeTally.objects.all().delete()
    assert _boards(cast) == with_tallies
    assessment_subtree_rebuild()
    report_subtree_rebuild()
    assert _boards(cast) == with_tallies


def test_two_five_good_rounds_in_a_year_count_a_committee_once(cast):
    """Sums cannot tell a committee accepted twice in a year: the dashboard counts those
    from the assessments."""
    _work(cast)
    other = open_round(cast.township1, year=None)
    review(submitted(assessment_of(other, cast.village1a)), user=SYSTEM)
    board = dashboard(unit=Unit.objects.get(pk=cast.township1.pk))
    assert board.total.five_good.count == 1  # village 1a, accepted in both rounds
