import datetime as dt
import json
from pathlib import Path

import pytest
from django.core import mail

from nutag.core.actors import SYSTEM
from nutag.notify import delivery, services
from nutag.notify.channels import Message
from nutag.notify.channels.sms import AliyunSms, LogFileSms
from nutag.notify.models import Delivery, DeliveryState, Kind, Notification, NotifySettings
from nutag.orgs.models import Position
from nutag.orgs.permissions import Perm
from nutag.people.models import Person

NOW = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # 11:00 in Shanghai


def with_phone(user, phone="13800000001"):
    Person.objects.filter(user=user).update(phone=phone)
    return user.person


def urgent(cast, units, key="due:1", now=NOW):
    return services.notify_units(
        acting_user=SYSTEM,
        kind=Kind.TASK_DUE_SOON,
        units=units,
        perm=Perm.REPORT_TASKS,
        params={"title": "春季任务", "due": "2026-03-03"},
        event_key=key,
        now=now,
    )


def states():
    return dict(Delivery.objects.values_list("notification__recipient__user__username", "state"))


def test_no_phone_skips_the_sms_and_keeps_the_inbox(cast, fake_sms):
    with_phone(cast.township1_secretary)
    urgent(cast, [cast.township1])
    delivery.deliver_due(now=NOW)
    assert states() == {"t1-secretary": DeliveryState.SENT, "t1-officer": DeliveryState.SKIPPED}
    skipped = Delivery.objects.get(state=DeliveryState.SKIPPED)
    assert skipped.reason
    assert Notification.objects.filter(recipient__user=cast.township1_officer).exists()
    assert list(fake_sms.received.values()) == [1]


def test_a_refused_number_fails_at_once_with_the_reason(cast, fake_sms):
    with_phone(cast.township1_secretary, phone="0471123456")
    urgent(cast, [cast.township1])
    delivery.deliver_due(now=NOW)
    failed = Delivery.objects.get(notification__recipient__user=cast.township1_secretary)
    assert failed.state == DeliveryState.FAILED and "MOBILE_NUMBER_ILLEGAL" in failed.reason


def test_5xx_is_retried_with_backoff_then_sent_once(cast, fake_sms, settings):
    settings.NUTAG_NOTIFY_RETRY_SECONDS = 10
    with_phone(cast.township1_secretary)
    fake_sms.fail_next = 2
    urgent(cast, [cast.township1])
    delivery.deliver_due(now=NOW)
    row = Delivery.objects.get(notification__recipient__user=cast.township1_secretary)
    assert row.state == DeliveryState.QUEUED and row.attempts == 1 and "503" in row.reason
    assert row.due_at > NOW
    delivery.deliver_due(now=row.due_at)
    row.refresh_from_db()
    assert row.state == DeliveryState.QUEUED and row.attempts == 2
    delivery.deliver_due(now=row.due_at)
    row.refresh_from_db()
    assert row.state == DeliveryState.SENT and row.retried
    assert fake_sms.received[row.key] == 1


def test_a_provider_that_stays_down_fails_with_the_reason(cast, fake_sms, settings):
    settings.NUTAG_NOTIFY_RETRY_SECONDS = 0
    with_phone(cast.township1_secretary)
    fake_sms.fail_next = 100
    urgent(cast, [cast.township1])
    delivery.deliver_due(now=NOW)
    row = Delivery.objects.get(notification__recipient__user=cast.township1_secretary)
    assert row.state == DeliveryState.FAILED
    assert row.attempts == delivery.MAX_ATTEMPTS and "503" in row.reason
    assert not fake_sms.received


def test_a_timeout_after_the_provider_sent_is_not_sent_twice(cast, fake_sms, settings):
    settings.NUTAG_NOTIFY_RETRY_SECONDS = 0
    settings.NUTAG_SMS_TIMEOUT = 0.3
    with_phone(cast.township1_secretary)
    fake_sms.hang_next, fake_sms.hang_seconds = 1, 1.0
    urgent(cast, [cast.township1])
    delivery.deliver_due(now=NOW)
    row = Delivery.objects.get(notification__recipient__user=cast.township1_secretary)
    assert row.state == DeliveryState.SENT and row.attempts == 2
    assert fake_sms.received[row.key] == 1


def test_a_worker_killed_holding_a_claim_loses_nothing_and_sends_nothing_twice(
    cast, fake_sms, settings
):
    settings.NUTAG_NOTIFY_LEASE_SECONDS = 60
    with_phone(cast.township1_secretary, "13800000001")
    with_phone(cast.township1_officer, "13800000002")
    urgent(cast, [cast.township1])
    # A worker claims both, sends the first, and dies before writing anything.
    claimed = delivery._claim(Delivery.objects.all(), NOW, 10)
    first = claimed[0]
    AliyunSms().send(
        Message(key=first.sent_key, text="x", phone=first.notification.recipient.phone)
    )
    assert delivery.deliver_due(now=NOW + dt.timedelta(seconds=30)) == 0  # still leased
    delivery.deliver_due(now=NOW + dt.timedelta(seconds=61))
    assert set(states().values()) == {DeliveryState.SENT}
    assert sorted(fake_sms.received.values()) == [1, 1]


