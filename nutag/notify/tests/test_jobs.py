import datetime as dt

from django.core.management import call_command

from nutag.core.tasks import run_periodic
from nutag.notify.models import Delivery, DeliveryState, Kind
from nutag.notify.services import notify_units
from nutag.orgs.permissions import Perm
from nutag.people.models import Person


def test_periodic_jobs_run_when_due_and_a_failing_one_does_not_stop_the_others(settings):
    settings.NUTAG_PERIODIC_JOBS = {
        "broken": ("nutag.notify.tests.test_jobs.no_such_function", 10),
        "sweep": ("nutag.notify.delivery.deliver_due", 10),
    }
    clock = iter([100.0, 100.0, 105.0, 105.0, 111.0, 111.0])
    last: dict[str, float] = {}
    assert run_periodic(last, clock=lambda: next(clock)) == ["broken", "sweep"]
    assert run_periodic(last, clock=lambda: next(clock)) == []
    assert run_periodic(last, clock=lambda: next(clock)) == ["broken", "sweep"]


def test_run_worker_once_sends_what_is_due(cast, settings):
    from nutag.core.actors import SYSTEM

    settings.NUTAG_PERIODIC_JOBS = {"sweep": ("nutag.notify.delivery.deliver_due", 60)}
    Person.objects.filter(user=cast.township1_secretary).update(phone="13800000001")
    notify_units(
        acting_user=SYSTEM,
        kind=Kind.EMERGENCY,
        units=[cast.township1],
        perm=Perm.REPORT_TASKS,
        params={"unit": "旗", "text": "暴雪"},
        event_key="storm",
        now=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    )
    call_command("run_worker", "--once")
    sent = Delivery.objects.get(notification__recipient__user=cast.township1_secretary)
    assert sent.state == DeliveryState.SENT


def test_scheduled_publishing_purges_when_the_time_comes(cast):
    from django.utils import timezone

    from nutag.sites import services as site_services
    from nutag.sites.events import publish_due, site_changed

    later = timezone.now() + dt.timedelta(hours=2)
    article = site_services.article_create(
        acting_user=cast.village1a_secretary,
        unit=cast.village1a,
        data=site_services.ArticleInput(title="定时发布", body="<p>正文</p>", publish_at=later),
    )
    site_services.article_submit(acting_user=cast.village1a_secretary, article=article)
    site_services.article_publish(acting_user=cast.village1a_secretary, article=article)
    seen = []

    def receiver(sender, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs["article_ids"])

    site_changed.connect(receiver)
    try:
        assert publish_due(now=later - dt.timedelta(minutes=1)) == 0
        assert publish_due(now=later + dt.timedelta(minutes=1)) == 1
        assert publish_due(now=later + dt.timedelta(minutes=2)) == 0  # once
    finally:
        site_changed.disconnect(receiver)
    assert seen == [[article.pk]]
