"""Workbench people pages: search, filters, forms that keep input, masked fields, fixed queries."""

import pytest
from django.test import Client
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.models import AuditAction, AuditEntry
from nutag.factories import PersonFactory
from nutag.people.idcard import checksum_char
from nutag.people.models import CareWorker, PartyMembership, Person, YoungPerson
from nutag.people.services import PersonInput, person_create

pytestmark = pytest.mark.django_db


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_list_search_by_name_initials_and_role(cast):
    person_create(acting_user=SYSTEM, unit=cast.village1a, data=PersonInput(name="巴特尔"))
    person_create(acting_user=SYSTEM, unit=cast.village1b, data=PersonInput(name="乌云其其格"))
    client = login(cast.township1_officer)
    page = client.get(f"/desk/u/{cast.township1.code}/people/", {"q": "bte"}).content.decode()
    assert "巴特尔" in page and "乌云其其格" not in page
    page = client.get(f"/desk/u/{cast.township1.code}/people/", {"q": "乌云"}).content.decode()
    assert "乌云其其格" in page and "巴特尔" not in page
    page = client.get(f"/desk/u/{cast.township1.code}/people/", {"role": "elder"}).content.decode()
    assert "志愿者" in page and "巴特尔" not in page
    # the sibling township's list is not reachable
    assert client.get(f"/desk/u/{cast.township2.code}/people/").status_code == 404


def test_list_runs_a_fixed_number_of_queries(cast, django_assert_num_queries):
    client = login(cast.township1_officer)
    url = f"/desk/u/{cast.township1.code}/people/"
    client.get(url)  # warm the session
    with django_assert_num_queries(6) as small:
        client.get(url)
    for i in range(40):
        p = PersonFactory(unit=cast.village1b, name=f"人{i}")
        PartyMembership.objects.create(person=p, unit=cast.village1b, unit_path=cast.village1b.path)
        CareWorker.objects.create(person=p, unit=cast.village1b, unit_path=cast.village1b.path)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_add_person_keeps_everything_typed_on_error(cast):
    client = login(cast.village1a_officer)
    bad_id = "15072519600501001" + ("0" if checksum_char("15072519600501001") != "0" else "1")
    r = client.post(
        f"/desk/u/{cast.village1a.code}/people/add/",
        {"name": "额尔敦", "unit": cast.village1a.code, "phone": "13800009999", "id_number": bad_id,
         "is_party": "on", "current_location": "满洲里", "note": "放牧"},
    )  # fmt: skip
    assert r.status_code == 200
    html = r.content.decode()
    assert "check digit" in html or "校验" in html
    for typed in ("额尔敦", "13800009999", bad_id, "满洲里", "放牧"):
        assert typed in html
    assert not Person.objects.filter(name="额尔敦").exists()


def test_add_person_into_unit_out_of_reach_by_form(cast):
    client = login(cast.village1a_officer)
    r = client.post(
        f"/desk/u/{cast.village1a.code}/people/add/", {"name": "越界", "unit": cast.village2a.code}
    )
    assert r.status_code == 200  # the choice is not offered: a field error
    assert not Person.objects.filter(name="越界").exists()
    r = client.post(
        f"/desk/u/{cast.village2a.code}/people/add/", {"name": "越界", "unit": cast.village2a.code}
    )
    assert r.status_code == 404
    assert not Person.objects.filter(name="越界").exists()