def test_ordinary_notices_go_as_one_digest_at_the_hour(cast, fake_sms):
    me = with_phone(cast.township1_secretary)
    created = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)  # 20:00 local
    for i in range(3):
        services.notify_units(
            acting_user=SYSTEM,
            kind=Kind.TASK_ISSUED,
            units=[cast.township1],
            perm=Perm.REPORT_TASKS,
            params={"from": "旗", "title": f"任务{i}", "due": "2026-04-01"},
            event_key=f"issued:{i}",
            now=created,
        )
    assert delivery.deliver_due(now=created + dt.timedelta(hours=11)) == 0  # 07:00 local
    delivery.deliver_due(now=created + dt.timedelta(hours=12))  # 08:00 local
    mine = Delivery.objects.filter(notification__recipient=me)
    assert set(mine.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert len(set(mine.values_list("sent_key", flat=True))) == 1
    assert len(fake_sms.messages) == 1
    assert "3" in fake_sms.messages[0]["text"] and "任务2" in fake_sms.messages[0]["text"]


def test_quiet_hours_hold_urgent_notices_but_not_emergencies(cast):
    me = with_phone(cast.township1_secretary)
    night = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)  # 23:00 local
    urgent(cast, [cast.township1], now=night)
    services.notify_people(
        acting_user=SYSTEM,
        kind=Kind.EMERGENCY,
        person_ids=[me.pk],
        params={"unit": "旗", "text": "暴雪"},
        event_key="storm",
        now=night,
    )
    held = Delivery.objects.get(notification__recipient=me, notification__kind=Kind.TASK_DUE_SOON)
    at_once = Delivery.objects.get(notification__recipient=me, notification__kind=Kind.EMERGENCY)
    assert held.due_at == dt.datetime(2026, 3, 2, 23, 0, tzinfo=dt.UTC)  # 07:00 local
    assert at_once.due_at == night


def test_someone_who_left_the_unit_is_not_sent_its_digest(cast, fake_sms):
    me = with_phone(cast.township1_secretary)
    created = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    services.notify_units(
        acting_user=SYSTEM,
        kind=Kind.TASK_ISSUED,
        units=[cast.township1],
        perm=Perm.REPORT_TASKS,
        params={},
        event_key="issued",
        now=created,
    )
    Position.objects.filter(person=me).update(ended_on=dt.date(2026, 3, 2))
    delivery.deliver_due(now=created + dt.timedelta(days=1))
    row = Delivery.objects.get(notification__recipient=me)
    assert row.state == DeliveryState.SKIPPED and "position" in row.reason
    assert not fake_sms.received
    # and the next event does not reach them at all
    urgent(cast, [cast.township1], key="later")
    assert not Notification.objects.filter(recipient=me, event_key="later").exists()


def test_the_text_is_in_the_recipients_language(cast, fake_sms):
    me = with_phone(cast.township1_secretary)
    NotifySettings.objects.create(person=me, language="en")
    urgent(cast, [cast.township1])
    delivery.deliver_due(now=NOW)
    assert fake_sms.messages[0]["text"].startswith("Task due on 2026-03-03")


def test_email_channel_uses_djangos_mail(cast):
    me = cast.township1_secretary.person
    cast.township1_secretary.email = "sec@example.org"
    cast.township1_secretary.save()
    NotifySettings.objects.create(person=me, channels={Kind.TASK_DUE_SOON: ["email", "chat"]})
    urgent(cast, [cast.township1])
    delivery.deliver_due(now=NOW)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sec@example.org"]
    chat = Delivery.objects.get(notification__recipient=me, channel="chat")
    assert chat.state == DeliveryState.SKIPPED and chat.reason


def test_log_file_backend_writes_and_knows_what_it_wrote(tmp_path: Path):
    sender = LogFileSms(tmp_path / "sms.log")
    message = Message(key="1:sms", text="你好", phone="13800000001")
    assert sender.was_sent(message) is False
    sender.send(message)
    line = json.loads((tmp_path / "sms.log").read_text().strip())
    assert line == {"key": "1:sms", "phone": "13800000001", "text": "你好"}
    assert sender.was_sent(message) is True
    assert sender.was_sent(Message(key="1:sms0", text="", phone="1")) is False


@pytest.mark.parametrize("mode", ["batch", "fan_out"])
def test_batches_send_only_what_is_due(
    cast, fake_sms, mode, settings, django_capture_on_commit_callbacks
):
    with_phone(cast.township1_secretary)
    urgent(cast, [cast.township1], now=NOW)
    if mode == "batch":
        ids = list(Delivery.objects.values_list("pk", flat=True))
        delivery.deliver_batch(ids=ids)
    else:
        settings.NUTAG_TASK_MODE = "inline"
        with django_capture_on_commit_callbacks(execute=True):
            delivery.fan_out(event_key="due:1")
    assert states()["t1-secretary"] == DeliveryState.SENT


def test_a_stopped_broker_leaves_the_work_for_the_sweep(
    cast, fake_sms, settings, django_capture_on_commit_callbacks, caplog
):
    from nutag.notify.tests.brokers import celery_broker

    with_phone(cast.township1_secretary)
    settings.NUTAG_TASK_MODE = "celery"
    with (
        celery_broker("redis://127.0.0.1:9/0"),  # nothing listens there
        django_capture_on_commit_callbacks(execute=True),
    ):
        urgent(cast, [cast.township1])  # commits; the hand-over fails quietly
    assert "left for the periodic sweep" in caplog.text
    assert states()["t1-secretary"] == DeliveryState.QUEUED
    delivery.deliver_due(now=NOW)  # the broker is back: the sweep finds it
    assert states()["t1-secretary"] == DeliveryState.SENT
