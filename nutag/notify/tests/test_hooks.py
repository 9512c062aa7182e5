"""The events of the work cycle and the sites tell the right people, once."""

import datetime as dt

from django.utils import timezone

from nutag.assess.notices import send_reminders
from nutag.assess.services.tasks import task_issue
from nutag.notify.models import Kind, Notification
from nutag.sites.services import ArticleInput
from nutag.sites.services.articles import article_create, article_return, article_submit


def told(kind):
    return set(
        Notification.objects.filter(kind=kind).values_list("recipient__user__username", flat=True)
    )


def test_a_task_tells_the_target_units_reporters_only(cast):
    task = task_issue(
        acting_user=cast.banner_officer,
        unit=cast.banner,
        title="春季任务",
        requirements="报告",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    # not the issuing banner, not the villages below the targets
    assert told(Kind.TASK_ISSUED) == {"t1-secretary", "t1-officer"}
    link = Notification.objects.filter(recipient__user=cast.township1_secretary).get().link
    assert link == f"/desk/reports/{task.reports.get(unit=cast.township1).pk}/"


def test_reminders_once_per_report_never_on_a_page_view(cast, client):
    task_issue(
        acting_user=cast.banner_officer,
        unit=cast.banner,
        title="明天到期",
        requirements="报告",
        due_on=timezone.localdate() + dt.timedelta(days=1),
    )
    client.force_login(cast.township1_secretary)
    client.get("/desk/")
    assert not told(Kind.TASK_DUE_SOON)
    send_reminders()
    send_reminders()
    assert (
        Notification.objects.filter(
            kind=Kind.TASK_DUE_SOON, recipient__user=cast.township1_secretary
        ).count()
        == 1
    )
    send_reminders(today=timezone.localdate() + dt.timedelta(days=2))
    assert "t1-secretary" in told(Kind.TASK_OVERDUE)


def test_an_article_submitted_then_returned(cast):
    article = article_create(
        acting_user=cast.village1a_officer,
        unit=cast.village1a,
        data=ArticleInput(title="春耕", body="<p>正文</p>"),
    )
    article_submit(acting_user=cast.village1a_officer, article=article)
    assert told(Kind.ARTICLE_SUBMITTED) == {"v1a-secretary"}
    article_return(acting_user=cast.village1a_secretary, article=article, reason="补图")
    assert told(Kind.ARTICLE_RETURNED) == {"v1a-officer"}
    returned = Notification.objects.get(kind=Kind.ARTICLE_RETURNED)
    assert returned.params["reason"] == "补图"


def test_a_returned_report_tells_the_reporting_unit_once_per_return(cast):
    from nutag.assess.services.reports import report_inspect, report_save, report_submit

    task = task_issue(
        acting_user=cast.banner_officer,
        unit=cast.banner,
        title="秋季任务",
        requirements="报告",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    report = task.reports.get(unit=cast.township1)
    for _ in range(2):
        report = report_save(
            acting_user=cast.township1_officer,
            report=report,
            text="已完成",
            figures={},
            version=report.version,
        )
        report = report_submit(
            acting_user=cast.township1_officer, report=report, version=report.version
        )
        report = report_inspect(
            acting_user=cast.banner_officer,
            report=report,
            decision="return",
            comment="请补充照片",
            version=report.version,
        )
    assert told(Kind.REPORT_RETURNED) == {"t1-secretary", "t1-officer"}
    mine = Notification.objects.filter(
        kind=Kind.REPORT_RETURNED, recipient__user=cast.township1_officer
    )
    assert mine.count() == 2 and mine.first().params["comment"] == "请补充照片"


def test_a_recommendation_tells_the_publishers_above(cast):
    from nutag.sites.services.articles import article_publish
    from nutag.sites.services.placements import article_recommend

    article = article_create(
        acting_user=cast.village1a_secretary,
        unit=cast.village1a,
        data=ArticleInput(title="走访", body="<p>正文</p>"),
    )
    article_submit(acting_user=cast.village1a_secretary, article=article)
    article_publish(acting_user=cast.village1a_secretary, article=article)
    article_recommend(acting_user=cast.village1a_secretary, article=article)
    article_recommend(acting_user=cast.village1a_secretary, article=article)
    assert told(Kind.ARTICLE_RECOMMENDED) == {"t1-secretary"}
    assert Notification.objects.filter(kind=Kind.ARTICLE_RECOMMENDED).count() == 1


def test_a_submitted_self_assessment_tells_the_reviewers_above(cast):
    from nutag.assess.tests.rounds_helpers import assessment_of, open_round, submitted

    round_ = open_round(cast.township1)
    submitted(assessment_of(round_, cast.village1a))
    # reviewing needs the right above the village: the township's secretary (not its
    # officer, who may not review, nor the village itself)
    assert told(Kind.ASSESSMENT_SUBMITTED) == {"t1-secretary"}
    link = Notification.objects.get(kind=Kind.ASSESSMENT_SUBMITTED).link
    assert link.startswith("/desk/assessments/")


def test_self_assessments_due_within_three_days_are_reminded_once(cast):
    from nutag.assess.tests.rounds_helpers import open_round

    open_round(cast.township1, due=timezone.localdate() + dt.timedelta(days=5))
    send_reminders()
    assert not told(Kind.ASSESSMENT_DUE_SOON)
    send_reminders(today=timezone.localdate() + dt.timedelta(days=2))
    send_reminders(today=timezone.localdate() + dt.timedelta(days=3))
    assert told(Kind.ASSESSMENT_DUE_SOON) == {"v1a-secretary", "v1a-officer"}
    assert Notification.objects.filter(kind=Kind.ASSESSMENT_DUE_SOON).count() == 2


def test_a_request_to_join_tells_the_villages_secretary_only(cast):
    from django.contrib.auth.models import AnonymousUser

    from nutag.people.accounts.services import JoinInput, join_request_create

    join = join_request_create(
        acting_user=AnonymousUser(),
        unit=cast.village1a,
        data=JoinInput(
            name="巴特尔", phone="13900000001", username="bater", password="草原上的清晨很安静"
        ),
    )
    # told: who decides at the village itself (its secretary); not its officer, not the
    # secretary of a village elsewhere
    assert told(Kind.JOIN_REQUESTED) == {"v1a-secretary"}
    note = Notification.objects.get(kind=Kind.JOIN_REQUESTED)
    assert note.link == f"/desk/join-requests/{join.pk}/"
    assert note.params["name"] == "巴特尔"
