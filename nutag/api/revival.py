"""The revitalisation ledger over JSON, with the pages' rights: ``GET
/api/v1/revival/households/{id}`` (one household, its opening audited like the page's) and
``GET /api/v1/units/{code}/revival/households`` (the unit's households, heads' names masked,
paginated, filtered by ``category`` and ``status``; one ``sensitive_read_log`` row per
response). Anything out of reach — a crafted id included — answers 404 and is audited as
refused. Writes stay on the workbench pages for now."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.revival_schemas import HouseholdOut, HouseholdRowOut
from nutag.api.schemas import READ_ERRORS, unit_ref
from nutag.core.masking import mask_name
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.revival.models import HouseholdStatus, RiskCategory, WatchedHousehold
from nutag.revival.selectors import (
    access_household,
    household_details,
    households_of_unit,
    log_list_read,
)

session = SessionAuth()
revival = Router(tags=["revival"])


@revival.get(
    "/revival/households/{household_id}",
    response={200: HouseholdOut, **READ_ERRORS},
    auth=session,
)
def household_detail(request: HttpRequest, household_id: int) -> dict[str, Any]:
    household = access_household(user=request.user, pk=household_id, where=request.path)
    details: dict[str, Any] = household_details(household=household)
    return {
        "id": household.pk,
        "unit": unit_ref(household.unit),
        "head": household.head.name,
        "members": household.members,
        "category": household.category,
        "status": household.status,
        "watched_since": household.watched_since,
        "notes": household.notes,
        "changes": [
            {
                "from_status": c.from_status,
                "to_status": c.to_status,
                "changed_on": c.changed_on,
                "reason": c.reason,
            }
            for c in details["changes"]
        ],
        "pairings": [
            {"id": p.pk, "cadre": p.cadre.name, "started_on": p.started_on, "ended_on": p.ended_on}
            for p in details["pairings"]
        ],
        "measures": [
            {
                "kind": m.kind,
                "description": m.description,
                "taken_on": m.taken_on,
                "amount": m.amount,
            }
            for m in details["measures"]
        ],
        "visits": [
            {
                "visited_on": v.visited_on,
                "cadre": v.cadre.name if v.cadre else None,
                "notes": v.notes,
            }
            for v in details["visits"]
        ],
        "incomes": [
            {"year": i.year, "per_capita": i.per_capita, "sources": i.sources}
            for i in details["incomes"]
        ],
    }


@revival.get(
    "/units/{code}/revival/households",
    response={200: Page[HouseholdRowOut], **READ_ERRORS},
    auth=session,
)
def unit_households(
    request: HttpRequest,
    code: str,
    category: str = "",
    status: str = "",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """``category`` and ``status`` filter when they name a category or status (else ignored)."""
    unit = access_unit(user=request.user, code=code, perm=Perm.MANAGE_REVIVAL)
    rows = households_of_unit(
        user=request.user,
        unit=unit,
        category=category if category in RiskCategory.values else "",
        status=status if status in HouseholdStatus.values else "",
    )
    shown: list[WatchedHousehold] = []

    def out(h: WatchedHousehold) -> dict[str, Any]:
        shown.append(h)
        return {
            "id": h.pk,
            "unit": unit_ref(h.unit),
            "head": mask_name(h.head.name),
            "members": h.members,
            "category": h.category,
            "status": h.status,
        }

    result = page(rows, offset=offset, limit=limit, out=out)
    log_list_read(user=request.user, unit=unit, households=shown, where=request.path)
    return result
