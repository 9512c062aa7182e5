"""Notices through the notifications app's chat channel end to end: a person bound to the
account, who chose the chat app for a kind, gets an urgent notice at once and ordinary ones
as one digest at the digest hour, as template messages (fake platform on 127.0.0.1)."""

import datetime as dt

import pytest

from nutag.core.actors import SYSTEM
from nutag.notify import delivery, services
from nutag.notify.models import Delivery, DeliveryState, Kind, NotifySettings
from nutag.orgs.permissions import Perm
from nutag.wechat.bindings import binding_create
from nutag.wechat.tests.fake_platform import FakePlatform
from nutag.wechat.tests.test_oauth import connect

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # 11:00 in Shanghai
EVENING = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)  # 20:00 in Shanghai


@pytest.fixture
def fake(settings):  # type: ignore[no-untyped-def]
    server = FakePlatform()
    settings.NUTAG_WECHAT_API_BASE = server.url
    yield server
    server.stop()


@pytest.fixture
def bound(cast, fake):  # type: ignore[no-untyped-def]
    """township1's secretary, bound to township1's account, wants tasks in the chat app."""
    account = connect(cast.township1, template="TPL-1")
    binding_create(acting_user=cast.township1_secretary, account=account, openid="o-sec")
    me = cast.township1_secretary.person
    NotifySettings.objects.create(
        person=me, channels={Kind.TASK_DUE_SOON: ["chat"], Kind.TASK_ISSUED: ["chat"]}
    )
    return me


def _notify(cast, kind, key, params, now):  # type: ignore[no-untyped-def]
    services.notify_units(
        acting_user=SYSTEM,
        kind=kind,
        units=[cast.township1],
        perm=Perm.REPORT_TASKS,
        params=params,
        event_key=key,
        now=now,
    )


def test_an_unbound_person_is_skipped_with_the_reason(cast, fake, bound):
    officer = cast.township1_officer.person  # chose the chat app, never bound
    NotifySettings.objects.create(person=officer, channels={Kind.TASK_DUE_SOON: ["chat"]})
    _notify(cast, Kind.TASK_DUE_SOON, "due:1", {"title": "春季任务", "due": "2026-03-03"}, NOW)
    delivery.deliver_due(now=NOW)
    row = Delivery.objects.get(notification__recipient=officer, channel="chat")
    assert row.state == DeliveryState.SKIPPED and row.reason  # "not bound …", translated
    assert [t["touser"] for t in fake.templates] == ["o-sec"]


def test_urgent_at_once_ordinary_in_one_digest(cast, fake, bound):
    _notify(cast, Kind.TASK_DUE_SOON, "due:1", {"title": "春季任务", "due": "2026-03-03"}, NOW)
    delivery.deliver_due(now=NOW)
    [urgent] = fake.templates
    assert urgent["touser"] == "o-sec" and urgent["template_id"] == "TPL-1"
    assert "春季任务" in urgent["data"]["content"]["value"]

    for i in range(3):
        _notify(
            cast,
            Kind.TASK_ISSUED,
            f"issued:{i}",
            {"from": "旗", "title": f"任务{i}", "due": "2026-04-01"},
            EVENING,
        )
    assert delivery.deliver_due(now=EVENING + dt.timedelta(hours=11)) == 0  # 07:00: held
    assert len(fake.templates) == 1
    delivery.deliver_due(now=EVENING + dt.timedelta(hours=12))  # 08:00: the digest
    assert len(fake.templates) == 2
    digest = fake.templates[1]["data"]["content"]["value"]
    assert "3" in digest and "任务2" in digest
    rows = Delivery.objects.filter(notification__recipient=bound, channel="chat")
    assert set(rows.values_list("state", flat=True)) == {DeliveryState.SENT}
