"""Youth services: negatives first (wrong user, wrong unit, bad input), then what they write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.factories import PersonFactory, make_elder, make_youth_record, person_with_position
from nutag.notify.models import Notification
from nutag.orgs.models import Access, PositionTitle
from nutag.youth import services
from nutag.youth.models import Circumstance, Need, Pairing, RecordStatus, Visit
from nutag.youth.reminders import archive_adults, send_visit_reminders


@pytest.fixture
def record(cast):  # type: ignore[no-untyped-def]
    return make_youth_record(
        unit=cast.village1a, circumstances=Circumstance.objects.filter(code="left_behind")
    )


@pytest.fixture
def elder(cast):  # type: ignore[no-untyped-def]
    return make_elder(unit=cast.village1a, username="elder")


@pytest.fixture
def youth_officer(cast):  # type: ignore[no-untyped-def]
    return person_with_position(
        unit=cast.village1a,
        title=PositionTitle.OFFICER,
        access=Access.YOUTH,
        username="v1a-youth",
        name="青年专干",
    ).user


def test_plain_officer_and_other_village_cannot_pair(cast, record, elder):
    for user in (cast.village1a_officer, cast.village2a_secretary, cast.volunteer, cast.resident):
        with pytest.raises(NotFound):
            services.pairing_create(acting_user=user, record=record, elders=[elder])
    assert not Pairing.objects.exists()


def test_pairing_needs_a_care_worker_of_the_township(cast, record, youth_officer):
    stranger = PersonFactory(unit=cast.village1a, name="路人")
    far_elder = make_elder(unit=cast.village2a, username="far-elder")
    for person in (stranger, far_elder):
        with pytest.raises(ValidationError):
            services.pairing_create(acting_user=youth_officer, record=record, elders=[person])
    with pytest.raises(ValidationError):
        services.pairing_create(acting_user=youth_officer, record=record, elders=[])


def test_an_unpaired_elder_writes_no_visit(cast, record, elder):
    other = make_elder(unit=cast.village1a, username="other-elder", name="别的老人")
    pair = services.pairing_create(acting_user=SYSTEM, record=record, elders=[elder])
    with pytest.raises(NotFound):
        services.visit_create(
            acting_user=other.user, pairing=pair, visited_on=timezone.localdate(), kind="home"
        )
    assert not Visit.objects.exists()


def test_visit_dates_are_checked(record, elder):
    pair = services.pairing_create(
        acting_user=SYSTEM, record=record, elders=[elder], started_on=dt.date(2025, 9, 1)
    )
    for day in (timezone.localdate() + dt.timedelta(days=1), dt.date(2025, 8, 31)):
        with pytest.raises(ValidationError):
            services.visit_create(acting_user=elder.user, pairing=pair, visited_on=day, kind="home")
    with pytest.raises(ValidationError):
        services.visit_create(
            acting_user=elder.user, pairing=pair, visited_on=dt.date(2025, 9, 2), kind="bogus"
        )


def test_paired_elder_writes_visit_and_need_audited_without_the_text(cast, record, elder):
    pair = services.pairing_create(
        acting_user=SYSTEM, record=record, elders=[elder], started_on=dt.date(2025, 9, 1)
    )
    visit = services.visit_create(
        acting_user=elder.user,
        pairing=pair,
        visited_on=dt.date(2025, 9, 10),
        kind="home",
        mood="想念在外放牧的父母",
        help_given="辅导数学",
    )
    assert visit.unit_path == cast.village1a.path
    need = services.need_create(acting_user=elder.user, record=record, need="冬季棉衣")
    with pytest.raises(ValidationError):
        services.need_resolve(acting_user=elder.user, need=need, resource="")
    services.need_resolve(acting_user=elder.user, need=need, resource="镇关工委捐赠")
    assert Need.objects.get().resolved_on is not None
    rows = AuditEntry.objects.filter(object_type="youth.visit")
    assert rows.count() == 1
    assert "想念" not in str(rows.get().changes)


def test_ended_pair_takes_no_visit(record, elder):
    pair = services.pairing_create(acting_user=SYSTEM, record=record, elders=[elder])
    services.pairing_end(acting_user=SYSTEM, pairing=pair)
    with pytest.raises(ValidationError):
        services.visit_create(
            acting_user=SYSTEM, pairing=pair, visited_on=timezone.localdate(), kind="phone"
        )


def test_record_update_audits_that_notes_changed_not_what_they_say(record, youth_officer):
    services.record_update(
        acting_user=youth_officer,
        record=record,
        school_class="三年级二班",
        circumstances=Circumstance.objects.filter(code__in=["orphan", "hardship"]),
        notes="家中失火",
    )
    entry = AuditEntry.objects.filter(object_type="youth.youthrecord", action="update").get()
    assert "失火" not in str(entry.changes)
    assert entry.changes["circumstances"][1] == ["hardship", "orphan"]


def test_one_record_per_young_person(record):
    with pytest.raises(ValidationError):
        services.record_create(acting_user=SYSTEM, young=record.young)


def test_reminder_once_per_silence(cast, record, elder):
    today = timezone.localdate()
    pair = services.pairing_create(
        acting_user=SYSTEM, record=record, elders=[elder], started_on=today - dt.timedelta(days=40)
    )
    assert send_visit_reminders(today=today) == 1
    assert send_visit_reminders(today=today) == 0
    assert Notification.objects.filter(recipient=elder, kind="youth_visit_due").count() == 1
    services.visit_create(acting_user=elder.user, pairing=pair, visited_on=today, kind="phone")
    assert send_visit_reminders(today=today) == 0
    assert send_visit_reminders(today=today + dt.timedelta(days=31)) == 1


def test_banner_sets_the_reminder_interval(cast, record, elder):
    from nutag.youth.models import YouthPolicy

    YouthPolicy.objects.create(unit=cast.banner, visit_every_days=60)
    today = timezone.localdate()
    services.pairing_create(
        acting_user=SYSTEM, record=record, elders=[elder], started_on=today - dt.timedelta(days=40)
    )
    assert send_visit_reminders(today=today) == 0
    assert send_visit_reminders(today=today + dt.timedelta(days=20)) == 1


def test_coming_of_age_archives_and_ends_pairs(cast, elder):
    adult = make_youth_record(unit=cast.village1a, name="大明", birth_year=2000)
    child = make_youth_record(unit=cast.village1a, name="小红", birth_year=2020)
    services.pairing_create(acting_user=SYSTEM, record=adult, elders=[elder])
    assert archive_adults() == 1
    adult.refresh_from_db()
    child.refresh_from_db()
    assert adult.status == RecordStatus.ARCHIVED and child.status == RecordStatus.ACTIVE
    assert not Pairing.objects.filter(record=adult, ended_on__isnull=True).exists()
    assert archive_adults() == 0


def test_delete_at_a_guardians_request(cast, record, elder, youth_officer):
    from django.core.management import call_command

    from nutag.youth.models import YouthRecord

    pair = services.pairing_create(acting_user=SYSTEM, record=record, elders=[elder])
    services.visit_create(
        acting_user=SYSTEM, pairing=pair, visited_on=timezone.localdate(), kind="home", mood="好"
    )
    for user in (youth_officer, cast.village2a_secretary, elder.user):
        with pytest.raises(NotFound):
            services.record_delete(acting_user=user, record=record)
    call_command("youth_delete_record", str(record.pk))
    assert not YouthRecord.objects.exists() and not Visit.objects.exists()
    entry = AuditEntry.objects.get(object_type="youth.youthrecord", action="delete")
    assert entry.unit == cast.village1a and "好" not in str(entry.changes)


def test_good_deeds_are_logged_by_the_units_officers_with_its_own_elders(cast, elder):
    from nutag.youth.models import GoodDeed
    from nutag.youth.selectors import youth_figures

    far_elder = make_elder(unit=cast.village2a, username="far-elder")
    day = timezone.localdate()
    for user in (cast.volunteer, cast.resident, cast.village2a_secretary):
        with pytest.raises(NotFound):
            services.good_deed_create(
                acting_user=user, unit=cast.village1a, done_on=day, kind="good", what="修棚圈"
            )
    with pytest.raises(ValidationError):
        services.good_deed_create(
            acting_user=cast.village1a_officer,
            unit=cast.village1a,
            done_on=day,
            kind="good",
            what="修棚圈",
            elders=[far_elder],
        )
    with pytest.raises(ValidationError):
        services.good_deed_create(
            acting_user=cast.village1a_officer,
            unit=cast.village1a,
            done_on=day + dt.timedelta(days=1),
            kind="good",
            what="修棚圈",
        )
    services.good_deed_create(
        acting_user=cast.village1a_officer,
        unit=cast.village1a,
        done_on=day,
        kind="hard",
        what="帮助留守儿童家庭修棚圈",
        elders=[elder],
        people_helped=4,
    )
    assert GoodDeed.objects.get().elders.get() == elder
    for unit, deeds, helped in (
        (cast.banner, 1, 4),
        (cast.township1, 1, 4),
        (cast.village1b, 0, 0),
    ):
        figures = youth_figures(unit=unit)
        assert (figures.good_deeds, figures.people_helped) == (deeds, helped)
