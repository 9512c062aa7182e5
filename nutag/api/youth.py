"""Young people's records over JSON, with the pages' rights: ``GET /api/v1/youth/{id}`` (one
record, its opening audited like the page's; phones masked) and
``GET /api/v1/units/{code}/youth`` (the unit's records, names masked). Anything out of reach —
a crafted id included — answers 404 and is audited as refused."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import ErrorOut, unit_ref
from nutag.api.youth_schemas import YouthRecordOut, YouthRowOut
from nutag.core.masking import mask_name, mask_phone
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.youth.models import Visit
from nutag.youth.selectors import access_record, record_details, records_of_unit

session = SessionAuth()
youth = Router(tags=["youth"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
VISIT_FIELDS = ("mood", "study", "hardship", "guardianship", "help_given", "next_step")


def _visit(v: Visit) -> dict[str, Any]:
    return {"visited_on": v.visited_on, "kind": v.kind, **{f: getattr(v, f) for f in VISIT_FIELDS}}


@youth.get("/youth/{record_id}", response={200: YouthRecordOut, **READ_ERRORS}, auth=session)
def youth_record(request: HttpRequest, record_id: int) -> dict[str, Any]:
    record = access_record(user=request.user, pk=record_id)
    details: dict[str, Any] = record_details(record=record)
    person = record.young.person
    return {
        "id": record.pk,
        "unit": unit_ref(record.unit),
        "name": person.name,
        "age": person.age,
        "school": record.young.school,
        "school_class": record.school_class,
        "circumstances": [c.code for c in details["circumstances"]],
        "notes": record.notes,
        "status": record.status,
        "guardians": [
            {"name": g.guardian.name, "relation": g.relation, "phone": mask_phone(g.guardian.phone)}
            for g in details["guardians"]
        ],
        "pairs": [
            {
                "id": p.pk,
                "elders": [e.name for e in p.elders.all()],
                "started_on": p.started_on,
                "ended_on": p.ended_on,
                "visits": [_visit(v) for v in p.visits.all()],
            }
            for p in details["pairs"]
        ],
        "needs": [
            {"id": n.pk, "need": n.need, "resource": n.resource, "resolved_on": n.resolved_on}
            for n in details["needs"]
        ],
    }


@youth.get("/units/{code}/youth", response={200: Page[YouthRowOut], **READ_ERRORS}, auth=session)
def unit_youth(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_YOUTH)
    return page(
        records_of_unit(user=request.user, unit=unit),
        offset=offset,
        limit=limit,
        out=lambda r: {
            "id": r.pk,
            "unit": unit_ref(r.unit),
            "name": mask_name(r.young.person.name),
            "age": r.young.person.age,
            "circumstances": [c.code for c in r.circumstances.all()],
        },
    )
