"""Reads about logins, always for a user: invitations, requests to join, a login's state."""

from __future__ import annotations

import dataclasses

from django.db.models import QuerySet

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import is_within, subtree_q
from nutag.orgs.permissions import Perm, has_unit_perm
from nutag.people.models import Invitation, JoinRequest, Person
from nutag.people.models.accounts import JoinStatus
from nutag.people.permissions import can_review_join


def invitations_not_accepted(*, user: AnyUser, unit: Unit) -> QuerySet[Invitation]:
    """Invitations of ``unit``'s subtree neither accepted nor revoked (expired ones too, so
    they can be re-issued), newest first."""
    if not has_unit_perm(user=user, perm=Perm.INVITE_PEOPLE, unit=unit):
        raise NotFound
    return (
        Invitation.objects.filter(
            subtree_q(unit.path, "unit_path"), accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("person", "unit", "created_by")
        .order_by("-created_at", "-id")
    )


def access_invitation(*, user: AnyUser, pk: int | str) -> Invitation:
    try:
        invitation = Invitation.objects.select_related("person__unit", "unit").get(pk=int(pk))
    except (Invitation.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not has_unit_perm(user=user, perm=Perm.INVITE_PEOPLE, unit=invitation.person.unit):
        raise NotFound
    return invitation


def join_requests_of_unit(
    *, user: AnyUser, unit: Unit, status: str = JoinStatus.PENDING
) -> QuerySet[JoinRequest]:
    if not has_unit_perm(user=user, perm=Perm.MANAGE_LOGINS, unit=unit):
        raise NotFound
    return (
        JoinRequest.objects.filter(subtree_q(unit.path, "unit_path"), status=status)
        .select_related("unit", "user")
        .order_by("created_at", "id")
    )


def access_join_request(*, user: AnyUser, pk: int | str) -> JoinRequest:
    try:
        join = JoinRequest.objects.select_related("unit", "user", "person").get(pk=int(pk))
    except (JoinRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not can_review_join(user, join):
        raise NotFound
    return join


def my_join_requests(*, user: AnyUser) -> list[JoinRequest]:
    """The user's own requests to join, newest first (what their home page shows)."""
    if not user.is_authenticated:
        return []
    return list(
        JoinRequest.objects.filter(user_id=user.pk).select_related("unit").order_by("-id")[:5]
    )


def my_person(*, user: AnyUser) -> Person | None:
    if not user.is_authenticated:
        return None
    return (
        Person.objects.filter(user_id=user.pk)
        .select_related("unit", "party", "care", "youth")
        .first()
    )


def is_verified_member(*, user: AnyUser, unit: Unit) -> bool:
    """The login belongs to a person of ``unit`` or below: invited by an officer, or a
    request to join approved by the secretary. (Voice's private concerns and polls rely on
    this: a login that only asked to join is not verified.)"""
    person = my_person(user=user)
    return person is not None and is_within(person.unit_path, unit.path)


@dataclasses.dataclass(frozen=True)
class LoginState:
    has_login: bool
    active: bool
    locked: bool
    username: str
    open_invitation: Invitation | None


def login_state(*, person: Person) -> LoginState:
    """For the person's page: has a login, switched on, locked out, a link still open."""
    from axes.models import AccessAttempt

    from nutag.people.accounts.lockout import is_locked_out

    user = person.user
    invitation = (
        Invitation.objects.filter(person=person, accepted_at__isnull=True, revoked_at__isnull=True)
        .order_by("-id")
        .first()
    )
    locked = bool(
        user is not None
        and AccessAttempt.objects.filter(username=user.username).exists()
        and is_locked_out(user.username)
    )
    return LoginState(
        has_login=user is not None,
        active=bool(user and user.is_active),
        locked=locked,
        username=user.username if user else "",
        open_invitation=invitation,
    )
