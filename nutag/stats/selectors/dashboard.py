"""The dashboard of any unit: its subtree's figures, the same for each child unit (drill-down)
and for each sibling (comparison), and the change since last year — in five queries, whatever
the size of the subtree (four when no assessment round covers it).

How the number of queries stays fixed: each table is read **once**, grouped by a *bucket*
computed from the row's unit path in SQL (``grouped.Buckets``) —

- without siblings, over the unit's subtree, the bucket is the path cut at the children's depth
  (``SUBSTR(path, 1, (depth + 1) * steplen)``): one group per child subtree, plus one for the
  unit's own rows (its path is shorter, so it stays whole);
- with siblings, over the *parent's* subtree, a ``CASE`` keeps that cut inside the unit's
  subtree and cuts everything else at the unit's own depth: one group per sibling subtree, plus
  one for the parent's own rows.

The unit's total is the sum of the groups inside its subtree, the parent's the sum of all of
them. The five reads (``grouped``):

1. the units shown — ancestors by path, children and siblings by a recursive walk of the
   path index, one seek each (``grouped.level_paths``) — whose paths are the buckets;
2. the units of the scope with their care tallies, by bucket and kind (committees by kind,
   people in care work, five elders): each child's or sibling's subtree one row of the
   subtree tallies the services keep (``orgs.UnitSubtreeTally``, ``people.CareSubtreeTally``),
   the unit's (and parent's) own rows one range of covering indexes
   (``grouped.bucket_unit_rows``; past ``grouped.BUCKET_BRANCHES`` buckets, one grouped
   pass over the units, ``grouped.unit_rows``);
3. the rounds that can cover the scope (issued above it, by it or inside it), with, for
   five-good rounds, whether a grassroots committee of the subtree was accepted in it (an
   ``EXISTS``): this picks the five-good year and the latest rounds without reading history;
4. the assessments of just those rounds, by bucket and status (five-good this year and last
   year, assessment progress) — skipped when there is no round: one row per bucket and round
   of the rounds' subtree tallies (``assess.AssessmentSubtreeTally``, kept by the services;
   ``grouped.assessment_tally_rows``). Where a round's tally is not built, or a year has two
   five-good rounds (a committee accepted in both counts once, which sums cannot tell), the
   assessments themselves: they carry their unit's path, so each bucket is one index range,
   less the few units that must not count (``grouped.assessment_rows``);
5. the task reports due this year or last year, by bucket, outcome and due date: one row per
   bucket and task of the tasks' subtree tallies (``assess.ReportSubtreeTally``;
   ``grouped.report_tally_rows``), or, where a task's is not built, the reports joined to
   their units (``grouped.report_rows``).

A bucket of the unit itself (or of the parent) is its tally row less its children's, which
are all buckets too (``grouped._subtree_values``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.assess.models import AssessmentStatus
from nutag.orgs.models import Unit, UnitKind, UnitStatus
from nutag.people.tallies import CATEGORY_FIELDS
from nutag.stats.selectors import grouped
from nutag.stats.selectors.figures import UnitFigures
from nutag.stats.selectors.five_good import FiveGood, FiveGoodChange, rate_of
from nutag.stats.selectors.grouped import Buckets

LARGE_SCOPE = 500  # active units in the scope
TASK_FIELDS = ("on_time", "late", "overdue", "waiting")


@dataclasses.dataclass(frozen=True)
class TaskFigures:
    """Reports due in ``year`` (by their task's due date) from the units of a subtree.

    on time / late: reported (submitted or accepted), ``late`` as the report records it;
    overdue: not reported (still pending, or returned for changes) and the due date has passed;
    waiting: not reported yet, the due date still to come.
    """

    year: int
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    waiting: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.overdue + self.waiting

    @property
    def reported(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float:
        return rate_of(self.on_time, self.due)


@dataclasses.dataclass(frozen=True)
class RoundRef:
    pk: int
    title: str
    year: int


@dataclasses.dataclass(frozen=True)
class Progress:
    """Assessments of the subtree's active units in the rounds of ``year``, by status."""

    year: int | None
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    accepted: int = 0
    passed: int = 0

    @property
    def total(self) -> int:
        return self.draft + self.submitted + self.returned + self.accepted

    @property
    def accepted_rate(self) -> float:
        return rate_of(self.accepted, self.total)


@dataclasses.dataclass(frozen=True)
class UnitRow:
    """One unit's figures over its subtree: the unit itself, a child, a sibling or the parent."""

    unit: Unit
    figures: UnitFigures
    five_good: FiveGood
    five_good_previous: FiveGood
    tasks: TaskFigures
    tasks_previous: TaskFigures
    progress: Progress
    is_current: bool = False

    @property
    def five_good_change(self) -> FiveGoodChange:
        return FiveGoodChange(current=self.five_good, previous=self.five_good_previous)

    @property
    def tasks_on_time_change(self) -> int:
        return self.tasks.on_time - self.tasks_previous.on_time

    @property
    def tasks_on_time_rate_change(self) -> float:
        return round(self.tasks.on_time_rate - self.tasks_previous.on_time_rate, 3)


@dataclasses.dataclass(frozen=True)
class ChartRow:
    """A bar of a five-good chart: a unit, or a group of leaf units of one kind."""

    label: str
    count: int
    base: int
    rate: float
    code: str = ""  # the unit's code, to drill down; empty for a group
    below: bool = False  # below the reference rate: a laggard
    current: bool = False  # the unit the dashboard is about (in the siblings chart)


@dataclasses.dataclass(frozen=True)
class Dashboard:
    unit: Unit
    year: int | None  # as asked; each block says which year it shows
    ancestors: list[Unit]
    total: UnitRow
    children: list[UnitRow]
    rounds: list[RoundRef]  # the rounds whose progress is shown
    parent: Unit | None = None
    parent_total: UnitRow | None = None  # only with siblings
    siblings: list[UnitRow] | None = None  # None: not asked for, or the viewer may not see them

    @property
    def figures(self) -> UnitFigures:
        return self.total.figures

    @property
    def five_good(self) -> FiveGood:
        return self.total.five_good

    @property
    def tasks(self) -> TaskFigures:
        return self.total.tasks

    @property
    def progress(self) -> Progress:
        return self.total.progress

    def children_chart(self) -> list[ChartRow]:
        """Five-good rate of each child subtree against this unit's rate, laggards first.

        When some children have units below them (a banner's townships), those are shown one
        by one and the children without any (organs, schools, firms) one bar per kind.
        """
        rows = [r for r in self.children if r.unit.status == UnitStatus.ACTIVE]
        reference = self.five_good.rate
        areas = [r for r in rows if r.unit.numchild]
        if not areas:
            return _sorted_chart(_unit_bar(r, reference) for r in rows)
        leaves: dict[str, list[UnitRow]] = defaultdict(list)
        for r in rows:
            if not r.unit.numchild:
                leaves[r.unit.kind].append(r)
        bars = [_unit_bar(r, reference) for r in areas]
        for kind, group in leaves.items():
            count = sum(r.five_good.count for r in group)
            base = sum(r.five_good.base for r in group)
            rate = rate_of(count, base)
            label = _("%(kind)s (%(count)d)") % {
                "kind": UnitKind(kind).label,
                "count": len(group),
            }
            bars.append(ChartRow(label, count, base, rate, below=rate < reference))
        return _sorted_chart(bars)

    def siblings_chart(self) -> list[ChartRow]:
        """Five-good rate of each sibling subtree against the parent's rate, laggards first."""
        if self.siblings is None or self.parent_total is None:
            return []
        reference = self.parent_total.five_good.rate
        return _sorted_chart(
            _unit_bar(r, reference)
            for r in self.siblings
            if r.unit.status == UnitStatus.ACTIVE or r.is_current
        )


def _unit_bar(row: UnitRow, reference: float) -> ChartRow:
    fg = row.five_good
    return ChartRow(
        row.unit.name,
        fg.count,
        fg.base,
        fg.rate,
        code=row.unit.code,
        below=fg.rate < reference,
        current=row.is_current,
    )


def _sorted_chart(bars: Iterable[ChartRow]) -> list[ChartRow]:
    return sorted((b for b in bars if b.base), key=lambda b: (b.rate, b.base, b.label))


# --- The grouped reads ------------------------------------------------------------------------


class _Acc:
    """What the grouped queries found for one bucket (or the sum of several)."""

    def __init__(self) -> None:
        self.by_kind: Counter[str] = Counter()
        self.participants = 0
        self.elders: Counter[str] = Counter()
        self.five_good: Counter[int] = Counter()  # year -> five-good committees
        self.tasks: Counter[str] = Counter()  # "on_time", "prev_on_time" …
        self.progress: Counter[str] = Counter()  # status (or "passed") -> assessments

    def add(self, other: _Acc) -> None:
        self.by_kind.update(other.by_kind)
        self.participants += other.participants
        self.elders.update(other.elders)
        self.five_good.update(other.five_good)
        self.tasks.update(other.tasks)
        self.progress.update(other.progress)


@dataclasses.dataclass(frozen=True)
class _Years:
    five_good: int | None
    tasks: int
    progress: int | None


def _sum(accs: Iterable[_Acc]) -> _Acc:
    total = _Acc()
    for acc in accs:
        total.add(acc)
    return total


def _row(unit: Unit, acc: _Acc, years: _Years, *, is_current: bool = False) -> UnitRow:
    figures = UnitFigures(
        unit=unit,
        committees_by_kind={k.value: acc.by_kind.get(k.value, 0) for k in UnitKind},
        participants=acc.participants,
        elders_by_category={f: acc.elders.get(f, 0) for f in CATEGORY_FIELDS},
    )
    base = figures.grassroots_committees
    fg_year = years.five_good
    if fg_year is None:
        five_good = previous = FiveGood.of(count=0, base=base, year=None)
    else:
        five_good = FiveGood.of(count=acc.five_good[fg_year], base=base, year=fg_year)
        previous = FiveGood.of(count=acc.five_good[fg_year - 1], base=base, year=fg_year - 1)
    progress = acc.progress
    return UnitRow(
        unit=unit,
        figures=figures,
        five_good=five_good,
        five_good_previous=previous,
        tasks=TaskFigures(years.tasks, **{f: acc.tasks[f] for f in TASK_FIELDS}),
        tasks_previous=TaskFigures(
            years.tasks - 1, **{f: acc.tasks[f"prev_{f}"] for f in TASK_FIELDS}
        ),
        progress=Progress(
            year=years.progress,
            draft=progress[AssessmentStatus.DRAFT],
            submitted=progress[AssessmentStatus.SUBMITTED],
            returned=progress[AssessmentStatus.RETURNED],
            accepted=progress[AssessmentStatus.ACCEPTED],
            passed=progress["passed"],
        ),
        is_current=is_current,
    )


def dashboard(
    *, unit: Unit, year: int | None = None, siblings: bool = False, today: dt.date | None = None
) -> Dashboard:
    """Everything the dashboard of ``unit`` shows, in five queries whatever the subtree's size
    (see the module docstring).

    ``year``: the five-good figures, the tasks due and the assessment rounds of that year;
    ``None`` takes the latest year with an accepted five-good assessment in the subtree, the
    tasks due this calendar year and the latest year with an assessment round there.
    ``siblings``: also compare with the parent's other children — pass it only when the
    viewer may see the parent's figures (``can_view_figures``); the reads then cover the
    parent's subtree.
    """
    today = today or timezone.localdate()
    depth, step = unit.depth, Unit.steplen
    parent_path = unit.path[: (depth - 1) * step]
    with_siblings = siblings and depth > 1
    scope = parent_path if with_siblings else unit.path

    buckets = Buckets(unit_path=unit.path, depth=depth, siblings=with_siblings)
    accs: defaultdict[str, _Acc] = defaultdict(_Acc)

    # 1. The units shown: ancestors (crumbs), children and siblings, found by seeks of the
    # path index (``grouped.level_paths``). Their paths are the buckets: every unit of the
    # scope is in one of their subtrees, or is the unit itself (or, with siblings, the parent).
    ancestor_paths = [unit.path[: i * step] for i in range(1, depth)]
    levels = [(unit.path, depth + 1)] + ([(parent_path, depth)] if with_siblings else [])
    shown = grouped.shown_units(ancestors=ancestor_paths, levels=levels)
    keys = [(unit.path, True)] + [(u.path, False) for u in shown if u.depth == depth + 1]
    if with_siblings:
        keys += [(parent_path, True)]
        keys += [(u.path, False) for u in shown if u.depth == depth and u.pk != unit.pk]

    # 2. Committees by kind (active units) and the care tallies, bucket by bucket: a subtree
    # tally row per child or sibling, index ranges for the unit's own rows
    # (``grouped.bucket_unit_rows``); past ``BUCKET_BRANCHES`` buckets, in one grouped pass.
    # Every unit has its committee (``unit_create`` makes both, ``unit_delete`` removes
    # both), so the units are counted: joining the committee table only to count its rows
    # would cost a lookup per unit.
    if len(keys) <= grouped.BUCKET_BRANCHES:
        rows = grouped.bucket_unit_rows(keys=keys)
    else:
        rows = grouped.unit_rows(scope=scope, buckets=buckets)
    for b, kind, units, participants, *elders in rows:
        acc = accs[b]
        if kind is not None:
            acc.by_kind[kind] += units
        acc.participants += participants or 0
        for f, n in zip(CATEGORY_FIELDS, elders, strict=True):
            acc.elders[f] += n or 0

    # Over many units, the task reports' read starts from the tasks (see
    # ``grouped._join_order``).
    large = sum(sum(acc.by_kind.values()) for acc in accs.values()) > LARGE_SCOPE

    # 3. The rounds that can cover the scope, and for five-good rounds whether a grassroots
    # committee of the unit's subtree (and of the scope) has an accepted assessment in it.
    candidates = grouped.round_rows(unit_path=unit.path, scope=scope, siblings=with_siblings)
    own_rounds = [
        r
        for r in candidates
        if unit.path.startswith(r.issuer_path) or r.issuer_path.startswith(unit.path)
    ]
    if year is not None:
        fg_year: int | None = year
        progress_year: int | None = year
    else:
        # The unit's own latest year (as ``five_good`` gives it); if it has none, the
        # siblings' latest, so that a comparison still has a year.
        fg_year = max((r.year for r in candidates if r.accepted_here), default=None)
        if fg_year is None:
            fg_year = max((r.year for r in candidates if r.accepted_there), default=None)
        progress_year = max((r.year for r in own_rounds), default=None)
    fg_now = [r.pk for r in candidates if r.five_good and r.year == fg_year]
    fg_before = [r.pk for r in candidates if r.five_good and fg_year and r.year == fg_year - 1]
    progress_ids = [r.pk for r in candidates if r.year == progress_year]
    picked = [RoundRef(r.pk, r.title, r.year) for r in own_rounds if r.year == progress_year]

    # 4. Those rounds' assessments, by status: five-good committees this year and the year
    # before, and the progress of the latest rounds (active units). No round, no read.
    # From the rounds' subtree tallies when they are built and a year has one five-good
    # round (the usual case); else counted over the assessments.
    if fg_now or fg_before or progress_ids:
        chosen = {*fg_now, *fg_before, *progress_ids}
        tallied = all(r.tallied for r in candidates if r.pk in chosen)
        if tallied and len(fg_now) <= 1 and len(fg_before) <= 1:
            assessment_rows = grouped.assessment_tally_rows(
                keys=keys, five_good_now=fg_now, five_good_before=fg_before, progress=progress_ids
            )
        else:
            assessment_rows = grouped.assessment_rows(
                scope=scope,
                buckets=buckets,
                keys=[key for key, _exact in keys],
                five_good_now=fg_now,
                five_good_before=fg_before,
                progress=progress_ids,
            )
        for b, now, before, *by_status, passed in assessment_rows:
            acc = accs[b]
            for status, n in zip(grouped.STATUSES, by_status, strict=True):
                acc.progress[status] += n
            acc.progress["passed"] += passed
            if fg_year is not None:
                acc.five_good[fg_year] += now
                acc.five_good[fg_year - 1] += before

    # 5. Task reports due this year and last year, by outcome (active units).
    # From the tasks' subtree tallies; counted over the reports if one is not built.
    task_year = year or today.year
    report_rows = grouped.report_tally_rows(keys=keys, year=task_year, today=today)
    if report_rows is None:
        report_rows = grouped.report_rows(
            scope=scope, buckets=buckets, year=task_year, today=today, large=large
        )
    for b, outcome, when, n in report_rows:
        if outcome == "open":
            outcome = "overdue" if when.endswith("past") else "waiting"
        accs[b].tasks[("prev_" if when.startswith("prev_") else "") + outcome] += n

    # Put it together.
    total_acc = _sum(acc for key, acc in accs.items() if key.startswith(unit.path))
    years = _Years(five_good=fg_year, tasks=task_year, progress=progress_year)
    total = _row(unit, total_acc, years, is_current=True)
    children = [
        _row(u, accs.get(u.path) or _Acc(), years)
        for u in shown
        if u.depth == depth + 1 and u.path.startswith(unit.path)
    ]
    ancestors = [u for u in shown if u.depth < depth]
    parent = ancestors[-1] if ancestors else None
    sibling_rows: list[UnitRow] | None = None
    parent_total: UnitRow | None = None
    if with_siblings and parent is not None:
        sibling_rows = [
            total if u.pk == unit.pk else _row(u, accs.get(u.path) or _Acc(), years)
            for u in shown
            if u.depth == depth
        ]
        parent_total = _row(parent, _sum(accs.values()), years)
    return Dashboard(
        unit=unit,
        year=year,
        ancestors=ancestors,
        total=total,
        children=children,
        rounds=sorted(picked, key=lambda r: r.pk),
        parent=parent,
        parent_total=parent_total,
        siblings=sibling_rows,
    )
