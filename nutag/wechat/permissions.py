"""Who may do what with an official account (docs/permissions.md, ``configure_wechat``)."""

from __future__ import annotations

from nutag.core.actors import AnyUser
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_unit_perm


def can_configure_account(user: AnyUser, unit: Unit) -> bool:
    """Connect the unit's account, change its secrets and keyword replies: the secretary's
    right over the unit itself (``CHANGE_UNIT``), at the unit or above."""
    return has_unit_perm(user=user, perm=Perm.CHANGE_UNIT, unit=unit)
