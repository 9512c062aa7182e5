"""Task pages over HTTP: the wrong user and the wrong unit first (404, nothing changed), bad
input keeps everything typed, then the whole cycle from the workbench, the export and the
admin."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import Client, RequestFactory
from openpyxl import load_workbook

from nutag.assess.admin import tasks as admin_tasks
from nutag.assess.models import Evidence, ReportStatus, Task, TaskReport, TaskStatus
from nutag.assess.services import reports as services
from nutag.assess.tests.taskdata import (
    fill_and_submit,
    freeze,
    issue,
    local_moment,
    report_of,
    secretary,
    today,
)
from nutag.core.actors import SYSTEM
from nutag.core.tests.uploads import (
    PDF,
    media_root,  # noqa: F401  (fixture)
    photo,
    upload,
)
from nutag.sites.selectors import site_articles

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(**EN)
    client.force_login(user)
    return client


def page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def issue_form(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "关爱留守儿童走访",
        "requirements": "走访辖区留守儿童。",
        "due_on": (today() + dt.timedelta(days=7)).isoformat(),
        "figure_0_label": "走访青少年",
        "figure_0_measure": "人",
        "figure_1_label": "开展活动",
        "figure_1_measure": "次",
        "scope": "children",
    }
    data.update(kw)
    return data


def report_form(report: TaskReport, *values: object, **kw: object) -> dict[str, object]:
    data: dict[str, object] = {"text": "走访了五名留守儿童。", "version": report.version}
    for figure, value in zip(report.task.figures.order_by("position"), values, strict=False):
        data[f"figure_{figure.pk}"] = value
    data.update(kw)
    return data


# --- who may open what ----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    client = Client()
    for url in (
        f"/desk/u/{cast.township1.code}/tasks/",
        f"/desk/u/{cast.township1.code}/tasks/new/",
        f"/desk/tasks/{task.pk}/",
        f"/desk/tasks/{task.pk}/export.xlsx",
        f"/desk/reports/{report.pk}/",
    ):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"], url
    r = client.post(f"/desk/reports/{report.pk}/", report_form(report, 1, 1))
    assert "/login/" in r["Location"]
    assert report_of(task, cast.village1a).text == ""


def test_people_without_a_position_get_404(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    for user in (cast.volunteer, cast.resident):
        client = login(user)
        for url in (
            f"/desk/u/{cast.village1a.code}/tasks/",
            f"/desk/u/{cast.township1.code}/tasks/new/",
            f"/desk/tasks/{task.pk}/",
            f"/desk/tasks/{task.pk}/export.xlsx",
            f"/desk/reports/{report.pk}/",
        ):
            assert client.get(url).status_code == 404, url
        assert (
            client.post(f"/desk/reports/{report.pk}/", report_form(report, 1, 1)).status_code == 404
        )
        assert (
            client.post(f"/desk/u/{cast.township1.code}/tasks/new/", issue_form()).status_code
            == 404
        )
    assert report_of(task, cast.village1a).text == ""
    assert Task.objects.count() == 1


def test_a_sibling_village_cannot_open_another_villages_report(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    other = report_of(task, cast.village1b)
    client = login(cast.village1a_secretary)
    assert client.get(f"/desk/reports/{other.pk}/").status_code == 404
    assert client.post(f"/desk/reports/{other.pk}/", report_form(other, 1, 1)).status_code == 404
    assert client.get(f"/desk/u/{cast.village1b.code}/tasks/").status_code == 404
    assert client.get(f"/desk/u/{cast.township1.code}/tasks/").status_code == 404
    # its own task page shows its own report only
    r = client.get(f"/desk/tasks/{task.pk}/")
    assert r.status_code == 200
    assert cast.village1a.name in page(r) and cast.village1b.name not in page(r)
    assert client.get(f"/desk/tasks/{task.pk}/edit/").status_code == 404
    assert client.post(f"/desk/tasks/{task.pk}/close/").status_code == 404
    xlsx = client.get(f"/desk/tasks/{task.pk}/export.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:-2]] == [cast.village1a.name]
    # a village of another township sees nothing of it
    client = login(cast.village2a_secretary)
    assert client.get(f"/desk/tasks/{task.pk}/").status_code == 404
    assert client.get(f"/desk/reports/{other.pk}/").status_code == 404
    assert report_of(task, cast.village1b).text == ""


def test_a_village_cannot_issue_to_its_township(cast):
    client = login(cast.village1a_secretary)
    r = client.get(f"/desk/u/{cast.village1a.code}/tasks/")
    assert r.status_code == 200 and f"/desk/u/{cast.village1a.code}/tasks/new/" not in page(r)
    r = client.post(
        f"/desk/u/{cast.village1a.code}/tasks/new/",
        issue_form(scope="chosen", units=[cast.township1.pk]),
    )
    assert r.status_code == 404
    r = client.post(f"/desk/u/{cast.township1.code}/tasks/new/", issue_form())
    assert r.status_code == 404
    r = client.post(f"/desk/u/{cast.village1a.code}/tasks/new/", issue_form())
    assert r.status_code == 200 and "no active unit below" in page(r)
    assert not Task.objects.exists()


def test_township2_cannot_inspect_township1s_task(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = fill_and_submit(report_of(task, cast.village1a), by=cast.village1a_officer)
    client = login(secretary(cast.township2, "t2-secretary"))
    assert client.get(f"/desk/tasks/{task.pk}/").status_code == 404
    assert client.get(f"/desk/reports/{report.pk}/").status_code == 404
    r = client.post(
        f"/desk/reports/{report.pk}/inspect/", {"decision": "accept", "version": report.version}
    )
    assert r.status_code == 404
    # nor can the village inspect its own report
    r = login(cast.village1a_secretary).post(
        f"/desk/reports/{report.pk}/inspect/", {"decision": "accept", "version": report.version}
    )
    assert r.status_code == 404
    assert report_of(task, cast.village1a).status == ReportStatus.SUBMITTED


# --- bad input keeps what was typed ---------------------------------------------------------


def test_a_refused_task_keeps_everything_typed(cast):
    client = login(cast.township1_officer)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    r = client.post(
        f"/desk/u/{cast.township1.code}/tasks/new/",
        issue_form(due_on=yesterday, figure_2_measure="元", requirements="要求原文保留"),
    )
    assert r.status_code == 200
    html = page(r)
    assert "cannot be in the past" in html
    assert "Name the figure you want back." in html
    assert "要求原文保留" in html and "关爱留守儿童走访" in html and yesterday in html
    r = client.post(f"/desk/u/{cast.township1.code}/tasks/new/", issue_form(scope="chosen"))
    assert r.status_code == 200 and "Choose at least one unit." in page(r)
    r = client.post(
        f"/desk/u/{cast.township1.code}/tasks/new/",
        issue_form(scope="chosen", units=[cast.village2a.pk]),
    )
    assert r.status_code == 404
    assert not Task.objects.exists()


def test_a_bad_figure_keeps_the_report_and_says_which(cast, media_root):  # noqa: F811
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    client = login(cast.village1a_officer)
    r = client.get(f"/desk/reports/{report.pk}/")
    assert 'accept="image/*" capture="environment"' in page(r)
    data = report_form(report, "-3", "两次", text="今天走访了牧户")
    data["photos"] = photo()
    r = client.post(f"/desk/reports/{report.pk}/", data)
    assert r.status_code == 200
    html = page(r)
    assert "cannot be negative" in html and "whole number" in html
    assert "今天走访了牧户" in html and 'value="-3"' in html and 'value="两次"' in html
    assert "files you chose were not kept" in html
    stored = report_of(task, cast.village1a)
    assert (stored.text, stored.figures, stored.version) == ("", {}, 0)
    assert not Evidence.objects.exists()


def test_a_refused_photo_keeps_the_text_and_figures(cast, media_root, settings):  # noqa: F811
    settings.NUTAG_IMAGE_MAX_BYTES = 1000
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    client = login(cast.village1a_officer)
    data = report_form(report, 3, 1)
    data["photos"] = photo()
    data["documents"] = upload("总结.pdf", b"not a pdf")
    r = client.post(f"/desk/reports/{report.pk}/", data)
    assert r.status_code == 200
    html = page(r)
    assert "the limit is" in html and "not really a PDF" in html
    assert "走访了五名留守儿童。" in html
    assert report_of(task, cast.village1a).text == ""
    assert not Evidence.objects.exists()


def test_a_report_after_the_deadline_keeps_the_draft(cast, monkeypatch):
    due = today()
    task = issue(by=cast.township1_officer, unit=cast.township1, due_on=due)
    report = report_of(task, cast.village1a)
    freeze(monkeypatch, local_moment(due + dt.timedelta(days=2), 10))
    client = login(cast.village1a_officer)
    r = client.get(f"/desk/reports/{report.pk}/")
    assert "does not accept late reports" in page(r)
    r = client.post(f"/desk/reports/{report.pk}/", report_form(report, 2, 1, and_submit="1"))
    assert r.status_code == 200
    html = page(r)
    assert "deadline" in html and "draft is kept" in html
    assert "走访了五名留守儿童。" in html
    stored = report_of(task, cast.village1a)
    assert stored.status == ReportStatus.PENDING and stored.text == "走访了五名留守儿童。"
    # the page now carries the saved version: the next save goes through
    assert f'name="version" value="{stored.version}"' in html
    r = client.post(f"/desk/reports/{report.pk}/", report_form(stored, 2, 2))
    assert r.status_code == 302
    assert report_of(task, cast.village1a).version == stored.version + 1


def test_a_stale_page_is_told_to_reload(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    old = report_form(report, 1, 1, text="第一部手机")
    assert (
        login(cast.village1a_secretary).post(f"/desk/reports/{report.pk}/", old).status_code == 302
    )
    r = login(cast.village1a_officer).post(
        f"/desk/reports/{report.pk}/", {**old, "text": "第二部手机"}
    )
    assert r.status_code == 200
    assert "changed by someone else meanwhile" in page(r) and "第二部手机" in page(r)
    assert report_of(task, cast.village1a).text == "第一部手机"


def test_two_inspectors_at_once_end_in_one_result(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = fill_and_submit(report_of(task, cast.village1a), by=cast.village1a_officer)
    decision = {"decision": "accept", "version": report.version}
    r = login(cast.township1_officer).post(f"/desk/reports/{report.pk}/inspect/", decision)
    assert r.status_code == 302
    r = login(cast.township1_secretary).post(
        f"/desk/reports/{report.pk}/inspect/",
        {"decision": "return", "comment": "重写", "version": report.version},
    )
    assert r.status_code == 200 and "changed by someone else meanwhile" in page(r)
    final = report_of(task, cast.village1a)
    assert final.status == ReportStatus.ACCEPTED and final.reviewed_by == cast.township1_officer


def test_returning_without_a_comment_is_refused(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = fill_and_submit(report_of(task, cast.village1a), by=cast.village1a_officer)
    r = login(cast.township1_officer).post(
        f"/desk/reports/{report.pk}/inspect/", {"decision": "return", "version": report.version}
    )
    assert r.status_code == 200 and "Say what is to be changed" in page(r)
    assert report_of(task, cast.village1a).status == ReportStatus.SUBMITTED


# --- the cycle from the workbench -----------------------------------------------------------


def test_issue_report_inspect_and_commend_from_the_workbench(cast, media_root):  # noqa: F811
    officer = login(cast.township1_officer)
    r = officer.get(f"/desk/u/{cast.township1.code}/tasks/new/")
    assert r.status_code == 200
    r = officer.post(
        f"/desk/u/{cast.township1.code}/tasks/new/",
        issue_form(scope="chosen", units=[cast.village1a.pk, cast.village1b.pk]),
    )
    task = Task.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/desk/tasks/{task.pk}/"
    assert {r.unit for r in task.reports.all()} == {cast.village1a, cast.village1b}

    # the village reports from a phone: text, figures, a photo, a file, a link; then submits
    village = login(cast.village1a_officer)
    r = village.get(f"/desk/u/{cast.village1a.code}/tasks/")
    assert task.title in page(r)
    report = report_of(task, cast.village1a)
    data = report_form(report, "5", "2", and_submit="1", link="/u/150799100201/", link_name="活动")
    data["photos"] = photo()
    data["documents"] = upload("总结.pdf", PDF, "application/pdf")
    r = village.post(f"/desk/reports/{report.pk}/", data)
    assert r.status_code == 302, page(r)
    report = report_of(task, cast.village1a)
    assert report.status == ReportStatus.SUBMITTED
    assert sorted(Evidence.objects.filter(report=report).values_list("kind", flat=True)) == [
        "file", "link", "photo",
    ]  # fmt: skip

    # the board lists the missing village first, and the waiting one
    r = officer.get(f"/desk/tasks/{task.pk}/")
    html = page(r)
    assert html.index(cast.village1b.name) < html.index("Waiting for inspection")
    assert html.index("Waiting for inspection") < html.rindex(cast.village1a.name)

    # returned with a comment, fixed, sent again, accepted
    r = officer.post(
        f"/desk/reports/{report.pk}/inspect/",
        {"decision": "return", "comment": "请补充照片说明", "version": report.version},
    )
    assert r.status_code == 302
    r = village.get(f"/desk/reports/{report.pk}/")
    assert "请补充照片说明" in page(r)
    report = report_of(task, cast.village1a)
    r = village.post(
        f"/desk/reports/{report.pk}/",
        report_form(report, "5", "2", text="补充了说明。", and_submit="1"),
    )
    assert r.status_code == 302
    report = report_of(task, cast.village1a)
    r = officer.post(
        f"/desk/reports/{report.pk}/inspect/", {"decision": "accept", "version": report.version}
    )
    assert report_of(task, cast.village1a).status == ReportStatus.ACCEPTED

    # the export has Chinese headers, the figures and the totals
    r = officer.get(f"/desk/tasks/{task.pk}/export.xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("单位", "单位代码", "状态", "上报时间", "逾期上报")
    assert rows[0][5:7] == ("走访青少年（人）", "开展活动（次）")
    assert rows[1][0] == cast.village1a.name and rows[1][2] == "已验收" and rows[1][5:7] == (5, 2)
    assert rows[-1][0] == "合计（已验收）" and rows[-1][5:7] == (5, 2)

    # an officer cannot publish; the secretary commends, and it shows on both sites
    assert officer.get(f"/desk/tasks/{task.pk}/commend/").status_code == 404
    chief = login(cast.township1_secretary)
    r = chief.get(f"/desk/tasks/{task.pk}/commend/")
    assert r.status_code == 200 and cast.village1a.name in page(r)
    assert cast.village1b.name not in page(r)  # not accepted: not offered
    r = chief.post(
        f"/desk/tasks/{task.pk}/commend/",
        {"reports": [report.pk], "title": "表扬一甲嘎查", "text": "工作扎实，予以表扬。"},
    )
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.commendation is not None
    assert task.commendation in site_articles(unit=cast.township1)
    assert task.commendation in site_articles(unit=cast.village1a)
    assert report_of(task, cast.village1a).commended


def test_commending_a_report_not_accepted_is_refused(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    fill_and_submit(report_of(task, cast.village1a), by=cast.village1a_officer)
    pending = report_of(task, cast.village1b)
    accepted = report_of(task, cast.village1a)
    services.report_inspect(
        acting_user=cast.township1_officer, report=accepted, decision="accept", version=2
    )
    chief = login(cast.township1_secretary)
    r = chief.post(
        f"/desk/tasks/{task.pk}/commend/",
        {"reports": [pending.pk], "title": "表扬", "text": "好"},
    )
    assert r.status_code == 200 and "Only accepted reports can be commended" in page(r)
    r = chief.post(
        f"/desk/tasks/{task.pk}/commend/", {"reports": [accepted.pk], "title": "表扬", "text": ""}
    )
    assert r.status_code == 200 and "Enter commendation" in page(r)
    assert not TaskReport.objects.filter(commended=True).exists()
    task.refresh_from_db()
    assert task.commendation is None


def test_task_list_marks_what_is_overdue(cast, monkeypatch):
    due = today()
    task = issue(by=cast.township1_officer, unit=cast.township1, due_on=due)
    fill_and_submit(report_of(task, cast.village1b), by=cast.township1_secretary)
    freeze(monkeypatch, local_moment(due + dt.timedelta(days=1), 9))
    r = login(cast.township1_officer).get(f"/desk/u/{cast.township1.code}/tasks/")
    html = page(r)
    assert "overdue" in html and "missing: 2" in html
    r = login(cast.village1a_officer).get(f"/desk/u/{cast.village1a.code}/tasks/")
    assert 'class="lag"' in page(r)
    r = login(cast.township1_officer).get(f"/desk/tasks/{task.pk}/")
    assert "Missing (overdue)" in page(r)


def test_extend_and_close_a_task(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    client = login(cast.township1_officer)
    earlier = (task.due_on - dt.timedelta(days=1)).isoformat()
    data = {"title": task.title, "requirements": "新的要求", "due_on": earlier}
    r = client.post(f"/desk/tasks/{task.pk}/edit/", data)
    assert r.status_code == 200 and "can only be extended" in page(r) and "新的要求" in page(r)
    later = task.due_on + dt.timedelta(days=3)
    r = client.post(f"/desk/tasks/{task.pk}/edit/", {**data, "due_on": later.isoformat()})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.due_on == later and task.requirements == "新的要求"
    assert client.post(f"/desk/tasks/{task.pk}/close/").status_code == 302
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CLOSED
    report = report_of(task, cast.village1a)
    r = login(cast.village1a_officer).post(f"/desk/reports/{report.pk}/", report_form(report, 1, 1))
    assert r.status_code == 302 and report_of(task, cast.village1a).text == ""


def test_evidence_can_be_removed_before_submitting_only(cast, media_root):  # noqa: F811
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    client = login(cast.village1a_officer)
    data = report_form(report, 1, 1)
    data["photos"] = photo()
    assert client.post(f"/desk/reports/{report.pk}/", data).status_code == 302
    evidence = Evidence.objects.get()
    # a sibling cannot remove it
    r = login(cast.village2a_secretary).post(
        f"/desk/reports/{report.pk}/evidence/{evidence.pk}/remove/"
    )
    assert r.status_code == 404
    r = client.post(f"/desk/reports/{report.pk}/evidence/{evidence.pk}/remove/")
    assert r.status_code == 302 and not Evidence.objects.exists()


# --- admin ----------------------------------------------------------------------------------


def test_admin_is_scoped_to_the_subtree_and_changes_go_through_the_service(cast):
    own = issue(by=cast.township1_officer, unit=cast.township1)
    banner = issue(by=cast.banner_officer, unit=cast.banner)
    task_admin = admin_tasks.TaskAdmin(Task, admin_site)
    report_admin = admin_tasks.TaskReportAdmin(TaskReport, admin_site)
    request = RequestFactory().get("/admin/")
    request.user = cast.township1_officer
    assert list(task_admin.get_queryset(request)) == [own]
    assert set(report_admin.get_queryset(request)) == set(own.reports.all()) | {
        report_of(banner, cast.township1)
    }
    assert task_admin.has_change_permission(request, own)
    assert not task_admin.has_change_permission(request, banner)
    assert not task_admin.has_add_permission(request)
    assert not report_admin.has_change_permission(request, report_of(own, cast.village1a))
    request.user = cast.village2a_secretary
    assert list(task_admin.get_queryset(request)) == []
    assert list(report_admin.get_queryset(request)) == []

    request.user = cast.township1_officer
    form_class = task_admin.get_form(request, own, change=True)
    form = form_class(
        data={
            "title": "改过的标题",
            "requirements": own.requirements,
            "due_on": (own.due_on - dt.timedelta(days=1)).isoformat(),
        },
        instance=own,
    )
    assert not form.is_valid() and "due_on" in form.errors
    form = form_class(
        data={
            "title": "改过的标题",
            "requirements": own.requirements,
            "due_on": own.due_on.isoformat(),
            "accepts_late": "on",
        },
        instance=Task.objects.get(pk=own.pk),
    )
    assert form.is_valid(), form.errors
    task_admin.save_model(request, form.instance, form, change=True)
    own.refresh_from_db()
    assert own.title == "改过的标题" and own.accepts_late


def test_the_task_board_prints_on_a4(cast):
    """An office prints the board from the browser: A4, no buttons (every workbench page)."""
    task = issue(by=SYSTEM, unit=cast.township1)
    page = login(cast.township1_secretary).get(f"/desk/tasks/{task.pk}/").content.decode()
    assert "@page{size:A4;margin:15mm}" in page
    assert "@media print{header.bar,footer.langs,.actions" in page
