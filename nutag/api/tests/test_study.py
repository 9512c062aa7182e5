"""The study API: progress and quiz with the pages' rules, and the stats keys."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from nutag.study.models import LessonProgress
from nutag.study.tests.helpers import course_with_lessons, member

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, data: object):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(data), content_type="application/json")


def test_progress_and_quiz_through_the_api(cast):
    _c, lesson, quiz_lesson = course_with_lessons(cast.village1a)
    anonymous = Client()
    assert (
        _post(anonymous, f"/api/v1/study/lessons/{lesson.pk}/progress", {"id": "a"}).status_code
        == 401
    )
    outsider = Client()
    outsider.force_login(member(cast.village2a, "外人", "outsider").user)
    assert (
        _post(outsider, f"/api/v1/study/lessons/{lesson.pk}/progress", {"id": "a"}).status_code
        == 404
    )
    reader = Client()
    reader.force_login(member(cast.village1a, "读者", "reader").user)
    for _ in range(2):
        r = _post(
            reader,
            f"/api/v1/study/lessons/{lesson.pk}/progress",
            {"id": "a", "seconds": 60, "end": True},
        )
        assert r.status_code == 200
    assert r.json() == {"seconds": 60, "reached_end": True, "quiz_passed": False, "completed": True}
    assert (
        _post(reader, f"/api/v1/study/lessons/{lesson.pk}/progress", {"id": ""}).status_code == 400
    )
    bad = _post(
        reader, f"/api/v1/study/lessons/{quiz_lesson.pk}/quiz", {"id": "q", "answers": [[1]]}
    )
    assert bad.status_code == 400
    ok = _post(
        reader,
        f"/api/v1/study/lessons/{quiz_lesson.pk}/quiz",
        {"id": "q", "answers": [[1], [0, 2]]},
    )
    assert ok.json() == {"score": 100, "passed": True, "late": False}
    points = reader.get("/api/v1/study/me/points").json()
    assert points["count"] == 2
    assert sorted(p["act"] for p in points["items"]) == ["lesson", "quiz"]
    assert LessonProgress.objects.count() == 2


def test_stats_carry_study_and_meetings(cast, client):
    body = client.get(f"/api/v1/units/{cast.banner.code}/stats").json()
    assert set(body["study"]) >= {"lessons_completed", "members_rate", "points", "column_reads"}
    assert set(body["meetings"]) >= {"branches", "branches_behind", "held", "expected"}
    assert body["meetings"]["held"]["members"] == 0
