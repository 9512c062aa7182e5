"""Who acts: a person's login, an anonymous visitor, or the system itself.

Every service takes ``acting_user: Actor``. ``SYSTEM`` is the explicit "nobody logged in
did this": management commands, the demo loader, background jobs. A service checks rights
for every actor but ``SYSTEM``, and writes ``None`` in its "by" columns and audit rows for
it (the audit row's ``actor`` is empty, which the history shows as "the system").
"""

from __future__ import annotations

from typing import Final, final

from django.contrib.auth.models import AnonymousUser, User


@final
class SystemActor:
    """The platform itself. There is one instance, ``SYSTEM``; compare with ``is``."""

    is_authenticated: Final = False
    is_active: Final = False
    is_superuser: Final = False
    pk: Final = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"


SYSTEM: Final = SystemActor()

AnyUser = User | AnonymousUser
Actor = User | AnonymousUser | SystemActor


def is_system(actor: object) -> bool:
    return isinstance(actor, SystemActor)
