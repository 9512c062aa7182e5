"""The grid API: incidents 404 out of reach and to residents; the public grid list shows
what the site shows and nothing of the incidents."""

from __future__ import annotations

import pytest
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory, UserFactory
from nutag.grid import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(cast):  # type: ignore[no-untyped-def]
    worker = PersonFactory(unit=cast.village1a, name="网格员", user=UserFactory(username="gw"))
    grid = services.grid_create(
        acting_user=SYSTEM, unit=cast.village1a, name="一网格", worker=worker, public_phone="110"
    )
    made = services.incident_log(
        acting_user=SYSTEM, grid=grid, kind="boundary", summary="边界", parties="甲、乙"
    )
    services.incident_mediate(
        acting_user=SYSTEM,
        incident=made,
        held_on=made.reported_on,
        mediator="调解员",
        agreed="重新立桩",
    )
    return made


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_incidents_are_404_out_of_reach(cast, incident):
    for user in (cast.resident, cast.volunteer, cast.village2a_secretary):
        c = _as(user)
        assert c.get(f"/api/v1/units/{cast.village1a.code}/incidents").status_code == 404
        assert c.get(f"/api/v1/incidents/{incident.pk}").status_code == 404
    assert Client().get(f"/api/v1/incidents/{incident.pk}").status_code == 401
    assert _as(cast.admin).get("/api/v1/incidents/999999").status_code == 404


def test_incidents_for_those_who_handle_them(cast, incident):
    c = _as(cast.township1_officer)
    data = c.get(f"/api/v1/units/{cast.township1.code}/incidents?state=mediating").json()
    assert data["count"] == 1 and data["items"][0]["kind"] == "boundary"
    assert (
        c.get(f"/api/v1/units/{cast.township1.code}/incidents?state=resolved").json()["count"] == 0
    )
    one = c.get(f"/api/v1/incidents/{incident.pk}").json()
    assert one["parties"] == "甲、乙" and one["mediations"][0]["agreed"] == "重新立桩"


def test_public_grids_show_no_incident(cast, incident):
    data = Client().get(f"/api/v1/units/{cast.village1a.code}/grids").json()
    assert data["items"] == [
        {"id": incident.grid_id, "name": "一网格", "area": "", "worker": "网格员", "phone": "110"}
    ]
    assert "甲、乙" not in str(data)
    assert Client().get("/api/v1/units/000000/grids").status_code == 404
