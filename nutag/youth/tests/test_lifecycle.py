"""A record's life: the banner's rules, coming of age, deletion after the retention, a move
with the young person, visit photos kept private."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.factories import make_elder, make_youth_record, person_with_position
from nutag.orgs.models import Access, PositionTitle
from nutag.people import services as people_services
from nutag.youth import services
from nutag.youth.models import Need, Pairing, RecordStatus, Visit, VisitPhoto, YouthRecord
from nutag.youth.reminders import delete_expired

pytestmark = pytest.mark.django_db


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 80, 140)).save(out, "JPEG")
    return SimpleUploadedFile("v.jpg", out.getvalue(), content_type="image/jpeg")


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def banner_youth(cast):  # type: ignore[no-untyped-def]
    return person_with_position(
        unit=cast.banner,
        title=PositionTitle.OFFICER,
        access=Access.YOUTH,
        username="banner-youth",
        name="旗青年专干",
    ).user


def test_only_the_banner_youth_officer_sets_the_rules(cast, banner_youth):
    village_youth = person_with_position(
        unit=cast.village1a,
        title=PositionTitle.OFFICER,
        access=Access.YOUTH,
        username="vy",
        name="村青年",
    ).user
    for user in (cast.banner_officer, cast.township1_secretary, village_youth):
        with pytest.raises(NotFound):
            services.policy_update(
                acting_user=user,
                unit=cast.banner,
                visit_every_days=30,
                adult_age=16,
                keep_archived_years=1,
            )
    assert (
        _client(village_youth).get(f"/desk/u/{cast.village1a.code}/youth/rules/").status_code == 404
    )
    with pytest.raises(ValidationError):
        services.policy_update(
            acting_user=banner_youth,
            unit=cast.banner,
            visit_every_days=30,
            adult_age=40,
            keep_archived_years=3,
        )
    r = _client(banner_youth).post(
        f"/desk/u/{cast.banner.code}/youth/rules/",
        {"visit_every_days": 45, "adult_age": 17, "keep_archived_years": 2},
    )
    assert r.status_code == 302
    policy = services.policy_update(
        acting_user=banner_youth,
        unit=cast.banner,
        visit_every_days=45,
        adult_age=17,
        keep_archived_years=2,
    )
    assert (policy.adult_age, policy.keep_archived_years) == (17, 2)


def test_coming_of_age_follows_the_banner_age(cast, banner_youth):
    today = dt.date(2026, 6, 1)
    seventeen = make_youth_record(unit=cast.village1a, name="十七", birth_year=2009)
    assert services.records_archive_adults(acting_user=SYSTEM, today=today) == 0
    services.policy_update(
        acting_user=banner_youth,
        unit=cast.banner,
        visit_every_days=30,
        adult_age=17,
        keep_archived_years=3,
    )
    assert services.records_archive_adults(acting_user=SYSTEM, today=today) == 1
    seventeen.refresh_from_db()
    assert seventeen.status == RecordStatus.ARCHIVED and seventeen.archived_on == today


def test_archived_records_are_deleted_after_the_retention(cast, banner_youth):
    old = make_youth_record(unit=cast.village1a, name="旧档", birth_year=2000)
    recent = make_youth_record(unit=cast.village1a, name="新档", birth_year=2001)
    keep = make_youth_record(unit=cast.village1a, name="在档")
    today = timezone.localdate()
    YouthRecord.objects.filter(pk=old.pk).update(
        status=RecordStatus.ARCHIVED, archived_on=today - dt.timedelta(days=4 * 366)
    )
    YouthRecord.objects.filter(pk=recent.pk).update(
        status=RecordStatus.ARCHIVED, archived_on=today - dt.timedelta(days=2 * 365)
    )
    assert delete_expired() == 1
    assert set(YouthRecord.objects.values_list("pk", flat=True)) == {recent.pk, keep.pk}
    entry = AuditEntry.objects.get(
        object_type="youth.youthrecord", object_id=str(old.pk), action="delete"
    )
    assert "3" in entry.note
    services.policy_update(
        acting_user=banner_youth,
        unit=cast.banner,
        visit_every_days=30,
        adult_age=18,
        keep_archived_years=1,
    )
    assert delete_expired() == 1
    assert list(YouthRecord.objects.values_list("pk", flat=True)) == [keep.pk]


def test_a_moved_young_person_takes_the_record_along(cast):
    record = make_youth_record(unit=cast.village1a, name="搬家")
    elder = make_elder(unit=cast.village1a, username="elder")
    pair = services.pairing_create(
        acting_user=SYSTEM, record=record, elders=[elder], started_on=dt.date(2025, 9, 1)
    )
    services.visit_create(
        acting_user=SYSTEM, pairing=pair, visited_on=dt.date(2025, 10, 1), kind="home"
    )
    services.need_create(acting_user=SYSTEM, record=record, need="校服")
    person = record.young.person
    people_services.person_update(
        acting_user=SYSTEM,
        person=person,
        unit=cast.village1b,
        data=people_services.PersonInput(
            name=person.name,
            birth_date=person.birth_date,
            youth=people_services.YouthInput(school="一中"),
        ),
    )
    record.refresh_from_db()
    path = cast.village1b.path
    assert record.unit_id == cast.village1b.pk and record.unit_path == path
    for model in (Pairing, Visit, Need):
        assert set(model.objects.values_list("unit_path", flat=True)) == {path}
    assert AuditEntry.objects.filter(object_type="youth.youthrecord", action="move").exists()


def test_visit_photos_are_private_and_audited(cast):
    record = make_youth_record(unit=cast.village1a, name="照片")
    other = make_youth_record(unit=cast.village1a, name="别人")
    elder = make_elder(unit=cast.village1a, username="elder")
    stranger = make_elder(unit=cast.village1a, username="stranger", name="别的老人")
    pair = services.pairing_create(
        acting_user=SYSTEM, record=record, elders=[elder], started_on=dt.date(2025, 9, 1)
    )
    services.pairing_create(
        acting_user=SYSTEM, record=other, elders=[stranger], started_on=dt.date(2025, 9, 1)
    )
    c = _client(elder.user)
    r = c.post(
        f"/desk/youth/pairs/{pair.pk}/visit/",
        {"visited_on": "2025-10-02", "kind": "home", "mood": "好", "photo": _jpeg()},
    )
    assert r.status_code == 302
    photo = VisitPhoto.objects.get()
    url = f"/desk/youth/photos/v/{photo.pk}.jpg"
    assert Client().get(url).status_code == 302  # to the login
    for user in (stranger.user, cast.village2a_secretary, cast.village1a_officer):
        assert _client(user).get(url).status_code == 404
    refused = AuditEntry.objects.filter(object_id=str(record.pk), note="refused").count()
    assert refused == 3
    r = c.get(url)
    assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    # the record's deletion (a guardian's request) takes the photos with it
    services.record_delete(acting_user=SYSTEM, record=record)
    assert not VisitPhoto.objects.exists()
