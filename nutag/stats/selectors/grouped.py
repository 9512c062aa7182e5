"""The dashboard's grouped reads, written in SQL.

Each function reads one table (joined to the unit table for the path) over a *scope* — a
subtree, as a path range — and groups the rows by a *bucket*: a prefix of the unit's path
(see ``Buckets``). They are plain SQL rather than querysets for one measured reason: on a
200-unit tree Django took about 10 ms to build the four querysets (filtered counts, ``CASE``,
``EXISTS``) against about 1 ms for SQLite to run them, and the root dashboard of a province
must cost at most 5× one ``COUNT(*)`` over a million people (``bench/dashboard.py``).
The SQL is portable between SQLite (3.30+, for ``FILTER``) and PostgreSQL: every value
comes as a parameter, except integers computed here (prefix lengths, round ids), which are
written into the text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from nutag.assess.models import (
    Assessment,
    AssessmentStatus,
    Round,
    Standard,
    StandardKind,
    Task,
    TaskReport,
)
from nutag.orgs.models import GRASSROOTS_KINDS, NON_GRASSROOTS_KINDS, Unit, UnitStatus
from nutag.orgs.paths import successor
from nutag.people.models import CareTally
from nutag.people.tallies import CATEGORY_FIELDS

UNIT = Unit._meta.db_table
TALLY = CareTally._meta.db_table
ROUND = Round._meta.db_table
STANDARD = Standard._meta.db_table
ASSESSMENT = Assessment._meta.db_table
TASK = Task._meta.db_table
REPORT = TaskReport._meta.db_table

Params = list[Any]


def _range(column: str, path: str) -> tuple[str, Params]:
    """``column`` within the subtree at ``path`` (a range, see ``nutag.orgs.paths``)."""
    upper = successor(path)
    if upper is None:
        return f"{column} >= %s", [path]
    return f"({column} >= %s AND {column} < %s)", [path, upper]


def _ids(ids: Iterable[int]) -> str:
    """A list of integer ids for ``IN``, written into the SQL (``FALSE`` when empty)."""
    values = sorted({int(i) for i in ids})
    return f"IN ({', '.join(str(i) for i in values)})" if values else "IN (NULL)"


def _in(values: Iterable[Any]) -> tuple[str, Params]:
    strings = sorted(str(v) for v in values)
    return f"IN ({', '.join(['%s'] * len(strings))})", strings


# Choice values as plain strings (a database driver need not know Django's enum types).
ACCEPTED = str(AssessmentStatus.ACCEPTED.value)
ACTIVE = str(UnitStatus.ACTIVE.value)
FIVE_GOOD = str(StandardKind.FIVE_GOOD.value)


@dataclasses.dataclass(frozen=True)
class Buckets:
    """How rows are grouped: the unit path cut at the children's depth inside ``unit_path``;
    with ``siblings``, everything else in the scope cut at the unit's own depth."""

    unit_path: str
    depth: int
    siblings: bool

    def sql(self, column: str) -> tuple[str, Params]:
        step = Unit.steplen
        child = f"SUBSTR({column}, 1, {(self.depth + 1) * step})"
        if not self.siblings:
            return child, []
        inside, params = _range(column, self.unit_path)
        own = f"SUBSTR({column}, 1, {self.depth * step})"
        return f"CASE WHEN {inside} THEN {child} ELSE {own} END", params


def _join_order(large: bool, *tables: str) -> str:
    """The tables in the order SQLite should loop over them.

    Over a large scope (most of the tree: the root's dashboard), start from the small end
    (the year's rounds, the tasks due) and look each row's unit up by its id; over a small
    one, start from the units' path range. SQLite's planner cannot tell a range over the
    whole tree from a narrow one (it keeps no histogram of paths), and its guess for the root
    cost 3× more; on SQLite a ``CROSS JOIN`` fixes the order, elsewhere it is an inner join
    (the join conditions are in the ``WHERE`` clause) and the planner decides.
    """
    ordered = tables if large else tables[::-1]
    return " CROSS JOIN ".join(ordered)


def _rows(sql: str, params: Params) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def unit_rows(*, scope: str, buckets: Buckets) -> list[tuple[Any, ...]]:
    """``(bucket, kind, active units, participants, *elder categories)``: the units of the
    scope and their care tallies (``people.CareTally``, closed units' included, as in
    ``unit_figures``), one pass over the unit table."""
    bucket, p1 = buckets.sql("u.path")
    where, p2 = _range("u.path", scope)
    sums = ", ".join(f"SUM(t.{f})" for f in ["participants", *CATEGORY_FIELDS])
    return _rows(
        f"SELECT {bucket}, u.kind, COUNT(*) FILTER (WHERE u.status = %s), {sums} "  # noqa: S608 (see the module docstring)
        f"FROM {UNIT} u LEFT JOIN {TALLY} t ON t.unit_id = u.id "
        f"WHERE {where} GROUP BY 1, 2",
        [*p1, ACTIVE, *p2],
    )


def _accepted_in(path: str) -> tuple[str, Params]:
    """SQL: round ``r`` has an accepted assessment of a grassroots committee under ``path``."""
    where, params = _range("u.path", path)
    kinds, kind_params = _in(GRASSROOTS_KINDS)
    return (
        f"EXISTS (SELECT 1 FROM {ASSESSMENT} a JOIN {UNIT} u ON u.id = a.unit_id "  # noqa: S608 (see the module docstring)
        f"WHERE a.round_id = r.id AND a.status = %s AND u.status = %s "
        f"AND u.kind {kinds} AND {where})",
        [ACCEPTED, ACTIVE, *kind_params, *params],
    )


