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
