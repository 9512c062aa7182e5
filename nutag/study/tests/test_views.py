"""Study pages: members' pages on the sites, the progress endpoint, the workbench pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from nutag.study.models import LessonProgress, Meeting, PointEntry, QuizAttempt
from nutag.study.tests.helpers import course_with_lessons, member

pytestmark = pytest.mark.django_db


def login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_assigned_course_is_hidden_from_anonymous_and_other_villages(cast, client):
    course, lesson, _q = course_with_lessons(cast.village1a)
    code = cast.village1a.code
    assert client.get(f"/u/{code}/study/courses/{course.pk}/").status_code == 404
    outsider = login(member(cast.village2a, "外人", "outsider").user)
    assert outsider.get(f"/u/{code}/study/lessons/{lesson.pk}/").status_code == 404
    # and not through another unit's site either
    reader = login(member(cast.village1a, "读者", "reader").user)
    assert reader.get(f"/u/{cast.village1b.code}/study/lessons/{lesson.pk}/").status_code == 404
    assert reader.get(f"/u/{code}/study/lessons/{lesson.pk}/").status_code == 200


def test_public_course_is_read_by_anyone_and_shown_in_the_column(cast, client):
    from nutag.study import site_slots

    site_slots.register()  # other tests may have taken the slots back (extensions.unregister)
    course, lesson, _q = course_with_lessons(cast.banner, is_public=True)
    code = cast.village1a.code
    page = client.get(f"/u/{code}/study/courses/{course.pk}/")
    assert page.status_code == 200 and "第一课" in page.content.decode()
    body = client.get(f"/u/{code}/study/lessons/{lesson.pk}/").content.decode()
    assert "正文" in body and "progress.js" not in body  # nothing tracked for the anonymous
    assert "onclick" not in body
    column = client.get(f"/u/{code}/c/online_study/")
    assert column.status_code == 200 and course.title in column.content.decode()


def test_progress_endpoint_needs_login_and_dedupes(cast, client):
    _c, lesson, _q = course_with_lessons(cast.village1a)
    url = f"/u/{cast.village1a.code}/study/lessons/{lesson.pk}/progress"
    assert client.post(url, {"id": "a", "seconds": 10}).status_code == 403
    reader = login(member(cast.village1a, "读者", "reader").user)
    assert reader.get(url).status_code == 405
    assert reader.post(url, {"id": "", "seconds": 10}).status_code == 400
    for _ in range(3):
        r = reader.post(url, {"id": "a", "seconds": 60, "end": "1"})
        assert r.status_code == 200
    assert r.json() == {"seconds": 60, "reached_end": True, "completed": True}
    assert reader.post(url, {"id": "b", "seconds": "x"}).json()["seconds"] == 60
    assert PointEntry.objects.count() == 1


def test_lesson_page_loads_the_progress_script_for_members(cast):
    _c, _lesson, quiz_lesson = course_with_lessons(cast.village1a)
    reader = login(member(cast.village1a, "读者", "reader").user)
    body = reader.get(f"/u/{cast.village1a.code}/study/lessons/{quiz_lesson.pk}/").content.decode()
    assert "study/progress.js" in body and "data-progress" in body
    assert 'name="q1"' in body and 'type="checkbox"' in body and 'type="radio"' in body


def test_quiz_form_scores_and_says_so(cast):
    _c, _l, lesson = course_with_lessons(cast.village1a)
    reader = login(member(cast.village1a, "读者", "reader").user)
    url = f"/u/{cast.village1a.code}/study/lessons/{lesson.pk}/quiz"
    r = reader.post(url, {"id": "x1", "q0": "1", "q1": ["0", "2"]}, follow=True)
    assert r.status_code == 200
    assert QuizAttempt.objects.get().passed
    r = reader.post(url, {"id": "x2", "q0": "0"}, follow=True)  # passed already
    assert QuizAttempt.objects.count() == 1


def test_my_study_page_shows_timeline_and_points(cast):
    _c, lesson, _q = course_with_lessons(cast.village1a)
    person = member(cast.village1a, "读者", "reader")
    reader = login(person.user)
    reader.post(
        f"/u/{cast.village1a.code}/study/lessons/{lesson.pk}/progress",
        {"id": "e", "seconds": "60", "end": "1"},
    )
    body = reader.get(f"/u/{cast.village1a.code}/study/me/").content.decode()
    assert "第一课" in body and "+2" in body


def test_desk_pages_for_the_branch_and_above_only(cast):
    course, _l, _q = course_with_lessons(cast.village1a)
    member(cast.village1a, "没学的人")
    code = cast.village1a.code
    for user in (cast.village1a_secretary, cast.township1_officer, cast.admin):
        c = login(user)
        page = c.get(f"/desk/u/{code}/study/courses/{course.pk}/")
        assert page.status_code == 200 and "没学的人" in page.content.decode()
    for user in (cast.village2a_secretary, cast.volunteer, cast.resident):
        assert login(user).get(f"/desk/u/{code}/study/courses/{course.pk}/").status_code == 404


def test_recording_a_meeting_with_attendance_through_the_form(cast):
    here = member(cast.village1a, "甲")
    gone = member(cast.village1a, "乙")
    c = login(cast.village1a_secretary)
    url = f"/desk/u/{cast.village1a.code}/study/meetings/new/"
    form = c.get(url).content.decode()
    assert f"att_{here.pk}" in form
    data = {
        "kind": "members",
        "held_on": timezone.localdate().isoformat(),
        "topic": "学习",
        f"att_{here.pk}": "present",
        f"att_{gone.pk}": "absent",
    }
    r = c.post(url, data)
    assert r.status_code == 200 and not Meeting.objects.exists()  # absence without a reason
    assert "学习" in r.content.decode()  # what was typed is kept
    data[f"why_{gone.pk}"] = "外出放牧"
    r = c.post(url, data)
    assert r.status_code == 302
    meeting = Meeting.objects.get()
    assert c.get(f"/desk/u/{cast.village1a.code}/study/meetings/{meeting.pk}/").status_code == 200
    assert (
        login(cast.village2a_secretary)
        .get(f"/desk/u/{cast.village1a.code}/study/meetings/{meeting.pk}/")
        .status_code
        == 404
    )


def test_course_and_lesson_forms_and_reminder(cast):
    person = member(cast.village1a, "党员", "member1")
    c = login(cast.village1a_secretary)
    code = cast.village1a.code
    r = c.post(
        f"/desk/u/{code}/study/courses/new/",
        {"title": "课程", "audience": "party", "column": "online_study", "is_public": "on"},
    )
    assert r.status_code == 302
    course_url = r["Location"]
    pk = course_url.rstrip("/").split("/")[-1]
    quiz = "一加一\n- 一\n* 二\n\n二加二\n* 四\n- 五"
    r = c.post(
        f"/desk/u/{code}/study/courses/{pk}/lessons/new/",
        {"title": "第一课", "minutes": 5, "quiz": quiz, "pass_mark": 60},
    )
    assert r.status_code == 302
    bad = c.post(
        f"/desk/u/{code}/study/courses/{pk}/lessons/new/",
        {"title": "第二课", "minutes": 5, "quiz": "问题\n没有标记", "pass_mark": 60},
    )
    assert bad.status_code == 200 and "第二课" in bad.content.decode()
    c.post(f"/desk/u/{code}/study/courses/{pk}/remind/")
    from nutag.notify.models import Notification

    assert Notification.objects.filter(kind="study_reminder", recipient=person).count() == 1
    assert not LessonProgress.objects.exists()


def test_points_page_logs_volunteering_once_and_rules_only_at_the_banner(cast):
    person = member(cast.village1a, "志愿者甲")
    c = login(cast.village1a_officer)
    url = f"/desk/u/{cast.village1a.code}/study/points/"
    data = {"form": "volunteering", "person": person.pk, "note": "清扫", "ref": "once"}
    assert c.post(url, data).status_code == 302
    assert c.post(url, data).status_code == 302
    assert PointEntry.objects.filter(person=person).count() == 1
    rule = {"form": "rule", "act": "lesson", "points": 3, "daily_cap": 3}
    assert login(cast.village1a_secretary).post(url, rule).status_code == 404
    banner = f"/desk/u/{cast.banner.code}/study/points/"
    assert login(cast.admin).post(banner, rule).status_code == 302


def test_study_taken_home_through_the_course_page(cast):
    course, lesson, _q = course_with_lessons(cast.village1a)
    elder = member(cast.village1a, "老党员")
    url = f"/desk/u/{cast.village1a.code}/study/courses/{course.pk}/home/"
    data = {"person": elder.pk, "lesson": lesson.pk, "note": "上门送学"}
    assert login(cast.village2a_secretary).post(url, data).status_code == 404
    assert login(cast.resident).post(url, data).status_code == 404
    c = login(cast.village1a_officer)
    page = c.get(f"/desk/u/{cast.village1a.code}/study/courses/{course.pk}/").content.decode()
    assert "老党员" in page
    assert c.post(url, {"person": elder.pk}).status_code == 302  # no lesson chosen
    assert not LessonProgress.objects.exists()
    assert c.post(url, data).status_code == 302
    p = LessonProgress.objects.get()
    assert p.person == elder and p.via == "home" and p.completed_at is not None


def test_micro_branch_check_in_and_the_home_branch_view(cast, client):
    from nutag.study import site_slots

    site_slots.register()  # other tests may have taken the slots back (extensions.unregister)
    away = member(cast.village1a, "外出党员", "away")
    away.party.is_mobile = True
    away.party.current_location = "海拉尔"
    away.party.save()
    code = cast.village1a.code
    column = client.get(f"/u/{code}/c/micro_branch/").content.decode()
    assert "study/micro-branch" not in column  # anonymous pages stay the same for everyone
    c = login(away.user)
    assert f"/u/{code}/study/micro-branch/" in c.get(f"/u/{code}/c/micro_branch/").content.decode()
    url = f"/u/{code}/study/micro-branch/"
    bad = c.post(url, {"where": "海拉尔", "what": ""})
    assert bad.status_code == 200 and "海拉尔" in bad.content.decode()
    assert c.post(url, {"where": "海拉尔", "what": "务工"}).status_code == 302
    desk = login(cast.village1a_secretary).get(f"/desk/u/{code}/study/micro-branch/")
    assert "外出党员" in desk.content.decode() and "务工" in desk.content.decode()
    assert (
        login(cast.village2a_secretary).get(f"/desk/u/{code}/study/micro-branch/").status_code
        == 404
    )


def test_members_pages_are_kept_by_no_shared_cache_a_lesson_by_the_phone_for_offline(cast, client):
    _c, lesson, _q = course_with_lessons(cast.banner, is_public=True)
    url = f"/u/{cast.village1a.code}/study/lessons/{lesson.pk}/"
    assert "no-store" not in client.get(url).get("Cache-Control", "")
    reader = login(member(cast.village1a, "读者", "reader").user)
    lesson_cc = reader.get(url)["Cache-Control"]
    # private (no shared cache) and revalidated online, but not no-store: the phone's service
    # worker keeps the lesson opened once for reading with no signal
    assert "private" in lesson_cc and "no-cache" in lesson_cc and "no-store" not in lesson_cc
    assert "no-store" in reader.get(f"/u/{cast.village1a.code}/study/me/")["Cache-Control"]


def test_service_worker_plays_kept_lesson_audio_and_the_page_keeps_it():
    from pathlib import Path

    from django.conf import settings

    sw = (Path(settings.BASE_DIR) / "nutag/sites/static/sites/sw.js").read_text()
    js = (Path(settings.BASE_DIR) / "nutag/study/static/study/progress.js").read_text()
    assert '"nutag-study-v1"' in sw and 'destination === "audio"' in sw
    assert 'destination === "image"' in sw and "LESSON_PDF" in sw
    assert '"nutag-study-v1"' in js and "localStorage" in js and '"online"' in js
    assert "data-lesson-pdf" in js and "currentSrc" in js
    # the worker keeps the offline progress queue (IndexedDB) and replays it on Background
    # Sync, a page opened and a page's message; the page queues only without a worker
    assert "indexedDB.open" in sw and '"nutag-progress"' in sw and '"sync"' in sw
    assert '"nutag-flush"' in sw and '"nutag-flush"' in js
    assert "serviceWorker.controller" in js


def test_the_unit_page_and_the_personal_home_lead_to_study(cast):
    unit_page = login(cast.village1a_officer).get(f"/desk/u/{cast.village1a.code}/")
    assert f"/desk/u/{cast.village1a.code}/study/" in unit_page.content.decode()
    person = member(cast.village1a, "党员", "member1")
    _c, lesson, _q = course_with_lessons(cast.village1a)
    c = login(person.user)
    c.post(
        f"/u/{cast.village1a.code}/study/lessons/{lesson.pk}/progress",
        {"id": "e", "seconds": "60", "end": "1"},
    )
    home = c.get("/desk/me/").content.decode()
    assert f"/u/{cast.village1a.code}/study/me/" in home and "2" in home


# --- live meetings (the remote Party lesson) ----------------------------------------------


def _live_meeting(unit, start=None):  # type: ignore[no-untyped-def]
    import datetime as dt

    from nutag.core.actors import SYSTEM
    from nutag.study import services

    starts = timezone.now() + (start or dt.timedelta(0))
    return services.meeting_schedule(
        acting_user=SYSTEM,
        unit=unit,
        kind="lesson",
        topic="远程党课",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )


def test_meeting_page_is_404_for_another_branch_and_sign_in_is_remote(cast):
    meeting = _live_meeting(cast.village1a)
    code = cast.village1a.code
    url = f"/u/{code}/study/meetings/{meeting.pk}/"
    outsider = login(member(cast.village2a, "外人", "outsider").user)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"action": "sign_in"}).status_code == 404
    me = login(member(cast.village1a, "甲", "jia").user)
    page = me.get(url).content.decode()
    assert "远程党课" in page and 'value="sign_in"' in page and "onclick" not in page
    assert me.post(url, {"action": "sign_in"}).status_code == 302
    assert "✓" in me.get(url).content.decode()
    from nutag.study.models import Attendance

    assert Attendance.objects.get().status == "remote"


def test_room_code_on_the_desk_signs_in_as_present(cast):
    meeting = _live_meeting(cast.village1a)
    desk_url = f"/desk/u/{cast.village1a.code}/study/meetings/{meeting.pk}/"
    assert login(cast.village2a_secretary).get(desk_url).status_code == 404
    desk = login(cast.village1a_secretary).get(desk_url).content.decode()
    assert "<svg" in desk and "?t=" not in desk  # the code is drawn, its URL not printed
    from nutag.study.services import meeting_qr_token

    token = meeting_qr_token(meeting=meeting)
    me = login(member(cast.village1a, "甲", "jia").user)
    url = f"/u/{cast.village1a.code}/study/meetings/{meeting.pk}/"
    assert token in me.get(f"{url}?t={token}").content.decode()
    me.post(url, {"action": "sign_in", "token": token})
    from nutag.study.models import Attendance

    assert Attendance.objects.get().status == "present"


def test_schedule_form_keeps_input_and_needs_the_right(cast):
    url = f"/desk/u/{cast.village1a.code}/study/meetings/schedule/"
    assert login(cast.village2a_secretary).get(url).status_code == 404
    sec = login(cast.village1a_secretary)
    r = sec.post(url, {"kind": "lesson", "topic": "党课", "starts_at": "2026-01-01T10:00"})
    assert r.status_code == 200 and "党课" in r.content.decode()
    assert not Meeting.objects.exists()
    r = sec.post(
        url,
        {
            "kind": "lesson",
            "topic": "党课",
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-01T11:00",
        },
    )
    assert r.status_code == 302 and Meeting.objects.get().starts_at is not None


def test_micro_branch_page_lists_the_branch_live_meetings(cast):
    meeting = _live_meeting(cast.village1a)
    away = member(cast.village1a, "乙", "yi")
    from nutag.people.models import PartyMembership

    PartyMembership.objects.filter(person=away).update(is_mobile=True)
    page = login(away.user).get(f"/u/{cast.village1a.code}/study/micro-branch/")
    assert f"/study/meetings/{meeting.pk}/" in page.content.decode()


def test_desk_records_an_absence_with_its_reason(cast):
    import datetime as dt

    from nutag.study.models import Attendance

    meeting = _live_meeting(cast.village1a, start=dt.timedelta(hours=-2))
    me = member(cast.village1a, "甲", "jia")
    url = f"/desk/u/{cast.village1a.code}/study/meetings/{meeting.pk}/"
    data = {"form": "absence", "person": me.pk, "reason": "住院"}
    assert login(cast.village2a_secretary).post(url, data).status_code == 404
    sec = login(cast.village1a_secretary)
    r = sec.post(url, {**data, "reason": ""})
    assert r.status_code == 200 and not Attendance.objects.exists()
    assert sec.post(url, data).status_code == 302
    assert Attendance.objects.get().reason == "住院"
    assert "住院" in sec.get(url).content.decode()
