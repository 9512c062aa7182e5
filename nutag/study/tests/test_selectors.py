"""Study selectors: the rhythm of 三会一课, a branch's completion, the rolled-up figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.factories import make_unit
from nutag.orgs.models import UnitKind
from nutag.study import selectors, services
from nutag.study.selectors.figures import STUDY_FIGURE_QUERIES
from nutag.study.selectors.records import expected_by
from nutag.study.tests.helpers import course_with_lessons, member

pytestmark = pytest.mark.django_db


def test_rhythm_counts_completed_periods_only():
    assert expected_by(kind="members", year=2026, today=dt.date(2026, 1, 15)) == 0
    assert expected_by(kind="members", year=2026, today=dt.date(2026, 4, 1)) == 1
    assert expected_by(kind="committee", year=2026, today=dt.date(2026, 4, 1)) == 3
    assert expected_by(kind="lesson", year=2025, today=dt.date(2026, 4, 1)) == 4
    assert expected_by(kind="group", year=2027, today=dt.date(2026, 4, 1)) == 0


def test_meeting_rhythm_says_what_is_overdue(cast):
    today = dt.date(2026, 7, 10)
    services.meeting_record(
        acting_user=SYSTEM,
        unit=cast.village1a,
        kind="members",
        held_on=dt.date(2026, 2, 1),
        topic="一季度",
    )
    rhythm = selectors.meeting_rhythm(unit=cast.village1a, year=2026, today=today)
    rows = {r.kind: r for r in rhythm.rows}
    assert (rows["members"].held, rows["members"].expected, rows["members"].behind) == (1, 2, 1)
    assert rows["committee"].behind == 6 and rows["lesson"].behind == 2
    assert rhythm.behind == 1 + 6 + 6 + 2


def test_branch_study_lists_who_has_not_started(cast):
    course, first, second = course_with_lessons(cast.village1a, quiz=False)
    done, started, idle = (
        member(cast.village1a, n, u) for n, u in (("甲", "a"), ("乙", "b"), ("丙", "c"))
    )
    member(cast.village1b, "别村")  # another branch: not in this one's audience
    for lesson in (first, second):
        services.progress_record(
            acting_user=done.user,
            lesson=lesson,
            client_id=f"d{lesson.pk}",
            seconds=60,
            reached_end=True,
        )
    services.progress_record(acting_user=started.user, lesson=first, client_id="s", seconds=30)
    branch = selectors.branch_study(unit=cast.village1a, course=course)
    assert (branch.audience, branch.completed, branch.started) == (3, 1, 2)
    assert [p.name for p in branch.not_started] == [idle.name]
    assert branch.rate == round(1 / 3, 3)


def _tree(root_code: str, villages: int):  # type: ignore[no-untyped-def]
    banner = make_unit(parent=None, kind=UnitKind.BANNER, name=f"旗{root_code}", code=root_code)
    town = make_unit(parent=banner, kind=UnitKind.TOWNSHIP, name=f"镇{root_code}")
    units = [
        make_unit(parent=town, kind=UnitKind.VILLAGE, name=f"村{root_code}{i}")
        for i in range(villages)
    ]
    return banner, units


def test_figures_roll_up_the_tree_in_a_fixed_number_of_queries(db):
    today = timezone.localdate()
    counts = []
    for code, n in (("150811", 2), ("150812", 30)):
        banner, villages = _tree(code, n)
        _course, lesson, _q = course_with_lessons(banner, quiz=False)
        for i, village in enumerate(villages):
            person = member(village, f"党员{i}", f"u{code}{i}")
            if i % 2 == 0:
                services.progress_record(
                    acting_user=person.user,
                    lesson=lesson,
                    client_id=f"{code}-{i}",
                    seconds=60,
                    reached_end=True,
                )
            if i == 0:
                for month in range(1, today.month + 1):
                    for kind in ("committee", "group"):
                        services.meeting_record(
                            acting_user=SYSTEM,
                            unit=village,
                            kind=kind,
                            held_on=dt.date(today.year, month, 1),
                            topic="会",
                        )
                for q in range(0, today.month, 3):
                    for kind in ("members", "lesson"):
                        services.meeting_record(
                            acting_user=SYSTEM,
                            unit=village,
                            kind=kind,
                            held_on=dt.date(today.year, q + 1, 2),
                            topic="会",
                        )
        with CaptureQueriesContext(connection) as ctx:
            figures = selectors.study_figures(unit=banner, today=today)
        counts.append(len(ctx.captured_queries))
        assert figures.party_members == n
        assert figures.members_studied == (n + 1) // 2 == figures.lessons_completed
        assert figures.points == 2 * figures.lessons_completed
        assert figures.branches == n
        assert figures.branches_on_rhythm == 1
    assert counts == [STUDY_FIGURE_QUERIES, STUDY_FIGURE_QUERIES]


def test_figures_of_a_village_leave_out_its_siblings(cast):
    course, lesson, _q = course_with_lessons(cast.township1, quiz=False)
    for unit, name in ((cast.village1a, "a"), (cast.village1b, "b")):
        p = member(unit, name, name)
        services.progress_record(
            acting_user=p.user, lesson=lesson, client_id=name, seconds=60, reached_end=True
        )
    today = timezone.localdate()
    assert selectors.study_figures(unit=cast.village1a, today=today).lessons_completed == 1
    assert selectors.study_figures(unit=cast.township1, today=today).lessons_completed == 2
    assert selectors.study_figures(unit=cast.township2, today=today).lessons_completed == 0
    assert course.unit == cast.township1


def _plans(sqls: list[str]) -> list[str]:
    with connection.cursor() as cursor:
        out = []
        for sql in sqls:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            out.append(" | ".join(str(row[-1]) for row in cursor.fetchall()))
    return out


def test_figures_read_path_ranges_never_every_person_nor_every_unit(cast):
    """Each query of ``study_figures`` reads an index range (bench/stats: at a province's
    root the old shape walked a million people and ran the rhythm once per branch)."""
    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    member(cast.village1a, "巴特尔")
    with CaptureQueriesContext(connection) as ctx:
        selectors.study_figures(unit=cast.banner, today=timezone.localdate())
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len(sqls) == STUDY_FIGURE_QUERIES
    assert not any(" LIKE " in sql for sql in sqls)
    assert not any('"people_person"' in sql for sql in sqls)  # memberships' own path copy
    plans = _plans(sqls)
    assert all("USING" in plan and "INDEX" in plan for plan in plans), plans
    assert not any("SCAN orgs_unit" in plan for plan in plans), plans
    assert "unit_path>? AND unit_path<?" in plans[1]  # the members, by the range
