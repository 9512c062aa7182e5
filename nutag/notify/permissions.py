"""Who may do what with notifications: one function per action."""

from __future__ import annotations

from nutag.core.actors import AnyUser
from nutag.notify.models import Notification
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_perm_above, has_unit_perm
from nutag.people.models import Person


def can_read_notification(user: AnyUser, notification: Notification) -> bool:
    """Only the recipient, through their own login; not even a platform admin (the admin
    site shows delivery states, which is their tool)."""
    return bool(
        user.is_authenticated
        and notification.recipient.user_id is not None
        and notification.recipient.user_id == user.pk
    )


def can_change_notify_settings(user: AnyUser, person: Person) -> bool:
    return bool(user.is_authenticated and person.user_id == user.pk)


def can_send_notice(user: AnyUser, unit: Unit) -> bool:
    """A notice to everyone in a unit's subtree: those who may issue tasks there."""
    return has_unit_perm(user=user, perm=Perm.ISSUE_TASKS, unit=unit)


def can_set_policy(user: AnyUser, unit: Unit) -> bool:
    """The banner's digest hour and officers' defaults: its secretaries (the root unit)."""
    return unit.depth == 1 and (
        has_unit_perm(user=user, perm=Perm.MANAGE_STANDARDS, unit=unit)
        or has_perm_above(user=user, perm=Perm.MANAGE_STANDARDS, unit=unit)
    )
