"""``selectors.dashboard``: a unit's figures, its children's, its siblings', the change since
last year — agreeing with the one-unit selectors, blind to other subtrees, in fixed queries."""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nutag.assess.models import (
    AssessmentStatus,
    AssessmentSubtreeTally,
    ReportStatus,
    ReportSubtreeTally,
    Round,
)
from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory, make_care_worker, make_unit
from nutag.orgs.models import Unit, UnitKind, UnitStatus
from nutag.orgs.paths import successor
from nutag.orgs.registry import tally_rebuilds
from nutag.orgs.services import unit_move
from nutag.stats.selectors import dashboard, five_good, unit_figures
from nutag.stats.tests.work import assess, assessment_round, report, task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def _work(cast) -> None:  # type: ignore[no-untyped-def]
    """Two years of five-good rounds and tasks over the cast."""
    old = assessment_round(unit=cast.banner, year=2024)
    for unit in (cast.village1a, cast.village2a):
        assess(old, unit)
    new = assessment_round(unit=cast.banner, year=2025)
    assess(new, cast.village1a)
    assess(new, cast.village1b)
    assess(new, cast.school1, passed=False)
    assess(new, cast.village2a, status=AssessmentStatus.RETURNED)
    last = task(unit=cast.banner, due_on=dt.date(2025, 5, 1))
    report(last, cast.township1, status=ReportStatus.ACCEPTED, late=True)
    report(last, cast.township2, status=ReportStatus.ACCEPTED)
    done = task(unit=cast.banner, due_on=dt.date(2026, 3, 1))
    report(done, cast.township1, status=ReportStatus.ACCEPTED)
    report(done, cast.township2, status=ReportStatus.SUBMITTED, late=True)
    due = task(unit=cast.township1, due_on=dt.date(2026, 6, 1))
    report(due, cast.village1a, status=ReportStatus.SUBMITTED)
    report(due, cast.village1b, status=ReportStatus.RETURNED)  # returned, past due: overdue
    report(due, cast.school1)  # nothing yet, past due: overdue
    coming = task(unit=cast.township1, due_on=dt.date(2026, 9, 1))
    report(coming, cast.village1a)
    report(coming, cast.village1b, status=ReportStatus.SUBMITTED)


# --- Negatives first ------------------------------------------------------------------------


def test_a_dashboard_shows_nothing_of_a_sibling_subtree(cast):
    _work(cast)
    make_care_worker(person=PersonFactory(unit=cast.village2a), unit=cast.village2a)
    board = dashboard(unit=cast.township1, today=TODAY)
    assert board.siblings is None and board.parent_total is None
    assert [r.unit for r in board.children] == [cast.village1a, cast.village1b, cast.school1]
    assert cast.village2a.path not in {r.unit.path for r in board.children}
    assert board.figures.participants == 1  # the cast's volunteer; not village 2a's worker
    assert board.five_good.base == 3
    assert board.tasks.due == 6  # its own report to the banner and its units' five; no more
    # and the reads of figures never left the township's subtree
    with CaptureQueriesContext(connection) as ctx:
        dashboard(unit=cast.township1, today=TODAY)
    upper = successor(cast.township1.path)
    for query in ctx.captured_queries:
        sql = query["sql"]
        if '"path" IN (' in sql and '"path" >=' not in sql:  # the units shown, by path
            paths = re.findall(r"'([0-9A-Z]+)'", sql.split('"path" IN (')[1])
            assert paths and all(
                cast.township1.path.startswith(p) or p.startswith(cast.township1.path)
                for p in paths
            ), sql
            # the children, by seeks of the path index within the subtree's range
            assert "WITH RECURSIVE" not in sql or f"path > '{cast.township1.path}'" in sql
            assert "WITH RECURSIVE" not in sql or sql.count(f"path < '{upper}'") == 2, sql
            continue
        if "subtreetally" in sql and "unit_path IN (" in sql:  # the rounds' and tasks' tallies
            paths = re.findall(r"'([0-9A-Z]+)'", sql.split("unit_path IN (")[1])
            assert paths and all(p.startswith(cast.township1.path) for p in paths), sql
            continue
        if "people_caretally" in sql and "UNION ALL" in sql:  # bucket by bucket, each a range
            ranges = re.findall(r"path >= '([0-9A-Z]+)' AND \w*path < '([0-9A-Z]+)'", sql)
            assert ranges and all(
                lo.startswith(cast.township1.path) and hi <= upper for lo, hi in ranges
            ), sql
            continue
        assert f"'{cast.township1.path}'" in sql, sql
        assert f"'{upper}'" in sql, sql


