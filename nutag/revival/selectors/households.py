"""Reads of the revitalisation ledger. Every response that shows a household is audited.

``access_household`` is the one way to a household: 404 for missing *and* out of reach. An
opening writes one ``sensitive_read_log`` row (naming the head's person, and the route); a refusal —
the household exists but the user may not read it — writes a ``refused`` row. Neither holds
an income or a note.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from nutag.core.actors import Actor, AnyUser, SystemActor
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.people.models import Person
from nutag.people.services import sensitive_read_log
from nutag.revival.models import Pairing, Visit, WatchedHousehold
from nutag.revival.permissions import can_list_households, can_view_household

REFUSED = "refused"


def _fetch(pk: int | str) -> WatchedHousehold:
    try:
        return WatchedHousehold.objects.select_related("head__unit", "unit").get(pk=int(pk))
    except (WatchedHousehold.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound from exc


def access_household(*, user: Actor, pk: int | str, where: str) -> WatchedHousehold:
    """The household, if ``user`` may read it; 404 for missing and not yours.

    Writes one audit row either way (``where`` is the route): a fixed number of queries."""
    household = _fetch(pk)
    if isinstance(user, SystemActor):
        return household
    if not can_view_household(user, household):
        audit_record(
            actor=user,
            action=AuditAction.VIEW,
            obj=household,
            unit=household.unit,
            note=f"{REFUSED}: {where}",
        )
        raise NotFound
    # One row naming the head (the household's person), whatever numbers the page shows.
    sensitive_read_log(acting_user=user, people=[household.head], where=where, always=True)
    return household


def household_details(*, household: WatchedHousehold) -> dict[str, object]:
    """What the household page shows besides the household. Call only with a household
    returned by ``access_household``."""
    return {
        "changes": list(household.changes.all()),
        "pairings": list(Pairing.objects.filter(household=household).select_related("cadre")),
        "measures": list(household.measures.all()),
        "visits": list(Visit.objects.filter(household=household).select_related("cadre")),
        "incomes": list(household.incomes.all()),
    }


def households_of_unit(
    *,
    user: AnyUser,
    unit: Unit,
    category: str = "",
    status: str = "",
) -> QuerySet[WatchedHousehold]:
    """The households of ``unit`` and below, filtered (404 without the right)."""
    if not can_list_households(user, unit):
        raise NotFound
    rows = WatchedHousehold.objects.filter(subtree_q(unit.path, "unit_path"))
    if category:
        rows = rows.filter(category=category)
    if status:
        rows = rows.filter(status=status)
    return (
        rows.select_related("head", "unit")
        .prefetch_related(
            Prefetch(
                "pairings",
                queryset=Pairing.objects.filter(ended_on__isnull=True).select_related("cadre"),
                to_attr="current_pairings",
            )
        )
        .order_by("unit_path", "head__name_pinyin", "id")
    )


def log_list_read(
    *, user: AnyUser, unit: Unit, households: list[WatchedHousehold], where: str
) -> None:
    """One audit row for a list response that shows households (their heads' ids)."""
    heads: list[Person] = [h.head for h in households]
    sensitive_read_log(acting_user=user, people=heads, where=where, unit=unit, always=True)
