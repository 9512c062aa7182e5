"""Every response that shows a minor's record or a full phone or ID number writes ONE audit row.

``test_every_route_that_shows_a_full_number_is_audited`` walks every GET route of the
project (pages, API, admin, exports) with a person's pk and unit code filled in, and fails
on any response that shows the person's full phone or ID number without an audit row
listing them — so a new route that shows them is caught without editing this test.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from nutag.core.actors import SYSTEM
from nutag.core.models import AuditAction, AuditEntry
from nutag.people.idcard import checksum_char
from nutag.people.models import YoungPerson
from nutag.people.services import PersonInput, person_create, sensitive_read_log

pytestmark = pytest.mark.django_db

PHONE = "13912349876"
ID_FIRST = "15072519800712345"
ID_NUMBER = ID_FIRST + checksum_char(ID_FIRST)
KWARG = re.compile(r"<(?:\w+:)?(\w+)>")
SKIP = {"desk/logout/"}
SKIP_PREFIXES = ("admin/otp_",)  # django-otp's own admin pages (a device's QR code)


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _views() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.VIEW).order_by("pk"))


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    out: list[str] = []
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out.extend(_routes(p, route))
        elif isinstance(p, URLPattern) and not route.startswith("^") and "(?P<" not in route:
            out.append(route)
    return out


def _fill(route: str, *, pk: int, code: str) -> str | None:
    values = {"pk": str(pk), "person_id": str(pk), "object_id": str(pk), "code": code}
    names = KWARG.findall(route)
    if any(n not in values for n in names):
        return None
    return "/" + KWARG.sub(lambda m: values[m.group(1)], route)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return body.decode("utf-8", "replace")


@pytest.fixture
def person(cast):  # type: ignore[no-untyped-def]
    return person_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        data=PersonInput(name="其木格", phone=PHONE, id_number=ID_NUMBER),
    )


def test_masked_responses_write_nothing(cast, person):
    # an officer reads phones, never ID numbers: with the phone removed nothing is shown
    person.phone = ""
    person.save(update_fields=["phone"])
    assert (
        sensitive_read_log(acting_user=cast.village1a_officer, people=[person], where="/x") is None
    )
    assert _views() == []


def test_outsiders_get_404_and_leave_no_row(cast, person):
    for who in (cast.village2a_secretary, cast.volunteer, cast.resident):
        client = login(who)
        assert client.get(f"/desk/people/{person.pk}/").status_code == 404
        assert client.get(f"/api/v1/people/{person.pk}").status_code == 404
        assert client.get(f"/api/v1/units/{cast.village1a.code}/people").status_code == 404
    assert _views() == []


def test_one_row_per_response_listing_the_people_shown(cast, person):
    other = person_create(
        acting_user=SYSTEM,
        unit=cast.village1b,
        data=PersonInput(name="巴特尔", phone="13900001111"),
    )
    nobody = person_create(acting_user=SYSTEM, unit=cast.village1b, data=PersonInput(name="某某"))
    client = login(cast.township1_secretary)
    response = client.get(f"/api/v1/units/{cast.township1.code}/people")
    assert response.status_code == 200 and ID_NUMBER in response.content.decode()
    [entry] = _views()
    assert entry.unit == cast.township1 and entry.actor == cast.township1_secretary
    assert sorted(entry.changes["people"][1]) == sorted([person.pk, other.pk])
    assert nobody.pk not in entry.changes["people"][1]
    assert entry.changes["shown"][1] == ["phone", "id_number"]


def test_a_minor_is_audited_even_when_everything_is_masked(cast):
    young = person_create(acting_user=SYSTEM, unit=cast.village1a, data=PersonInput(name="小明"))
    YoungPerson.objects.create(person=young, unit=cast.village1a, unit_path=cast.village1a.path)
    client = login(cast.village1a_officer)
    assert client.get(f"/api/v1/units/{cast.village1a.code}/people").status_code == 200
    assert client.get(f"/desk/people/{young.pk}/edit/").status_code == 200
    entries = _views()
    assert len(entries) == 2
    assert all(e.changes["people"][1] == [young.pk] for e in entries)
    assert all(e.changes["shown"][1] == ["minor"] for e in entries)


def test_every_route_that_shows_a_full_number_is_audited(cast, person):
    cast.township1_secretary.is_staff = True
    cast.township1_secretary.save()
    client = login(cast.township1_secretary)
    showing: list[str] = []
    for route in _routes():
        if route in SKIP or route.startswith(SKIP_PREFIXES):
            continue
        for code in (cast.village1a.code,):
            url = _fill(route, pk=person.pk, code=code)
            if url is None:
                continue
            before = AuditEntry.objects.filter(action=AuditAction.VIEW).count()
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = _text(response)
            if ID_NUMBER not in text and PHONE not in text:
                continue
            showing.append(route)
            rows = list(AuditEntry.objects.filter(action=AuditAction.VIEW).order_by("pk")[before:])
            assert len(rows) == 1, f"{url}: {len(rows)} audit rows"
            assert person.pk in rows[0].changes["people"][1], url
    # the walk found the known places (so it cannot pass by finding nothing)
    for known in (
        "desk/people/<int:pk>/",
        "desk/people/<int:pk>/edit/",
        "desk/u/<str:code>/people.xlsx",
        "api/v1/units/<code>/people",
        "api/v1/people/<person_id>",
        "admin/people/person/<path:object_id>/change/",
    ):
        assert known in showing, known
