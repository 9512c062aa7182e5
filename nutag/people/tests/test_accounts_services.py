"""Logins: invitations, password links, switching off, joining a unit. Negatives first."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.factories import PersonFactory, person_with_position
from nutag.orgs.models import Access, PositionTitle
from nutag.people.accounts import services
from nutag.people.accounts.selectors import (
    invitations_not_accepted,
    is_verified_member,
    join_requests_of_unit,
)
from nutag.people.models import ImportBatch, ImportStatus, Invitation, JoinRequest, Person
from nutag.people.models.accounts import InvitationState, JoinStatus

GOOD_PASSWORD = "grass-wind-horse-2026"


def _person(unit, **kw) -> Person:  # type: ignore[no-untyped-def]
    return PersonFactory(
        unit=unit, name=kw.pop("name", "乌云"), phone=kw.pop("phone", "13800000001"), **kw
    )


# --- invitations: refusals first -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["village2a_secretary", "volunteer", "resident"])
def test_invite_outside_reach_is_not_found_and_creates_nothing(cast, who):
    person = _person(cast.village1a)
    with pytest.raises(NotFound):
        services.invitation_issue(acting_user=getattr(cast, who), person=person)
    with pytest.raises(NotFound):
        services.invitation_issue(acting_user=AnonymousUser(), person=person)
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_officer_cannot_invite_a_secretary_but_the_secretary_above_can(cast):
    sec = person_with_position(
        unit=cast.village1a, title=PositionTitle.BRANCH_SECRETARY, name="新书记"
    )
    with pytest.raises(NotFound):
        services.invitation_issue(acting_user=cast.village1a_officer, person=sec)
    issued = services.invitation_issue(acting_user=cast.township1_secretary, person=sec)
    assert issued.invitation.person == sec


@pytest.mark.django_db
def test_a_person_with_a_login_gets_no_invitation(cast):
    person = Person.objects.get(user=cast.resident)
    with pytest.raises(ValidationError):
        services.invitation_issue(acting_user=cast.village1a_officer, person=person)
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_forged_expired_used_and_revoked_links_are_refused(cast):
    person = _person(cast.village1a)
    with pytest.raises(services.InvitationRefused) as forged:
        services.invitation_by_token("not-a-real-token")
    assert forged.value.code == "unknown"

    issued = services.invitation_issue(acting_user=cast.village1a_officer, person=person)
    Invitation.objects.filter(pk=issued.invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(services.InvitationRefused) as expired:
        services.invitation_accept(token=issued.token, username="wuyun", password=GOOD_PASSWORD)
    assert expired.value.code == "expired"
    assert not User.objects.filter(username="wuyun").exists()

    again = services.invitation_issue(acting_user=cast.village1a_officer, person=person)
    services.invitation_revoke(acting_user=cast.village1a_officer, invitation=again.invitation)
    with pytest.raises(services.InvitationRefused) as revoked:
        services.invitation_by_token(again.token)
    assert revoked.value.code == "revoked"

    third = services.invitation_issue(acting_user=cast.village1a_officer, person=person)
    services.invitation_accept(token=third.token, username="wuyun", password=GOOD_PASSWORD)
    with pytest.raises(services.InvitationRefused) as used:
        services.invitation_accept(token=third.token, username="other", password=GOOD_PASSWORD)
    assert used.value.code == "used"
    assert not User.objects.filter(username="other").exists()


@pytest.mark.django_db
def test_bad_password_or_taken_name_creates_nothing(cast):
    person = _person(cast.village1a)
    issued = services.invitation_issue(acting_user=cast.village1a_officer, person=person)
    for username, password, field in (
        ("wuyun", "password", "password"),  # common
        ("wuyun", "abc", "password"),  # too short
        ("resident", GOOD_PASSWORD, "username"),  # taken
        ("bad name!", GOOD_PASSWORD, "username"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(token=issued.token, username=username, password=password)
        assert field in exc.value.message_dict
    person.refresh_from_db()
    assert person.user is None
    assert Invitation.objects.get(pk=issued.invitation.pk).state == InvitationState.OPEN


@pytest.mark.django_db
def test_invite_accept_links_a_new_login_that_can_log_in(cast):
    person = _person(cast.village1a)
    issued = services.invitation_issue(acting_user=cast.village1a_officer, person=person)
    assert len(issued.token) >= 30
    assert issued.token not in issued.invitation.token_hash  # only a digest is stored
    user = services.invitation_accept(
        token=issued.token, username=" wuyun ", password=GOOD_PASSWORD
    )
    person.refresh_from_db()
    assert person.user == user and user.username == "wuyun"
    assert user.check_password(GOOD_PASSWORD)
    assert Invitation.objects.get(pk=issued.invitation.pk).state == InvitationState.ACCEPTED


@pytest.mark.django_db
def test_reissue_revokes_the_old_link_and_the_list_shows_the_open_one(cast):
    person = _person(cast.village1a)
    first = services.invitation_issue(acting_user=cast.village1a_officer, person=person)
    second = services.invitation_issue(acting_user=cast.village1a_officer, person=person)
    with pytest.raises(services.InvitationRefused):
        services.invitation_by_token(first.token)
    assert services.invitation_by_token(second.token).pk == second.invitation.pk
    listed = list(invitations_not_accepted(user=cast.township1_secretary, unit=cast.township1))
    assert listed == [second.invitation]
    with pytest.raises(NotFound):
        invitations_not_accepted(user=cast.village2a_secretary, unit=cast.village1a)
    assert first.invitation.expires_at - timezone.now() > dt.timedelta(days=6)


@pytest.mark.django_db
def test_password_link_needs_the_secretary_and_sets_a_new_password(cast):
    person = Person.objects.get(user=cast.resident)
    with pytest.raises(NotFound):
        services.password_link_issue(acting_user=cast.village1a_officer, person=person)
    with pytest.raises(NotFound):
        services.password_link_issue(acting_user=cast.village2a_secretary, person=person)
    issued = services.password_link_issue(acting_user=cast.township1_secretary, person=person)
    user = services.invitation_accept(
        token=issued.token, username="ignored", password=GOOD_PASSWORD
    )
    assert user.pk == cast.resident.pk and user.username == "resident"
    assert User.objects.get(pk=user.pk).check_password(GOOD_PASSWORD)


@pytest.mark.django_db
def test_switching_a_login_off_keeps_the_person_and_is_refused_to_officers(cast):
    person = Person.objects.get(user=cast.resident)
    with pytest.raises(NotFound):
        services.login_set_active(acting_user=cast.village1a_officer, person=person, active=False)
    secretary = Person.objects.get(user=cast.village1a_secretary)
    with pytest.raises(NotFound):  # nobody switches off their own login
        services.login_set_active(
            acting_user=cast.village1a_secretary, person=secretary, active=False
        )
    services.login_set_active(acting_user=cast.village1a_secretary, person=person, active=False)
    assert not User.objects.get(pk=cast.resident.pk).is_active
    assert Person.objects.filter(pk=person.pk, user=cast.resident).exists()
    services.login_set_active(acting_user=cast.village1a_secretary, person=person, active=True)
    assert User.objects.get(pk=cast.resident.pk).is_active


@pytest.mark.django_db
def test_bulk_invite_from_a_roster_import(cast):
    with_phone = _person(cast.village1a, name="巴图", phone="13800000011")
    _person(cast.village1a, name="其其格", phone="")  # no phone: not invited
    other = _person(cast.village2a, name="苏和", phone="13800000012")  # outside the batch unit
    batch = ImportBatch.objects.create(
        unit=cast.township1,
        file_name="名册.xlsx",
        status=ImportStatus.DONE,
        rows=[
            {"row": 2, "name": "巴图", "phone": "13800000011"},
            {"row": 3, "name": "其其格"},
            {"row": 4, "name": "苏和", "phone": "13800000012"},
        ],
    )
    with pytest.raises(NotFound):
        services.invitations_for_import(acting_user=cast.village2a_secretary, batch=batch)
    issued = services.invitations_for_import(acting_user=cast.township1_officer, batch=batch)
    assert [i.invitation.person for i in issued] == [with_phone]
    assert not Invitation.objects.filter(person=other).exists()
    # A second run invites nobody twice.
    assert services.invitations_for_import(acting_user=cast.township1_officer, batch=batch) == []


# --- joining a unit ------------------------------------------------------------------------


def _join(cast, user=None, **kw) -> JoinRequest:  # type: ignore[no-untyped-def]
    data = services.JoinInput(
        name=kw.get("name", "乌云"),
        phone=kw.get("phone", "13800000001"),
        household=kw.get("household", "第三牧业组"),
        username=kw.get("username", ""),
        password=kw.get("password", GOOD_PASSWORD),
    )
    return services.join_request_create(
        acting_user=user or AnonymousUser(), unit=kw.get("unit", cast.village1a), data=data
    )


@pytest.mark.django_db
def test_join_refusals(cast):
    with pytest.raises(NotFound):  # a township is not joined from its site
        _join(cast, unit=cast.township1)
    with pytest.raises(ValidationError) as bad:
        _join(cast, phone="123")
    assert "phone" in bad.value.message_dict
    with pytest.raises(ValidationError) as weak:
        _join(cast, password="123456")
    assert "password" in weak.value.message_dict
    with pytest.raises(ValidationError):  # already a person of a unit
        _join(cast, user=cast.resident)
    assert not JoinRequest.objects.exists()
    assert not User.objects.filter(username="13800000001").exists()


@pytest.mark.django_db
def test_a_visitor_joins_once_with_a_new_login(cast):
    join = _join(cast)
    assert join.user.username == "13800000001" and join.status == JoinStatus.PENDING
    assert not is_verified_member(user=join.user, unit=cast.village1a)
    with pytest.raises(ValidationError):
        _join(cast, user=join.user)
    with pytest.raises(ValidationError) as taken:
        _join(cast)  # same phone as login name, not logged in
    assert "username" in taken.value.message_dict
    assert JoinRequest.objects.count() == 1


@pytest.mark.django_db
def test_approve_links_the_matching_roster_person(cast):
    roster = _person(cast.village1a, name="乌云", phone="13800000001")
    _person(cast.village1a, name="乌云", phone="13900000009")  # same name, other phone
    join = _join(cast)
    matches = services.join_matches(join_request=join)
    assert matches[0] == roster and len(matches) == 2
    with pytest.raises(NotFound):
        services.join_request_approve(
            acting_user=cast.village2a_secretary, join_request=join, person=roster
        )
    with pytest.raises(NotFound):
        services.join_request_approve(
            acting_user=cast.village1a_officer, join_request=join, person=roster
        )
    stranger = _person(cast.village2a, name="外人", phone="13800000002")
    with pytest.raises(NotFound):  # a person outside the request's unit
        services.join_request_approve(
            acting_user=cast.township1_secretary, join_request=join, person=stranger
        )
    services.join_request_approve(
        acting_user=cast.village1a_secretary, join_request=join, person=roster
    )
    roster.refresh_from_db()
    assert roster.user == join.user
    assert is_verified_member(user=join.user, unit=cast.village1a)
    assert not is_verified_member(user=join.user, unit=cast.village1b)
    with pytest.raises(ValidationError):  # answered already
        services.join_request_decline(
            acting_user=cast.village1a_secretary, join_request=join, reason="重复"
        )


@pytest.mark.django_db
def test_approve_without_a_roster_person_adds_a_resident(cast):
    join = _join(cast, name="新牧民", phone="13800000021")
    services.join_request_approve(acting_user=SYSTEM, join_request=join, person=None)
    person = Person.objects.get(user=join.user)
    assert person.unit == cast.village1a and person.is_resident and person.phone == "13800000021"


@pytest.mark.django_db
def test_decline_needs_a_reason_and_the_asker_may_ask_again(cast):
    join = _join(cast)
    with pytest.raises(ValidationError):
        services.join_request_decline(
            acting_user=cast.village1a_secretary, join_request=join, reason="  "
        )
    services.join_request_decline(
        acting_user=cast.village1a_secretary, join_request=join, reason="名册上查无此人"
    )
    assert JoinRequest.objects.get(pk=join.pk).reason == "名册上查无此人"
    again = _join(cast, user=join.user)
    assert again.status == JoinStatus.PENDING
    assert list(join_requests_of_unit(user=cast.township1_secretary, unit=cast.township1)) == [
        again
    ]


@pytest.mark.django_db
def test_the_second_of_two_approvals_is_refused(cast):
    first_person = _person(cast.village1a, name="乌云", phone="13800000001")
    join = _join(cast)
    stale = JoinRequest.objects.get(pk=join.pk)
    services.join_request_approve(
        acting_user=cast.village1a_secretary, join_request=join, person=first_person
    )
    with pytest.raises(ValidationError) as exc:
        services.join_request_approve(
            acting_user=cast.township1_secretary, join_request=stale, person=None
        )
    assert exc.value.code == "decided"
    assert Person.objects.filter(user=join.user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_end_in_one_result(cast):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the compare-and-set is checked above")
    join = _join(cast)
    results: list[str] = []

    def approve(user) -> None:  # type: ignore[no-untyped-def]
        from django.db import connections

        try:
            services.join_request_approve(acting_user=user, join_request=join, person=None)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(u,))
        for u in (cast.village1a_secretary, cast.township1_secretary)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert Person.objects.filter(user=join.user).count() == 1


@pytest.mark.django_db
def test_second_secretary_position_person_invite_by_admin_ok(cast):
    sec = person_with_position(
        unit=cast.village1b, title=PositionTitle.OFFICER, access=Access.SECRETARY, name="副书记"
    )
    assert services.invitation_issue(acting_user=cast.admin, person=sec).token


@pytest.mark.django_db
def test_a_password_link_does_not_switch_a_login_back_on(cast):
    person = Person.objects.get(user=cast.resident)
    issued = services.password_link_issue(acting_user=cast.village1a_secretary, person=person)
    services.login_set_active(acting_user=cast.village1a_secretary, person=person, active=False)
    with pytest.raises(services.InvitationRefused):  # switching off withdrew the open link
        services.invitation_by_token(issued.token)
    again = services.password_link_issue(acting_user=cast.village1a_secretary, person=person)
    user = services.invitation_accept(token=again.token, username="", password=GOOD_PASSWORD)
    assert user.check_password(GOOD_PASSWORD) and not User.objects.get(pk=user.pk).is_active
