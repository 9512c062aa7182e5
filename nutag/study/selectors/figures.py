"""The study app's rolled-up figures over a unit's subtree (dashboard and stats API).

A fixed number of queries whatever the subtree's size (six), each one read over the
subtree's ``unit_path`` range:

1. lesson progress: lessons completed this year, people who studied, hours;
2. Party members (from the memberships), and those who completed a lesson this year;
3. the number of branches (every active grassroots unit: not the banner, not a township);
4. 三会一课 held this year by the branches, by unit and kind, to compare each branch with
   the rhythm (once per distinct set of counts, not once per branch);
5. points earned this year;
6. reads of the Party-building columns' articles (the seed reports these clicks).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, Sum

from nutag.orgs.models import GRASSROOTS_KINDS, Unit, UnitStatus
from nutag.orgs.paths import subtree_q
from nutag.people.models import PartyMembership
from nutag.sites.models import Article
from nutag.study.models import LessonProgress, Meeting, MeetingKind, PointEntry
from nutag.study.selectors.records import rhythm_rows

STUDY_FIGURE_QUERIES = 6
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


def study_figures(*, unit: Unit, today: dt.date) -> StudyFigures:
    year = today.year
    in_tree = subtree_q(unit.path, field="unit_path")
    progress = LessonProgress.objects.filter(in_tree).aggregate(
        done=Count("id", filter=Q(completed_at__year=year)),
        learners=Count("person", distinct=True),
        seconds=Sum("seconds"),
    )
    # Over the memberships' own path copy (a role's unit is its person's home unit: the
    # people services keep it so), not over every person of the subtree: at the root of a
    # province that was a million rows, each joined to the memberships.
    studied = LessonProgress.objects.filter(
        person_id=OuterRef("person_id"), completed_at__year=year
    )
    members = PartyMembership.objects.filter(in_tree).aggregate(
        total=Count("id"), studied=Count("id", filter=Q(Exists(studied)))
    )
    is_branch = Q(status=UnitStatus.ACTIVE, kind__in=sorted(GRASSROOTS_KINDS))
    branch_units = Unit.objects.filter(subtree_q(unit.path), is_branch)
    branches = branch_units.count()
    held: dict[int, dict[str, int]] = {}
    for unit_id, kind, n in (
        # The meetings' path range drives; the branches' ids are a list read once, and only
        # when there are meetings (a join would let SQLite walk every unit first).
        Meeting.objects.filter(
            in_tree,
            held_on__year=year,
            held_on__lte=today,
            unit_id__in=branch_units.values("pk"),
        )
        .values("unit_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit_id", "kind", "n")
    ):
        held.setdefault(unit_id, {})[kind] = n
    # Each branch against the rhythm, but computed once per distinct set of counts (most
    # branches share one; those that held nothing all do): no Python loop per unit.
    tally: dict[tuple[tuple[str, int], ...], int] = {(): branches - len(held)}
    for counts in held.values():
        key = tuple(sorted(counts.items()))
        tally[key] = tally.get(key, 0) + 1
    on_rhythm = 0
    held_total = dict.fromkeys(MeetingKind.values, 0)
    expected_total = dict.fromkeys(MeetingKind.values, 0)
    for key, times in tally.items():
        if not times:
            continue
        rows = rhythm_rows(counts=dict(key), year=year, today=today)
        on_rhythm += times * all(r.behind == 0 for r in rows)
        for r in rows:
            held_total[r.kind] += times * r.held
            expected_total[r.kind] += times * r.expected
    points = PointEntry.objects.filter(in_tree, day__year=year).aggregate(s=Sum("points"))["s"]
    reads = Article.objects.filter(
        subtree_q(unit.path, field="unit__path"), column__key__in=PARTY_BUILDING_COLUMNS
    ).aggregate(s=Sum("read_count"))["s"]
    return StudyFigures(
        year=year,
        lessons_completed=progress["done"],
        learners=progress["learners"],
        hours=round((progress["seconds"] or 0) / 3600, 1),
        party_members=members["total"],
        members_studied=members["studied"],
        points=points or 0,
        column_reads=reads or 0,
        branches=branches,
        branches_on_rhythm=on_rhythm,
        meetings_held=held_total,
        meetings_expected=expected_total,
    )