def test_no_siblings_for_the_root(cast):
    board = dashboard(unit=cast.banner, siblings=True, today=TODAY)
    assert board.siblings is None and board.parent is None and board.ancestors == []


# --- Agreement with the one-unit selectors --------------------------------------------------


def test_every_row_agrees_with_the_unit_selectors(cast):
    _work(cast)
    make_care_worker(
        person=PersonFactory(unit=cast.village2a), unit=cast.village2a, elder_category="cadre"
    )
    make_care_worker(person=PersonFactory(unit=cast.township1), unit=cast.township1)
    for unit in (cast.banner, cast.township1, cast.township2, cast.village1a):
        board = dashboard(unit=unit, siblings=True, today=TODAY)
        rows = [board.total, *board.children, *(board.siblings or [])]
        if board.parent_total:
            rows.append(board.parent_total)
        year = board.five_good.year
        assert board.five_good == five_good(unit=unit)  # the unit's own latest year
        for row in rows:
            assert row.figures == unit_figures(unit=row.unit), row.unit
            assert row.five_good == five_good(unit=row.unit, year=year), row.unit


def test_children_and_totals(cast):
    _work(cast)
    board = dashboard(unit=cast.banner, today=TODAY)
    assert [r.unit for r in board.children] == [cast.township1, cast.township2]
    t1, t2 = board.children
    assert (t1.five_good.count, t1.five_good.base, t1.five_good.rate) == (2, 3, 0.667)
    assert (t2.five_good.count, t2.five_good.base) == (0, 1)
    assert (board.five_good.count, board.five_good.base, board.five_good.year) == (2, 4, 2025)
    assert board.figures.committees == 7
    assert board.figures.committees_by_kind["village"] == 3


def test_siblings_mark_the_unit_and_add_up_to_the_parent(cast):
    _work(cast)
    board = dashboard(unit=cast.township1, siblings=True, today=TODAY)
    assert board.parent == cast.banner
    assert board.siblings is not None and board.parent_total is not None
    assert [(r.unit, r.is_current) for r in board.siblings] == [
        (cast.township1, True),
        (cast.township2, False),
    ]
    assert board.siblings[0] == board.total
    banner = dashboard(unit=cast.banner, today=TODAY).total
    assert board.parent_total.figures == banner.figures
    assert board.parent_total.five_good == banner.five_good
    assert board.parent_total.tasks == banner.tasks
    chart = board.siblings_chart()
    assert [(c.label, c.below, c.current) for c in chart] == [
        (cast.township2.name, True, False),
        (cast.township1.name, False, True),
    ]


def _close_behind_the_services(unit: Unit) -> None:
    """Close ``unit`` whatever it holds (the services refuse while it has people), then
    recount the subtree tallies as ``manage.py rebuild_tallies`` would."""
    Unit.objects.filter(pk=unit.pk).update(status=UnitStatus.CLOSED)
    for rebuild in tally_rebuilds().values():
        rebuild()


def test_tasks_due_this_year_by_outcome_and_last_year(cast):
    _work(cast)
    board = dashboard(unit=cast.township1, today=TODAY)
    tasks = board.tasks
    assert tasks.year == 2026
    assert (tasks.on_time, tasks.late, tasks.overdue, tasks.waiting) == (3, 0, 2, 1)
    assert tasks.on_time_rate == 0.5
    previous = board.total.tasks_previous
    assert (previous.year, previous.on_time, previous.late, previous.due) == (2025, 0, 1, 1)
    assert board.total.tasks_on_time_change == 3
    assert board.total.tasks_on_time_rate_change == 0.5
    banner = dashboard(unit=cast.banner, today=TODAY)
    assert (banner.tasks.on_time, banner.tasks.late) == (3, 1)
    assert dashboard(unit=cast.banner, year=2025, today=TODAY).tasks.on_time == 1
    # a closed unit's reports leave the figures
    _close_behind_the_services(cast.school1)
    assert dashboard(unit=cast.township1, today=TODAY).tasks.overdue == 1


