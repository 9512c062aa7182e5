"""The youth pages and API: the security list of the issue first, then what they show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.models import AuditEntry
from nutag.factories import PersonFactory, make_elder, make_youth_record, person_with_position
from nutag.orgs.models import Access, PositionTitle
from nutag.people.models import Guardianship
from nutag.youth import services
from nutag.youth.models import Need, Pairing, Visit


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def world(cast):  # type: ignore[no-untyped-def]
    mine = make_youth_record(unit=cast.village1a, name="巴特尔")
    other = make_youth_record(unit=cast.village1a, name="其其格")
    sibling = make_youth_record(unit=cast.village1b, name="乌日娜")
    mum = PersonFactory(unit=cast.village1a, name="萨仁", phone="13912345678")
    Guardianship.objects.create(young=mine.young, guardian=mum, relation="母亲")
    elder = make_elder(unit=cast.village1a, username="elder")
    pair = services.pairing_create(
        acting_user=SYSTEM, record=mine, elders=[elder], started_on=dt.date(2025, 9, 1)
    )
    youth_officer = person_with_position(
        unit=cast.village1a,
        title=PositionTitle.OFFICER,
        access=Access.YOUTH,
        username="v1a-youth",
        name="青年专干",
    ).user
    return {
        "mine": mine,
        "other": other,
        "sibling": sibling,
        "elder": elder.user,
        "pair": pair,
        "officer": youth_officer,
    }


def _refused(record) -> int:  # type: ignore[no-untyped-def]
    return AuditEntry.objects.filter(
        object_type="youth.youthrecord", object_id=str(record.pk), note="refused"
    ).count()


@pytest.mark.django_db
def test_refusals_answer_404_and_are_audited(cast, world):
    cases = [
        (world["elder"], world["other"]),  # a paired elder, another child of the village
        (world["officer"], world["sibling"]),  # a village officer, the sibling village's
        (cast.village1a_officer, world["mine"]),  # an officer without the youth right
        (cast.volunteer, world["mine"]),  # an elder not paired
        (cast.resident, world["mine"]),
        (cast.village2a_secretary, world["mine"]),
    ]
    for user, record in cases:
        before = _refused(record)
        c = _client(user)
        assert c.get(f"/desk/youth/{record.pk}/").status_code == 404
        assert c.get(f"/api/v1/youth/{record.pk}").status_code == 404  # a crafted API call
        assert _refused(record) == before + 2, user


@pytest.mark.django_db
def test_a_missing_record_is_the_same_404(world):
    c = _client(world["officer"])
    assert c.get("/desk/youth/999999/").status_code == 404
    assert c.get("/api/v1/youth/999999").status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in_and_the_api_says_401(world):
    c = Client()
    assert "/login/" in c.get(f"/desk/youth/{world['mine'].pk}/")["Location"]
    assert c.get(f"/api/v1/youth/{world['mine'].pk}").status_code == 401


@pytest.mark.django_db
def test_elder_cannot_write_for_another_child_or_list_the_village(cast, world):
    c = _client(world["elder"])
    other_pair = services.pairing_create(
        acting_user=SYSTEM,
        record=world["other"],
        elders=[make_elder(unit=cast.village1a, username="e2")],
    )
    assert (
        c.post(
            f"/desk/youth/pairs/{other_pair.pk}/visit/",
            {"visited_on": "2025-10-01", "kind": "home"},
        ).status_code
        == 404
    )
    assert c.post(f"/desk/youth/{world['other'].pk}/need/", {"need": "书包"}).status_code == 404
    assert c.get(f"/desk/u/{cast.village1a.code}/youth/").status_code == 404
    assert c.get(f"/api/v1/units/{cast.village1a.code}/youth").status_code == 404
    assert not Visit.objects.exists() and not Need.objects.exists()


@pytest.mark.django_db
def test_paired_elder_opens_their_record_and_writes_a_visit(world):
    c = _client(world["elder"])
    page = c.get(f"/desk/youth/{world['mine'].pk}/").content.decode()
    assert "巴特尔" in page and "139****5678" in page and "13912345678" not in page
    r = c.post(
        f"/desk/youth/pairs/{world['pair'].pk}/visit/",
        {
            "visited_on": timezone.localdate().isoformat(),
            "kind": "home",
            "mood": "开朗",
            "study": "",
        },
    )
    assert r.status_code == 302
    assert Visit.objects.get().written_by == world["elder"]
    mine = c.get("/desk/youth/mine/").content.decode()
    assert "巴特尔" in mine and "其其格" not in mine


@pytest.mark.django_db
def test_a_bad_visit_keeps_what_was_typed(world):
    c = _client(world["elder"])
    r = c.post(
        f"/desk/youth/pairs/{world['pair'].pk}/visit/",
        {"visited_on": "2020-01-01", "kind": "home", "mood": "想家了"},
    )
    assert r.status_code == 200
    assert "想家了" in r.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_opening_and_unmasking_are_audited_with_the_reader(world):
    c = _client(world["officer"])
    c.get(f"/desk/youth/{world['mine'].pk}/")
    page = c.get(f"/desk/youth/{world['mine'].pk}/?show=numbers").content.decode()
    assert "13912345678" in page
    notes = list(
        AuditEntry.objects.filter(
            object_type="youth.youthrecord", object_id=str(world["mine"].pk), action="view"
        )
        .order_by("id")
        .values_list("actor", "note")
    )
    assert notes == [(world["officer"].pk, "open"), (world["officer"].pk, "unmask")]


@pytest.mark.django_db
def test_opening_a_record_costs_a_fixed_number_of_queries(
    cast, world, django_assert_max_num_queries
):
    c = _client(world["officer"])
    c.get(f"/desk/youth/{world['mine'].pk}/")  # warm the session
    for i in range(5):
        services.visit_create(
            acting_user=SYSTEM,
            pairing=world["pair"],
            visited_on=dt.date(2025, 10, 1 + i),
            kind="phone",
        )
        services.need_create(acting_user=SYSTEM, record=world["mine"], need=f"需要{i}")
    with django_assert_max_num_queries(20) as ctx:
        c.get(f"/api/v1/youth/{world['mine'].pk}")
    few = len(ctx.captured_queries)
    for i in range(5):
        services.pairing_create(
            acting_user=SYSTEM,
            record=world["mine"],
            elders=[make_elder(unit=cast.village1a, username=f"x{i}")],
        )
    with django_assert_max_num_queries(few):
        c.get(f"/api/v1/youth/{world['mine'].pk}")


@pytest.mark.django_db
def test_list_masks_names_and_stays_in_the_subtree(cast, world):
    page = _client(world["officer"]).get(f"/desk/u/{cast.village1a.code}/youth/").content.decode()
    assert "巴*尔" in page and "巴特尔" not in page and "乌*娜" not in page
    data = (
        _client(cast.township1_secretary).get(f"/api/v1/units/{cast.township1.code}/youth").json()
    )
    assert data["count"] == 3
    assert sorted(r["name"] for r in data["items"]) == ["乌*娜", "其*格", "巴*尔"]
    # one row for the response, listing the young people shown (people.sensitive_read_log)
    entry = AuditEntry.objects.filter(note=f"/api/v1/units/{cast.township1.code}/youth").get()
    assert len(entry.changes["people"][1]) == 3


@pytest.mark.django_db
def test_export_needs_its_own_right_and_is_audited(cast, world):
    assert (
        _client(world["officer"]).get(f"/desk/u/{cast.village1a.code}/youth.xlsx").status_code
        == 404
    )
    r = _client(cast.village1a_secretary).get(f"/desk/u/{cast.village1a.code}/youth.xlsx")
    assert r.status_code == 200
    entry = AuditEntry.objects.get(note__startswith="export")
    assert entry.note == "export: 2" and entry.actor == cast.village1a_secretary


@pytest.mark.django_db
def test_archived_records_only_for_the_banner_youth_officer(cast, world):
    from nutag.youth.models import RecordStatus

    world["mine"].status = RecordStatus.ARCHIVED
    world["mine"].save()
    assert _client(world["officer"]).get(f"/desk/youth/{world['mine'].pk}/").status_code == 404
    assert (
        _client(cast.township1_secretary).get(f"/desk/youth/{world['mine'].pk}/").status_code == 404
    )
    banner_youth = person_with_position(
        unit=cast.banner,
        title=PositionTitle.OFFICER,
        access=Access.YOUTH,
        username="banner-youth",
        name="旗青年专干",
    ).user
    assert _client(banner_youth).get(f"/desk/youth/{world['mine'].pk}/").status_code == 200


@pytest.mark.django_db
def test_officer_pairs_and_ends_and_resolves(cast, world):
    c = _client(world["officer"])
    elder2 = make_elder(unit=cast.village1a, username="elder2", name="额尔敦")
    r = c.post(
        f"/desk/youth/{world['other'].pk}/pair/",
        {"elders": [elder2.pk], "started_on": "2025-09-01"},
    )
    assert r.status_code == 302
    pair = Pairing.objects.get(record=world["other"])
    assert c.post(f"/desk/youth/pairs/{pair.pk}/end/").status_code == 302
    need = services.need_create(acting_user=SYSTEM, record=world["other"], need="助学金")
    assert (
        c.post(f"/desk/youth/needs/{need.pk}/resolve/", {"resource": "旗教育基金"}).status_code
        == 302
    )
    need.refresh_from_db()
    assert need.resolved_on is not None


@pytest.mark.django_db
def test_the_admin_keeps_the_lists_for_platform_admins_only(cast):
    admin_client = _client(cast.admin)
    assert admin_client.get("/admin/youth/circumstance/").status_code == 200
    assert "留守儿童" in admin_client.get("/admin/youth/circumstance/").content.decode()
    cast.banner_officer.is_staff = True
    cast.banner_officer.save()
    assert _client(cast.banner_officer).get("/admin/youth/circumstance/").status_code == 403
    assert admin_client.get("/admin/youth/youthrecord/").status_code == 404


@pytest.mark.django_db
def test_the_elders_own_page_leads_to_their_pairs(cast, world):
    page = _client(world["elder"]).get("/desk/me/").content.decode()
    assert "/desk/youth/mine/" in page
    assert "/desk/youth/mine/" not in _client(cast.volunteer).get("/desk/me/").content.decode()
