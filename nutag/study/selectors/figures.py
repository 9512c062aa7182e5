"""The study app's rolled-up figures over a unit's subtree (dashboard and stats API).

Three statements of fixed SQL whatever the subtree's size, each part read over the subtree's
``unit_path`` (or ``path``) range:

1. one row: lesson progress (lessons completed this year, people who studied, hours);
   Party members (from the memberships) and those who completed a lesson this year; the
   number of branches (every active grassroots unit: not the banner, not a township);
   points earned this year; reads of the Party-building columns' articles (the seed
   reports these clicks);
2. 三会一课 held this year by the branches, from the per-branch tallies (``MeetingTally``,
   kept by the meeting services): each kind's sum and the branches on the rhythm (which
   expects the same of every branch by a given day), in one pass with no grouping;
3. the meetings dated after today in the year (scheduled live meetings), taken off their
   branch's set.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import connections

from nutag.core.db import read_alias
from nutag.orgs.models import GRASSROOTS_KINDS, NON_GRASSROOTS_KINDS, Unit, UnitStatus
from nutag.orgs.paths import range_sql
from nutag.people.models import PartyMembership
from nutag.sites.models import Article, Column
from nutag.study.models import LessonProgress, Meeting, MeetingKind, MeetingTally, PointEntry
from nutag.study.selectors.records import rhythm_rows

STUDY_FIGURE_QUERIES = 3
PARTY_BUILDING_COLUMNS = ("party_home", "thematic_education", "online_study", "micro_branch")


@dataclasses.dataclass(frozen=True)
class StudyFigures:
    year: int
    lessons_completed: int
    learners: int
    hours: float
    party_members: int
    members_studied: int
    points: int
    column_reads: int
    branches: int
    branches_on_rhythm: int
    meetings_held: dict[str, int]
    meetings_expected: dict[str, int]

    @property
    def members_rate(self) -> float:
        return round(self.members_studied / self.party_members, 3) if self.party_members else 0.0

    @property
    def branches_behind(self) -> int:
        return self.branches - self.branches_on_rhythm

    def study(self) -> dict[str, object]:
        return {
            "year": self.year,
            "lessons_completed": self.lessons_completed,
            "learners": self.learners,
            "hours": self.hours,
            "party_members": self.party_members,
            "members_studied": self.members_studied,
            "members_rate": self.members_rate,
            "points": self.points,
            "column_reads": self.column_reads,
        }

    def meetings(self) -> dict[str, object]:
        return {
            "year": self.year,
            "branches": self.branches,
            "branches_on_rhythm": self.branches_on_rhythm,
            "branches_behind": self.branches_behind,
            "held": self.meetings_held,
            "expected": self.meetings_expected,
        }


def _branch_marks() -> tuple[str, list[str]]:
    kinds = sorted(GRASSROOTS_KINDS)
    return ", ".join("%s" for _ in kinds), [str(k) for k in kinds]


def _scalars_sql(
    path: str, years: list[Any], days: list[Any], branches: int | None = None
) -> tuple[str, list[Any], list[str]]:
    """One row of every count but the meetings': lesson progress, memberships, branches,
    points and column reads, each over its own table's path range (fixed SQL: table names
    and placeholders only are written into the text). ``branches``, when the caller counted
    them already, comes back as given instead of being counted again."""
    progress, membership = LessonProgress._meta.db_table, PartyMembership._meta.db_table
    point, article = PointEntry._meta.db_table, Article._meta.db_table
    column, unit = Column._meta.db_table, Unit._meta.db_table
    in_range, bounds = range_sql('"unit_path"', path)
    m_range, _ = range_sql('m."unit_path"', path)
    u_range, _ = range_sql('"path"', path)
    a_range, _ = range_sql('u."path"', path)
    kind_marks, kinds = _branch_marks()
    closed = sorted(str(s) for s in UnitStatus if s != UnitStatus.ACTIVE)
    closed_marks = ", ".join("%s" for _ in closed)
    columns = ", ".join("%s" for _ in PARTY_BUILDING_COLUMNS)
    if branches is None:
        branch_sql = (
            f'(SELECT COUNT(*) FROM {unit} WHERE "kind" IN ({kind_marks}) AND {u_range}) - '  # noqa: S608
            f'(SELECT COUNT(*) FROM {unit} WHERE "status" IN ({closed_marks}) AND {u_range} '
            # ``kind || ''``: through the few closed units' (status, path) index, not (kind, path)
            f"AND (\"kind\" || '') IN ({kind_marks}))"
        )
        branch_params: list[Any] = [*kinds, *bounds, *closed, *bounds, *kinds]
    else:
        branch_sql, branch_params = "%s", [int(branches)]
    sql = (
        'SELECT COUNT(CASE WHEN "completed_at" BETWEEN %s AND %s THEN 1 END), '  # noqa: S608
        'COUNT(DISTINCT "person_id"), SUM("seconds"), '
        f"(SELECT COUNT(*) FROM {membership} WHERE {in_range}), "
        f"(SELECT COUNT(*) FROM {membership} m WHERE {m_range} AND EXISTS ("
        f'SELECT 1 FROM {progress} p WHERE p."person_id" = m."person_id" '
        'AND p."completed_at" BETWEEN %s AND %s)), '
        # Active grassroots units: one range of the (kind, path) index per kind, less the
        # closed ones through the (status, path) index (as nutag/stats/selectors/figures.py).
        f"{branch_sql}, "
        f'(SELECT SUM("points") FROM {point} WHERE {in_range} AND "day" BETWEEN %s AND %s), '
        f'(SELECT SUM(a."read_count") FROM {article} a '
        f'INNER JOIN {unit} u ON u."id" = a."unit_id" '
        f'INNER JOIN {column} c ON c."id" = a."column_id" '
        f'WHERE {a_range} AND c."key" IN ({columns})) '
        f"FROM {progress} WHERE {in_range}"
    )
    params: list[Any] = [*years, *bounds, *bounds, *years]
    params += branch_params
    params += [*bounds, *days]
    params += [*bounds, *PARTY_BUILDING_COLUMNS]
    params += bounds
    return sql, params, bounds


def _meetings_sql(
    path: str, year: int, today: Any, last: Any, expected: list[int]
) -> list[tuple[str, list[Any]]]:
    """The branches' 三会一课 of the year up to today, from the tallies (one row per unit and
    year, ``MeetingTally``), in one pass with no grouping: (1) three rows of the same
    aggregates (units, each kind's sum, units on the rhythm given ``expected``): every tally
    of the subtree, then those of the units that are no branch (the banner and townships
    through the ``(kind, path)`` index, the closed ones through ``(status, path)``), to
    subtract; (2) the meetings dated after today in the year (scheduled live ones, read
    through the ``(held_on, unit_path)`` index) of branches, by unit and kind, with their
    unit's tally, to take them off. ``CROSS JOIN`` keeps the written order on SQLite."""
    tally, meeting, unit = MeetingTally._meta.db_table, Meeting._meta.db_table, Unit._meta.db_table
    t_range, bounds = range_sql('t."unit_path"', path)
    u_range, _ = range_sql('u."path"', path)
    m_range, _ = range_sql('m."unit_path"', path)
    kind_marks, kinds = _branch_marks()
    others = sorted(str(k) for k in NON_GRASSROOTS_KINDS)
    other_marks = ", ".join("%s" for _ in others)
    closed = sorted(str(s) for s in UnitStatus if s != UnitStatus.ACTIVE)
    closed_marks = ", ".join("%s" for _ in closed)
    counts = ", ".join(f't."{k}"' for k in MeetingKind.values)
    on_rhythm = " AND ".join(f't."{k}" >= %s' for k in MeetingKind.values)
    sums = ", ".join(f'SUM(t."{k}")' for k in MeetingKind.values)
    each = f"SELECT COUNT(*), {sums}, COUNT(CASE WHEN {on_rhythm} THEN 1 END)"
    of_units = f'CROSS JOIN {tally} t WHERE t."unit_id" = u."id" AND t."year" = %s'
    sets = (
        f'{each} FROM {tally} t WHERE t."year" = %s AND {t_range} UNION ALL '
        f'{each} FROM {unit} u {of_units} AND u."kind" IN ({other_marks}) AND {u_range} '
        f'UNION ALL {each} FROM {unit} u {of_units} AND u."status" IN ({closed_marks}) '
        f"AND (u.\"kind\" || '') IN ({kind_marks}) AND {u_range}"
    )
    sets_params: list[Any] = [*expected, year, *bounds]
    sets_params += [*expected, year, *others, *bounds]
    sets_params += [*expected, year, *closed, *kinds, *bounds]
    branch = f'u."status" = %s AND u."kind" IN ({kind_marks})'
    later = (
        f'SELECT m."unit_id", m."kind", COUNT(*), {counts} FROM {meeting} m '  # noqa: S608
        f"CROSS JOIN {unit} u CROSS JOIN {tally} t "
        f'WHERE m."held_on" > %s AND m."held_on" <= %s AND {m_range} '
        f'AND u."id" = m."unit_id" AND {branch} AND t."unit_id" = m."unit_id" AND t."year" = %s '
        f'GROUP BY m."unit_id", m."kind", {counts}'
    )
    later_params = [today, last, *bounds, UnitStatus.ACTIVE.value, *kinds, year]
    return [(sets, sets_params), (later, later_params)]


def _meetings(
    rows: list[tuple[Any, ...]], later: list[tuple[Any, ...]], expected: list[int]
) -> tuple[int, list[int], int]:
    """``(branches with a tally, each kind's meetings held up to today, of them on the
    rhythm)``: the subtree's tallies less the non-branches', then each branch that has
    meetings after today counted with its counts less those."""
    (n, *rest), *minus = rows
    sums, on = [int(v or 0) for v in rest[:-1]], int(rest[-1])
    for m_n, *m_rest in minus:
        n -= m_n
        sums = [a - int(b or 0) for a, b in zip(sums, m_rest[:-1], strict=True)]
        on -= int(m_rest[-1])
    kinds = MeetingKind.values
    future: dict[int, tuple[tuple[int, ...], dict[str, int]]] = {}
    for unit_id, kind, k_n, *tallied in later:
        future.setdefault(unit_id, (tuple(tallied), {}))[1][kind] = k_n
    for counts, ahead in future.values():
        less = [c - ahead.get(k, 0) for k, c in zip(kinds, counts, strict=True)]
        sums = [s - (c - h) for s, c, h in zip(sums, counts, less, strict=True)]
        on -= all(c >= e for c, e in zip(counts, expected, strict=True))
        on += all(h >= e for h, e in zip(less, expected, strict=True))
    return n, sums, on


def study_figures(
    *, unit: Unit, today: dt.date, units_by_kind: Mapping[str, int] | None = None
) -> StudyFigures:
    """Three statements of fixed SQL (issue 17: building six querysets cost more than running
    them, and the meetings are read from their tallies); ``tests/test_figures_recount.py``
    checks them against a recount through the ORM. ``units_by_kind``: the subtree's active
    units by kind when the caller has them (the dashboard's seed table), so the branches are
    not counted again."""
    year = today.year
    alias = read_alias()
    ops = connections[alias].ops
    years = ops.year_lookup_bounds_for_datetime_field(year)
    days = ops.year_lookup_bounds_for_date_field(year)
    branches_known = (
        None
        if units_by_kind is None
        else sum(units_by_kind.get(str(k), 0) for k in GRASSROOTS_KINDS)
    )
    scalars, params, _bounds = _scalars_sql(unit.path, years, days, branches_known)
    last = ops.adapt_datefield_value(dt.date(year, 12, 31))
    # The rhythm asks the same of every branch: what it expects by today, by kind.
    rhythm = rhythm_rows(counts={}, year=year, today=today)
    expected = [r.expected for r in rhythm]
    (sets_sql, sets_params), (later_sql, later_params) = _meetings_sql(
        unit.path, year, ops.adapt_datefield_value(today), last, expected
    )
    with connections[alias].cursor() as cursor:
        cursor.execute(scalars, params)
        done, learners, seconds, members, studied, branches, points, reads = cursor.fetchone()
        cursor.execute(sets_sql, sets_params)
        rows = cursor.fetchall()
        cursor.execute(later_sql, later_params)
        later = cursor.fetchall()
    tallied, held, on_rhythm = _meetings(rows, later, expected)
    # The branches with no tally held nothing: on the rhythm only while it expects nothing.
    on_rhythm += (branches - tallied) * all(e == 0 for e in expected)
    held_total = dict(zip(MeetingKind.values, held, strict=True))
    expected_total = {
        k: branches * r.expected for k, r in zip(MeetingKind.values, rhythm, strict=True)
    }
    return StudyFigures(
        year=year,
        lessons_completed=done,
        learners=learners,
        hours=round((seconds or 0) / 3600, 1),
        party_members=members,
        members_studied=studied,
        points=points or 0,
        column_reads=reads or 0,
        branches=branches,
        branches_on_rhythm=on_rhythm,
        meetings_held=held_total,
        meetings_expected=expected_total,
    )