def test_assessment_progress_of_the_latest_rounds(cast):
    _work(cast)
    board = dashboard(unit=cast.banner, today=TODAY)
    progress = board.progress
    assert progress.year == 2025
    assert [r.year for r in board.rounds] == [2025]
    assert (progress.draft, progress.submitted, progress.returned) == (0, 0, 1)
    assert (progress.accepted, progress.passed, progress.total) == (3, 2, 4)
    underway = assessment_round(unit=cast.banner, year=2026)
    assess(underway, cast.village1a, status=AssessmentStatus.SUBMITTED)
    assess(underway, cast.village2a, status=AssessmentStatus.DRAFT)
    board = dashboard(unit=cast.banner, today=TODAY)
    assert (board.progress.year, board.progress.submitted, board.progress.draft) == (2026, 1, 1)
    assert board.five_good.year == 2025  # still the latest *accepted* year
    assert dashboard(unit=cast.banner, year=2025, today=TODAY).progress.accepted == 3


def test_change_since_last_year(cast):
    _work(cast)
    total = dashboard(unit=cast.banner, today=TODAY).total
    assert (total.five_good_previous.year, total.five_good_previous.count) == (2024, 2)
    change = total.five_good_change
    assert (change.count, change.rate) == (0, 0.0)
    # township 2's latest accepted year is 2024 (its 2025 assessment was returned)
    t2 = dashboard(unit=cast.township2, today=TODAY).total
    assert t2.five_good.year == 2024
    assert (t2.five_good_change.count, t2.five_good_change.rate) == (1, 1.0)
    t2 = dashboard(unit=cast.township2, year=2025, today=TODAY).total
    assert (t2.five_good_change.count, t2.five_good_change.rate) == (-1, -1.0)


def _agrees_with_five_good(unit: Unit, year: int | None = None) -> None:
    board = dashboard(unit=unit, siblings=True, year=year, today=TODAY)
    rows = [board.total, *board.children, *(board.siblings or [])]
    if board.parent_total:
        rows.append(board.parent_total)
    for row in rows:
        assert row.five_good == five_good(unit=row.unit, year=board.five_good.year), row.unit


def test_units_that_do_not_count_and_two_five_good_rounds_in_a_year(cast):
    """The assessments are counted by their path copy, one index range per bucket; what must
    not count is subtracted: a township's assessment (not a grassroots committee) counts in
    the progress only, a closed unit's in neither, and a committee accepted in two five-good
    rounds of one year counts once."""
    _work(cast)
    banner_round = Round.objects.get(unit=cast.banner, year=2025)
    assess(banner_round, cast.township1)
    own = assessment_round(unit=cast.township1, year=2025)  # a second five-good round of 2025
    assess(own, cast.village1a)
    assess(own, cast.village1b)
    closing = make_unit(parent=cast.township1, kind=UnitKind.VILLAGE, name="撤并村")
    assess(banner_round, closing)
    assess(own, closing)
    _close_behind_the_services(closing)
    board = dashboard(unit=cast.banner, today=TODAY)
    assert (board.five_good.year, board.five_good.count) == (2025, 2)  # villages 1a and 1b
    progress = board.progress  # both rounds of 2025, active units
    assert (progress.accepted, progress.passed, progress.returned, progress.total) == (6, 5, 1, 7)
    assert [r.five_good.count for r in board.children] == [2, 0]
    for unit in (cast.banner, cast.township1, cast.township2, cast.village1a):
        _agrees_with_five_good(unit)
        _agrees_with_five_good(unit, year=2025)


