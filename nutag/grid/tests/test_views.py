"""Grid pages: 404 out of reach and for residents, forms keep what was typed, the public
column shows grids and workers but never an incident."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from nutag.factories import make_concern
from nutag.grid.models import Grid, Incident, IncidentState

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_out_of_reach_and_residents_get_404(cast, grid, incident):
    for user in (cast.resident, cast.volunteer, cast.village2a_secretary):
        c = _client(user)
        assert c.get(f"/desk/u/{cast.village1a.code}/incidents/").status_code == 404
        assert c.get(f"/desk/u/{cast.village1a.code}/grids/").status_code == 404
        assert c.get(f"/desk/grids/{grid.pk}/").status_code == 404
        assert c.get(f"/desk/incidents/{incident.pk}/").status_code == 404
        r = c.post(f"/desk/incidents/{incident.pk}/resolve/", {"resolve-outcome": "好"})
        assert r.status_code == 404
    assert _client(cast.village1a_officer).get(f"/desk/grids/{grid.pk}/edit/").status_code == 404
    assert Incident.objects.get().state == IncidentState.LOGGED
    assert Client().get(f"/desk/incidents/{incident.pk}/").status_code == 302  # to the login


def test_bad_input_is_shown_next_to_the_field_and_kept(cast, incident):
    c = _client(cast.village1a_officer)
    before = (incident.reported_on - dt.timedelta(days=3)).isoformat()
    r = c.post(
        f"/desk/incidents/{incident.pk}/resolve/",
        {
            "resolve-outcome": "双方和解，赔偿两只羊",
            "resolve-resolved_on": timezone.localdate().isoformat(),
            "resolve-follow_up_on": before,
        },
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "双方和解，赔偿两只羊" in page  # nothing typed lost
    assert "resolve-follow_up_on" in page
    incident.refresh_from_db()
    assert incident.state == IncidentState.LOGGED


def test_the_worker_logs_and_mediates_in_their_grid(cast, grid, worker):
    c = _client(worker.user)
    assert c.get(f"/desk/u/{cast.village1a.code}/incidents/").status_code == 404  # not the unit's
    r = c.post(
        f"/desk/grids/{grid.pk}/incidents/new/",
        {
            "grid": grid.pk,
            "kind": "livestock",
            "reported_on": timezone.localdate().isoformat(),
            "summary": "牛群踩坏邻居的饲草地",
            "parties": "敖其尔、那仁",
        },
    )
    incident = Incident.objects.get()
    assert r.status_code == 302
    r = c.post(
        f"/desk/incidents/{incident.pk}/mediate/",
        {
            "mediate-held_on": timezone.localdate().isoformat(),
            "mediate-mediator": "网格员",
            "mediate-agreed": "赔偿饲草 20 捆",
        },
    )
    assert r.status_code == 302
    page = c.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert "赔偿饲草 20 捆" in page


def test_list_filters(cast, grid, incident):
    c = _client(cast.township1_officer)
    page = c.get(f"/desk/u/{cast.township1.code}/incidents/?state=resolved").content.decode()
    assert f"/desk/incidents/{incident.pk}/" not in page
    page = c.get(f"/desk/u/{cast.township1.code}/incidents/?state=logged").content.decode()
    assert f"/desk/incidents/{incident.pk}/" in page


def test_new_incident_from_a_concern(cast, grid):
    concern = make_concern(unit=cast.village1a)
    c = _client(cast.village1a_officer)
    r = c.get(f"/desk/grids/from-concern/{concern.pk}/")
    assert r.status_code == 302
    assert concern.number in r["Location"]
    r = c.post(
        r["Location"],
        {
            "grid": grid.pk,
            "kind": "boundary",
            "reported_on": timezone.localdate().isoformat(),
            "summary": "由居民说事转来",
            "concern_number": concern.number,
        },
    )
    assert r.status_code == 302
    assert Incident.objects.get().concern_id == concern.pk
    other = make_concern(unit=cast.village2a)
    assert c.get(f"/desk/grids/from-concern/{other.pk}/").status_code == 404


def test_secretary_makes_and_edits_a_grid(cast, worker):
    c = _client(cast.village1a_secretary)
    r = c.post(
        f"/desk/u/{cast.village1a.code}/grids/new/",
        {"name": "第二网格", "area": "西草场", "worker": worker.pk, "is_active": "on"},
    )
    assert r.status_code == 302
    grid = Grid.objects.get(name="第二网格")
    r = c.post(
        f"/desk/grids/{grid.pk}/edit/",
        {"name": "第二网格", "area": "西草场 9 户", "public_phone": "13900002222"},
    )
    grid.refresh_from_db()
    assert (grid.area, grid.worker, grid.is_active) == ("西草场 9 户", None, False)


def test_the_governance_column_shows_grids_never_incidents(cast, grid, incident, client):
    page = client.get(f"/u/{cast.village1a.code}/c/governance/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "第一网格" in text and "网格员巴特" in text and "13900001111" in text
    assert "巴特尔" not in text and "草场边界争议" not in text


def test_the_unit_page_links_to_the_grids_for_those_who_handle_incidents(cast):
    link = f"/desk/u/{cast.village1a.code}/grids/"
    assert (
        link
        in _client(cast.village1a_officer).get(f"/desk/u/{cast.village1a.code}/").content.decode()
    )
    other = f"/desk/u/{cast.village2a.code}/grids/"
    assert other in _client(cast.admin).get(f"/desk/u/{cast.village2a.code}/").content.decode()
