"""The dashboard and the stats API served like pages: cached per unit for anonymous
visitors, purged when something they count changes, and only then."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nutag.factories import PersonFactory, make_care_worker
from nutag.stats.tests.work import assess, assessment_round

pytestmark = pytest.mark.django_db


def page(client: Client, unit: Any, query: str = "") -> Any:
    return client.get(f"/u/{unit.code}/figures/{query}")


def test_logged_in_officers_always_get_a_fresh_page(cast: Any, client: Client) -> None:
    client.force_login(cast.banner_officer)
    page(client, cast.banner)
    response = page(client, cast.banner)
    assert "X-Nutag-Cache" not in response
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_hit_runs_no_query(cast: Any, client: Client) -> None:
    assert page(client, cast.township1)["X-Nutag-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        response = page(client, cast.township1)
    assert response["X-Nutag-Cache"] == "hit"
    assert len(ctx.captured_queries) == 0


def test_only_the_year_is_read_from_the_query(cast: Any, client: Client) -> None:
    page(client, cast.banner)
    assert page(client, cast.banner, "?from=singlemessage")["X-Nutag-Cache"] == "hit"
    assert page(client, cast.banner, "?year=abc")["X-Nutag-Cache"] == "hit"
    assert page(client, cast.banner, "?year=2025")["X-Nutag-Cache"] == "miss"
    assert page(client, cast.banner, "?year=2025&x=1")["X-Nutag-Cache"] == "hit"


def test_a_change_below_purges_the_units_that_count_it(cast: Any, client: Client) -> None:
    units = [cast.village1a, cast.township1, cast.banner, cast.village1b, cast.village2a]
    for unit in units:
        page(client, unit)
    assess(assessment_round(unit=cast.township1, year=2025), cast.village1a)
    states = [page(client, unit)["X-Nutag-Cache"] for unit in units]
    # the village, the units above it and its sibling (whose page shows it beside them);
    # not a village of the other township
    assert states == ["miss", "miss", "miss", "miss", "hit"]
    assert page(client, cast.township1).context is None  # a hit now


def test_the_shown_figures_follow_a_new_care_worker(cast: Any, client: Client) -> None:
    before = page(client, cast.township2).content.decode()
    assert page(client, cast.township2)["X-Nutag-Cache"] == "hit"
    make_care_worker(person=PersonFactory(unit=cast.village2a), unit=cast.village2a)
    response = page(client, cast.township2)
    assert response["X-Nutag-Cache"] == "miss"
    assert response.content.decode() != before


def test_the_stats_api_is_kept_until_the_figures_change(cast: Any, client: Client) -> None:
    url = f"/api/v1/units/{cast.township2.code}/stats"
    first = client.get(url).json()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).json() == first
    assert len(ctx.captured_queries) == 0  # not even the unit: its path is known
    make_care_worker(person=PersonFactory(unit=cast.village2a), unit=cast.village2a)
    assert client.get(url).json()["participants"] == first["participants"] + 1
    other = f"/api/v1/units/{cast.township1.code}/stats"
    client.get(other)
    make_care_worker(person=PersonFactory(unit=cast.village2a), unit=cast.village2a)
    with CaptureQueriesContext(connection) as ctx:
        client.get(other)
    assert len(ctx.captured_queries) == 0  # township 1 counts nothing of township 2


def test_private_figures_stay_private_when_cached(cast: Any, client: Client, settings: Any) -> None:
    settings.NUTAG_PUBLIC_STATS = False
    url = f"/api/v1/units/{cast.township1.code}/stats"
    client.force_login(cast.township1_secretary)
    assert client.get(url).status_code == 200  # cached now
    client.logout()
    assert client.get(url).status_code == 404
    assert page(client, cast.township1).status_code == 404
    assert client.get("/api/v1/units/nosuchunit/stats").status_code == 404


def test_the_cached_stats_follow_the_writes_of_voice_study_and_youth(
    cast: Any, client: Client
) -> None:
    """Concerns, branch meetings and young people's records are figure sources
    (``register_figure_source`` in each app's ``ready``): a write below purges the kept answer
    of every unit above it."""
    import datetime as dt

    from django.utils import timezone

    from nutag.core.actors import SYSTEM
    from nutag.factories import make_concern, make_youth_record
    from nutag.study.models import MeetingKind
    from nutag.study.services.meetings import meeting_record

    url = f"/api/v1/units/{cast.banner.code}/stats"
    first = client.get(url).json()
    assert client.get(url).json() == first  # kept
    make_concern(unit=cast.village2a)
    second = client.get(url).json()
    assert second["voice"]["concerns"] == first["voice"]["concerns"] + 1
    make_youth_record(unit=cast.village2a)
    third = client.get(url).json()
    assert third["youth"]["young_people"] == second["youth"]["young_people"] + 1
    meeting_record(
        acting_user=SYSTEM,
        unit=cast.village2a,
        kind=MeetingKind.values[0],
        held_on=timezone.localdate() - dt.timedelta(days=1),
        topic="学习",
    )
    fourth = client.get(url).json()
    assert sum(fourth["meetings"]["held"].values()) == sum(third["meetings"]["held"].values()) + 1