def test_after_a_move_the_assessments_count_where_the_unit_now_is(cast):
    """Moving a unit (before its new siblings, which shift) carries its assessments' path
    copies: the dashboard counts them under the new parent, nothing under the old one."""
    from nutag.assess.models import Assessment
    from nutag.orgs.services import unit_move

    _work(cast)
    unit_move(acting_user=SYSTEM, unit=cast.village1a, new_parent=cast.township2)
    for unit in (cast.village1a, cast.village2a):
        unit.refresh_from_db()
        assert {a.unit_path for a in Assessment.objects.filter(unit=unit)} == {unit.path}
    t1, t2 = (Unit.objects.get(pk=u.pk) for u in (cast.township1, cast.township2))
    assert dashboard(unit=t1, year=2025, today=TODAY).five_good.count == 1  # village 1b
    board = dashboard(unit=t2, year=2025, today=TODAY)
    assert board.five_good.count == 1  # village 1a, now here (village 2a was returned)
    assert [r.unit.pk for r in board.children] == [cast.village1a.pk, cast.village2a.pk]
    assert [r.five_good.count for r in board.children] == [1, 0]
    assert (board.progress.accepted, board.progress.returned) == (1, 1)
    for unit in (cast.banner, t1, t2, cast.village1a):
        _agrees_with_five_good(unit, year=2025)


def test_children_chart_shows_areas_one_by_one_and_leaves_by_kind(cast):
    _work(cast)
    organs = [make_unit(parent=cast.banner, kind=UnitKind.ORGAN, name=f"机关{i}") for i in range(3)]
    assess(Round.objects.get(unit=cast.banner, year=2025), organs[0])
    chart = dashboard(unit=cast.banner, today=TODAY).children_chart()
    labels = [c.label for c in chart]
    assert cast.township1.name in labels and cast.township2.name in labels
    group = next(c for c in chart if c.label.startswith(str(UnitKind.ORGAN.label)))
    assert (group.count, group.base, group.code) == (1, 3, "")
    assert [c.rate for c in chart] == sorted(c.rate for c in chart)  # laggards first
    reference = dashboard(unit=cast.banner, today=TODAY).five_good.rate
    assert all(c.below == (c.rate < reference) for c in chart)
    # a township's children are all leaves: one bar each
    chart = dashboard(unit=cast.township1, today=TODAY).children_chart()
    assert {c.code for c in chart} == {
        cast.village1a.code,
        cast.village1b.code,
        cast.school1.code,
    }


# --- A fixed number of queries --------------------------------------------------------------


def _grow(parent: Unit, *, townships: int, villages: int) -> list[Unit]:
    """A tree under ``parent`` with work and people in it; returns the new units."""
    made: list[Unit] = []
    rnd = assessment_round(unit=parent, year=2025, title=f"轮次{parent.code}")
    deployed = task(unit=parent, due_on=dt.date(2026, 3, 1))
    for t in range(townships):
        township = make_unit(parent=parent, kind=UnitKind.TOWNSHIP, name=f"镇{t}")
        made.append(township)
        report(deployed, township, status=ReportStatus.SUBMITTED, late=t % 2 == 1)
        for v in range(villages):
            village = make_unit(parent=township, kind=UnitKind.VILLAGE, name=f"村{t}-{v}")
            made.append(village)
            assess(rnd, village, passed=v % 3 != 0)
            make_care_worker(
                person=PersonFactory(unit=village), unit=village, elder_category="teacher"
            )
    return made


def _count(**kwargs: object) -> int:
    with CaptureQueriesContext(connection) as ctx:
        dashboard(**kwargs)  # type: ignore[arg-type]
    return len(ctx.captured_queries)


def test_same_number_of_queries_for_3_and_40_units(db):
    small_root = make_unit(parent=None, kind=UnitKind.BANNER, name="小旗", code="150801")
    small = _grow(small_root, townships=1, villages=1)
    assert Unit.objects.filter(path__startswith=small_root.path).count() == 3
    big_root = make_unit(parent=None, kind=UnitKind.BANNER, name="大旗", code="150802")
    big = _grow(big_root, townships=3, villages=12)
    assert Unit.objects.filter(path__startswith=big_root.path).count() == 40
    for year in (None, 2025):
        assert _count(unit=small_root, year=year) == _count(unit=big_root, year=year) == 5
        # a township with siblings, and a village (siblings, no children)
        assert _count(unit=small[0], siblings=True) == _count(unit=big[0], siblings=True) == 5
        assert _count(unit=small[1], siblings=True) == _count(unit=big[1], siblings=True) == 5
    board = dashboard(unit=big_root)
    assert board.five_good.base == 36 and board.five_good.count == 24
    assert len(board.children) == 3 and board.figures.participants == 36


