"""A person deletes their own login (/desk/me/delete/): negatives first."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.factories import TEST_PASSWORD
from nutag.people.accounts import deletion
from nutag.people.models import Person

URL = "/desk/me/delete/"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(cast):
    r = Client().post(URL, {"password": TEST_PASSWORD})
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert User.objects.get(pk=cast.resident.pk).is_active


@pytest.mark.django_db
def test_nobody_deletes_someone_elses_login(cast):
    for actor in (cast.village1a_secretary, cast.banner_officer, cast.admin):
        with pytest.raises(NotFound):
            deletion.account_delete(acting_user=actor, user=cast.resident)
    resident = User.objects.get(pk=cast.resident.pk)
    assert resident.is_active and resident.username == "resident"
    assert Person.objects.get(name="牧民").user_id == resident.pk


@pytest.mark.django_db
def test_the_page_has_no_way_to_name_another_login(cast):
    c = _client(cast.village1a_secretary)
    c.post(URL, {"password": TEST_PASSWORD, "user": cast.resident.pk, "pk": cast.resident.pk})
    assert User.objects.get(pk=cast.resident.pk).is_active  # only the secretary's own went
    assert not User.objects.get(pk=cast.village1a_secretary.pk).is_active


@pytest.mark.django_db
def test_wrong_password_keeps_everything(cast):
    r = _client(cast.resident).post(URL, {"password": "not-it"})
    assert r.status_code == 200
    assert "密码不对" in r.content.decode() or "password" in r.content.decode().lower()
    resident = User.objects.get(pk=cast.resident.pk)
    assert resident.is_active and resident.check_password(TEST_PASSWORD)
    assert Person.objects.get(name="牧民").user_id == resident.pk


@pytest.mark.django_db
def test_the_page_warns_what_happens(cast):
    page = _client(cast.resident).get(URL).content.decode()
    assert 'type="password"' in page and "<script" not in page.split("</header>")[-1]


@pytest.mark.django_db
def test_deleting_my_login_strips_it_keeps_the_person_and_cannot_sign_in(cast):
    r = _client(cast.resident).post(URL, {"password": TEST_PASSWORD})
    assert r.status_code == 302
    user = User.objects.get(pk=cast.resident.pk)
    assert not user.is_active and not user.has_usable_password()
    assert user.username == f"deleted-{user.pk}" and user.email == ""
    person = Person.objects.get(name="牧民")  # the roster entry stays
    assert person.user_id is None
    assert AuditEntry.objects.filter(
        object_type="people.person", object_id=str(person.pk), action="delete"
    ).exists()
    c = Client()
    c.post("/desk/login/", {"username": "resident", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in c.session
    # The session that deleted it has ended.
    assert Client().get("/desk/me/").status_code == 302


@pytest.mark.django_db
def test_system_may_delete_and_a_deleted_login_cannot_be_deleted_twice(cast):
    deletion.account_delete(acting_user=SYSTEM, user=cast.resident)
    with pytest.raises(NotFound):
        deletion.account_delete(acting_user=SYSTEM, user=cast.resident)


@pytest.mark.django_db
def test_hooks_run_with_the_login_and_its_person(cast):
    seen: list[tuple[int, str | None]] = []

    def hook(*, acting_user, user, person):  # type: ignore[no-untyped-def]
        seen.append((user.pk, person.name if person else None))

    deletion.register_account_deletion_hook(hook)
    deletion.register_account_deletion_hook(hook)  # idempotent
    try:
        deletion.account_delete(acting_user=cast.resident, user=cast.resident)
    finally:
        deletion._HOOKS.remove(hook)
    assert seen == [(cast.resident.pk, "牧民")]
