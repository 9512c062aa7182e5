"""Grid governance over JSON, with the pages' rights.

- ``GET /api/v1/units/{code}/grids``: the unit's own grids in use, as its site shows them
  (name, area, the worker's name, the phone the worker chose to show); public, paginated.
- ``GET /api/v1/units/{code}/incidents``: the incidents of the unit and below, for those who
  handle incidents there (``handle_incident``), filtered by ``state`` and ``kind``; paginated.
- ``GET /api/v1/incidents/{id}``: one incident with its mediation log, for those who handle
  it there and the grid's own worker.
Anything missing or out of reach answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import READ_ERRORS, ErrorOut, UnitRef, unit_ref
from nutag.grid.models import Grid, Incident
from nutag.grid.selectors import (
    access_incident,
    incident_mediations,
    incidents_of_unit,
    public_grids,
)
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit, get_unit_by_code

session = SessionAuth()
grid = Router(tags=["grid"])


class GridOut(Schema):
    id: int
    name: str
    area: str
    worker: str | None
    phone: str


class IncidentRowOut(Schema):
    id: int
    unit: UnitRef
    grid: str
    kind: str
    state: str
    reported_on: dt.date
    resolved_on: dt.date | None
    follow_up_on: dt.date | None
    concern: str | None


class MediationOut(Schema):
    held_on: dt.date
    mediator: str
    agreed: str


class IncidentOut(IncidentRowOut):
    summary: str
    parties: str
    outcome: str
    referred_to: UnitRef | None
    referral_reason: str
    follow_up_notes: str
    followed_up_on: dt.date | None
    mediations: list[MediationOut]


def _grid(g: Grid) -> dict[str, Any]:
    return {
        "id": g.pk,
        "name": g.name,
        "area": g.area,
        "worker": g.worker.name if g.worker else None,
        "phone": g.public_phone,
    }


def _row(i: Incident) -> dict[str, Any]:
    return {
        "id": i.pk,
        "unit": unit_ref(i.unit),
        "grid": i.grid.name,
        "kind": i.kind,
        "state": i.state,
        "reported_on": i.reported_on,
        "resolved_on": i.resolved_on,
        "follow_up_on": i.follow_up_on,
        "concern": i.concern.number if i.concern_id and i.concern else None,
    }


@grid.get("/units/{code}/grids", response={200: Page[GridOut], 404: ErrorOut})
def unit_grids(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    return page(public_grids(unit=unit), offset=offset, limit=limit, out=_grid)


@grid.get(
    "/units/{code}/incidents", response={200: Page[IncidentRowOut], **READ_ERRORS}, auth=session
)
def unit_incidents(
    request: HttpRequest,
    code: str,
    state: str = "",
    kind: str = "",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    unit = access_unit(user=request.user, code=code, perm=Perm.HANDLE_CONCERNS)
    rows = incidents_of_unit(user=request.user, unit=unit, state=state, kind=kind)
    return page(rows.select_related("concern"), offset=offset, limit=limit, out=_row)


@grid.get("/incidents/{incident_id}", response={200: IncidentOut, **READ_ERRORS}, auth=session)
def incident_detail(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    i = access_incident(user=request.user, pk=incident_id)
    return {
        **_row(i),
        "summary": i.summary,
        "parties": i.parties,
        "outcome": i.outcome,
        "referred_to": unit_ref(i.referred_to) if i.referred_to else None,
        "referral_reason": i.referral_reason,
        "follow_up_notes": i.follow_up_notes,
        "followed_up_on": i.followed_up_on,
        "mediations": [
            {"held_on": m.held_on, "mediator": m.mediator, "agreed": m.agreed}
            for m in incident_mediations(incident=i)
        ],
    }