def test_large_scopes_read_in_the_other_join_order_with_the_same_result(cast, monkeypatch):
    """Where the tasks' subtree tallies are not built, the task reports are read themselves:
    over many units starting from the tasks (``grouped._join_order``); both orders must give
    the figures the tallies give."""
    _work(cast)
    module = sys.modules["nutag.stats.selectors.dashboard"]
    units = (cast.banner, cast.township1, cast.township2, cast.village1a)
    tallied = [dashboard(unit=u, siblings=True, today=TODAY) for u in units]
    ReportSubtreeTally.objects.all().delete()
    small = [dashboard(unit=u, siblings=True, today=TODAY) for u in units]
    monkeypatch.setattr(module, "LARGE_SCOPE", 0)
    large = [dashboard(unit=u, siblings=True, today=TODAY) for u in units]
    assert small == large == tallied
    assert small[0].five_good.count == 2 and small[0].tasks.due > 0


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def test_five_good_reads_the_units_own_row_of_each_rounds_subtree_tally(cast) -> None:  # type: ignore[no-untyped-def]
    """The five-good count reads the unit's own row of each five-good round's subtree tally
    (``assess.AssessmentSubtreeTally``), one look-up each: never the assessments, never a
    scan (bench/stats_parts, issue 17, session 8)."""
    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    _work(cast)
    figures = unit_figures(unit=cast.banner)
    with CaptureQueriesContext(connection) as ctx:
        good = five_good(unit=cast.banner, figures=figures)
    assert (good.count, good.year) == (2, 2025)
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    assert "assess_assessment " not in sql and "assessmentsubtreetally" in sql
    plan = _plan(sql)
    assert "SCAN t" not in plan and "SCAN x" not in plan and "SCAN s" not in plan, plan
    assert "SEARCH t USING INDEX" in plan and "(unit_id=?)" in plan, plan


def test_five_good_counts_over_the_five_good_tallies_path_range(cast) -> None:  # type: ignore[no-untyped-def]
    """Where the rounds' subtree tallies cannot tell (here: not built), the five-good count
    reads the per-committee tallies (``assess.FiveGoodTally``) over their own ``unit_path``
    range, and finds the units that do not count through the unit table's indexes: never
    the assessments, never a scan (bench/stats, issue 17)."""
    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    _work(cast)
    built = five_good(unit=cast.banner)
    AssessmentSubtreeTally.objects.all().delete()
    figures = unit_figures(unit=cast.banner)
    with CaptureQueriesContext(connection) as ctx:
        good = five_good(unit=cast.banner, figures=figures)
    assert good == built
    _tallies, sql = [q["sql"] for q in ctx.captured_queries]
    assert "assess_assessment" not in sql
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SCAN" not in plan.replace("SCAN x", ""), plan
    assert "COVERING INDEX fivegoodtally_path (unit_path>? AND unit_path<?)" in plan, plan
    assert "unit_kind_path" in plan and "unit_status_path" in plan, plan


def test_bucket_ranges_and_the_grouped_pass_give_the_same_figures(cast, monkeypatch):
    """The units and care tallies are read bucket by bucket over index ranges, or past
    ``grouped.BUCKET_BRANCHES`` buckets in one grouped pass: both must give the same
    figures, closed units and the unit's own rows included."""
    _work(cast)
    make_care_worker(person=PersonFactory(unit=cast.village2a), unit=cast.village2a)
    make_care_worker(person=PersonFactory(unit=cast.township1), unit=cast.township1)
    closed = make_unit(parent=cast.township2, kind=UnitKind.VILLAGE, name="撤并村")
    _close_behind_the_services(closed)
    units = (cast.banner, cast.township1, cast.township2, cast.village1a)
    ranges = [dashboard(unit=u, siblings=True, today=TODAY) for u in units]
    monkeypatch.setattr(sys.modules["nutag.stats.selectors.grouped"], "BUCKET_BRANCHES", 0)
    grouped = [dashboard(unit=u, siblings=True, today=TODAY) for u in units]
    assert ranges == grouped
    assert ranges[0].figures.participants >= 3 and ranges[0].five_good.base > 0
    assert closed.pk in {r.unit.pk for r in ranges[2].children}


