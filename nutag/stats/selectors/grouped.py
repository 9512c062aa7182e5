"""The dashboard's grouped reads, written in SQL.

Each function reads one table (joined to the unit table for the path, except the assessments,
which carry a copy of it) over a *scope* — a subtree, as a path range — and groups the rows by
a *bucket*: a prefix of the unit's path (see ``Buckets``; the assessments are counted bucket by
bucket over index ranges instead, see ``assessment_rows``). They are plain SQL rather than
querysets for one measured reason: on a 200-unit tree Django took about 10 ms to build the
four querysets (filtered counts, ``CASE``, ``EXISTS``) against about 1 ms for SQLite to run
them, and the root dashboard of a province must cost at most 5× one ``COUNT(*)`` over a
million people (``bench/dashboard.py``). The SQL is portable between SQLite (3.30+, for
``FILTER``) and PostgreSQL: every value comes as a parameter, except integers computed here
(prefix lengths, round ids), which are written into the text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.models.expressions import Col

from nutag.assess.models import (
    Assessment,
    AssessmentStatus,
    AssessmentSubtreeTally,
    ReportSubtreeTally,
    Round,
    Standard,
    StandardKind,
    Task,
    TaskReport,
)
from nutag.assess.tallies import ASSESSMENT_FIELDS, report_outcome
from nutag.core.db import read_alias
from nutag.orgs.models import (
    GRASSROOTS_KINDS,
    NON_GRASSROOTS_KINDS,
    Unit,
    UnitKind,
    UnitStatus,
    UnitSubtreeTally,
)
from nutag.orgs.paths import ALPHABET, successor
from nutag.people.models import CareSubtreeTally, CareTally
from nutag.people.tallies import CATEGORY_FIELDS

UNIT = Unit._meta.db_table
TALLY = CareTally._meta.db_table
UNIT_SUBTREE = UnitSubtreeTally._meta.db_table
CARE_SUBTREE = CareSubtreeTally._meta.db_table
ROUND = Round._meta.db_table
STANDARD = Standard._meta.db_table
ASSESSMENT = Assessment._meta.db_table
TASK = Task._meta.db_table
REPORT = TaskReport._meta.db_table
ASSESSMENT_TALLY = AssessmentSubtreeTally._meta.db_table
REPORT_TALLY = ReportSubtreeTally._meta.db_table

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
    (the tasks due) and look each row's unit up by its id; over a small
    one, start from the units' path range. SQLite's planner cannot tell a range over the
    whole tree from a narrow one (it keeps no histogram of paths), and its guess for the root
    cost 3× more; on SQLite a ``CROSS JOIN`` fixes the order, elsewhere it is an inner join
    (the join conditions are in the ``WHERE`` clause) and the planner decides.
    """
    ordered = tables if large else tables[::-1]
    return " CROSS JOIN ".join(ordered)


