"""Who may do what with the revitalisation ledger: one rule per action (docs/permissions.md).

The ledger holds households' incomes and health: it is read and kept only with
``Perm.MANAGE_REVIVAL`` at the household's unit or above — unit secretaries (and platform
admins). A plain officer, a volunteer or a resident has no access; a right held at a township
covers its villages, never a sibling township or the banner above.
"""

from __future__ import annotations

from nutag.core.actors import AnyUser
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_unit_perm
from nutag.revival.models import HouseholdStatus, WatchedHousehold


def _unit(household: WatchedHousehold) -> Unit:
    """The household's unit as far as rights go (its path): no query."""
    return Unit(path=household.unit_path)


def can_list_households(user: AnyUser, unit: Unit) -> bool:
    return has_unit_perm(user=user, perm=Perm.MANAGE_REVIVAL, unit=unit)


def can_add_household(user: AnyUser, unit: Unit) -> bool:
    return has_unit_perm(user=user, perm=Perm.MANAGE_REVIVAL, unit=unit)


def can_view_household(user: AnyUser, household: WatchedHousehold) -> bool:
    return has_unit_perm(user=user, perm=Perm.MANAGE_REVIVAL, unit=_unit(household))


def can_change_household(user: AnyUser, household: WatchedHousehold) -> bool:
    """Write measures, visits, incomes, pairings and status changes."""
    return has_unit_perm(user=user, perm=Perm.MANAGE_REVIVAL, unit=_unit(household))


def can_change_status(user: AnyUser, household: WatchedHousehold) -> bool:
    return can_change_household(user, household)


NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    HouseholdStatus.WATCHED: (HouseholdStatus.REMOVED, HouseholdStatus.RETURNED),
    HouseholdStatus.REMOVED: (HouseholdStatus.WATCHED, HouseholdStatus.RETURNED),
    HouseholdStatus.RETURNED: (HouseholdStatus.WATCHED, HouseholdStatus.REMOVED),
}
