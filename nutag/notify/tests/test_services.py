import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.factories import PersonFactory
from nutag.notify import services
from nutag.notify.models import Channel, Delivery, Kind, Notification, NotifyPolicy
from nutag.orgs.permissions import Perm


def person(user):
    return user.person


def tell(units, *, perm=Perm.REPORT_TASKS, key="event:1", kind=Kind.TASK_ISSUED):
    return services.notify_units(
        acting_user=SYSTEM,
        kind=kind,
        units=units,
        perm=perm,
        params={"from": "旗", "title": "春季任务", "due": "2026-04-01"},
        event_key=key,
        link="/desk/",
    )


# --- who is told ----------------------------------------------------------------------------


def test_a_unit_is_told_to_those_holding_the_right_there_only(cast):
    tell([cast.township1])
    told = set(Notification.objects.values_list("recipient__user__username", flat=True))
    # not the banner above, not the township's villages, not the other township, not
    # volunteers or residents
    assert told == {"t1-secretary", "t1-officer"}


def test_one_event_reaches_a_person_once(cast):
    tell([cast.township1])
    tell([cast.township1])
    assert Notification.objects.filter(recipient=person(cast.township1_secretary)).count() == 1
    tell([cast.township1], key="event:2")
    assert Notification.objects.filter(recipient=person(cast.township1_secretary)).count() == 2


def test_a_rolled_back_event_tells_nobody(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        tell([cast.township1])
        raise RuntimeError
    assert not Notification.objects.exists()


def test_unknown_kind_is_refused(cast):
    with pytest.raises(ValueError, match="kind"):
        tell([cast.township1], kind="nonsense")


def test_officers_get_an_sms_by_default_residents_only_the_inbox(cast):
    tell([cast.township1])
    services.notify_people(
        acting_user=SYSTEM,
        kind=Kind.ARTICLE_RETURNED,
        person_ids=[person(cast.resident).pk],
        params={"title": "t", "reason": "r"},
        event_key="returned:1",
    )
    sms = Delivery.objects.filter(channel=Channel.SMS)
    assert set(sms.values_list("notification__recipient__user__username", flat=True)) == {
        "t1-secretary",
        "t1-officer",
    }
    assert Notification.objects.filter(recipient=person(cast.resident)).count() == 1


def test_a_persons_choice_beats_the_banners_default_which_beats_ours(cast):
    NotifyPolicy.objects.create(unit=cast.banner, officer_defaults={Kind.TASK_ISSUED: ["email"]})
    services.notify_settings_update(
        acting_user=cast.township1_secretary,
        person=person(cast.township1_secretary),
        language="en",
        quiet_start=dt.time(22),
        quiet_end=dt.time(7),
        channels={Kind.TASK_ISSUED: []},
    )
    tell([cast.township1])
    rows = set(Delivery.objects.values_list("notification__recipient__user__username", "channel"))
    assert rows == {("t1-officer", "email")}


def test_ordinary_notices_wait_for_the_digest_urgent_ones_do_not(cast):
    now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)  # 20:00 in Shanghai
    services.notify_units(
        acting_user=SYSTEM,
        kind=Kind.TASK_ISSUED,
        units=[cast.township1],
        perm=Perm.REPORT_TASKS,
        params={},
        event_key="a",
        now=now,
    )
    services.notify_units(
        acting_user=SYSTEM,
        kind=Kind.TASK_DUE_SOON,
        units=[cast.township1],
        perm=Perm.REPORT_TASKS,
        params={},
        event_key="b",
        now=now,
    )
    ordinary = Delivery.objects.filter(notification__kind=Kind.TASK_ISSUED).first()
    urgent = Delivery.objects.filter(notification__kind=Kind.TASK_DUE_SOON).first()
    assert ordinary.digest and ordinary.due_at == dt.datetime(2026, 3, 3, 0, 0, tzinfo=dt.UTC)
    assert not urgent.digest and urgent.due_at == now


# --- notices to a whole subtree ------------------------------------------------------------


def test_notice_refused_to_those_without_the_right(cast):
    for user in (cast.volunteer, cast.resident, cast.village1a_secretary):
        with pytest.raises(NotFound):
            services.notice_send(acting_user=user, unit=cast.township1, text="开会")
    with pytest.raises(NotFound):  # a sibling township
        services.notice_send(acting_user=cast.township1_secretary, unit=cast.township2, text="x")


def test_notice_needs_text(cast):
    with pytest.raises(ValidationError) as exc:
        services.notice_send(acting_user=cast.township1_secretary, unit=cast.township1, text=" ")
    assert "text" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.notice_send(
            acting_user=cast.township1_secretary, unit=cast.township1, text="长" * 301
        )


def test_notice_reaches_everyone_below_and_nobody_beside(cast):
    PersonFactory(unit=cast.village2a, name="外人")
    count = services.notice_send(
        acting_user=cast.township1_secretary, unit=cast.township1, text="明天开会"
    )
    told = Notification.objects.filter(kind=Kind.NOTICE)
    assert count == told.count()
    assert not told.filter(recipient__unit=cast.village2a).exists()
    assert told.filter(recipient=person(cast.resident)).exists()
    assert not told.filter(recipient=person(cast.banner_officer)).exists()


# --- reading and settings ---------------------------------------------------------------------


def test_nobody_marks_anothers_notification(cast):
    tell([cast.township1])
    theirs = Notification.objects.get(recipient=person(cast.township1_secretary))
    for user in (cast.township1_officer, cast.admin, cast.resident):
        with pytest.raises(NotFound):
            services.notification_mark_read(acting_user=user, pk=theirs.pk)
    assert services.notifications_mark_all_read(acting_user=cast.township1_officer) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
    services.notification_mark_read(acting_user=cast.township1_secretary, pk=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.read_at is not None


def test_settings_only_by_the_person_and_only_known_choices(cast):
    me = person(cast.township1_secretary)
    good = {
        "language": "en",
        "quiet_start": dt.time(22),
        "quiet_end": dt.time(7),
        "channels": {},
    }
    with pytest.raises(NotFound):
        services.notify_settings_update(acting_user=cast.admin, person=me, **good)
    with pytest.raises(ValidationError):
        services.notify_settings_update(
            acting_user=cast.township1_secretary, person=me, **{**good, "language": "xx"}
        )
    with pytest.raises(ValidationError):
        services.notify_settings_update(
            acting_user=cast.township1_secretary,
            person=me,
            **{**good, "channels": {Kind.TASK_ISSUED: ["pigeon"]}},
        )
    saved = services.notify_settings_update(
        acting_user=cast.township1_secretary,
        person=me,
        **{**good, "channels": {Kind.TASK_ISSUED: ["sms", "sms", "email"]}},
    )
    assert saved.channels == {Kind.TASK_ISSUED: ["sms", "email"]}


def test_policy_only_at_the_banner_by_its_secretaries(cast):
    with pytest.raises(ValidationError):
        services.notify_policy_update(
            acting_user=SYSTEM, unit=cast.township1, digest_hour=8, officer_defaults={}
        )
    with pytest.raises(NotFound):
        services.notify_policy_update(
            acting_user=cast.township1_secretary,
            unit=cast.banner,
            digest_hour=8,
            officer_defaults={},
        )
    with pytest.raises(ValidationError):
        services.notify_policy_update(
            acting_user=cast.admin, unit=cast.banner, digest_hour=24, officer_defaults={}
        )
    row = services.notify_policy_update(
        acting_user=cast.admin, unit=cast.banner, digest_hour=7, officer_defaults={}
    )
    assert row.digest_hour == 7