def read_rows(sql: str, params: Params) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` on the connection that serves reads (a replica's, when one does)."""
    with connections[read_alias()].cursor() as cursor:  # a replica's when one serves the view
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def unit_rows(*, scope: str, buckets: Buckets) -> list[tuple[Any, ...]]:
    """``(bucket, kind, active units, participants, *elder categories)``: the units of the
    scope and their care tallies (``people.CareTally``, closed units' included, as in
    ``unit_figures``), one pass over the unit table, grouped by a path prefix. Used when
    there are too many buckets for ``bucket_unit_rows`` (see ``BUCKET_BRANCHES``)."""
    bucket, p1 = buckets.sql("u.path")
    where, p2 = _range("u.path", scope)
    sums = ", ".join(f"SUM(t.{f})" for f in ["participants", *CATEGORY_FIELDS])
    return read_rows(
        f"SELECT {bucket}, u.kind, COUNT(*) FILTER (WHERE u.status = %s), {sums} "  # noqa: S608 (see the module docstring)
        f"FROM {UNIT} u LEFT JOIN {TALLY} t ON t.unit_id = u.id "
        f"WHERE {where} GROUP BY 1, 2",
        [*p1, ACTIVE, *p2],
    )


def level_paths(path: str, depth: int) -> tuple[str, Params]:
    """SQL (and its parameters) selecting the paths of the units at ``depth`` below ``path``
    — a unit's children, or its siblings with the parent's path — one index seek each.

    The first is the smallest path inside ``path``'s subtree; each next one is the smallest
    path after everything below the last (its path followed by ``Z``s, which no path of its
    subtree passes: paths use only the alphabet and hold at most 255 characters). A
    recursive query walks them: at a root of 10,000 units, 13 seeks of the path index
    instead of reading 10,000 index entries to test their length."""
    upper = successor(path)
    below = "AND path < %s" if upper else ""
    bound = [upper] if upper else []
    cut = depth * Unit.steplen
    sql = (
        f"WITH RECURSIVE level (p) AS ("  # noqa: S608 (see the module docstring)
        f"SELECT CAST(MIN(path) AS TEXT) FROM {UNIT} WHERE path > %s {below} "
        f"UNION ALL SELECT CAST((SELECT MIN(path) FROM {UNIT} "
        f"WHERE path > SUBSTR(level.p, 1, {cut}) || %s {below}) AS TEXT) "
        f"FROM level WHERE level.p IS NOT NULL) "
        f"SELECT p FROM level WHERE p IS NOT NULL"
    )
    return sql, [path, *bound, ALPHABET[-1] * 255, *bound]


def shown_units(*, ancestors: Sequence[str], levels: Sequence[tuple[str, int]]) -> list[Unit]:
    """The units at the paths ``ancestors`` and at each ``(path, depth)`` of ``levels`` (see
    ``level_paths``), in path order: one query written here rather than a queryset, which
    cost Django more to build (``Q``, ``RawSQL``) than SQLite to run (issue 17, session 6)."""
    fields = [f.attname for f in Unit._meta.concrete_fields]
    columns = ", ".join(f'"{f}"' if f != "path" else "path" for f in fields)
    conditions: list[str] = []
    params: Params = []
    if ancestors:
        marks, p_marks = _in(ancestors)
        conditions.append(f"path {marks}")
        params += p_marks
    for path, depth in levels:
        sql, p_level = level_paths(path, depth)
        conditions.append(f"path IN ({sql})")
        params += p_level
    if not conditions:
        return []
    alias = read_alias()
    rows = read_rows(
        f"SELECT {columns} FROM {UNIT} WHERE {' OR '.join(conditions)} ORDER BY path",  # noqa: S608 (see the module docstring)
        params,
    )
    # The values as a queryset would give them (e.g. aware datetimes on SQLite): each
    # field's converters, as Django's compiler applies them.
    connection = connections[alias]
    converters = []
    for i, field in enumerate(Unit._meta.concrete_fields):
        col = Col(UNIT, field)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((i, col, found))
    units = []
    for row in rows:
        values = list(row)
        for i, col, found in converters:
            for convert in found:
                values[i] = convert(values[i], col, connection)
        units.append(Unit.from_db(alias, fields, values))
    return units


# At most this many buckets are read by ``bucket_unit_rows`` (an ``IN`` list of paths);
# past it, ``unit_rows`` groups one pass instead.
BUCKET_BRANCHES = 150


def bucket_unit_rows(*, keys: Sequence[tuple[str, bool]]) -> list[tuple[Any, ...]]:
    """The rows of ``unit_rows``, read bucket by bucket: ``keys`` are the buckets as
    ``(path, exact)`` (``exact``: the unit alone, else its subtree), known beforehand from
    the units shown (children, siblings).

    A subtree bucket is one row of each subtree tally (``orgs.UnitSubtreeTally``: active
    units by kind; ``people.CareSubtreeTally``: the care tallies summed), found by its
    unit's path: the root's dashboard reads a dozen rows, not the 10,000 index entries of
    each table it read before (issue 17, session 6). An exact bucket (the unit itself, the
    parent) is its own unit's row counted by kind, less when closed (the ``(kind, path)``
    and ``(status, path)`` indexes), and its own care tally. Tally rows carry no kind.

    A unit without subtree tally rows (made behind the services' back, before a
    ``rebuild_tallies``) is not left out: its bucket is then read over index ranges as an
    exact one is, in a second query."""
    care = ["participants", *CATEGORY_FIELDS]
    kind_fields = [k.value for k in UnitKind]
    branches, params = _range_branches([key for key, exact in keys if exact], exact=True)
    subtrees = sorted({key for key, exact in keys if not exact})
    if subtrees:
        paths, p_paths = _in(subtrees)
        branches.append(
            f"SELECT s.unit_path, NULL, 0, {', '.join(f'c.{f}' for f in care)}, "  # noqa: S608 (see the module docstring)
            f"{', '.join(f's.{f}' for f in kind_fields)} "
            f"FROM {UNIT_SUBTREE} s JOIN {CARE_SUBTREE} c ON c.unit_id = s.unit_id "
            f"WHERE s.unit_path {paths}"
        )
        params += p_paths
    if not branches:
        return []
    rows = read_rows(" UNION ALL ".join(branches), params)
    missing = sorted(set(subtrees) - {row[0] for row in rows})
    if missing:
        more, p_more = _range_branches(missing, exact=False)
        rows += read_rows(" UNION ALL ".join(more), p_more)
    out: list[tuple[Any, ...]] = []
    for key, kind, units, *rest in rows:
        by_kind = rest[len(care) :]
        out.append((key, kind, units, *rest[: len(care)]))
        out += [
            (key, k, n, *([0] * len(care))) for k, n in zip(kind_fields, by_kind, strict=True) if n
        ]
    return out


def _range_branches(keys: Sequence[str], *, exact: bool) -> tuple[list[str], Params]:
    """``UNION ALL`` branches counting the buckets ``keys`` over index ranges, in the columns
    of ``bucket_unit_rows``: the units by kind over the covering ``(kind, path)`` index, the
    closed ones subtracted through ``(status, path)``, the care tallies summed over
    ``caretally_path_sums``."""
    kinds, p_kinds = _in(k.value for k in UnitKind)
    closed, p_closed = _in(CLOSED)
    care = ["participants", *CATEGORY_FIELDS]
    zeros = ", ".join(["0"] * len(care))
    no_kinds = ", ".join(["0"] * len(UnitKind))
    sums = ", ".join(f"SUM({f})" for f in care)
    branches: list[str] = []
    params: Params = []
    for key in keys:
        lo, hi = _bounds(key, exact)
        branches += [
            f"SELECT %s, kind, COUNT(*), {zeros}, {no_kinds} FROM {UNIT} "  # noqa: S608 (see the module docstring)
            f"WHERE kind {kinds} AND path >= %s AND path < %s GROUP BY kind",
            f"SELECT %s, kind || '', -COUNT(*), {zeros}, {no_kinds} FROM {UNIT} "  # noqa: S608 (see the module docstring)
            f"WHERE status {closed} AND path >= %s AND path < %s GROUP BY 2",
            f"SELECT %s, NULL, 0, {sums}, {no_kinds} FROM {TALLY} "  # noqa: S608 (see the module docstring)
            f"WHERE unit_path >= %s AND unit_path < %s",
        ]
        params += [key, *p_kinds, lo, hi, key, *p_closed, lo, hi, key, lo, hi]
    return branches, params


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
    tallied: bool = False  # its subtree tally was built (its issuer's row exists)


def round_rows(*, unit_path: str, scope: str, siblings: bool) -> list[RoundRow]:
    """The rounds that can cover the scope: issued above it, by it or inside it (a round
    assesses every unit below its issuer)."""
    step = Unit.steplen
    above = [scope[: i * step] for i in range(1, len(scope) // step + 1)]
    above_in, p_above = _in(above)
    inside, p_inside = _range("iu.path", scope)
    here, p_here = _accepted_in(unit_path)
    there, p_there = _accepted_in(scope) if siblings else ("FALSE", [])
    rows = read_rows(
        f"SELECT r.id, r.year, r.title, iu.path, s.kind = %s, "  # noqa: S608 (see the module docstring)
        f"CASE WHEN s.kind = %s THEN {here} ELSE FALSE END, "
        f"CASE WHEN s.kind = %s THEN {there} ELSE FALSE END, "
        f"EXISTS (SELECT 1 FROM {ASSESSMENT_TALLY} x WHERE x.unit_id = r.unit_id "
        f"AND x.round_id = r.id) "
        f"FROM {ROUND} r JOIN {STANDARD} s ON s.id = r.standard_id "
        f"JOIN {UNIT} iu ON iu.id = r.unit_id "
        f"WHERE iu.path {above_in} OR {inside}",
        [FIVE_GOOD, FIVE_GOOD, *p_here, FIVE_GOOD, *p_there, *p_above, *p_inside],
    )
    return [
        RoundRow(pk, year, title, path, bool(fg), bool(a), bool(b), bool(t))
        for pk, year, title, path, fg, a, b, t in rows
    ]


def _bounds(key: str, exact: bool) -> tuple[str, str]:
    """``[lo, hi)`` of the paths in bucket ``key``: the key alone when ``exact``, else its
    subtree. Paths use only the alphabet, so ``key + "0"`` is the next string after ``key``
    with nothing between, and no path reaches 256 ``Z``s (the column holds 255)."""
    if exact:
        return key, key + ALPHABET[0]
    return key, successor(key) or ALPHABET[-1] * 256


STATUSES = [str(s.value) for s in AssessmentStatus]
PACK = 2**32  # two counts in one integer: ``a * PACK + b`` (each well under 2**31)
CLOSED = sorted(str(s.value) for s in UnitStatus if s != UnitStatus.ACTIVE)


def _their_assessments(round_ids: Iterable[int]) -> str:
    """The join of the excluded units ``u`` to their assessments ``a`` in ``round_ids``.

    On PostgreSQL a ``LATERAL`` subquery (``OFFSET 0`` keeps it from being flattened): an
    index probe per unit. As a plain join the planner hashes every assessment of the rounds
    (a sequential scan of 18,000 rows, 10.8 ms at the bench root) to match the ~1,000
    excluded units, where the probes cost 1.5 ms. SQLite loops over the units by itself. The
    outer ``WHERE`` repeats the conditions, so both forms select the same rows."""
    ids = _ids(round_ids)
    if connections[read_alias()].vendor == "postgresql":
        return (
            f"CROSS JOIN LATERAL (SELECT a.unit_id, a.round_id, a.status, a.passed "  # noqa: S608 (see the module docstring)
            f"FROM {ASSESSMENT} a WHERE a.unit_id = u.id AND a.round_id {ids} OFFSET 0) a"
        )
    return f"CROSS JOIN {ASSESSMENT} a"


def assessment_rows(
    *,
    scope: str,
    buckets: Buckets,
    keys: Iterable[str],
    five_good_now: Sequence[int],
    five_good_before: Sequence[int],
    progress: Sequence[int],
) -> list[tuple[Any, ...]]:
    """``(bucket, five-good now, five-good the year before, *assessments by status (in the
    order of ``STATUSES``), accepted and passed)`` over the assessments of the given rounds:
    five-good committees (accepted, passed, an active grassroots unit; counted once across
    rounds of a year) and the progress of the ``progress`` rounds (active units). Rows of
    the same bucket add up.

    ``keys`` are the buckets (the groups ``unit_rows`` found: every unit of the scope is in
    one). Each is a path range, and the assessments carry their unit's path, so each figure
    of a bucket is a count over one range of the covering index ``assessment_round_path`` —
    no join, no table look-up, no sort to group (grouping 18,000 rows by a path prefix cost
    SQLite more than reading them). The units that must not count — the few of a kind that is
    not grassroots, and closed ones — are subtracted: a second part of the query finds them
    through the unit table's ``(kind, path)`` and ``(status, path)`` indexes, and counts their
    assessments negatively, grouped as usual. The progress rounds' accepted and passed counts
    are one pass (``PACK``), and the five-good count of the year reuses that "passed" when
    the year's five-good round is the progress round (issue 17: four passes → two).
    """
    keys = sorted(set(keys))
    if not keys:
        return []
    step = Unit.steplen
    b_params: Params = []
    for key in keys:
        cut = (buckets.depth + 1) if key.startswith(buckets.unit_path) else buckets.depth
        b_params += [key, *_bounds(key, len(key) < cut * step)]
    values = ", ".join(["(%s, %s, %s)"] * len(keys))
    every = {*five_good_now, *five_good_before, *progress}
    non_grassroots = sorted(str(k.value) for k in NON_GRASSROOTS_KINDS)

    def only(ids: Sequence[int]) -> str:
        return "" if set(ids) == every else f"a.round_id {_ids(ids)} AND "

    def count(ids: Sequence[int], where: str, what: str = "*") -> str:
        return (
            f"(SELECT COUNT({what}) FROM {ASSESSMENT} a WHERE a.round_id {_ids(ids)} "  # noqa: S608 (see the module docstring)
            f"AND {where} AND a.unit_path >= b.lo AND a.unit_path < b.hi)"
        )

    # Per bucket, the counts over index ranges (``plus``); per bucket of the units that must
    # not count, their assessments' counts, negative (``minus``): the same columns.
    plus: list[str] = []
    minus: list[str] = []
    p_plus: Params = []
    p_minus: Params = []
    # The progress rounds' accepted assessments and those that passed are one pass over the
    # index range, the two counts packed in one integer (``PACK``); when the five-good rounds
    # of the year are the progress rounds (one five-good round a year, the usual case), the
    # five-good count is that same "passed": read once, not twice.
    same = bool(progress) and len(set(five_good_now)) == 1 and set(five_good_now) == set(progress)
    for ids, shared in ((five_good_now, same), (five_good_before, False)):
        if not ids:
            plus.append("0")
            minus.append("0")
            continue
        # With one round per year (the usual case) a committee cannot appear twice, and a
        # plain count is cheaper than a distinct one.
        several = len(set(ids)) > 1
        if shared:
            plus.append("0")  # taken from the progress rounds' "passed" below
        else:
            plus.append(
                count(ids, "a.status = %s AND a.passed", "DISTINCT a.unit_path" if several else "*")
            )
            p_plus.append(ACCEPTED)
        minus.append(
            f"-COUNT({'DISTINCT a.unit_id' if several else '*'}) "
            f"FILTER (WHERE {only(ids)}a.status = %s AND a.passed)"
        )
        p_minus.append(ACCEPTED)
    if progress:
        for status in STATUSES:
            closed_here = f"{only(progress)}u.status <> %s AND a.status = %s"
            if status == ACCEPTED:
                plus.append(
                    f"(SELECT COUNT(*) * {PACK} + COUNT(*) FILTER (WHERE a.passed) "  # noqa: S608 (see the module docstring)
                    f"FROM {ASSESSMENT} a WHERE a.round_id {_ids(progress)} AND a.status = %s "
                    f"AND a.unit_path >= b.lo AND a.unit_path < b.hi)"
                )
                minus.append(
                    f"-(COUNT(*) FILTER (WHERE {closed_here}) * {PACK} "
                    f"+ COUNT(*) FILTER (WHERE {closed_here} AND a.passed))"
                )
                p_minus += [ACTIVE, status, ACTIVE, status]
            else:
                plus.append(count(progress, "a.status = %s"))
                minus.append(f"-COUNT(*) FILTER (WHERE {closed_here})")
                p_minus += [ACTIVE, status]
            p_plus.append(status)
    else:
        plus += ["0"] * len(STATUSES)
        minus += ["0"] * len(STATUSES)
    bucket, p_bucket = buckets.sql("u.path")
    where, p_where = _range("path", scope)
    kinds, p_kinds = _in(non_grassroots)
    closed, p_closed = _in(CLOSED)
    excluded = (
        f"SELECT id, path, status FROM {UNIT} WHERE kind {kinds} AND {where} "  # noqa: S608 (see the module docstring)
        f"UNION SELECT id, path, status FROM {UNIT} WHERE status {closed} AND {where}"
    )
    rows = read_rows(
        f"WITH b (k, lo, hi) AS (VALUES {values}) "  # noqa: S608 (see the module docstring)
        f"SELECT 1, b.k, {', '.join(plus)} FROM b "
        f"UNION ALL "
        f"SELECT 0, {bucket}, {', '.join(minus)} FROM ({excluded}) u {_their_assessments(every)} "
        f"WHERE a.unit_id = u.id AND a.round_id {_ids(every)} GROUP BY 2",
        [
            *b_params,
            *p_plus,
            *p_bucket,
            *p_minus,
            *p_kinds,
            *p_where,
            *p_closed,
            *p_where,
        ],
    )
    out: list[tuple[Any, ...]] = []
    at = STATUSES.index(ACCEPTED)
    for plus_row, key, now, before, *by_status in rows:
        packed = int(by_status[at] or 0)
        sign = -1 if packed < 0 else 1
        accepted, passed = divmod(abs(packed), PACK)
        by_status[at] = sign * accepted
        if plus_row and same:
            now = sign * passed
        out.append((key, now, before, *by_status, sign * passed))
    return out


def _when(due_on: Any, year: int, today: dt.date) -> str:
    """``past``/``future`` (due before today or not), ``prev_`` before ``year``."""
    due = str(due_on)[:10]  # a date, or its ISO text (SQLite)
    when = "past" if due < today.isoformat() else "future"
    return f"prev_{when}" if due < dt.date(year, 1, 1).isoformat() else when


def report_rows(
    *, scope: str, buckets: Buckets, year: int, today: dt.date, large: bool
) -> list[tuple[Any, ...]]:
    """``(bucket, outcome, when, reports)`` for the task reports of the scope's active units
    due in ``year`` or the year before; ``outcome`` is ``on_time``, ``late`` (reported) or
    ``open`` (not reported); ``when`` is ``past``/``future`` (due date before today or not),
    prefixed ``prev_`` for the year before. Read from the reports themselves: the
    dashboard's fallback when a task's subtree tally is not built (``report_tally_rows``).

    The rows are grouped by due date, not by ``when``: a ``CASE`` over the due date for each
    of the root's 3,000 reports, and a wider sort key, cost SQLite a third of the read; the
    few due dates are put in their ``when`` here. The reports' status and lateness come from
    the covering index ``report_task_unit_outcome``."""
    bucket, p1 = buckets.sql("u.path")
    where, p2 = _range("u.path", scope)
    tables = [f"{TASK} t", f"{REPORT} r", f"{UNIT} u"]
    rows = read_rows(
        f"SELECT {bucket}, t.due_on, r.status, r.late, COUNT(*) "  # noqa: S608 (see the module docstring)
        f"FROM {_join_order(large, *tables)} "
        f"WHERE r.task_id = t.id AND u.id = r.unit_id AND {where} AND u.status = %s "
        f"AND t.due_on >= %s AND t.due_on <= %s "
        f"GROUP BY 1, 2, 3, 4",
        [*p1, *p2, ACTIVE, dt.date(year - 1, 1, 1).isoformat(), f"{year}-12-31"],
    )
    out: list[tuple[Any, ...]] = []
    for key, due_on, status, late, n in rows:
        out.append((key, report_outcome(status, late), _when(due_on, year, today), n))
    return out


def _subtree_values(
    rows: Iterable[tuple[Any, ...]], keys: Sequence[tuple[str, bool]], width: int
) -> dict[tuple[str, Any], list[int]]:
    """Keyed subtree tally rows ``(path, key id, *values)`` as the buckets' values per key id:
    a subtree bucket its row; an exact bucket (the unit itself, the parent) its row less the
    rows of its children, which are all buckets too (see ``dashboard``). A missing row is
    zero: the caller checked that the tally was built."""
    sums = {(path, key_id): [int(v or 0) for v in values] for path, key_id, *values in rows}
    key_ids = {key_id for _path, key_id in sums}
    paths = [path for path, _exact in keys]
    step = Unit.steplen
    out: dict[tuple[str, Any], list[int]] = {}
    for path, exact in keys:
        children = (
            [p for p in paths if len(p) == len(path) + step and p.startswith(path)] if exact else []
        )
        for key_id in key_ids:
            values = list(sums.get((path, key_id), [0] * width))
            for child in children:
                for i, v in enumerate(sums.get((child, key_id), [0] * width)):
                    values[i] -= v
            out[(path, key_id)] = values
    return out


def assessment_tally_rows(
    *,
    keys: Sequence[tuple[str, bool]],
    five_good_now: Sequence[int],
    five_good_before: Sequence[int],
    progress: Sequence[int],
) -> list[tuple[Any, ...]]:
    """The rows of ``assessment_rows`` from the rounds' subtree tallies
    (``assess.AssessmentSubtreeTally``): one row per bucket and round, found by its unit's
    path, instead of a count over every assessment of the scope (issue 17, session 8).

    Only when every round's tally is built (``RoundRow.tallied``) and a year has at most one
    five-good round: a committee accepted in two rounds of a year counts once, which sums
    cannot tell (``assessment_rows`` counts those)."""
    every = sorted({*five_good_now, *five_good_before, *progress})
    paths = sorted({path for path, _exact in keys})
    if not every or not paths:
        return []
    marks, params = _in(paths)
    fields = ", ".join(ASSESSMENT_FIELDS)
    rows = read_rows(
        f"SELECT unit_path, round_id, {fields} FROM {ASSESSMENT_TALLY} "  # noqa: S608 (see the module docstring)
        f"WHERE round_id {_ids(every)} AND unit_path {marks}",
        params,
    )
    values = _subtree_values(rows, keys, len(ASSESSMENT_FIELDS))
    at = {f: i for i, f in enumerate(ASSESSMENT_FIELDS)}
    out: list[tuple[Any, ...]] = []
    for path in paths:

        def total(ids: Sequence[int], field: str, path: str = path) -> int:
            return sum(values.get((path, i), [0] * len(at))[at[field]] for i in set(ids))

        out.append(
            (
                path,
                total(five_good_now, "five_good"),
                total(five_good_before, "five_good"),
                *(total(progress, status) for status in STATUSES),
                total(progress, "passed"),
            )
        )
    return out


def report_tally_rows(
    *, keys: Sequence[tuple[str, bool]], year: int, today: dt.date
) -> list[tuple[Any, ...]] | None:
    """The rows of ``report_rows`` from the tasks' subtree tallies
    (``assess.ReportSubtreeTally``): one row per bucket and task due, instead of a join of
    every report of the scope to its unit (issue 17, session 8). ``None`` when a task due
    has no built tally (no row for its issuer): the caller then reads the reports."""
    paths = sorted({path for path, _exact in keys})
    if not paths:
        return []
    marks, params = _in(paths)
    period = [dt.date(year - 1, 1, 1).isoformat(), f"{year}-12-31"]
    rows = read_rows(
        f"SELECT NULL, NULL, NULL, COUNT(*), 0, 0 FROM {TASK} t "  # noqa: S608 (see the module docstring)
        f"WHERE t.due_on >= %s AND t.due_on <= %s AND NOT EXISTS (SELECT 1 FROM {REPORT_TALLY} x "
        f"WHERE x.unit_id = t.unit_id AND x.task_id = t.id) "
        f"UNION ALL "
        f"SELECT s.unit_path, s.task_id, t.due_on, s.on_time, s.late, s.open "
        f"FROM {_join_order(True, f'{TASK} t', f'{REPORT_TALLY} s')} "
        f"WHERE s.task_id = t.id AND t.due_on >= %s AND t.due_on <= %s AND s.unit_path {marks}",
        [*period, *period, *params],
    )
    if any(path is None and missing for path, _t, _d, missing, _l, _o in rows):
        return None
    due = {task_id: due_on for path, task_id, due_on, *_values in rows if path is not None}
    values = _subtree_values(
        ((path, task_id, *v) for path, task_id, _due, *v in rows if path is not None), keys, 3
    )
    out: list[tuple[Any, ...]] = []
    for (path, task_id), (on_time, late, open_) in values.items():
        when = _when(due[task_id], year, today)
        out += [
            (path, outcome, when, n)
            for outcome, n in (("on_time", on_time), ("late", late), ("open", open_))
            if n
        ]
    return out
