"""What the system knows about a unit: each source counted right (and what it must not count),
the suggested score, and a fixed number of queries whatever the number of units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from nutag.assess.autofill import (
    known_values,
    source_note,
    suggested_score,
    year_range,
)
from nutag.assess.models import AutoSource, ReportStatus, Task, TaskReport
from nutag.assess.tests.rounds_helpers import this_year
from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory, make_care_worker, make_unit, person_with_position
from nutag.orgs import services as org_services
from nutag.orgs.models import Position, PositionTitle, UnitKind
from nutag.sites import services as site_services
from nutag.sites.models import Article, ArticleKind
from nutag.sites.services import ArticleInput

pytestmark = pytest.mark.django_db
ALL = list(AutoSource.values)


def published(unit, *, kind=ArticleKind.ARTICLE, title="活动报道") -> Article:  # type: ignore[no-untyped-def]
    article = site_services.article_create(
        acting_user=SYSTEM, unit=unit, data=ArticleInput(title=title, kind=kind)
    )
    site_services.article_submit(acting_user=SYSTEM, article=article)
    return site_services.article_publish(acting_user=SYSTEM, article=article)


def cast_parent(unit):  # type: ignore[no-untyped-def]
    from nutag.orgs.models import Unit

    return Unit.objects.get(path=unit.path[: -Unit.steplen])


def report(unit, *, late=False, status=ReportStatus.ACCEPTED, when=None) -> TaskReport:  # type: ignore[no-untyped-def]
    task = Task.objects.create(
        unit=cast_parent(unit), title="任务", requirements="要求", due_on=timezone.localdate()
    )
    return TaskReport.objects.create(
        task=task, unit=unit, status=status, late=late, submitted_at=when or timezone.now()
    )


def values_for(unit, year=None):  # type: ignore[no-untyped-def]
    known = known_values(units=[unit], sources=ALL, year=year or this_year())
    return {source: known[source][unit.pk] for source in ALL if source}


# --- what must not be counted -----------------------------------------------------------------


def test_nothing_known_is_zero_not_missing(cast):
    assert values_for(cast.village1b) == {
        "positions": 0,
        "care_workers": 0,
        "five_elders": 0,
        "articles": 0,
        "task_reports": 0,
        "meetings": 0,
    }
    assert known_values(units=[], sources=ALL, year=2024) == {s: {} for s in ALL if s}
    assert known_values(units=[cast.village1a], sources=["", "weather"], year=2024) == {}


def test_ended_positions_and_other_titles_do_not_count(cast):
    unit = cast.village1b
    person_with_position(unit=unit, title=PositionTitle.MEMBER, name="委员")
    person_with_position(unit=unit, title=PositionTitle.VICE_CHAIR, name="副主任")
    chair = person_with_position(unit=unit, title=PositionTitle.CHAIR, name="主任")
    position = Position.objects.get(person=chair)
    org_services.position_end(acting_user=SYSTEM, position=position)
    assert values_for(unit)["positions"] == 0


def test_articles_of_other_units_years_kinds_and_drafts_do_not_count(cast):
    unit = cast.village1a
    published(cast.village1b)  # another unit
    published(unit, kind=ArticleKind.NOTICE)  # a notice is not an activity
    site_services.article_create(acting_user=SYSTEM, unit=unit, data=ArticleInput(title="草稿"))
    old = published(unit, title="去年")
    Article.objects.filter(pk=old.pk).update(
        published_at=year_range(this_year() - 1)[0] + dt.timedelta(days=3)
    )
    ahead = published(unit, title="定时")
    Article.objects.filter(pk=ahead.pk).update(
        published_at=timezone.now() + dt.timedelta(hours=2),
        publish_at=timezone.now() + dt.timedelta(hours=2),
    )
    assert values_for(unit)["articles"] == 0
    assert values_for(unit, this_year() - 1)["articles"] == 1


def test_late_unsent_and_other_year_reports_do_not_count(cast):
    unit = cast.village1a
    report(unit, late=True)
    report(unit, status=ReportStatus.RETURNED)
    report(unit, when=year_range(this_year() - 1)[0] + dt.timedelta(days=1))
    TaskReport.objects.create(
        task=Task.objects.create(
            unit=cast.township1, title="t", requirements="r", due_on=timezone.localdate()
        ),
        unit=unit,
    )  # pending, never submitted
    assert values_for(unit)["task_reports"] == 0


# --- what is counted --------------------------------------------------------------------------


def test_each_source_counts_its_own_unit(cast):
    unit = cast.village1a  # has a branch secretary, an officer and a five elder (a teacher)
    assert values_for(unit)["positions"] == 2
    person_with_position(unit=unit, title=PositionTitle.CHAIR, name="主任")
    person_with_position(unit=unit, title=PositionTitle.EXEC_VICE_CHAIR, name="常务副主任")
    person_with_position(unit=unit, title=PositionTitle.OFFICER, name="第二干事")  # counted once
    make_care_worker(person=PersonFactory(unit=unit, name="志愿者二"), unit=unit)
    make_care_worker(
        person=PersonFactory(unit=unit, name="老战士"), unit=unit, elder_category="veteran"
    )
    published(unit)
    published(unit, title="第二次活动")
    report(unit)
    report(unit, status=ReportStatus.SUBMITTED)
    from nutag.study.services import meeting_record

    year = this_year()
    for kind in ("committee", "group", "members"):  # 三会一课 held this year (1 January)
        meeting_record(
            acting_user=SYSTEM, unit=unit, kind=kind, held_on=dt.date(year, 1, 1), topic="会"
        )
    meeting_record(
        acting_user=SYSTEM,
        unit=unit,
        kind="committee",
        held_on=dt.date(year - 1, 5, 5),
        topic="去年",
    )
    assert values_for(unit) == {
        "positions": 4,
        "care_workers": 3,
        "five_elders": 2,
        "articles": 2,
        "task_reports": 2,
        "meetings": 3,
    }


def test_suggested_score_is_a_rounded_share_of_the_points():
    assert suggested_score(points=20, value=4, target=4) == 20
    assert suggested_score(points=20, value=9, target=4) == 20  # never above the points
    assert suggested_score(points=20, value=1, target=5) == 4
    assert suggested_score(points=20, value=1, target=6) == 3  # 3.33
    assert suggested_score(points=25, value=1, target=2) == 13  # 12.5 rounds up
    assert suggested_score(points=20, value=0, target=4) == 0
    assert suggested_score(points=20, value=None, target=4) == 0
    assert suggested_score(points=20, value=3, target=0) == 20  # a target of 0 counts as 1


def test_the_source_is_named_in_the_readers_language():
    with translation.override("en"):
        note = source_note(source=AutoSource.POSITIONS, value=3, target=4, year=2024)
    assert note == "3 of 4 key positions filled — from the unit's positions"
    with translation.override("en"):
        note = source_note(source=AutoSource.ARTICLES, value=2, target=6, year=2024)
    assert "2024" in note and "2" in note
    assert source_note(source="", value=1, target=1, year=2024) == ""


# --- a fixed number of queries ----------------------------------------------------------------


def _units(parent, n):  # type: ignore[no-untyped-def]
    units = []
    for i in range(n):
        unit = make_unit(parent=parent, kind=UnitKind.VILLAGE, name=f"嘎查{i}")
        person_with_position(unit=unit, title=PositionTitle.BRANCH_SECRETARY, name=f"书记{i}")
        make_care_worker(person=PersonFactory(unit=unit), unit=unit, elder_category="cadre")
        units.append(unit)
    return units


@pytest.mark.parametrize("within", [False, True])
def test_same_number_of_queries_for_3_and_30_units(cast, within):
    few = _units(cast.township1, 3)
    many = _units(cast.township2, 30)
    counts = []
    for units, root in ((few, cast.township1), (many, cast.township2)):
        with CaptureQueriesContext(connection) as queries:
            known = known_values(
                units=units, sources=ALL, year=this_year(), within=root if within else None
            )
        counts.append(len(queries))
        assert all(known["positions"][u.pk] == 1 for u in units)
        assert all(known["five_elders"][u.pk] == 1 for u in units)
    # positions, the care tally, articles, reports, meetings (nutag.study)
    assert counts[0] == counts[1] <= 5


def test_within_keeps_only_the_units_asked_for(cast):
    known = known_values(
        units=[cast.village1a], sources=[AutoSource.CARE_WORKERS], year=2024, within=cast.banner
    )
    assert known == {"care_workers": {cast.village1a.pk: 1}}
