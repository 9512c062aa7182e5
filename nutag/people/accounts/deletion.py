"""A person deletes their own login (issue 13: "a resident who deletes their account leaves
their concerns anonymised, not gone").

Higher apps (voice …) register hooks here, since people imports none of them; each hook is
called inside the deletion's transaction with the login and its person record (or ``None``)
and must detach the login and the person from what it stores, never delete the records.

The login is *deactivated and stripped*, not deleted: its username becomes ``deleted-<id>``,
its names and e-mail are emptied, its password unusable, and it is detached from the person.
Keeping the row keeps the audit trail whole (audit rows point to their actor with
``SET_NULL``: deleting the row would blank "who did it" on every step an officer ever took),
and an inactive login can neither log in, nor use an API token, nor a chat-app binding (all
three check ``is_active``). The person record stays: a roster entry belongs to the unit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from nutag.core.actors import Actor, is_system
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.people.models import Invitation, JoinRequest, Person
from nutag.people.permissions import can_delete_account


class DeletionHook(Protocol):
    def __call__(self, *, acting_user: Actor, user: User, person: Person | None) -> None: ...


_HOOKS: list[Callable[..., None]] = []


def register_account_deletion_hook(fn: DeletionHook) -> DeletionHook:
    """Call ``fn(acting_user=, user=, person=)`` when a login is deleted (idempotent)."""
    if fn not in _HOOKS:
        _HOOKS.append(fn)
    return fn


@transaction.atomic
def account_delete(*, acting_user: Actor, user: User) -> None:
    """Delete ``user``'s login: only its owner may (``NotFound`` for anyone else). The
    caller (the page) has confirmed the password."""
    if not is_system(acting_user) and not can_delete_account(acting_user, user):  # type: ignore[arg-type]
        raise NotFound
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active and user.username.startswith("deleted-"):
        raise NotFound  # already deleted
    person = Person.objects.select_related("unit").filter(user=user).first()
    for hook in list(_HOOKS):
        hook(acting_user=acting_user, user=user, person=person)
    if person is not None:  # an open invitation would hand the record a new login
        Invitation.objects.filter(
            person=person, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    JoinRequest.objects.filter(user=user).delete()  # they hold a name and a phone number
    user.username = f"deleted-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    if person is not None:
        person.user = None
        person.save(update_fields=["user"])
    audit_record(
        actor=user if not is_system(acting_user) else acting_user,  # type: ignore[arg-type]
        action=AuditAction.DELETE,
        obj=person if person is not None else user,
        # A login without a person record is written down at the top of the tree.
        unit=person.unit if person is not None else Unit.objects.order_by("path").first(),
        changes={"login": [user.pk, None]},
        note="account deleted by its owner",
    )
