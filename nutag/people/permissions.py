"""Who may do what with people's logins: one ``can_<action>`` per action.

Called by the pages (to show or hide a button), by the API and by the services (to enforce).
Rights flow down the tree (``nutag.orgs.permissions``); see docs/permissions.md.
"""

from __future__ import annotations

from typing import Any

from nutag.core.actors import AnyUser
from nutag.orgs.models import Access, Position
from nutag.orgs.permissions import Perm, has_unit_perm, is_platform_admin
from nutag.people.models import JoinRequest, Person


def _holds_secretary_position(person: Person) -> bool:
    return Position.objects.filter(
        person=person, ended_on__isnull=True, access=Access.SECRETARY
    ).exists()


def can_invite(user: AnyUser, person: Person) -> bool:
    """Invite ``person`` to choose a password; re-issue or revoke their invitation.

    An officer may invite the people of their subtree; a person who holds a secretary's
    position gets a login only from someone who may manage logins (no officer hands out
    more rights than they hold)."""
    if not has_unit_perm(user=user, perm=Perm.INVITE_PEOPLE, unit=person.unit):
        return False
    if _holds_secretary_position(person):
        return has_unit_perm(user=user, perm=Perm.MANAGE_LOGINS, unit=person.unit)
    return True


def can_manage_login(user: AnyUser, person: Person) -> bool:
    """Switch ``person``'s login off or on, unlock it, send a fresh password link."""
    if person.user_id is not None and person.user_id == getattr(user, "pk", None):
        return False  # nobody switches off or unlocks their own login
    return has_unit_perm(user=user, perm=Perm.MANAGE_LOGINS, unit=person.unit)


def can_delete_account(user: AnyUser, target: Any) -> bool:
    """Delete a login: only its owner, for themselves (nobody deletes someone else's)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "pk", None) is not None
        and user.pk == getattr(target, "pk", None)
    )


def can_review_join(user: AnyUser, join_request: JoinRequest) -> bool:
    """Approve or decline a request to join the request's unit."""
    return has_unit_perm(user=user, perm=Perm.MANAGE_LOGINS, unit=join_request.unit)


def can_view_login_log(user: AnyUser) -> bool:
    """Read every failed and successful login (who, when, from where)."""
    return is_platform_admin(user)
