"""The study API for courses and meetings: the pages' rights (404 out of reach, attendance
only for those above in the tree), shared pagination, remote sign-in."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.people.models import PartyMembership
from nutag.study import services
from nutag.study.models import Attendance, Meeting
from nutag.study.tests.helpers import course_with_lessons, member

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _post(client: Client, url: str, data: object):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(data), content_type="application/json")


def _live(unit, start: dt.timedelta = dt.timedelta(0)) -> Meeting:  # type: ignore[no-untyped-def]
    starts = timezone.now() + start
    return services.meeting_schedule(
        acting_user=SYSTEM,
        unit=unit,
        kind="lesson",
        topic="党课",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )


def test_courses_list_hides_assigned_courses_from_outsiders(cast):
    assigned, _l, _q = course_with_lessons(cast.village1a)
    public, _l2, _q2 = course_with_lessons(cast.village1a, is_public=True)
    code = cast.village1a.code
    assert _client().get(f"/api/v1/study/units/{code}/courses").status_code == 401
    assert _client(cast.resident).get("/api/v1/study/units/nope/courses").status_code == 404
    outsider = _client(member(cast.village2a, "外人", "outsider").user)
    body = outsider.get(f"/api/v1/study/units/{code}/courses").json()
    assert [c["id"] for c in body["items"]] == [public.pk] and body["count"] == 1
    assert outsider.get(f"/api/v1/study/courses/{assigned.pk}").status_code == 404
    mine = _client(member(cast.village1a, "读者", "reader").user)
    body = mine.get(f"/api/v1/study/units/{code}/courses?limit=1").json()
    assert body["count"] == 2 and body["limit"] == 1 and len(body["items"]) == 1
    detail = mine.get(f"/api/v1/study/courses/{assigned.pk}").json()
    assert [x["title"] for x in detail["lessons"]] == ["第一课", "第二课"]
    assert detail["lessons"][1]["questions"] == 2 and "answer" not in json.dumps(detail)


def test_meetings_list_is_for_the_branch_and_attendance_only_above(cast):
    me = member(cast.village1a, "甲", "jia")
    services.meeting_record(
        acting_user=SYSTEM,
        unit=cast.village1a,
        kind="members",
        held_on=timezone.localdate(),
        topic="大会",
        attendance=[(me.pk, "absent", "住院")],
    )
    url = f"/api/v1/study/units/{cast.village1a.code}/meetings"
    assert _client(member(cast.village2a, "外人", "outsider").user).get(url).status_code == 404
    assert _client(cast.village2a_secretary).get(url).status_code == 404
    own = _client(me.user).get(url).json()
    assert own["count"] == 1 and own["items"][0]["attendance"] is None
    above = _client(cast.township1_officer).get(url).json()
    assert above["items"][0]["attendance"][0]["reason"] == "住院"


def test_create_meeting_needs_the_right_and_valid_input(cast):
    url = f"/api/v1/study/units/{cast.village1a.code}/meetings"
    data = {"kind": "members", "topic": "大会", "held_on": str(timezone.localdate())}
    assert _post(_client(cast.village2a_secretary), url, data).status_code == 404
    secretary = _client(cast.village1a_secretary)
    assert _post(secretary, url, {"kind": "members", "topic": "x"}).status_code == 400
    assert _post(secretary, url, {**data, "kind": "party"}).status_code == 400
    starts = timezone.now()
    only_start = {**data, "starts_at": starts.isoformat()}
    assert _post(secretary, url, only_start).status_code == 400
    assert not Meeting.objects.exists()
    r = _post(secretary, url, data)
    assert r.status_code == 201 and r.json()["attendance"] == []
    live = {**only_start, "kind": "lesson", "ends_at": (starts + dt.timedelta(hours=1)).isoformat()}
    r = _post(secretary, url, live)
    assert r.status_code == 201 and r.json()["starts_at"]


def test_remote_sign_in_through_the_api(cast):
    meeting = _live(cast.village1a)
    url = f"/api/v1/study/meetings/{meeting.pk}/sign-in"
    assert _post(_client(member(cast.village2a, "外", "o").user), url, {}).status_code == 404
    away = member(cast.village1a, "乙", "yi")
    PartyMembership.objects.filter(person=away).update(is_mobile=True)
    client = _client(away.user)
    for _ in range(2):
        r = _post(client, url, {})
        assert r.status_code == 200 and r.json() == {
            "meeting_id": meeting.pk,
            "status": "remote",
            "via": "phone",
        }
    assert Attendance.objects.count() == 1
    assert _post(client, url, {"catch_up": True}).status_code == 400  # not over yet
    early = _live(cast.village1a, dt.timedelta(hours=3))
    r = _post(client, f"/api/v1/study/meetings/{early.pk}/sign-in", {})
    assert r.status_code == 400 and r.json()["detail"]
