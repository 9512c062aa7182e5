"""The ledger's pages and API: the negatives of the issue first (an officer outside the
subtree: 404 and an audit row; no right: 404), then bad input kept in the form, then what
they show and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from nutag.core.models import AuditEntry
from nutag.factories import make_household, person_with_position
from nutag.orgs.models import PositionTitle
from nutag.revival.models import IncomeRecord, Visit, WatchedHousehold


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def household(cast):  # type: ignore[no-untyped-def]
    return make_household(unit=cast.village1a, name="巴特尔")


@pytest.fixture
def t2_secretary(cast):  # type: ignore[no-untyped-def]
    return person_with_position(
        unit=cast.township2,
        title=PositionTitle.BRANCH_SECRETARY,
        username="t2-sec",
        name="二镇书记",
    ).user


def _refused(household: WatchedHousehold) -> int:
    return AuditEntry.objects.filter(
        object_type="revival.watchedhousehold",
        object_id=str(household.pk),
        note__startswith="refused",
    ).count()


def test_sibling_township_officer_gets_404_and_is_audited(cast, household, t2_secretary):
    c = _client(t2_secretary)
    assert c.get(f"/desk/revival/{household.pk}/").status_code == 404
    assert c.get(f"/api/v1/revival/households/{household.pk}").status_code == 404
    assert c.post(f"/desk/revival/{household.pk}/visit/", {"notes": "x"}).status_code == 404
    assert _refused(household) == 3
    assert c.get(f"/desk/u/{cast.township1.code}/revival/").status_code == 404
    assert c.get(f"/api/v1/units/{cast.township1.code}/revival/households").status_code == 404
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "who", ["banner_officer", "township1_officer", "village1a_officer", "volunteer", "resident"]
)
def test_without_the_right_404(cast, household, who):
    c = _client(getattr(cast, who))
    assert c.get(f"/desk/revival/{household.pk}/").status_code == 404
    assert c.get(f"/desk/u/{cast.village1a.code}/revival/").status_code == 404
    assert c.get(f"/api/v1/revival/households/{household.pk}").status_code == 404
    assert _refused(household) == 2


def test_secretary_of_a_sibling_village_gets_404(cast, household):
    other = make_household(unit=cast.village1b, name="其其格")
    c = _client(cast.village1a_secretary)
    assert c.get(f"/desk/revival/{other.pk}/").status_code == 404
    assert c.get(f"/desk/u/{cast.township1.code}/revival/").status_code == 404  # the unit above
    assert _refused(other) == 1


def test_missing_household_is_404_with_nothing_to_audit(cast):
    c = _client(cast.township1_secretary)
    assert c.get("/desk/revival/999999/").status_code == 404
    assert c.get("/api/v1/revival/households/99999999999999999999").status_code == 404
    assert not AuditEntry.objects.filter(object_type="revival.watchedhousehold").exists()


def test_anonymous_is_sent_to_login(household):
    r = Client().get(f"/desk/revival/{household.pk}/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_bad_input_is_shown_next_to_the_field_and_kept(cast, household):
    c = _client(cast.township1_secretary)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    r = c.post(
        f"/desk/revival/{household.pk}/visit/",
        {"visited_on": tomorrow.isoformat(), "notes": "查看春季接羔情况"},
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "查看春季接羔情况" in body  # nothing typed is lost
    assert 'aria-invalid="true"' in body or "error" in body
    r = c.post(
        f"/desk/revival/{household.pk}/income/",
        {"year": "2025", "per_capita": "-300", "sources": "养殖"},
    )
    assert r.status_code == 200 and "养殖" in r.content.decode()
    assert not Visit.objects.exists() and not IncomeRecord.objects.exists()


def test_township_secretary_keeps_a_village_household(cast, household):
    c = _client(cast.township1_secretary)
    r = c.post(
        f"/desk/revival/{household.pk}/visit/",
        {"visited_on": "2026-03-02", "notes": "查看春季接羔情况"},
    )
    assert r.status_code == 302
    r = c.post(
        f"/desk/revival/{household.pk}/income/",
        {"year": "2025", "per_capita": "6800.50", "sources": "养殖、务工"},
    )
    assert r.status_code == 302
    r = c.post(
        f"/desk/revival/{household.pk}/status/",
        {"to_status": "removed", "changed_on": "2026-06-01", "reason": "收入稳定"},
    )
    assert r.status_code == 302
    page = c.get(f"/desk/revival/{household.pk}/").content.decode()
    assert "巴特尔" in page and "查看春季接羔情况" in page and "6800.50" in page


def test_every_opening_writes_one_sensitive_read_row(cast, household):
    c = _client(cast.township1_secretary)
    before = AuditEntry.objects.filter(action="view").count()
    assert c.get(f"/desk/revival/{household.pk}/").status_code == 200
    assert c.get(f"/api/v1/revival/households/{household.pk}").status_code == 200
    listing = c.get(f"/desk/u/{cast.township1.code}/revival/")
    assert listing.status_code == 200
    assert "巴特尔" not in listing.content.decode()  # masked in lists
    api_list = c.get(f"/api/v1/units/{cast.township1.code}/revival/households").json()
    assert api_list["count"] == 1 and api_list["items"][0]["head"] != "巴特尔"
    rows = list(AuditEntry.objects.filter(action="view").order_by("id")[before:])
    assert len(rows) == 4
    # the household's openings name its head; the lists name the unit listed
    assert [(r.object_type, r.object_id) for r in rows[:2]] == [
        ("people.person", str(household.head_id))
    ] * 2
    assert [(r.object_type, r.object_id) for r in rows[2:]] == [
        ("orgs.unit", str(cast.township1.pk))
    ] * 2
    assert all(r.note.startswith("/") for r in rows)


def test_list_filters(cast, household):
    make_household(unit=cast.village1b, name="其其格", category="hardship")
    c = _client(cast.township1_secretary)
    r = c.get(f"/api/v1/units/{cast.township1.code}/revival/households?category=hardship")
    assert r.json()["count"] == 1
    r = c.get(f"/desk/u/{cast.township1.code}/revival/?category=marginal")
    assert r.status_code == 200 and "revival/" not in r.content.decode().split("<h1>")[1].split(
        "</ul>"
    )[0].replace(f"/u/{cast.township1.code}/revival/new/", "")


def test_new_household_form(cast):
    from nutag.factories import PersonFactory

    head = PersonFactory(unit=cast.village1a, name="乌力吉")
    c = _client(cast.village1a_secretary)
    r = c.post(
        f"/desk/u/{cast.village1a.code}/revival/new/",
        {"head": head.pk, "category": "marginal", "members": "0", "watched_since": "2026-01-01"},
    )
    assert r.status_code == 200 and not WatchedHousehold.objects.exists()
    r = c.post(
        f"/desk/u/{cast.village1a.code}/revival/new/",
        {"head": head.pk, "category": "marginal", "members": "3", "watched_since": "2026-01-01"},
    )
    assert r.status_code == 302
    assert WatchedHousehold.objects.get().unit == cast.village1a