def test_officer_edits_without_seeing_id_number_and_keeps_it(cast):
    first = "15072519700101002"
    number = first + checksum_char(first)
    person = person_create(
        acting_user=SYSTEM, unit=cast.village1a, data=PersonInput(name="其木格", id_number=number)
    )
    client = login(cast.village1a_officer)
    form_html = client.get(f"/desk/people/{person.pk}/edit/").content.decode()
    assert number not in form_html
    r = client.post(
        f"/desk/people/{person.pk}/edit/",
        {"name": "其木格", "unit": cast.village1a.code, "id_number": ""},
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.id_number == number


def test_young_persons_record_read_is_audited(cast):
    person = person_create(acting_user=SYSTEM, unit=cast.village1a, data=PersonInput(name="小明"))
    YoungPerson.objects.create(person=person, unit=cast.village1a, unit_path=cast.village1a.path)
    outsider = login(cast.village2a_secretary)
    assert outsider.get(f"/desk/people/{person.pk}/").status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()
    login(cast.village1a_officer).get(f"/desk/people/{person.pk}/")
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert entry.actor == cast.village1a_officer and entry.object_id == str(person.pk)


def test_missing_and_hidden_person_look_the_same(cast):
    hidden = PersonFactory(unit=cast.village2a)
    client = login(cast.village1a_secretary)
    assert client.get("/desk/people/987654/").status_code == 404
    assert client.get(f"/desk/people/{hidden.pk}/").status_code == 404
    assert client.get(f"/desk/people/{hidden.pk}/edit/").status_code == 404
    assert client.get("/desk/people/abc/").status_code == 404


def _young(cast, name="小花"):  # type: ignore[no-untyped-def]
    from nutag.people.services import YouthInput

    return person_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        data=PersonInput(name=name, youth=YouthInput(school="一小")),
    )


def test_guardians_negatives_then_add_and_remove(cast):
    import datetime as dt

    young = _young(cast)
    outsider = PersonFactory(unit=cast.village2a, name="外村人")
    child = person_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        data=PersonInput(name="小孩", birth_date=timezone.localdate() - dt.timedelta(days=3650)),
    )
    parent = PersonFactory(unit=cast.village1a, name="阿爸")
    # another village's secretary: 404
    assert (
        login(cast.village2a_secretary).get(f"/desk/people/{young.pk}/guardians/add/").status_code
        == 404
    )
    client = login(cast.village1a_officer)
    # an adult who is not a young person has no guardians page
    assert client.get(f"/desk/people/{parent.pk}/guardians/add/").status_code == 404
    # a person of another village is not offered (form error), a minor is refused
    r = client.post(
        f"/desk/people/{young.pk}/guardians/add/", {"guardian": outsider.pk, "relation": "父亲"}
    )
    assert r.status_code == 200
    r = client.post(
        f"/desk/people/{young.pk}/guardians/add/", {"guardian": child.pk, "relation": "哥哥"}
    )
    assert r.status_code == 200 and "父亲" not in r.content.decode()
    assert not young.youth.guardianships.exists()
    r = client.post(
        f"/desk/people/{young.pk}/guardians/add/", {"guardian": parent.pk, "relation": "父亲"}
    )
    assert r.status_code == 302
    link = young.youth.guardianships.get()
    assert link.guardian == parent and link.relation == "父亲"
    assert AuditEntry.objects.filter(
        object_id=str(young.pk), changes__guardian=[None, "阿爸 (父亲)"]
    ).exists()
    page = client.get(f"/desk/people/{parent.pk}/").content.decode()
    assert "小花" in page  # the guardian's page lists the ward
    r = client.post(f"/desk/people/{young.pk}/guardians/{link.pk}/remove/")
    assert r.status_code == 302
    assert not young.youth.guardianships.exists()


def test_young_persons_record_read_in_the_admin_is_audited(cast):
    young = _young(cast, name="小草")
    cast.township1_secretary.is_staff = True
    cast.township1_secretary.save()
    client = login(cast.township1_secretary)
    assert client.get(f"/admin/people/person/{young.pk}/change/").status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(young.pk)).count() == 1
    # a staff officer of another township neither reads it nor leaves a trace
    cast.village2a_secretary.is_staff = True
    cast.village2a_secretary.save()
    r = login(cast.village2a_secretary).get(f"/admin/people/person/{young.pk}/change/")
    assert r.status_code in (302, 404)
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(young.pk)).count() == 1
