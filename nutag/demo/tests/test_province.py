"""``generate_province`` at a tiny banner size: the tree is sound and every figure the
dashboards show equals a row-by-row recount of what was written."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Model, Sum
from django.test import override_settings

from nutag.assess.models import Assessment, FiveGoodTally, TaskReport
from nutag.demo.province import (
    ELDER_CATEGORIES,
    YEAR,
    ProvinceRefusedError,
    generate_province,
    level_sizes,
)
from nutag.demo.province_activity import add_activity
from nutag.orgs.models import GRASSROOTS_KINDS, CareCommittee, Unit
from nutag.orgs.registry import tally_rebuilds
from nutag.people.models import CareTally, CareWorker, PartyMembership, Person
from nutag.sites.models import Article, Placement
from nutag.sites.search import search_articles
from nutag.stats.selectors import unit_figures
from nutag.stats.selectors.five_good import five_good
from nutag.study.models import LessonProgress, Meeting, PointEntry
from nutag.study.selectors.figures import study_figures
from nutag.voice.models import Concern, ConcernCounter, ConcernState, StepKind
from nutag.voice.selectors.figures import voice_figures

pytestmark = pytest.mark.django_db


def recount(unit: Unit) -> dict[str, object]:
    """The seed's figures for ``unit``'s subtree, counted in Python without path ranges."""
    by_kind: Counter[str] = Counter()
    for path, kind in CareCommittee.objects.values_list("unit__path", "unit__kind"):
        if path.startswith(unit.path):
            by_kind[kind] += 1
    elders: Counter[str] = Counter()
    participants = 0
    for path, category in CareWorker.objects.values_list("unit_path", "elder_category"):
        if path.startswith(unit.path):
            participants += 1
            elders[category] += bool(category)
    return {
        "committees": {k: n for k, n in by_kind.items() if n},
        "participants": participants,
        "elders": {c: elders[c] for c in ELDER_CATEGORIES},
    }


def shown(unit: Unit) -> dict[str, object]:
    figures = unit_figures(unit=unit)
    return {
        "committees": {k: n for k, n in figures.committees_by_kind.items() if n},
        "participants": figures.participants,
        "elders": figures.elders_by_category,
    }


@override_settings(NUTAG_IS_PRODUCTION=True)
def test_refused_in_production() -> None:
    with pytest.raises(CommandError, match="NUTAG_IS_PRODUCTION"):
        call_command("generate_province", "--units", "30", "--people", "10", stdout=StringIO())
    assert not Unit.objects.exists()


def test_too_few_units_is_an_error_not_a_broken_tree() -> None:
    with pytest.raises(ValueError, match="Too few units"):
        level_sizes({"leagues": 0, "banners": 0, "townships": 12, "units": 20, "people": 0})
    with pytest.raises(CommandError, match="Too few units"):
        call_command("generate_province", "--units", "20", "--people", "10", stdout=StringIO())


def test_a_second_run_on_the_same_database_is_refused() -> None:
    call_command("generate_province", "--units", "30", "--people", "50", stdout=StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("generate_province", "--units", "30", "--people", "50", stdout=StringIO())
    assert Person.objects.count() == 50


def test_banner_scale_figures_equal_a_recount() -> None:
    info = generate_province(scale="banner", units=60, people=3_000, seed=7)
    root = Unit.objects.get(code=info.root_code)
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assert Unit.objects.count() == info.units == 60
    assert info.units_by_level == [1, 12, 47]
    # every unit has its bodies, every person row its unit's path copy
    assert CareCommittee.objects.count() == 60
    assert Person.objects.count() == 3_000
    mismatched = [p for p, up in Person.objects.values_list("unit__path", "unit_path") if p != up]
    assert mismatched == []
    # uneven, as real villages are: not every grassroots unit has the same number of people
    per_unit = Counter(Person.objects.values_list("unit_id", flat=True))
    assert max(per_unit.values()) > 2 * min(per_unit.values())
    # the figures the dashboard and the stats API show equal a recount, at the root and below
    expected = recount(root)
    assert shown(root) == expected
    assert expected["participants"] == info.care_workers > 0
    assert expected["elders"] == info.elders_by_category
    township = Unit.objects.filter(depth=root.depth + 1).order_by("path").last()
    assert township is not None
    assert shown(township) == recount(township)
    # five-good: the latest round, over every grassroots committee
    grassroots = Unit.objects.filter(kind__in=GRASSROOTS_KINDS).count()
    board = five_good(unit=root)
    assert board.year == YEAR
    assert board.base == grassroots == info.grassroots
    assert board.count == info.passed[YEAR]
    assert board.count == Assessment.objects.filter(round__year=YEAR, passed=True).count()
    assert TaskReport.objects.count() == info.reports == 3 * 12


def test_the_command_reports_what_it_wrote() -> None:
    out = StringIO()
    call_command("generate_province", "--units", "40", "--people", "500", stdout=out)
    assert "Generated 970000: 40 units" in out.getvalue()
    assert "500 people" in out.getvalue()


NOW = dt.datetime(2026, 6, 15, 4, 0, tzinfo=dt.UTC)


def _rows(model: type[Model]) -> list[tuple[object, ...]]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return sorted(model.objects.values_list(*fields))


def test_activity_needs_a_generated_root_and_is_written_once() -> None:
    with pytest.raises(ProvinceRefusedError, match="generate the province first"):
        add_activity(root_code="970000", now=NOW)
    call_command("generate_province", "--units", "30", "--people", "300", stdout=StringIO())
    articles = Article.objects.count()
    assert articles > 0
    with pytest.raises(CommandError, match="activity already"):
        call_command("generate_province", "--activity-only", stdout=StringIO())
    assert Article.objects.count() == articles


def test_a_year_of_activity_keeps_what_the_services_keep() -> None:
    info = generate_province(scale="banner", units=60, people=3_000, seed=7)
    activity = add_activity(root_code=info.root_code, seed=7, now=NOW)
    root = Unit.objects.get(code=info.root_code)
    assert min(
        activity.party_members, activity.articles, activity.concerns, activity.lesson_progress,
        activity.points, activity.meetings, activity.task_reports, activity.courses,
    ) > 0  # fmt: skip
    # every path copy equals its unit's path
    for model in (PartyMembership, Concern, LessonProgress, PointEntry, Meeting):
        wrong = [p for p, up in model.objects.values_list("unit__path", "unit_path") if p != up]
        assert wrong == [], model
    # a member's role is at their own unit
    assert not PartyMembership.objects.exclude(unit_id=F("person__unit_id")).exists()
    # every placement carries its article's list keys, every article its own placement
    keys = ("shown_from", "pinned", "kind", "column_key")
    for placement in Placement.objects.select_related("article__column"):
        assert {k: getattr(placement, k) for k in keys} == placement.article.list_keys()
    assert Placement.objects.filter(via="own").count() == Article.objects.count()
    assert Article.objects.filter(column__unit_id=F("unit_id")).count() == Article.objects.count()
    # tracking numbers: the unit's yearly counter is the last number given, none given twice
    for counter in ConcernCounter.objects.select_related("unit"):
        numbers = sorted(
            Concern.objects.filter(origin=counter.unit, number__startswith=f"{counter.unit.code}-"
                                   f"{counter.year}-").values_list("number", flat=True)
        )  # fmt: skip
        assert numbers[-1].endswith(f"-{counter.last:05d}")
        assert len(numbers) == counter.last
    assert ConcernCounter.objects.aggregate(n=Sum("last"))["n"] == activity.concerns
    # a concern's state, dates and steps agree
    for concern in Concern.objects.prefetch_related("steps"):
        answered = concern.state in (ConcernState.ANSWERED, ConcernState.CLOSED)
        assert (concern.answered_at is not None) is answered
        assert (concern.rating is not None) is (concern.state == ConcernState.CLOSED)
        steps = sorted(concern.steps.all(), key=lambda s: (s.at, s.pk))
        assert steps[0].kind == StepKind.RECEIVED and steps[0].at == concern.created_at
        assert steps[-1].kind == concern.state and len(steps) == concern.version
        assert concern.limit_at > concern.created_at
    # one point entry per completed lesson, never over the day's cap
    assert PointEntry.objects.count() == LessonProgress.objects.filter(
        completed_at__isnull=False
    ).count()  # fmt: skip
    per_day = Counter(PointEntry.objects.values_list("person_id", "day", "points"))
    assert all(n * points <= 10 for (_p, _d, points), n in per_day.items())
    # the tallies the services keep equal a recount
    before = {model: _rows(model) for model in (CareTally, FiveGoodTally)}
    for rebuild in tally_rebuilds().values():
        rebuild()
    assert {model: _rows(model) for model in (CareTally, FiveGoodTally)} == before
    # the dashboard's figures equal a count of what was written
    study = study_figures(unit=root, today=NOW.date())
    assert study.lessons_completed == LessonProgress.objects.filter(
        completed_at__year=NOW.year
    ).count()  # fmt: skip
    assert study.party_members == activity.party_members
    assert study.points == sum(PointEntry.objects.filter(day__year=NOW.year).values_list(
        "points", flat=True))  # fmt: skip
    assert sum(study.meetings_held.values()) == Meeting.objects.filter(
        held_on__year=NOW.year, held_on__lte=NOW.date()
    ).count()  # fmt: skip
    voice = voice_figures(unit=root)
    assert voice.total == Concern.objects.count() == activity.concerns
    # the search index holds the articles: a topic is found at the root and in its unit
    article = Article.objects.order_by("pk").first()
    assert article is not None
    assert search_articles(unit=root, query=article.title[:4])
    assert any(h.article.pk == article.pk for h in search_articles(
        unit=article.unit, query=article.title[:4], limit=100))  # fmt: skip


def test_activity_can_be_added_to_a_province_generated_before() -> None:
    call_command(
        "generate_province", "--units", "30", "--people", "300", "--no-activity", stdout=StringIO()
    )
    assert not Article.objects.exists() and not Concern.objects.exists()
    out = StringIO()
    call_command("generate_province", "--activity-only", stdout=out)
    assert "A year of activity" in out.getvalue()
    assert "Generated" not in out.getvalue()  # the province itself was not written again
    assert Article.objects.exists() and Meeting.objects.exists()
    assert Unit.objects.count() == 30
