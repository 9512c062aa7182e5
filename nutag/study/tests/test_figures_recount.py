"""The study figures' fixed SQL against a straightforward recount through the ORM (issue 17):
a sibling's rows, a closed branch's meetings and a meeting after today are never counted,
and every figure equals the recount on a small tree with varied data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.factories import make_unit
from nutag.orgs.models import GRASSROOTS_KINDS, Unit, UnitStatus
from nutag.orgs.services import unit_close, unit_move
from nutag.people.models import PartyMembership
from nutag.sites.models import Article, Column
from nutag.study import services
from nutag.study.models import LessonProgress, Meeting, MeetingKind, MeetingTally, PointEntry
from nutag.study.selectors.figures import StudyFigures, study_figures
from nutag.study.selectors.records import rhythm_rows
from nutag.study.services import live
from nutag.study.tests.helpers import course_with_lessons, member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def recount(unit: Unit, today: dt.date) -> StudyFigures:
    """Row by row through the ORM, ``startswith`` on the path, a rhythm per branch."""
    year = today.year
    under = {"unit_path__startswith": unit.path}
    progress = list(LessonProgress.objects.filter(**under))
    done = [
        p for p in progress if p.completed_at and timezone.localtime(p.completed_at).year == year
    ]
    studied = {p.person_id for p in done}
    members = list(PartyMembership.objects.filter(**under))
    branches = [
        u
        for u in Unit.objects.filter(path__startswith=unit.path)
        if u.status == UnitStatus.ACTIVE and u.kind in GRASSROOTS_KINDS
    ]
    on_rhythm = 0
    held = dict.fromkeys(MeetingKind.values, 0)
    expected = dict.fromkeys(MeetingKind.values, 0)
    for branch in branches:
        counts: dict[str, int] = {}
        for m in Meeting.objects.filter(unit=branch):
            if m.held_on.year == year and m.held_on <= today:
                counts[m.kind] = counts.get(m.kind, 0) + 1
        rows = rhythm_rows(counts=counts, year=year, today=today)
        on_rhythm += all(r.behind == 0 for r in rows)
        for r in rows:
            held[r.kind] += r.held
            expected[r.kind] += r.expected
    points = sum(e.points for e in PointEntry.objects.filter(**under) if e.day.year == year)
    reads = Article.objects.filter(
        unit__path__startswith=unit.path,
        column__key__in=["party_home", "thematic_education", "online_study", "micro_branch"],
    ).aggregate(s=Sum("read_count"))["s"]
    return StudyFigures(
        year=year,
        lessons_completed=len(done),
        learners=len({p.person_id for p in progress}),
        hours=round(sum(p.seconds for p in progress) / 3600, 1),
        party_members=len(members),
        members_studied=sum(m.person_id in studied for m in members),
        points=points,
        column_reads=reads or 0,
        branches=len(branches),
        branches_on_rhythm=on_rhythm,
        meetings_held=held,
        meetings_expected=expected,
    )


def _article(unit: Unit, key: str, reads: int) -> None:
    column, _ = Column.objects.get_or_create(unit=unit, key=key, defaults={"title": key})
    Article.objects.create(unit=unit, column=column, title=f"{key}{reads}", read_count=reads)


def _meeting(unit: Unit, kind: str, day: dt.date) -> None:
    services.meeting_record(acting_user=SYSTEM, unit=unit, kind=kind, held_on=day, topic="会")


def _varied(cast):  # type: ignore[no-untyped-def]
    _course, lesson, other = course_with_lessons(cast.banner, quiz=False)
    for i, unit in enumerate((cast.village1a, cast.village1a, cast.village1b, cast.village2a)):
        person = member(unit, f"党员{i}", f"member{i}")
        services.progress_record(
            acting_user=person.user,
            lesson=lesson,
            client_id=f"a{i}",
            seconds=600 * (i + 1),
            reached_end=i != 1,
        )
        if i == 0:
            services.progress_record(
                acting_user=person.user, lesson=other, client_id="b", seconds=90, reached_end=True
            )
    last = TODAY.year - 1  # a whole year of the rhythm at one branch, last year
    for month in range(1, 13):
        for kind in ("committee", "group"):
            _meeting(cast.village1a, kind, dt.date(last, month, 1))
    for q in range(0, 12, 3):
        for kind in ("members", "lesson"):
            _meeting(cast.village1a, kind, dt.date(last, q + 1, 2))
    _meeting(cast.village1b, "members", dt.date(last, 7, 1))  # after a 30 June "today"
    for unit in (cast.village1b, cast.village2a, cast.township1):  # a township is no branch
        _meeting(unit, "members", dt.date(TODAY.year, 1, 1))
    closed = make_unit(parent=cast.township1, kind="village", name="撤并村")
    _meeting(closed, "members", dt.date(TODAY.year, 1, 1))
    _meeting(closed, "members", dt.date(last, 1, 1))
    unit_close(acting_user=SYSTEM, unit=closed)
    _article(cast.village1a, "party_home", 7)
    _article(cast.village1b, "online_study", 5)
    _article(cast.village2a, "party_home", 11)
    _article(cast.village1a, "news", 100)  # not a Party-building column


def test_a_sibling_a_closed_branch_and_a_later_meeting_are_never_counted(cast):
    _varied(cast)
    town = study_figures(unit=cast.township1, today=TODAY)
    assert town.party_members == 3 and town.column_reads == 12
    assert town.meetings_held["members"] == 1  # village1b's: not the township's, not closed
    other = study_figures(unit=cast.township2, today=TODAY)
    assert other.party_members == 1 and other.column_reads == 11
    june = study_figures(unit=cast.township1, today=dt.date(TODAY.year - 1, 6, 30))
    assert june.meetings_held["members"] == 2  # village1a's two quarters, not 1 July's
    assert june.branches_on_rhythm == 1


def test_the_fixed_sql_equals_the_recount(cast):
    assert study_figures(unit=cast.banner, today=TODAY) == recount(cast.banner, TODAY)
    _varied(cast)
    last = TODAY.year - 1
    days = (TODAY, dt.date(last, 6, 30), dt.date(last, 12, 31))
    for unit in (cast.banner, cast.township1, cast.township2, cast.village1a, cast.village1b):
        for today in days:
            assert study_figures(unit=unit, today=today) == recount(unit, today), unit.name
    assert study_figures(unit=cast.banner, today=days[2]).branches_on_rhythm == 1
    _schedule(cast.village1b, 5)  # after today: not held yet
    for unit in (cast.banner, cast.township1, cast.village1b):
        assert study_figures(unit=unit, today=TODAY) == recount(unit, TODAY), unit.name


def test_branches_counted_by_the_caller_give_the_recounts_figures(cast):
    """The dashboard passes its seed table's active units by kind: the figures are still the
    recount's (a closed branch, a township and a sibling's branches never counted)."""
    from nutag.stats.selectors import unit_figures

    _varied(cast)
    last = TODAY.year - 1
    for unit in (cast.banner, cast.township1, cast.township2, cast.village1a, cast.school1):
        by_kind = unit_figures(unit=unit).committees_by_kind
        for today in (TODAY, dt.date(last, 6, 30)):
            given = study_figures(unit=unit, today=today, units_by_kind=by_kind)
            assert given == study_figures(unit=unit, today=today) == recount(unit, today), unit
    town = study_figures(
        unit=cast.township1,
        today=TODAY,
        units_by_kind=unit_figures(unit=cast.township1).committees_by_kind,
    )
    assert town.branches == 3  # its two villages and its school: not itself, not the closed one


# --- the 三会一课 tallies (MeetingTally) ------------------------------------------------------


def _tally_rows() -> dict[tuple[int, int], tuple[str, dict[str, int]]]:
    return {
        (t.unit_id, t.year): (
            t.unit_path,
            {k: getattr(t, k) for k in MeetingKind.values if getattr(t, k)},
        )
        for t in MeetingTally.objects.all()
    }


def _tally_recount() -> dict[tuple[int, int], tuple[str, dict[str, int]]]:
    rows: dict[tuple[int, int], tuple[str, dict[str, int]]] = {}
    for m in Meeting.objects.select_related("unit"):
        _path, counts = rows.setdefault((m.unit_id, m.held_on.year), (m.unit.path, {}))
        counts[m.kind] = counts.get(m.kind, 0) + 1
    return rows


def _schedule(unit: Unit, days: int) -> Meeting:
    starts = timezone.now() + dt.timedelta(days=days)
    return live.meeting_schedule(
        acting_user=SYSTEM,
        unit=unit,
        kind="lesson",
        topic="远程党课",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )


def test_the_tallies_equal_a_recount_after_creates_a_move_and_a_rebuild(cast):
    assert _tally_rows() == {} == _tally_recount()
    _varied(cast)
    _schedule(cast.village1a, 3)
    _schedule(cast.village2a, -1)  # a live meeting already held
    assert _tally_rows() == _tally_recount()
    assert _tally_rows()[(cast.village1a.pk, TODAY.year - 1)][1]["committee"] == 12
    unit_move(acting_user=SYSTEM, unit=cast.village1b, new_parent=cast.township2)
    assert _tally_rows() == _tally_recount()  # the path copies followed the move
    moved = study_figures(unit=cast.township2, today=TODAY)
    assert moved == recount(cast.township2, TODAY) and moved.meetings_held["members"] == 2
    MeetingTally.objects.all().update(members=99)
    MeetingTally.objects.filter(unit=cast.village2a).delete()
    assert call_rebuild() == len(_tally_recount())
    assert _tally_rows() == _tally_recount()


def test_a_meeting_scheduled_after_today_is_not_held_yet(cast):
    _varied(cast)
    before = study_figures(unit=cast.banner, today=TODAY)
    meeting = _schedule(cast.village1a, 2)
    same_year = meeting.held_on.year == TODAY.year
    after = study_figures(unit=cast.banner, today=TODAY)
    assert after == before == recount(cast.banner, TODAY)
    if same_year:  # counted once its day has come
        day = study_figures(unit=cast.banner, today=meeting.held_on)
        assert day == recount(cast.banner, meeting.held_on)
        assert day.meetings_held["lesson"] == before.meetings_held["lesson"] + 1


def call_rebuild() -> int:
    from nutag.orgs.registry import tally_rebuilds

    return tally_rebuilds()["meetings"]()
