"""The concerns API: same rights as the pages (404 for missing and not yours), JSON and
multipart, the Idempotency-Key, the workflow steps with versions, and the stats key."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from nutag.core.actors import SYSTEM
from nutag.factories import make_concern
from nutag.voice import services
from nutag.voice.models import Concern


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _post(c: Client, url: str, data: dict, **headers: str):  # type: ignore[no-untyped-def,type-arg]
    return c.post(url, json.dumps(data), content_type="application/json", headers=headers)


BODY = {"category": "water", "text": "井里的水有异味", "is_public": True}


@pytest.mark.django_db
def test_anonymous_visitors_cannot_raise_or_read(cast):
    c = _client(None)
    assert _post(c, f"/api/v1/units/{cast.village1a.code}/concerns", BODY).status_code == 401
    concern = make_concern(unit=cast.village1a)
    assert c.get(f"/api/v1/concerns/{concern.pk}").status_code == 401


@pytest.mark.django_db
def test_raising_elsewhere_answers_404(cast):
    c = _client(cast.resident)
    for unit in (cast.village1b, cast.township1, cast.village2a):
        assert _post(c, f"/api/v1/units/{unit.code}/concerns", BODY).status_code == 404
    assert _post(c, "/api/v1/units/000000/concerns", BODY).status_code == 404
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_bad_input_answers_400_with_the_field(cast):
    c = _client(cast.resident)
    url = f"/api/v1/units/{cast.village1a.code}/concerns"
    r = _post(c, url, {"category": "nope", "text": "有事"})
    assert r.status_code == 400 and "category" in r.json()["errors"]
    r = _post(c, url, {"category": "water", "text": ""})
    assert r.status_code == 400 and "text" in r.json()["errors"]
    r = c.post(url, b"{not json", content_type="application/json")
    assert r.status_code == 400


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_first(cast):
    c = _client(cast.resident)
    url = f"/api/v1/units/{cast.village1a.code}/concerns"
    first = _post(c, url, BODY, **{"Idempotency-Key": "abc-123"})
    again = _post(c, url, BODY, **{"Idempotency-Key": "abc-123"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert Concern.objects.count() == 1


@pytest.mark.django_db
def test_multipart_with_photos_and_a_broken_voice_note(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buf = io.BytesIO()
    Image.new("RGB", (30, 30), "blue").save(buf, "JPEG")
    photo = SimpleUploadedFile("p.jpg", buf.getvalue(), content_type="image/jpeg")
    note = SimpleUploadedFile("n.webm", b"\x00half", content_type="audio/webm")
    c = _client(cast.resident)
    r = c.post(
        f"/api/v1/units/{cast.village1a.code}/concerns",
        {"category": "roads", "text": "路被冲断了", "photos": [photo], "voice_note": note},
    )
    assert r.status_code == 201, r.content
    data = r.json()
    assert len(data["photos"]) == 1 and data["problems"] and not data["has_voice_note"]
    assert data["text"] == "路被冲断了"


@pytest.mark.django_db
def test_a_private_concern_is_404_to_other_residents_and_other_units(cast):
    concern = make_concern(unit=cast.village1a)  # private, raised for nobody in particular
    for user in (cast.resident, cast.village2a_secretary):
        assert _client(user).get(f"/api/v1/concerns/{concern.pk}").status_code == 404
    for user in (cast.village1a_officer, cast.township1_officer, cast.banner_officer):
        assert _client(user).get(f"/api/v1/concerns/{concern.pk}").status_code == 200


@pytest.mark.django_db
def test_a_public_concern_hides_the_location_from_others(cast):
    concern = make_concern(unit=cast.village1a, is_public=True, location="三号井")
    data = _client(cast.resident).get(f"/api/v1/concerns/{concern.pk}").json()
    assert data["location"] == ""
    data = _client(cast.village1a_officer).get(f"/api/v1/concerns/{concern.pk}").json()
    assert data["location"] == "三号井"


@pytest.mark.django_db
def test_the_unit_list_is_scoped_and_filtered(cast):
    make_concern(unit=cast.village1a, category_key="water")
    make_concern(unit=cast.village1a, category_key="roads")
    make_concern(unit=cast.village2a)
    assert (
        _client(cast.resident).get(f"/api/v1/units/{cast.village1a.code}/concerns").status_code
        == 404
    )
    assert (
        _client(cast.village2a_secretary)
        .get(f"/api/v1/units/{cast.village1a.code}/concerns")
        .status_code
        == 404
    )
    c = _client(cast.township1_officer)
    body = c.get(f"/api/v1/units/{cast.township1.code}/concerns").json()
    assert body["count"] == 2 and len(body["items"]) == 2
    one = c.get(f"/api/v1/units/{cast.township1.code}/concerns?limit=1&offset=1").json()
    assert one["count"] == 2 and [r["id"] for r in one["items"]] == [body["items"][1]["id"]]
    rows = c.get(f"/api/v1/units/{cast.township1.code}/concerns?category=water").json()["items"]
    assert [r["category"]["key"] for r in rows] == ["water"]
    closed = c.get(f"/api/v1/units/{cast.township1.code}/concerns?state=closed").json()
    assert closed == {"count": 0, "offset": 0, "limit": 50, "items": []}


@pytest.mark.django_db
def test_the_workflow_through_the_api(cast):
    resident = _client(cast.resident)
    created = _post(resident, f"/api/v1/units/{cast.village1a.code}/concerns", BODY).json()
    url = f"/api/v1/concerns/{created['id']}"
    officer = _client(cast.village1a_officer)
    other = _client(cast.village2a_secretary)
    assert _post(other, f"{url}/accept", {"version": 1}).status_code == 404
    assert _post(resident, f"{url}/accept", {"version": 1}).status_code == 404
    assert _post(officer, f"{url}/accept", {"version": 1}).json()["state"] == "accepted"
    stale = _post(officer, f"{url}/answer", {"version": 1, "answer": "已派人"})
    assert stale.status_code == 409 and stale.json()["detail"]  # changed meanwhile
    answered = _post(officer, f"{url}/answer", {"version": 2, "answer": "已派人"}).json()
    assert answered["state"] == "answered"
    assert _post(officer, f"{url}/close", {"version": 3, "rating": 5}).status_code == 404
    assert _post(resident, f"{url}/close", {"version": 3, "rating": 9}).status_code == 400
    closed = _post(resident, f"{url}/close", {"version": 3, "rating": 5}).json()
    assert closed["state"] == "closed" and closed["rating"] == 5
    assert [s["kind"] for s in closed["steps"]] == ["received", "accepted", "answered", "closed"]


@pytest.mark.django_db
def test_passing_through_the_api(cast):
    concern = make_concern(unit=cast.village1a)
    url = f"/api/v1/concerns/{concern.pk}/pass"
    c = _client(cast.township1_officer)
    assert _post(c, url, {"version": 1, "unit": cast.village2a.code}).status_code == 404
    r = _post(c, url, {"version": 1, "unit": cast.village1b.code, "note": "转一乙"})
    assert r.status_code == 200 and r.json()["unit"]["code"] == cast.village1b.code


@pytest.mark.django_db
def test_stats_carry_the_voice_figures(cast):
    a = make_concern(unit=cast.village1a)
    make_concern(unit=cast.village2a)
    services.concern_answer(acting_user=SYSTEM, concern=a, version=1, answer="好")
    data = _client(None).get(f"/api/v1/units/{cast.township1.code}/stats").json()["voice"]
    assert data["concerns"] == 1 and data["answered"] == 1 and data["answered_in_time"] == 1
    assert data["by_state"] == {"answered": 1}
    banner = _client(None).get(f"/api/v1/units/{cast.banner.code}/stats").json()["voice"]
    assert banner["concerns"] == 2 and banner["by_state"] == {"answered": 1, "received": 1}
