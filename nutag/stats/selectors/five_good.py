"""Five-good committees (五好关工委) over a unit's subtree, and the rate over grassroots ones.

- **base**: the active grassroots committees of the subtree (the unit's own included when it is
  grassroots): every committee but the banner's and the townships'
  (``orgs.models.NON_GRASSROOTS_KINDS``); sub-district offices count.
- **count**: those of them whose *accepted* assessment, in a round of a five-good standard
  (``StandardKind.FIVE_GOOD``) for the year, has ``passed``. Drafts, submitted and returned
  assessments do not count, nor do failed ones; a committee assessed in two five-good rounds of
  the same year (say the banner's and its township's) counts once if either passed.
- **year**: the one asked for, or else the latest year that has any accepted five-good
  assessment of a grassroots committee of the subtree (passed or not).
- **rate**: count / base, rounded to 3 decimals (0 when the base is 0).

Last year's rate is taken over today's base: the system keeps no history of which committees
existed then, and the count only ever includes committees that are active today.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Count, Q

from nutag.assess.models import (
    AssessmentStatus,
    AssessmentSubtreeTally,
    FiveGoodTally,
    Round,
    Standard,
    StandardKind,
)
from nutag.orgs.models import (
    GRASSROOTS_KINDS,
    NON_GRASSROOTS_KINDS,
    CareCommittee,
    Unit,
    UnitStatus,
)
from nutag.orgs.paths import subtree_q, successor
from nutag.stats.selectors.figures import UnitFigures
from nutag.stats.selectors.grouped import read_rows

UNIT = Unit._meta.db_table
TALLY = FiveGoodTally._meta.db_table
SUBTREE = AssessmentSubtreeTally._meta.db_table
ROUND = Round._meta.db_table
STANDARD = Standard._meta.db_table


@dataclasses.dataclass(frozen=True)
class FiveGood:
    count: int
    base: int
    rate: float
    year: int | None

    @classmethod
    def of(cls, *, count: int, base: int, year: int | None) -> FiveGood:
        return cls(count=count, base=base, rate=rate_of(count, base), year=year)


@dataclasses.dataclass(frozen=True)
class FiveGoodChange:
    """This year's five-good figures against the year before (same base)."""

    current: FiveGood
    previous: FiveGood

    @property
    def count(self) -> int:
        return self.current.count - self.previous.count

    @property
    def rate(self) -> float:
        return round(self.current.rate - self.previous.rate, 3)