@dataclasses.dataclass(frozen=True)
class RoundRow:
    pk: int
    year: int
    title: str
    issuer_path: str
    five_good: bool
    accepted_here: bool  # a grassroots committee of the unit's subtree was accepted in it
    accepted_there: bool  # … of the scope (the parent's subtree, with siblings)


def round_rows(*, unit_path: str, scope: str, siblings: bool) -> list[RoundRow]:
    """The rounds that can cover the scope: issued above it, by it or inside it (a round
    assesses every unit below its issuer)."""
    step = Unit.steplen
    above = [scope[: i * step] for i in range(1, len(scope) // step + 1)]
    above_in, p_above = _in(above)
    inside, p_inside = _range("iu.path", scope)
    here, p_here = _accepted_in(unit_path)
    there, p_there = _accepted_in(scope) if siblings else ("FALSE", [])
    rows = _rows(
        f"SELECT r.id, r.year, r.title, iu.path, s.kind = %s, "  # noqa: S608 (see the module docstring)
        f"CASE WHEN s.kind = %s THEN {here} ELSE FALSE END, "
        f"CASE WHEN s.kind = %s THEN {there} ELSE FALSE END "
        f"FROM {ROUND} r JOIN {STANDARD} s ON s.id = r.standard_id "
        f"JOIN {UNIT} iu ON iu.id = r.unit_id "
        f"WHERE iu.path {above_in} OR {inside}",
        [FIVE_GOOD, FIVE_GOOD, *p_here, FIVE_GOOD, *p_there, *p_above, *p_inside],
    )
    return [
        RoundRow(pk, year, title, path, bool(fg), bool(a), bool(b))
        for pk, year, title, path, fg, a, b in rows
    ]


def assessment_rows(
    *,
    scope: str,
    buckets: Buckets,
    five_good_now: Sequence[int],
    five_good_before: Sequence[int],
    progress: Sequence[int],
    large: bool,
) -> list[tuple[Any, ...]]:
    """``(bucket, status, five-good now, five-good the year before, assessments, passed)``
    over the assessments of the given rounds, by status: five-good committees (passed, an
    active grassroots unit; counted once across rounds of a year — read them from the
    ``accepted`` rows) and the progress of the ``progress`` rounds (active units).

    Every condition a row is tested against costs, so the SQL leaves out what cannot
    matter: a round filter that is the query's own, a count over no round."""
    bucket, p_bucket = buckets.sql("u.path")
    where, p_where = _range("u.path", scope)
    every = {*five_good_now, *five_good_before, *progress}
    parts, params = [bucket], list(p_bucket)

    def only(ids: Sequence[int]) -> str:
        return "" if set(ids) == every else f"a.round_id {_ids(ids)} AND "

    for ids in (five_good_now, five_good_before):
        if not ids:
            parts.append("0")
            continue
        # With one round per year (the usual case) a committee cannot appear twice, and a
        # plain count is cheaper than a distinct one.
        counted = "DISTINCT a.unit_id" if len(set(ids)) > 1 else "*"
        parts.append(
            f"COUNT({counted}) FILTER (WHERE {only(ids)}a.passed AND u.status = %s "
            f"AND u.kind NOT IN (%s, %s))"
        )
        params += [ACTIVE, *sorted(str(k.value) for k in NON_GRASSROOTS_KINDS)]
    if progress:
        parts.append(f"COUNT(*) FILTER (WHERE {only(progress)}u.status = %s)")
        parts.append(f"COUNT(*) FILTER (WHERE {only(progress)}u.status = %s AND a.passed)")
        params += [ACTIVE, ACTIVE]
    else:
        parts += ["0", "0"]
    bucket_sql, *counts = parts
    return _rows(
        f"SELECT {bucket_sql}, a.status, {', '.join(counts)} "  # noqa: S608 (see the module docstring)
        f"FROM {_join_order(large, f'{ASSESSMENT} a', f'{UNIT} u')} "
        f"WHERE u.id = a.unit_id AND a.round_id {_ids(every)} AND {where} GROUP BY 1, 2",
        [*params, *p_where],
    )


def report_rows(
    *, scope: str, buckets: Buckets, year: int, today: dt.date, large: bool
) -> list[tuple[Any, ...]]:
    """``(bucket, status, late, when, reports)`` for the task reports of the scope's active
    units due in ``year`` or the year before; ``when`` is ``past``/``future`` (due date
    before today or not), prefixed ``prev_`` for the year before."""
    bucket, p1 = buckets.sql("u.path")
    where, p2 = _range("u.path", scope)
    tables = [f"{TASK} t", f"{REPORT} r", f"{UNIT} u"]
    jan1, now = dt.date(year, 1, 1).isoformat(), today.isoformat()
    return _rows(
        f"SELECT {bucket}, r.status, r.late, CASE "  # noqa: S608 (see the module docstring)
        f"WHEN t.due_on < %s AND t.due_on < %s THEN 'prev_past' "
        f"WHEN t.due_on < %s THEN 'prev_future' "
        f"WHEN t.due_on < %s THEN 'past' ELSE 'future' END, COUNT(*) "
        f"FROM {_join_order(large, *tables)} "
        f"WHERE r.task_id = t.id AND u.id = r.unit_id AND {where} AND u.status = %s "
        f"AND t.due_on >= %s AND t.due_on <= %s "
        f"GROUP BY 1, 2, 3, 4",
        [
            *p1,
            jan1,
            now,
            jan1,
            now,
            *p2,
            ACTIVE,
            dt.date(year - 1, 1, 1).isoformat(),
            f"{year}-12-31",
        ],
    )
