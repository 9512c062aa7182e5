"""Login pages: lockout, the second factor, invitations and joining through the pages."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from nutag.factories import TEST_PASSWORD, PersonFactory
from nutag.people.accounts import services
from nutag.people.models import Invitation, JoinRequest, Person

GOOD_PASSWORD = "grass-wind-horse-2026"


def _login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/desk/login/", {"username": username, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- login protection ---------------------------------------------------------------------


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_the_login_and_the_right_one_is_then_refused(cast, client):
    for _i in range(10):
        r = _login(client, "v1a-secretary", "wrong-password")
        assert not _logged_in(client)
    r = _login(client, "v1a-secretary", TEST_PASSWORD)
    assert r.status_code == 429
    assert not _logged_in(client)
    page = r.content.decode()
    assert "再试" in page or "Try again" in page  # when to try again
    assert "书记" in page or "secretary" in page  # who can unlock
    assert AccessFailureLog.objects.filter(username="v1a-secretary").count() >= 10


@pytest.mark.django_db
def test_a_username_longer_than_axes_keeps_is_refused_and_counted_not_a_server_error(cast):
    """A scanner's 300-character username: refused like any wrong login, kept cut to the 255
    characters axes' columns hold (PostgreSQL refused the row: a server error), and ten of
    them lock that name as ten of any other do."""
    long_name = "长" * 300
    client = Client(REMOTE_ADDR="10.0.0.7")
    r = _login(client, long_name, "wrong-password")
    assert r.status_code == 200 and not _logged_in(client)
    kept = AccessAttempt.objects.get()
    assert kept.username == long_name[:255]
    assert AccessFailureLog.objects.get().username == long_name[:255]
    for i in range(9):
        _login(Client(REMOTE_ADDR=f"10.0.1.{i}"), long_name, "wrong-password")
    r = _login(Client(REMOTE_ADDR="10.0.2.1"), long_name, "wrong-password")
    assert r.status_code == 429


@pytest.mark.django_db
def test_lockout_is_per_address_too(cast):
    for i in range(10):
        _login(Client(REMOTE_ADDR="10.0.0.9"), f"nobody{i}", "wrong-password")
    r = _login(Client(REMOTE_ADDR="10.0.0.9"), "t1-secretary", TEST_PASSWORD)
    assert r.status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.10")
    _login(other, "t1-secretary", TEST_PASSWORD)
    assert _logged_in(other)


@pytest.mark.django_db
def test_the_secretary_above_unlocks_and_successes_are_recorded(cast, client):
    for _i in range(10):
        _login(client, "resident", "wrong-password")
    person = Person.objects.get(user=cast.resident)
    officer = Client()
    officer.force_login(cast.village1a_officer)
    assert officer.post(f"/desk/people/{person.pk}/login/unlock/").status_code == 404
    sibling = Client()
    sibling.force_login(cast.village2a_secretary)
    assert sibling.post(f"/desk/people/{person.pk}/login/unlock/").status_code == 404
    secretary = Client()
    secretary.force_login(cast.township1_secretary)
    page = secretary.get(f"/desk/people/{person.pk}/").content.decode()
    assert f"/desk/people/{person.pk}/login/unlock/" in page
    assert secretary.post(f"/desk/people/{person.pk}/login/unlock/").status_code == 302
    assert not AccessAttempt.objects.filter(username="resident").exists()
    fresh = Client(REMOTE_ADDR="10.0.0.11")
    _login(fresh, "resident", TEST_PASSWORD)
    assert _logged_in(fresh)
    assert AccessLog.objects.filter(username="resident").exists()


@pytest.mark.django_db
def test_the_login_log_is_for_platform_admins(cast):
    _login(Client(), "resident", "wrong-password")
    admin = Client()
    admin.force_login(cast.admin)
    assert admin.get("/admin/axes/accessfailurelog/").status_code == 200
    officer = Client()
    officer.force_login(cast.banner_officer)
    assert officer.get("/admin/axes/accessfailurelog/").status_code in (302, 403, 404)


@pytest.mark.django_db
def test_a_switched_off_login_cannot_log_in(cast, client):
    person = Person.objects.get(user=cast.resident)
    secretary = Client()
    secretary.force_login(cast.village1a_secretary)
    secretary.post(f"/desk/people/{person.pk}/login/active/", {"active": "0"})
    _login(client, "resident", TEST_PASSWORD)
    assert not _logged_in(client)
    assert Person.objects.filter(pk=person.pk).exists()


# --- the second factor --------------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def otp_on(settings):  # type: ignore[no-untyped-def]
    settings.NUTAG_OTP_REQUIRED = True
    settings.NUTAG_OTP_GRACE_DAYS = 0
    return settings


@pytest.mark.django_db
def test_who_needs_a_second_factor(cast, otp_on):
    from nutag.people.accounts.second_factor import second_factor_required

    assert second_factor_required(cast.admin)
    assert second_factor_required(cast.village1a_secretary)  # can read ID numbers
    assert not second_factor_required(cast.village1a_officer)
    assert not second_factor_required(cast.banner_officer)
    assert not second_factor_required(cast.resident)
    otp_on.NUTAG_OTP_REQUIRED = False
    assert not second_factor_required(cast.admin)


@pytest.mark.django_db
def test_workbench_admin_and_api_ask_for_enrolment_then_verification(cast, otp_on):
    c = Client()
    _login(c, "admin", TEST_PASSWORD)
    assert _logged_in(c)
    for path in ("/desk/", "/admin/", f"/desk/u/{cast.village1a.code}/people/"):
        r = c.get(path)
        assert r.status_code == 302 and r["Location"].startswith("/desk/account/2fa/?next="), path
    api = c.get(f"/api/v1/units/{cast.village1a.code}/people")
    assert api.status_code == 403
    assert c.get("/").status_code == 200  # public pages are not gated

    page = c.get("/desk/account/2fa/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=cast.admin, confirmed=False)
    bad = c.post("/desk/account/2fa/", {"token": "000000", "next": "/desk/"})
    assert bad.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    done = c.post("/desk/account/2fa/", {"token": _code(device), "next": "/admin/"})
    codes = re.findall(r"<li>(\d{8})</li>", done.content.decode())
    assert len(codes) == 8
    assert c.get("/admin/").status_code == 200
    assert c.get(f"/api/v1/units/{cast.village1a.code}/people").status_code == 200

    # A new session must verify: a wrong code is refused, a recovery code works once.
    c2 = Client()
    _login(c2, "admin", TEST_PASSWORD)
    r = c2.get("/desk/")
    assert r["Location"].startswith("/desk/account/2fa/verify/")
    assert c2.post("/desk/account/2fa/verify/", {"token": "12345678"}).status_code == 200
    assert c2.get("/desk/").status_code == 302
    # django-otp throttles after a wrong code (1 s, then doubling); the test skips the wait.
    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    r = c2.post("/desk/account/2fa/verify/", {"token": codes[0], "next": "/desk/"})
    assert r.status_code == 302 and r["Location"] == "/desk/"
    assert c2.get("/desk/").status_code == 200
    c3 = Client()
    _login(c3, "admin", TEST_PASSWORD)
    c3.post("/desk/account/2fa/verify/", {"token": codes[0]})
    assert c3.get("/desk/").status_code == 302  # used up


@pytest.mark.django_db
def test_officers_get_a_grace_period_with_a_reminder(cast, otp_on):
    otp_on.NUTAG_OTP_GRACE_DAYS = 7
    c = Client()
    c.force_login(cast.village1a_secretary)
    r = c.get(f"/desk/u/{cast.village1a.code}/")
    assert r.status_code == 200
    assert "/desk/account/2fa/" in r.content.decode()
    User.objects.filter(pk=cast.village1a_secretary.pk).update(date_joined="2020-01-01T00:00Z")
    assert c.get(f"/desk/u/{cast.village1a.code}/").status_code == 302
    admin = Client()
    admin.force_login(cast.admin)
    assert admin.get("/desk/").status_code == 302  # platform admins have no grace


# --- invitations and joining through the pages --------------------------------------------


@pytest.mark.django_db
def test_invite_page_flow_and_refused_links(cast):
    person = PersonFactory(unit=cast.village1a, name="乌云", phone="13800000001")
    outsider = Client()
    outsider.force_login(cast.village2a_secretary)
    assert outsider.post(f"/desk/people/{person.pk}/invite/").status_code == 404
    resident = Client()
    resident.force_login(cast.resident)
    assert resident.post(f"/desk/people/{person.pk}/invite/").status_code == 404
    assert not Invitation.objects.exists()

    officer = Client()
    officer.force_login(cast.village1a_officer)
    assert "/invite/" in officer.get(f"/desk/people/{person.pk}/").content.decode()
    r = officer.post(f"/desk/people/{person.pk}/invite/")
    invitation = Invitation.objects.get(person=person)
    assert r["Location"] == f"/desk/invitations/{invitation.pk}/"
    page = officer.get(r["Location"]).content.decode()
    link = re.search(r'href="(http://testserver/desk/invite/[^"]+)"', page).group(1)
    assert "<svg" in page
    assert "乌云" in officer.get(f"/desk/u/{cast.village1a.code}/invitations/").content.decode()
    assert outsider.get(f"/desk/invitations/{invitation.pk}/").status_code == 404

    invitee = Client()
    path = link.replace("http://testserver", "")
    form = invitee.get(path)
    assert form.status_code == 200 and "13800000001" in form.content.decode()
    weak = invitee.post(path, {"username": "wuyun", "password": "12345678"})
    assert weak.status_code == 200 and "wuyun" in weak.content.decode()  # kept
    assert not User.objects.filter(username="wuyun").exists()
    r = invitee.post(path, {"username": "wuyun", "password": GOOD_PASSWORD})
    assert r.status_code == 302 and _logged_in(invitee)
    assert invitee.get("/desk/").status_code == 302  # no unit rights: the personal page
    home = invitee.get("/desk/me/").content.decode()
    assert "乌云" in home and cast.village1a.name in home

    assert Client().get(path).status_code == 410  # used
    assert Client().get("/desk/invite/forged-token/").status_code == 404


@pytest.mark.django_db
def test_join_pages_and_approval(cast):
    assert Client().get(f"/desk/join/{cast.township1.code}/").status_code == 404
    assert Client().get("/desk/join/000000000000/").status_code == 404
    site = Client().get(f"/u/{cast.village1a.code}/").content.decode()
    assert f"/desk/join/{cast.village1a.code}/" in site
    roster = PersonFactory(unit=cast.village1a, name="乌云", phone="13800000001")
    visitor = Client()
    bad = visitor.post(
        f"/desk/join/{cast.village1a.code}/",
        {"name": "乌云", "phone": "12", "household": "三组", "password": GOOD_PASSWORD},
    )
    assert bad.status_code == 200 and "三组" in bad.content.decode()
    assert not JoinRequest.objects.exists()
    r = visitor.post(
        f"/desk/join/{cast.village1a.code}/",
        {"name": "乌云", "phone": "13800000001", "household": "三组", "password": GOOD_PASSWORD},
    )
    assert r["Location"] == "/desk/me/" and _logged_in(visitor)
    join = JoinRequest.objects.get()
    again = visitor.get(f"/desk/join/{cast.village1a.code}/").content.decode()
    assert '<form method="post" class="card">' not in again

    for user in (cast.village2a_secretary, cast.village1a_officer, cast.resident):
        c = Client()
        c.force_login(user)
        assert c.get(f"/desk/join-requests/{join.pk}/").status_code == 404
        assert (
            c.post(
                f"/desk/join-requests/{join.pk}/", {"decision": "approve", "person": "new"}
            ).status_code
            == 404
        )
    secretary = Client()
    secretary.force_login(cast.village1a_secretary)
    listing = secretary.get(f"/desk/u/{cast.village1a.code}/join-requests/").content.decode()
    assert "乌云" in listing
    page = secretary.get(f"/desk/join-requests/{join.pk}/").content.decode()
    assert f'value="{roster.pk}"' in page
    empty = secretary.post(f"/desk/join-requests/{join.pk}/", {"decision": "decline", "reason": ""})
    assert empty.status_code == 200
    r = secretary.post(
        f"/desk/join-requests/{join.pk}/", {"decision": "approve", "person": str(roster.pk)}
    )
    assert r.status_code == 302
    roster.refresh_from_db()
    assert roster.user == join.user
    assert "乌云" in visitor.get("/desk/me/").content.decode()


@pytest.mark.django_db
def test_bulk_invite_page(cast):
    from nutag.people.models import ImportBatch, ImportStatus

    PersonFactory(unit=cast.village1a, name="巴图", phone="13800000011")
    batch = ImportBatch.objects.create(
        unit=cast.village1a,
        file_name="名册.xlsx",
        status=ImportStatus.DONE,
        rows=[{"row": 2, "name": "巴图", "phone": "13800000011"}],
    )
    outsider = Client()
    outsider.force_login(cast.village2a_secretary)
    assert outsider.post(f"/desk/imports/{batch.pk}/invite/").status_code == 404
    officer = Client()
    officer.force_login(cast.village1a_officer)
    page = officer.post(f"/desk/imports/{batch.pk}/invite/").content.decode()
    assert "巴图" in page and page.count("<svg") == 1
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_personal_home_for_roles_without_a_unit_right(cast):
    for user in (cast.resident, cast.volunteer):
        c = Client()
        c.force_login(user)
        r = c.get("/desk/")
        assert r.status_code == 302 and r["Location"] == "/desk/me/"
        page = c.get("/desk/me/").content.decode()
        assert cast.village1a.name in page
        assert f"/u/{cast.village1a.code}/" in page
    lone = User.objects.create_user("lone", password=GOOD_PASSWORD)
    c = Client()
    c.force_login(lone)
    assert c.get("/desk/me/").status_code == 200
    assert services.JOINABLE_KINDS


@pytest.mark.django_db
def test_password_change_with_show_password_and_elder_friendly_rules(cast):
    c = Client()
    c.force_login(cast.resident)
    page = c.get("/desk/account/password/").content.decode()
    assert page.count("pw-show") == 1 and "new_password2" in page
    for weak in ("12345678", "resident1", "short"):  # common, like the login name, too short
        r = c.post(
            "/desk/account/password/",
            {"old_password": TEST_PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert r.status_code == 200
    passphrase = "我家的马跑得最快"  # a long phrase, no digits or capitals: welcome
    r = c.post(
        "/desk/account/password/",
        {"old_password": TEST_PASSWORD, "new_password1": passphrase, "new_password2": passphrase},
    )
    assert r.status_code == 302
    assert User.objects.get(pk=cast.resident.pk).check_password(passphrase)