def rate_of(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def five_good_q(prefix: str = "") -> Q:
    """Assessments that can make a committee five-good (``prefix`` for a relation path)."""
    return Q(
        **{
            f"{prefix}status": AssessmentStatus.ACCEPTED,
            f"{prefix}round__standard__kind": StandardKind.FIVE_GOOD,
            f"{prefix}unit__status": UnitStatus.ACTIVE,
            f"{prefix}unit__kind__in": sorted(GRASSROOTS_KINDS),
            f"{prefix}unit__committee__isnull": False,
        }
    )


def five_good_passed_count() -> Count:
    """Distinct committees with a passed assessment, for ``.annotate()`` over assessments."""
    return Count("unit_id", distinct=True, filter=Q(passed=True))


def _grassroots_base(*, unit: Unit) -> int:
    return CareCommittee.objects.filter(
        subtree_q(unit.path, "unit__path"),
        unit__status=UnitStatus.ACTIVE,
        unit__kind__in=sorted(GRASSROOTS_KINDS),
    ).count()


def _tally_sql(path: str) -> tuple[str, list[Any]]:
    """Per year: the subtree's five-good tallies (committees with an accepted assessment, and
    those that passed), less the rows of units that do not count today (banner, townships,
    closed units). The first part is one range over the tally's covering index; the second
    finds the few units that do not count through the unit table's ``(kind, path)`` and
    ``(status, path)`` indexes and looks up their tallies by unit (CROSS JOIN keeps SQLite
    from walking the tallies first)."""
    upper = successor(path)
    t_range = "t.unit_path >= %s" + (" AND t.unit_path < %s" if upper else "")
    u_range = "u.path >= %s" + (" AND u.path < %s" if upper else "")
    bounds = [path, upper] if upper else [path]
    kinds = sorted(NON_GRASSROOTS_KINDS)
    statuses = sorted(s for s in UnitStatus if s != UnitStatus.ACTIVE)
    marks = ", ".join("%s" for _ in kinds)
    status_marks = ", ".join("%s" for _ in statuses)
    # Only table names and placeholders are written into the text; every value is a parameter.
    sql = f"""
        SELECT t.year, COUNT(*), SUM(CASE WHEN t.passed THEN 1 ELSE 0 END)
        FROM {TALLY} t WHERE {t_range} GROUP BY t.year
        UNION ALL
        SELECT t.year, -COUNT(*), -SUM(CASE WHEN t.passed THEN 1 ELSE 0 END)
        FROM (
            SELECT u.id FROM {UNIT} u WHERE u.kind IN ({marks}) AND {u_range}
            UNION
            SELECT u.id FROM {UNIT} u WHERE u.status IN ({status_marks}) AND {u_range}
        ) x CROSS JOIN {TALLY} t
        WHERE t.unit_id = x.id
        GROUP BY t.year
    """  # noqa: S608
    return sql, [*bounds, *kinds, *bounds, *statuses, *bounds]


def _subtree_counts_by_year(*, unit: Unit) -> dict[int, tuple[int, int]] | None:
    """``_counts_by_year`` from the unit's own row of each five-good round's subtree tally
    (``assess.AssessmentSubtreeTally``: its subtree's accepted grassroots committees in the
    round, and those that passed): a row per round, not per committee. ``None`` when those
    rows cannot tell: a five-good round whose tally is not built (no row for its issuer), or
    a year in which two rounds accepted committees of the subtree (one accepted in both
    counts once, which sums cannot tell). One query."""
    sql = f"""
        SELECT r.year, t.grassroots_accepted, t.five_good
        FROM {SUBTREE} t CROSS JOIN {ROUND} r CROSS JOIN {STANDARD} s
        WHERE t.unit_id = %s AND r.id = t.round_id AND s.id = r.standard_id AND s.kind = %s
        UNION ALL
        SELECT NULL, COUNT(*), 0 FROM {ROUND} r CROSS JOIN {STANDARD} s
        WHERE s.id = r.standard_id AND s.kind = %s AND NOT EXISTS (
            SELECT 1 FROM {SUBTREE} x WHERE x.round_id = r.id AND x.unit_id = r.unit_id)
    """  # noqa: S608 (table names only; every value is a parameter)
    # CROSS JOIN: the order written (SQLite; elsewhere the planner's): the unit's rows, a
    # row per round its subtree is in, then their round; the rounds, not every standard.
    five_good = str(StandardKind.FIVE_GOOD.value)
    counts: dict[int, tuple[int, int]] = {}
    for year, accepted, passed in read_rows(sql, [unit.pk, five_good, five_good]):
        if year is None:
            if accepted:  # rounds without a built tally
                return None
            continue
        if not accepted:
            continue
        if int(year) in counts:  # two rounds of the year accepted committees here
            return None
        counts[int(year)] = (int(accepted), int(passed or 0))
    return counts


def _counts_by_year(*, unit: Unit) -> dict[int, tuple[int, int]]:
    """Year → (committees of the subtree that count, with an accepted five-good assessment
    that year; those of them that passed). From the rounds' subtree tallies
    (``_subtree_counts_by_year``), else one query over ``assess.FiveGoodTally``."""
    found = _subtree_counts_by_year(unit=unit)
    if found is not None:
        return found
    sql, params = _tally_sql(unit.path)
    totals: dict[int, list[int]] = {}
    for year, accepted, passed in read_rows(sql, params):
        row = totals.setdefault(int(year), [0, 0])
        row[0] += int(accepted)
        row[1] += int(passed or 0)
    return {year: (a, p) for year, (a, p) in totals.items() if a > 0}


def five_good_change(
    *, unit: Unit, year: int | None = None, figures: UnitFigures | None = None
) -> FiveGoodChange:
    """Five-good figures of ``year`` (default: the latest with an accepted assessment) and of
    the year before, over the same base. Two queries (one when the unit's ``figures`` are
    passed in), and one more when the rounds' subtree tallies cannot tell (see
    ``_subtree_counts_by_year``)."""
    base = figures.grassroots_committees if figures else _grassroots_base(unit=unit)
    by_year = _counts_by_year(unit=unit)
    counts = {y: passed for y, (_accepted, passed) in by_year.items()}
    if year is None:
        year = max(counts, default=None)
    if year is None:
        return FiveGoodChange(
            current=FiveGood.of(count=0, base=base, year=None),
            previous=FiveGood.of(count=0, base=base, year=None),
        )
    return FiveGoodChange(
        current=FiveGood.of(count=counts.get(year, 0), base=base, year=year),
        previous=FiveGood.of(count=counts.get(year - 1, 0), base=base, year=year - 1),
    )


def five_good(
    *, unit: Unit, year: int | None = None, figures: UnitFigures | None = None
) -> FiveGood:
    """Five-good committees over ``unit``'s subtree for ``year`` (default: the latest year
    with an accepted five-good assessment there), their base and rate.

    Two queries; one when the unit's ``figures`` (``unit_figures``) are passed in, since the
    base is their grassroots committees.
    """
    return five_good_change(unit=unit, year=year, figures=figures).current
