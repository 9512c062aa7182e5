"""Walk docs/permissions.md: every role × action, at own unit, a sibling, above and across.

Negatives first: for every role and action, every unit outside the role's reach must
answer as "not allowed" (404 for the logged-in, a login redirect for the anonymous),
with nothing changed. Then the table's ✓/✗ at the role's own unit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from nutag.assess.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    ReportStatus,
    Round,
    Standard,
    StandardItem,
    Task,
    TaskReport,
)
from nutag.core.models import AuditEntry
from nutag.factories import (
    PersonFactory,
    UserFactory,
    make_concern,
    make_household,
    make_unit,
    make_youth_record,
)
from nutag.orgs.models import Position, PositionTitle, Unit, UnitStatus
from nutag.people.models import Invitation, JoinRequest, Person
from nutag.revival.models import Visit as RevivalVisit
from nutag.sites.models import Article, ArticleStatus, Placement
from nutag.study.models import Course, Meeting
from nutag.voice.models import Comment, Concern, Poll
from nutag.youth.models import Activity, GoodDeed, YouthRecord

_codes = itertools.count(500)
TABLE = Path(settings.BASE_DIR) / "docs" / "permissions.md"
ROLES = ["platform admin", "unit secretary", "unit officer", "volunteer", "resident", "anonymous"]


def read_table() -> dict[str, dict[str, bool]]:
    table: dict[str, dict[str, bool]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|[^|]+\| `(\w+)` \|(.+)\|$", line)
        if m:
            cells = [c.strip() for c in m.group(2).split("|")]
            assert len(cells) == len(ROLES), line
            table[m.group(1)] = {role: cell == "✓" for role, cell in zip(ROLES, cells, strict=True)}
    return table


def _ok(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code in (200, 201, 302) and "/login/" not in response.get("Location", "")


def _target_person(unit: Unit) -> Person:
    return PersonFactory(unit=unit, name="目标人", phone="13812345678", id_number="")


class Actions:
    """Each action tries one thing at ``unit`` and says whether it was allowed."""

    def __init__(self, client: Client) -> None:
        self.c = client

    def view_unit(self, unit: Unit) -> bool:
        return _ok(self.c.get(f"/desk/u/{unit.code}/"))

    def edit_unit(self, unit: Unit) -> bool:
        before = Unit.objects.get(pk=unit.pk).name
        r = self.c.post(f"/desk/u/{unit.code}/edit/", {"name": before + "改", "name_mn": ""})
        changed = Unit.objects.get(pk=unit.pk).name != before
        assert changed == _ok(r), "edit reported one thing and did another"
        return changed

    def add_unit(self, unit: Unit) -> bool:
        code = f"{unit.code[:9]:0<9}{next(_codes):03d}"
        r = self.c.post(
            f"/desk/u/{unit.code}/add/",
            {"code": code, "kind": "village", "name": "新单位", "name_mn": ""},
        )
        made = Unit.objects.filter(code=code).exists()
        assert made == _ok(r)
        return made

    def restructure(self, unit: Unit) -> bool:
        # Needs the right above: try to close an empty unit just below ``unit``.
        child = make_unit(parent=unit, kind="school", name="待关闭")
        r = self.c.post(f"/desk/u/{child.code}/close/")
        closed = Unit.objects.get(pk=child.pk).status == UnitStatus.CLOSED
        assert closed == _ok(r)
        return closed

    def assign_position(self, unit: Unit) -> bool:
        person = _target_person(unit)
        r = self.c.post(
            f"/desk/people/{person.pk}/position/",
            {"unit": unit.code, "title": "member", "represents": "妇联"},
        )
        made = Position.objects.filter(person=person, unit=unit).exists()
        assert made == _ok(r)
        return made

    def end_position(self, unit: Unit) -> bool:
        person = _target_person(unit)
        position = Position.objects.create(unit=unit, person=person, title=PositionTitle.MEMBER)
        r = self.c.post(f"/desk/positions/{position.pk}/end/")
        ended = Position.objects.get(pk=position.pk).ended_on is not None
        assert ended == _ok(r)
        return ended

    def view_history(self, unit: Unit) -> bool:
        return _ok(self.c.get(f"/desk/u/{unit.code}/history/"))

    def view_people(self, unit: Unit) -> bool:
        return _ok(self.c.get(f"/desk/u/{unit.code}/people/"))

    def view_person(self, unit: Unit) -> bool:
        return _ok(self.c.get(f"/desk/people/{_target_person(unit).pk}/"))

    def view_phone(self, unit: Unit) -> bool:
        r = self.c.get(f"/desk/people/{_target_person(unit).pk}/")
        return r.status_code == 200 and "13812345678" in r.content.decode()

    def view_id_number(self, unit: Unit) -> bool:
        from nutag.people.idcard import checksum_char

        first = "15072519800101" + f"{Person.objects.count():03d}"
        number = first + checksum_char(first)
        person = PersonFactory(unit=unit, name="有证人", id_number=number)
        r = self.c.get(f"/desk/people/{person.pk}/")
        return r.status_code == 200 and number in r.content.decode()

    def add_person(self, unit: Unit) -> bool:
        r = self.c.post(f"/desk/u/{unit.code}/people/add/", {"name": "新来的人", "unit": unit.code})
        made = Person.objects.filter(name="新来的人", unit=unit).exists()
        assert made == _ok(r)
        return made

    def edit_person(self, unit: Unit) -> bool:
        person = _target_person(unit)
        r = self.c.post(f"/desk/people/{person.pk}/edit/", {"name": "改过名", "unit": unit.code})
        changed = Person.objects.get(pk=person.pk).name == "改过名"
        assert changed == _ok(r)
        return changed

    def import_roster(self, unit: Unit) -> bool:
        return _ok(self.c.get(f"/desk/u/{unit.code}/import/"))

    def export_people(self, unit: Unit) -> bool:
        return _ok(self.c.get(f"/desk/u/{unit.code}/people.xlsx"))

    def api_people(self, unit: Unit) -> bool:
        return self.c.get(f"/api/v1/units/{unit.code}/people").status_code == 200

    def api_add_person(self, unit: Unit) -> bool:
        r = self.c.post(
            f"/api/v1/units/{unit.code}/people",
            json.dumps({"name": "接口新人"}),
            content_type="application/json",
        )
        made = Person.objects.filter(name="接口新人", unit=unit).exists()
        assert made == (r.status_code == 201)
        return made

    def view_figures(self, unit: Unit) -> bool:
        page = _ok(self.c.get(f"/u/{unit.code}/figures/"))
        api = self.c.get(f"/api/v1/units/{unit.code}/stats").status_code == 200
        assert page == api
        return page

    def write_article(self, unit: Unit) -> bool:
        r = self.c.post(
            f"/desk/u/{unit.code}/articles/new/", {"kind": "article", "title": "权限表文章"}
        )
        made = Article.objects.filter(title="权限表文章", unit=unit).exists()
        assert made == _ok(r)
        return made

    def publish_article(self, unit: Unit) -> bool:
        article = Article.objects.create(unit=unit, title="待发布", status=ArticleStatus.SUBMITTED)
        r = self.c.post(f"/desk/articles/{article.pk}/publish/")
        published = Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED
        assert published == _ok(r)
        assert published == Placement.objects.filter(article=article, unit=unit).exists()
        return published

    def push_article(self, unit: Unit) -> bool:
        # A published article of ``unit``, pushed to a unit made just below it.
        child = make_unit(parent=unit, kind="school", name="推送目标")
        article = Article.objects.create(
            unit=unit, title="待推送", status=ArticleStatus.PUBLISHED, published_at=timezone.now()
        )
        r = self.c.post(
            f"/desk/articles/{article.pk}/push/", {"scope": "some", "units": [str(child.pk)]}
        )
        pushed = Placement.objects.filter(article=article, unit=child).exists()
        assert pushed == _ok(r)
        return pushed

    def view_work(self, unit: Unit) -> bool:
        history = _ok(self.c.get(f"/desk/u/{unit.code}/assessments/"))
        tasks = _ok(self.c.get(f"/desk/u/{unit.code}/tasks/"))
        assessment = _ok(self.c.get(f"/desk/assessments/{_assessment(unit).pk}/"))
        report = _ok(self.c.get(f"/desk/reports/{_report(unit).pk}/"))
        assert history == tasks == assessment == report
        return history

    def api_work(self, unit: Unit) -> bool:
        rounds = self.c.get(f"/api/v1/units/{unit.code}/rounds").status_code == 200
        tasks = self.c.get(f"/api/v1/units/{unit.code}/tasks").status_code == 200
        assessment = _assessment(unit)
        one = self.c.get(f"/api/v1/assessments/{assessment.pk}").status_code == 200
        assert rounds == tasks == one
        return rounds

    def self_assess(self, unit: Unit) -> bool:
        a = _assessment(unit)
        row = a.items.get()
        r = self.c.post(
            f"/desk/assessments/{a.pk}/",
            {"version": a.version, "summary": "权限表自评", f"score_{row.pk}": "12"},
        )
        saved = Assessment.objects.get(pk=a.pk).summary == "权限表自评"
        assert saved == _ok(r)
        return saved

    def review_assessment(self, unit: Unit) -> bool:
        # Needs the right above: review a committee made just below ``unit``.
        child = make_unit(parent=unit, kind="school", name="待审核")
        a = _assessment(child, issuer=unit, status=AssessmentStatus.SUBMITTED)
        row = a.items.get()
        r = self.c.post(
            f"/desk/assessments/{a.pk}/review/",
            {"version": a.version, "decision": "accept", f"review_score_{row.pk}": "16"},
        )
        accepted = Assessment.objects.get(pk=a.pk).status == AssessmentStatus.ACCEPTED
        assert accepted == _ok(r)
        return accepted

    def manage_standards(self, unit: Unit) -> bool:
        Standard.objects.filter(unit=unit, rounds__isnull=True).delete()  # from an earlier call
        r = self.c.post(f"/desk/u/{unit.code}/standards/install/")
        made = Standard.objects.filter(unit=unit).exists()
        assert made == _ok(r)
        return made

    def issue_task(self, unit: Unit) -> bool:
        child = make_unit(parent=unit, kind="school", name="任务对象")
        r = self.c.post(
            f"/desk/u/{unit.code}/tasks/new/",
            {
                "title": "权限表下发",
                "requirements": "按要求填报",
                "due_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
                "scope": "chosen",
                "units": [str(child.pk)],
            },
        )
        made = Task.objects.filter(unit=unit, title="权限表下发").exists()
        assert made == _ok(r)
        return made

    def inspect_report(self, unit: Unit) -> bool:
        child = make_unit(parent=unit, kind="school", name="验收对象")
        report = _report(child, issuer=unit, status=ReportStatus.SUBMITTED, text="完成")
        r = self.c.post(
            f"/desk/reports/{report.pk}/inspect/",
            {"decision": "accept", "comment": "", "version": report.version},
        )
        accepted = TaskReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
        assert accepted == _ok(r)
        return accepted

    def commend_task(self, unit: Unit) -> bool:
        child = make_unit(parent=unit, kind="school", name="表彰对象")
        report = _report(child, issuer=unit, status=ReportStatus.ACCEPTED, text="完成")
        r = self.c.post(
            f"/desk/tasks/{report.task_id}/commend/",
            {"reports": [str(report.pk)], "title": "表彰通报", "text": "予以表彰。"},
        )
        commended = TaskReport.objects.get(pk=report.pk).commended
        assert commended == _ok(r)
        return commended

    def report_task(self, unit: Unit) -> bool:
        report = _report(unit)
        r = self.c.post(f"/desk/reports/{report.pk}/", {"version": "0", "text": "权限表报告"})
        saved = TaskReport.objects.get(pk=report.pk).text == "权限表报告"
        assert saved == _ok(r)
        return saved

    def invite_person(self, unit: Unit) -> bool:
        person = _target_person(unit)
        r = self.c.post(f"/desk/people/{person.pk}/invite/")
        made = Invitation.objects.filter(person=person).exists()
        assert made == _ok(r)
        return made

    def manage_login(self, unit: Unit) -> bool:
        person = PersonFactory(unit=unit, name="有账号", user=UserFactory())
        r = self.c.post(f"/desk/people/{person.pk}/login/active/", {"active": "0"})
        switched = not User.objects.get(pk=person.user_id).is_active
        assert switched == _ok(r)
        return switched

    def review_join(self, unit: Unit) -> bool:
        join = JoinRequest.objects.create(
            unit=unit, unit_path=unit.path, user=UserFactory(), name="申请人", phone="13800000009"
        )
        r = self.c.post(
            f"/desk/join-requests/{join.pk}/", {"decision": "decline", "reason": "查无此人"}
        )
        declined = JoinRequest.objects.get(pk=join.pk).status == "declined"
        assert declined == _ok(r)
        return declined

    def raise_concern(self, unit: Unit) -> bool:
        before = Concern.objects.filter(origin=unit).count()
        r = self.c.post(
            f"/api/v1/units/{unit.code}/concerns",
            json.dumps({"category": "water", "text": "权限表说事"}),
            content_type="application/json",
        )
        made = Concern.objects.filter(origin=unit).count() > before
        assert made == _ok(r)
        return made

    def handle_concern(self, unit: Unit) -> bool:
        concern = make_concern(unit=unit, text="权限表处理")
        r = self.c.post(
            f"/api/v1/concerns/{concern.pk}/accept",
            json.dumps({"version": concern.version}),  # type: ignore[attr-defined]
            content_type="application/json",
        )
        accepted = Concern.objects.get(pk=concern.pk).state == "accepted"  # type: ignore[attr-defined]
        assert accepted == _ok(r)
        return accepted

    def run_poll(self, unit: Unit) -> bool:
        now = timezone.now()
        body = {
            "question": "权限表议事",
            "options": ["同意", "不同意"],
            "opens_at": now.isoformat(),
            "closes_at": (now + dt.timedelta(days=1)).isoformat(),
        }
        before = Poll.objects.filter(unit=unit).count()
        r = self.c.post(
            f"/api/v1/units/{unit.code}/polls", json.dumps(body), content_type="application/json"
        )
        made = Poll.objects.filter(unit=unit).count() > before
        assert made == _ok(r)
        return made

    def comment(self, unit: Unit) -> bool:
        article = Article.objects.create(
            unit=unit,
            title="权限表评论",
            status=ArticleStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        Placement.objects.create(article=article, unit=unit, via="own")
        r = self.c.post(f"/u/{unit.code}/a/{article.pk}/comments/", {"text": "权限表评论"})
        made = Comment.objects.filter(article=article).exists()
        assert made == _ok(r)
        return made

    def moderate_comments(self, unit: Unit) -> bool:
        from nutag.core.actors import SYSTEM
        from nutag.voice.services.comments import comment_post

        article = Article.objects.create(
            unit=unit,
            title="权限表审核",
            status=ArticleStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        comment = comment_post(acting_user=SYSTEM, unit=unit, text="待审核", article=article)
        r = self.c.post(
            f"/desk/comments/{comment.pk}/moderate/",
            {"version": comment.version, "decision": "hide"},
        )
        hidden = Comment.objects.get(pk=comment.pk).state == "hidden"
        assert hidden == _ok(r)
        return hidden

    def edit_word_list(self, unit: Unit) -> bool:
        from nutag.voice.models import TalkSettings
        from nutag.voice.services import banner_of

        banner = banner_of(unit)
        marker = f"权限表词{id(self.c)}"
        r = self.c.post(f"/desk/u/{banner.code}/comments/", {"form": "words", "words": marker})
        saved = TalkSettings.objects.filter(unit=banner, words__contains=marker).exists()
        assert saved == _ok(r)
        return saved

    def answer_inbox(self, unit: Unit) -> bool:
        from nutag.voice.models import InboxMessage, InboxThread

        now = timezone.now()
        thread = InboxThread.objects.create(
            unit=unit,
            unit_path=unit.path,
            person=_target_person(unit),
            subject="权限表",
            last_at=now,
        )
        InboxMessage.objects.create(thread=thread, from_resident=True, text="问", at=now)
        r = self.c.post(f"/desk/u/{unit.code}/inbox/{thread.pk}/", {"text": "答"})
        answered = thread.messages.count() == 2
        assert answered == _ok(r)
        return answered

    def send_notice(self, unit: Unit) -> bool:
        r = self.c.post(f"/desk/u/{unit.code}/notice/", {"text": "权限表通知"})
        sent = AuditEntry.objects.filter(unit=unit, note__contains="权限表通知").exists()
        assert sent == _ok(r)
        return sent

    def configure_wechat(self, unit: Unit) -> bool:
        from nutag.wechat.models import WechatAccount

        marker = f"权限表{WechatAccount.objects.count()}-{id(self.c)}"
        r = self.c.post(
            f"/desk/u/{unit.code}/wechat/",
            {"token": "permtable1", "keywords": "", "welcome": marker},
        )
        made = WechatAccount.objects.filter(unit=unit, welcome=marker).exists()
        assert made == _ok(r)
        return made

    def manage_study(self, unit: Unit) -> bool:
        course = self.c.post(
            f"/desk/u/{unit.code}/study/courses/new/",
            {"title": "权限表课程", "audience": "party", "column": "online_study"},
        )
        made = Course.objects.filter(unit=unit, title="权限表课程").exists()
        assert made == _ok(course)
        today = timezone.localdate().isoformat()
        meeting = self.c.post(
            f"/desk/u/{unit.code}/study/meetings/new/",
            {"kind": "members", "held_on": today, "topic": "权限表会议"},
        )
        held = Meeting.objects.filter(unit=unit, topic="权限表会议").exists()
        assert held == _ok(meeting) == made
        return made

    def view_study_records(self, unit: Unit) -> bool:
        home = _ok(self.c.get(f"/desk/u/{unit.code}/study/"))
        meetings = _ok(self.c.get(f"/desk/u/{unit.code}/study/meetings/"))
        points = _ok(self.c.get(f"/desk/u/{unit.code}/study/points/"))
        api = self.c.get(f"/api/v1/study/units/{unit.code}/meetings")
        attendance = api.status_code == 200 and all(
            m["attendance"] is not None for m in api.json()["items"]
        )
        assert home == meetings == points == attendance
        return home

    def schedule_meeting(self, unit: Unit) -> bool:
        starts = timezone.now() + dt.timedelta(days=1)
        page = self.c.post(
            f"/desk/u/{unit.code}/study/meetings/schedule/",
            {
                "kind": "lesson",
                "topic": "权限表党课",
                "starts_at": timezone.localtime(starts).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": timezone.localtime(starts + dt.timedelta(hours=1)).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
            },
        )
        made = Meeting.objects.filter(unit=unit, topic="权限表党课").exists()
        assert made == _ok(page)
        api = self.c.post(
            f"/api/v1/study/units/{unit.code}/meetings",
            json.dumps(
                {
                    "kind": "lesson",
                    "topic": "权限表接口党课",
                    "starts_at": starts.isoformat(),
                    "ends_at": (starts + dt.timedelta(hours=1)).isoformat(),
                }
            ),
            content_type="application/json",
        )
        by_api = Meeting.objects.filter(unit=unit, topic="权限表接口党课").exists()
        assert by_api == (api.status_code == 201) == made
        return made

    def view_youth(self, unit: Unit) -> bool:
        record = make_youth_record(unit=unit, name="权限表少年")
        page = _ok(self.c.get(f"/desk/youth/{record.pk}/"))
        api = self.c.get(f"/api/v1/youth/{record.pk}").status_code == 200
        listing = _ok(self.c.get(f"/desk/u/{unit.code}/youth/"))
        assert page == api == listing
        return page

    def edit_youth(self, unit: Unit) -> bool:
        record = make_youth_record(unit=unit, name="权限表少年")
        r = self.c.post(f"/desk/youth/{record.pk}/edit/", {"school_class": "权限表班", "notes": ""})
        changed = YouthRecord.objects.get(pk=record.pk).school_class == "权限表班"
        assert changed == _ok(r)
        return changed

    def export_youth(self, unit: Unit) -> bool:
        make_youth_record(unit=unit, name="权限表少年")
        return _ok(self.c.get(f"/desk/u/{unit.code}/youth.xlsx"))

    def view_revival(self, unit: Unit) -> bool:
        household = make_household(unit=unit, name="权限表户主")
        page = _ok(self.c.get(f"/desk/revival/{household.pk}/"))
        api = self.c.get(f"/api/v1/revival/households/{household.pk}").status_code == 200
        listing = _ok(self.c.get(f"/desk/u/{unit.code}/revival/"))
        assert page == api == listing
        return page

    def edit_revival(self, unit: Unit) -> bool:
        household = make_household(unit=unit, name="权限表户主")
        r = self.c.post(
            f"/desk/revival/{household.pk}/visit/",
            {"visited_on": "2026-01-05", "notes": "权限表走访"},
        )
        made = RevivalVisit.objects.filter(household=household).exists()
        assert made == _ok(r)
        return made

    def log_good_deed(self, unit: Unit) -> bool:
        listed = _ok(self.c.get(f"/desk/u/{unit.code}/deeds/"))
        r = self.c.post(
            f"/desk/u/{unit.code}/deeds/new/",
            {"done_on": "2026-01-05", "kind": "good", "what": "权限表好事", "people_helped": "2"},
        )
        made = GoodDeed.objects.filter(unit=unit, what="权限表好事").exists()
        assert made == _ok(r) == listed
        return made

    def manage_activities(self, unit: Unit) -> bool:
        listed = _ok(self.c.get(f"/desk/u/{unit.code}/youth/activities/"))
        before = Activity.objects.filter(unit=unit, title="权限表活动").count()
        r = self.c.post(
            f"/desk/u/{unit.code}/youth/activities/new/",
            {
                "kind": "lecture",
                "title": "权限表活动",
                "held_on": "2026-01-05",
                "place": "活动室",
                "capacity": "10",
            },
        )
        made = Activity.objects.filter(unit=unit, title="权限表活动").count() > before
        api = self.c.get(f"/api/v1/units/{unit.code}/activities").status_code == 200
        assert made == _ok(r) == listed == api
        return made

    def withdraw_signup(self, unit: Unit) -> bool:
        from nutag.core.actors import SYSTEM
        from nutag.youth import services as youth_services
        from nutag.youth.models import SignUp

        record = make_youth_record(unit=unit, name="权限表撤回", birth_year=2000)  # an adult
        activity = youth_services.activity_create(
            acting_user=SYSTEM,
            unit=unit,
            kind="lecture",
            title="权限表撤回",
            held_on=dt.date(2026, 1, 5),
            place="活动室",
        )
        signup = youth_services.signup_create(
            acting_user=SYSTEM, activity=activity, young=record.young, photo_consent=True
        )
        page = self.c.post(f"/desk/youth/signups/{signup.pk}/photo-consent/withdraw/")
        withdrawn = not SignUp.objects.get(pk=signup.pk).photo_consent
        assert withdrawn == _ok(page)
        api = self.c.post(
            f"/api/v1/activities/{activity.pk}/signups/{signup.pk}/withdraw",
            content_type="application/json",
        )
        removed = not SignUp.objects.filter(pk=signup.pk).exists()
        assert removed == (api.status_code == 204) == withdrawn
        return removed

    def view_visit_photo(self, unit: Unit) -> bool:
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        from nutag.core.actors import SYSTEM
        from nutag.factories import make_elder
        from nutag.youth import services as youth_services

        record = make_youth_record(unit=unit, name="权限表少年")
        elder = make_elder(unit=unit, username=f"photo-elder-{next(_codes)}")
        pair = youth_services.pairing_create(
            acting_user=SYSTEM, record=record, elders=[elder], started_on=dt.date(2025, 1, 1)
        )
        visit = youth_services.visit_create(
            acting_user=SYSTEM, pairing=pair, visited_on=dt.date(2025, 2, 1), kind="home"
        )
        out = io.BytesIO()
        Image.new("RGB", (8, 8)).save(out, "JPEG")
        photo = youth_services.visit_photo_add(
            acting_user=SYSTEM,
            visit=visit,
            upload=SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg"),
        )
        return _ok(self.c.get(f"/desk/youth/photos/v/{photo.pk}.jpg"))

    def post_aid(self, unit: Unit) -> bool:
        from nutag.voice.models import AidPost

        r = self.c.post(
            f"/api/v1/units/{unit.code}/aid",
            json.dumps({"kind": "request", "topic": "vet", "title": "权限表互助"}),
            content_type="application/json",
        )
        made = AidPost.objects.filter(unit=unit, title="权限表互助").exists()
        assert made == _ok(r)
        return made

    def moderate_aid(self, unit: Unit) -> bool:
        from nutag.core.actors import SYSTEM
        from nutag.voice.services.aid import aid_post_create

        post = aid_post_create(
            acting_user=SYSTEM, unit=unit, kind="offer", topic="other", title="权限表隐藏"
        )
        r = self.c.post(
            f"/api/v1/aid/{post.pk}/hide",
            json.dumps({"reason": "权限表"}),
            content_type="application/json",
        )
        post.refresh_from_db()
        hidden = post.status == "hidden"
        assert hidden == _ok(r)
        return hidden

    def publish_emergency(self, unit: Unit) -> bool:
        from nutag.voice.models import Emergency

        r = self.c.post(
            f"/api/v1/units/{unit.code}/emergencies",
            json.dumps({"kind": "fire", "radius": "unit", "text": "权限表紧急"}),
            content_type="application/json",
        )
        made = Emergency.objects.filter(origin=unit, text="权限表紧急").exists()
        assert made == _ok(r)
        return made

    def manage_categories(self, unit: Unit) -> bool:
        from nutag.voice.models import Category

        banner = Unit.objects.get(path=unit.path[: Unit.steplen])
        name = f"权限表类别{Category.objects.count()}"
        r = self.c.post(
            f"/desk/u/{banner.code}/concern-categories/",
            {"action": "add", "new-name": name, "new-days_limit": "5"},
        )
        made = Category.objects.filter(banner=banner, name=name).exists()
        assert made == _ok(r)
        return made

    def write_disclosure(self, unit: Unit) -> bool:
        from nutag.disclosure.models import Disclosure

        title = f"权限表公开{next(_codes)}"
        r = self.c.post(
            f"/api/v1/units/{unit.code}/disclosures",
            json.dumps({"kind": "party", "period": _next_period(), "title": title}),
            content_type="application/json",
        )
        made = Disclosure.objects.filter(unit=unit, title=title).exists()
        assert made == _ok(r)
        return made

    def sign_off_disclosure(self, unit: Unit) -> bool:
        from nutag.disclosure.models import Disclosure

        d = _submitted_disclosure(unit)
        r = self.c.post(f"/api/v1/disclosures/{d.pk}/sign-off")
        signed = Disclosure.objects.get(pk=d.pk).status == "signed_off"
        assert signed == _ok(r)
        return signed

    def ask_disclosure(self, unit: Unit) -> bool:
        from nutag.core.actors import SYSTEM
        from nutag.disclosure import services
        from nutag.disclosure.models import Question

        d = services.disclosure_sign_off(acting_user=SYSTEM, disclosure=_submitted_disclosure(unit))
        line = d.projects.get()
        r = self.c.post(
            f"/u/{unit.code}/disclosure/{d.pk}/",
            {"line_kind": "project", "line_id": line.pk, "text": "权限表询问"},
        )
        asked = Question.objects.filter(disclosure=d).exists()
        assert asked == _ok(r)
        return asked

    def moderate_products(self, unit: Unit) -> bool:
        from nutag.core.actors import SYSTEM
        from nutag.market.services import product_create

        seller = UserFactory(username=f"seller{next(_codes)}")
        PersonFactory(unit=unit, name="卖家", user=seller)
        item = product_create(
            acting_user=SYSTEM,
            unit=unit,
            seller=seller,
            title="权限表奶豆腐",
            category="dairy",
            price="30",
            sale_unit="jin",
            stock=3,
        )
        r = self.c.post(
            f"/api/v1/products/{item.pk}/withdraw",
            json.dumps({"reason": "权限表"}),
            content_type="application/json",
        )
        item.refresh_from_db()
        withdrawn = item.status == "withdrawn"
        assert withdrawn == _ok(r)
        return withdrawn

    def manage_places(self, unit: Unit) -> bool:
        from nutag.tourism.models import Place

        r = self.c.post(
            f"/u/{unit.code}/tourism/new/",
            {"kind": "sight", "name": "权限表景点", "contact_shown": "everyone", "capacity": "0"},
        )
        made = Place.objects.filter(unit=unit, name="权限表景点").exists()
        assert made == _ok(r)
        return made

    def answer_booking(self, unit: Unit) -> bool:
        from nutag.factories import make_place
        from nutag.tourism import services as tourism_services
        from nutag.tourism.models import Booking, BookingState

        place = make_place(unit=unit, name="权限表牧家乐")
        today = timezone.localdate()
        by_page, by_api = (
            tourism_services.booking_request(
                acting_user=UserFactory(),
                place=place,
                first_day=today,
                last_day=today,
                party=1,
            ).booking
            for _ in range(2)
        )
        self.c.post(f"/tourism/bookings/{by_page.pk}/", {"action": "confirm"})
        page = Booking.objects.get(pk=by_page.pk).state == BookingState.CONFIRMED
        api = self.c.post(
            f"/api/v1/bookings/{by_api.pk}/decline",
            json.dumps({"answer": ""}),
            content_type="application/json",
        )
        declined = Booking.objects.get(pk=by_api.pk).state == BookingState.DECLINED
        assert declined == (api.status_code == 200) == page
        return page

    def manage_grids(self, unit: Unit) -> bool:
        from nutag.grid.models import Grid

        name = f"权限表网格{next(_codes)}"
        r = self.c.post(f"/desk/u/{unit.code}/grids/new/", {"name": name, "is_active": "on"})
        made = Grid.objects.filter(unit=unit, name=name).exists()
        assert made == _ok(r)
        return made

    def handle_incident(self, unit: Unit) -> bool:
        from nutag.core.actors import SYSTEM
        from nutag.grid import services as grid_services

        grid = grid_services.grid_create(
            acting_user=SYSTEM, unit=unit, name=f"权限表事件网格{next(_codes)}"
        )
        incident = grid_services.incident_log(
            acting_user=SYSTEM, grid=grid, kind="neighbour", summary="权限表纠纷"
        )
        listing = _ok(self.c.get(f"/desk/u/{unit.code}/incidents/"))
        page = _ok(self.c.get(f"/desk/incidents/{incident.pk}/"))
        r = self.c.post(f"/desk/incidents/{incident.pk}/close/", {"close-reason": "权限表"})
        incident.refresh_from_db()
        closed = incident.state == "closed"
        assert closed == _ok(r) == listing == page
        return closed


_periods = itertools.count(0)


def _next_period() -> str:
    n = next(_periods)
    return f"20{n // 12 % 100:02d}-{n % 12 + 1:02d}"


def _submitted_disclosure(unit: Unit):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from nutag.core.actors import SYSTEM
    from nutag.disclosure import services
    from nutag.disclosure.periods import parse_period

    d = services.disclosure_create(
        acting_user=SYSTEM,
        unit=unit,
        kind="village",
        period=parse_period(_next_period()),  # type: ignore[arg-type]
        title="权限表签核",
    )
    services.project_line_add(acting_user=SYSTEM, disclosure=d, name="路", budget=Decimal(1))
    return services.disclosure_submit(acting_user=SYSTEM, disclosure=d)


def _above(unit: Unit) -> Unit:
    """The unit a round or task at ``unit`` comes from: its parent (the root issues to itself)."""
    return Unit.objects.filter(path=unit.path[: -Unit.steplen]).first() or unit


def _assessment(unit: Unit, *, issuer: Unit | None = None, **fields: object) -> Assessment:
    issuer = issuer or _above(unit)
    standard = Standard.objects.create(unit=issuer, name=f"权限表标准{next(_codes)}", pass_mark=10)
    item = StandardItem.objects.create(standard=standard, title="班子好", points=20)
    round_ = Round.objects.create(
        unit=issuer,
        standard=standard,
        year=2026,
        title="权限表评定",
        self_due=timezone.localdate() + dt.timedelta(days=10),
        pass_mark=10,
    )
    assessment = Assessment.objects.create(round=round_, unit=unit, **fields)
    AssessmentItem.objects.create(assessment=assessment, item=item, self_score=15, note="有")
    return assessment


def _report(unit: Unit, *, issuer: Unit | None = None, **fields: object) -> TaskReport:
    task = Task.objects.create(
        unit=issuer or _above(unit),
        title="权限表任务",
        requirements="填报",
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    return TaskReport.objects.create(task=task, unit=unit, **fields)


def _client_for(cast, role: str) -> tuple[Client, Unit]:  # type: ignore[no-untyped-def]
    users = {
        "platform admin": cast.admin,
        "unit secretary": cast.village1a_secretary,
        "unit officer": cast.village1a_officer,
        "volunteer": cast.volunteer,
        "resident": cast.resident,
    }
    client = Client()
    if role in users:
        client.force_login(users[role])
    return client, cast.village1a


def test_table_lists_every_action():
    table = read_table()
    actions = {name for name in vars(Actions) if not name.startswith("_")}
    assert set(table) == actions


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "platform admin"])
@pytest.mark.parametrize("action", sorted(read_table()))
def test_out_of_reach_is_always_refused(cast, role, action):
    """A sibling village, the township above, the banner, another township's village.

    (Platform admins reach everything; their row of the table is checked at the own unit.)"""
    table = read_table()
    client, _own = _client_for(cast, role)
    act: Callable[[Unit], bool] = getattr(Actions(client), action)
    public = all(table[action].values())
    for target in (cast.village1b, cast.township1, cast.banner, cast.village2a):
        assert act(target) is public, f"{role} could {action} at {target}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(read_table()))
def test_own_unit_follows_the_table(cast, role, action):
    expected = read_table()[action][role]
    client, own = _client_for(cast, role)
    assert getattr(Actions(client), action)(own) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(read_table()))
def test_township_rights_cover_villages_not_the_banner_or_another_township(cast, action):
    table = read_table()
    public = all(table[action].values())
    for user, role in (
        (cast.township1_secretary, "unit secretary"),
        (cast.township1_officer, "unit officer"),
    ):
        client = Client()
        client.force_login(user)
        act = getattr(Actions(client), action)
        assert act(cast.village1a) is table[action][role], (role, action, "own village")
        assert act(cast.banner) is public, (role, action, "banner")
        assert act(cast.village2a) is public, (role, action, "other township's village")
        assert act(cast.township2) is public, (role, action, "other township")


@pytest.mark.django_db
def test_banner_officer_reaches_every_village(cast):
    client = Client()
    client.force_login(cast.banner_officer)
    actions = Actions(client)
    for village in (cast.village1a, cast.village2a):
        assert actions.view_people(village)
        assert actions.edit_person(village)
        assert not actions.view_history(village)