def test_the_children_are_found_past_gaps_and_grandchildren(cast):
    """The children (and siblings) are walked by index seeks from one child's subtree to the
    next (``grouped.level_paths``): none is missed after a gap, and no grandchild is taken."""
    extra = [
        make_unit(parent=cast.township2, kind=UnitKind.VILLAGE, name=f"村{i}") for i in range(4)
    ]
    make_unit(parent=extra[0], kind=UnitKind.SCHOOL, name="村小")
    # moved away: a gap in the children's paths
    unit_move(acting_user=SYSTEM, unit=extra[1], new_parent=cast.township1)
    township2 = Unit.objects.get(pk=cast.township2.pk)

    def children(of: Unit) -> list[Unit]:
        below = Unit.objects.filter(path__startswith=of.path, depth=of.depth + 1)
        return list(below.order_by("path"))

    for unit in (cast.banner, township2, Unit.objects.get(pk=extra[2].pk)):
        board = dashboard(unit=unit, siblings=True, today=TODAY)
        assert [r.unit for r in board.children] == children(unit)
        if board.siblings is not None:
            parent = Unit.objects.get(path=unit.path[: -Unit.steplen])
            assert [r.unit for r in board.siblings] == children(parent)
    assert extra[2] in [r.unit for r in dashboard(unit=township2, today=TODAY).children]


def test_the_units_shown_are_the_units_a_queryset_gives_field_by_field(cast):
    """The units shown are read by written SQL (``grouped.shown_units``), not a queryset: the
    same units, each field as the ORM gives it (aware datetimes, a closed unit's date, the
    merged-into id), and nothing but the ancestors, children and siblings asked for."""
    from nutag.orgs.services import unit_merge
    from nutag.stats.selectors import grouped

    unit_merge(acting_user=SYSTEM, unit=cast.village1b, into=cast.village1a)
    township1 = Unit.objects.get(pk=cast.township1.pk)
    got = grouped.shown_units(
        ancestors=[cast.banner.path], levels=[(township1.path, 3), (cast.banner.path, 2)]
    )
    expected = list(
        Unit.objects.filter(
            path__in=[cast.banner.path]
            + [u.path for u in Unit.objects.filter(depth=3, path__startswith=township1.path)]
            + [u.path for u in Unit.objects.filter(depth=2)]
        ).order_by("path")
    )
    assert [u.pk for u in got] == [u.pk for u in expected]
    assert cast.village1b.pk in {u.pk for u in got}
    fields = [f.attname for f in Unit._meta.concrete_fields]
    for mine, theirs in zip(got, expected, strict=True):
        assert [getattr(mine, f) for f in fields] == [getattr(theirs, f) for f in fields]
    closed = next(u for u in got if u.pk == cast.village1b.pk)
    assert closed.closed_at is not None and closed.closed_at.tzinfo is not None
    assert closed.merged_into_id == cast.village1a.pk
    assert grouped.shown_units(ancestors=[], levels=[]) == []
    assert grouped.shown_units(ancestors=["ZZZZ"], levels=[]) == []


def test_a_child_without_subtree_tallies_is_read_over_ranges(cast):
    """A unit whose subtree tally rows are missing (made behind the services' back, before a
    rebuild) still counts: its bucket is read over index ranges, in one more query."""
    from nutag.orgs.models import UnitSubtreeTally
    from nutag.people.models import CareSubtreeTally

    make_care_worker(person=PersonFactory(unit=cast.village2a), unit=cast.village2a)
    expected = dashboard(unit=cast.banner, today=TODAY)
    UnitSubtreeTally.objects.filter(unit=cast.township2).delete()
    CareSubtreeTally.objects.filter(unit=cast.township2).delete()
    with CaptureQueriesContext(connection) as ctx:
        board = dashboard(unit=cast.banner, today=TODAY)
    assert board == expected
    assert board.children[1].figures.committees_by_kind["village"] == 1
    assert board.children[1].figures.participants == 1
    assert len(ctx.captured_queries) == 4 + 1  # no round: four reads, and the ranges
