"""Emergencies: reach, notification, the home block, statuses and the roll; negatives first."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import resolve

from nutag.core.errors import NotFound
from nutag.factories import PersonFactory, UserFactory
from nutag.notify.models import Kind, Notification
from nutag.people.models import Person
from nutag.voice.models import Emergency, EmergencyStatus
from nutag.voice.selectors.emergencies import emergency_roll
from nutag.voice.services import emergencies as svc

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _publish(user, unit, radius="unit", text="暴风雪将至，请把牲畜赶回棚圈"):  # type: ignore[no-untyped-def]
    return svc.emergency_publish(
        acting_user=user, unit=unit, kind="snowstorm", radius=radius, text=text
    )


# --- Negatives ------------------------------------------------------------------------------


def test_a_resident_or_volunteer_cannot_publish(cast):
    for user in (cast.resident, cast.volunteer):
        with pytest.raises(NotFound):
            _publish(user, cast.village1a)
        r = _client(user).post(
            f"/api/v1/units/{cast.village1a.code}/emergencies",
            json.dumps({"kind": "fire", "radius": "unit", "text": "着火"}),
            content_type="application/json",
        )
        assert r.status_code == 404
    assert not Emergency.objects.exists()


def test_an_officer_cannot_publish_outside_their_reach(cast):
    # a village secretary: their own village only, never the neighbours, township or banner
    for radius in ("neighbours", "township", "banner"):
        with pytest.raises(NotFound):
            _publish(cast.village1a_secretary, cast.village1a, radius)
    for unit in (cast.village1b, cast.township1, cast.village2a):
        with pytest.raises(NotFound):
            _publish(cast.village1a_secretary, unit)
    # a township officer: never the banner, never another township's village
    with pytest.raises(NotFound):
        _publish(cast.township1_officer, cast.village1a, "banner")
    with pytest.raises(NotFound):
        _publish(cast.township1_officer, cast.village2a)
    r = _client(cast.township1_officer).get(f"/u/{cast.village2a.code}/emergencies/new/")
    assert r.status_code == 404
    assert not Emergency.objects.exists()


def test_nobody_marks_a_status_for_another_person_or_outside_the_area(cast):
    e = _publish(cast.village1a_secretary, cast.village1a)
    outsider = cast.village2a_secretary  # a person of village2a: not reached
    with pytest.raises(NotFound):
        svc.emergency_mark(acting_user=outsider, emergency=e, status="safe")
    r = _client(outsider).post(
        f"/api/v1/emergencies/{e.pk}/status",
        json.dumps({"status": "help"}),
        content_type="application/json",
    )
    assert r.status_code == 404
    # the API has no field naming a person: one marks only oneself
    r = _client(cast.resident).post(
        f"/api/v1/emergencies/{e.pk}/status",
        json.dumps({"status": "safe", "person": Person.objects.get(name="志愿者").pk}),
        content_type="application/json",
    )
    assert r.status_code == 200
    assert list(EmergencyStatus.objects.values_list("person__name", flat=True)) == ["牧民"]
    with pytest.raises(ValidationError):
        svc.emergency_mark(acting_user=cast.resident, emergency=e, status="maybe")


def test_the_roll_and_closing_are_for_those_who_manage_it(cast):
    e = _publish(cast.township1_officer, cast.village1a, "township")
    for user in (cast.resident, cast.village1a_secretary, cast.village2a_secretary):
        with pytest.raises(NotFound):
            emergency_roll(user=user, emergency=e)
        with pytest.raises(NotFound):
            svc.emergency_close(acting_user=user, emergency=e)
        assert _client(user).get(f"/api/v1/emergencies/{e.pk}/roll").status_code == 404
        assert _client(user).post(f"/api/v1/emergencies/{e.pk}/close").status_code == 404
    assert Emergency.objects.get(pk=e.pk).closed_at is None


def test_text_is_required_and_short(cast):
    with pytest.raises(ValidationError):
        _publish(cast.village1a_secretary, cast.village1a, text=" ")
    with pytest.raises(ValidationError):
        _publish(cast.village1a_secretary, cast.village1a, text="长" * 301)
    with pytest.raises(ValidationError):
        _publish(cast.village1a_secretary, cast.village1a, radius="world")


# --- What works -----------------------------------------------------------------------------


def test_radius_reaches_exactly_the_area(cast):
    e = _publish(cast.village1a_secretary, cast.village1a)
    assert set(e.areas.all()) == {cast.village1a}
    e = _publish(cast.township1_officer, cast.village1a, "neighbours")
    assert set(e.areas.all()) == {cast.village1a, cast.village1b, cast.school1}
    assert e.unit == cast.township1
    e = _publish(cast.township1_officer, cast.village1a, "township")
    assert set(e.areas.all()) == {
        cast.township1,
        cast.village1a,
        cast.village1b,
        cast.school1,
    }
    e = _publish(cast.banner_officer, cast.village2a, "banner")
    assert e.areas.count() == 7 and e.unit == cast.banner


def test_everyone_reached_is_notified_at_once(cast):
    far = PersonFactory(unit=cast.village2a, name="远方牧民")
    e = _publish(cast.township1_officer, cast.village1a, "neighbours")
    told = Notification.objects.filter(kind=Kind.EMERGENCY, event_key=f"emergency:{e.pk}")
    names = set(told.values_list("recipient__name", flat=True))
    assert {"牧民", "志愿者"} <= names
    assert far.name not in names
    assert set(told.values_list("urgency", flat=True)) == {"emergency"}


def test_home_block_on_every_reached_site_at_the_top(
    cast, client, django_capture_on_commit_callbacks
):
    for unit in (cast.village1a, cast.village2a):
        client.get(f"/u/{unit.code}/")  # cached before the emergency
    with django_capture_on_commit_callbacks(execute=True):
        e = _publish(cast.township1_officer, cast.village1a, "neighbours")
    for unit in (cast.village1a, cast.village1b):
        body = client.get(f"/u/{unit.code}/").content.decode()
        assert e.text in body
        assert body.index(e.text) < body.index("<h2>最新</h2>")  # above the latest news
    assert e.text not in client.get(f"/u/{cast.village2a.code}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        svc.emergency_close(acting_user=cast.township1_officer, emergency=e)
    assert e.text not in client.get(f"/u/{cast.village1a.code}/").content.decode()


def test_people_mark_themselves_and_the_officer_sees_the_roll(cast):
    e = _publish(cast.township1_officer, cast.village1a, "township")
    svc.emergency_mark(acting_user=cast.resident, emergency=e, status="help", note="羊圈塌了")
    svc.emergency_mark(acting_user=cast.volunteer, emergency=e, status="help")
    svc.emergency_mark(acting_user=cast.volunteer, emergency=e, status="safe")  # changed
    assert EmergencyStatus.objects.filter(emergency=e).count() == 2
    roll = emergency_roll(user=cast.township1_officer, emergency=e)
    assert [p.name for p, _s in roll.help] == ["牧民"]
    assert [p.name for p, _s in roll.safe] == ["志愿者"]
    reached = Person.objects.filter(unit__emergencies=e).count()
    assert roll.silent_count == reached - 2
    data = _client(cast.banner_officer).get(f"/api/v1/emergencies/{e.pk}/roll").json()
    assert data["help"][0]["note"] == "羊圈塌了"
    page = _client(cast.township1_officer).get(f"/u/{cast.village1a.code}/emergencies/{e.pk}/")
    assert "羊圈塌了" in page.content.decode()
    svc.emergency_close(acting_user=cast.township1_officer, emergency=e)
    with pytest.raises(ValidationError):
        svc.emergency_mark(acting_user=cast.resident, emergency=e, status="safe")


def test_an_anonymous_reader_is_sent_to_the_login_page_to_mark(cast):
    e = _publish(cast.village1a_secretary, cast.village1a)
    url = f"/u/{cast.village1a.code}/emergencies/{e.pk}/"
    body = Client().get(url).content.decode()
    found = re.search(r'<a class="btn" href="([^"]*)">[^<]*登录', body)
    assert found, "no login link on the emergency page"
    link = html.unescape(found.group(1))
    path, _, query = link.partition("?")
    assert resolve(path).url_name == "login", link
    assert parse_qs(query)["next"] == [url]
    assert Client().get(link).status_code == 200


def test_pages_publish_and_mark(cast):
    officer = _client(cast.village1a_secretary)
    r = officer.get(f"/u/{cast.village1a.code}/emergencies/new/")
    assert r.status_code == 200
    body = r.content.decode()
    assert 'value="unit"' in body and 'value="banner"' not in body
    r = officer.post(
        f"/u/{cast.village1a.code}/emergencies/new/",
        {"kind": "fire", "radius": "unit", "text": "草场着火，向北撤离"},
    )
    assert r.status_code == 302
    e = Emergency.objects.get(text="草场着火，向北撤离")
    resident = _client(cast.resident)
    r = resident.post(
        f"/u/{cast.village1a.code}/emergencies/{e.pk}/", {"action": "mark", "status": "safe"}
    )
    assert r.status_code == 302
    assert EmergencyStatus.objects.get(emergency=e).status == "safe"
    stranger = UserFactory(username="stranger")
    r = _client(stranger).post(
        f"/u/{cast.village1a.code}/emergencies/{e.pk}/", {"action": "mark", "status": "safe"}
    )
    assert r.status_code == 404
    r = officer.post(f"/u/{cast.village1a.code}/emergencies/{e.pk}/", {"action": "close"})
    assert r.status_code == 302
    assert Emergency.objects.get(pk=e.pk).closed_at is not None


def test_api_publish_list_paginated(cast):
    c = _client(cast.township1_officer)
    r = c.post(
        f"/api/v1/units/{cast.village1a.code}/emergencies",
        json.dumps({"kind": "flood", "radius": "neighbours", "text": "河水上涨"}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["may_manage"] is True
    data = _client(cast.resident).get(f"/api/v1/units/{cast.village1a.code}/emergencies").json()
    assert data["count"] == 1 and data["items"][0]["reached"] is True
