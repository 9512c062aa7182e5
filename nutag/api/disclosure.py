"""Disclosures over JSON, with the pages' rights.

- ``GET /api/v1/units/{code}/disclosures``: the unit's disclosures (paginated): every version
  to those who write or sign them off there, the signed-off ones (latest versions) to anyone
  else logged in;
- ``GET /api/v1/disclosures/{id}``: one, with its tables (households' names always masked by
  the banner's rule) and what it changed against the version it corrects;
- ``POST /api/v1/units/{code}/disclosures``: a new draft;
  ``POST /api/v1/disclosures/{id}/finance-lines`` (``project-lines``, ``subsidy-lines``): a
  line added to a draft;
- ``POST /api/v1/disclosures/{id}/submit`` (the totals must add up: 400 with the difference),
  ``/sign-off`` (the supervisory committee; not the login that submitted it).

Out of reach or missing: 404. Changing a submitted or signed-off disclosure: 409 (code
``signed_off``; a correction is a new version, made on the workbench)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import SessionAuth

from nutag.api.disclosure_schemas import (
    DisclosureIn,
    DisclosureOut,
    DisclosureRowOut,
    FinanceLineIn,
    ProjectLineIn,
    SubsidyLineIn,
)
from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import DisclosureStatsOut, ErrorOut, ValidationErrorOut, unit_ref
from nutag.core.errors import NotFound
from nutag.disclosure import selectors, services
from nutag.disclosure.models import Disclosure
from nutag.disclosure.periods import parse_period
from nutag.disclosure.permissions import can_sign_off_at, can_write_disclosure
from nutag.disclosure.selectors.figures import disclosure_figures
from nutag.orgs.models import Unit
from nutag.orgs.selectors import get_unit_by_code

session = SessionAuth()
disclosure = Router(tags=["disclosure"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ValidationErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,  # the disclosure was submitted or signed off: it no longer changes
}


def disclosure_stats(*, unit: Unit) -> dict[str, Any]:
    """``"disclosure"`` in ``GET /api/v1/units/{code}/stats``."""
    return DisclosureStatsOut.model_validate(disclosure_figures(unit=unit).as_api()).model_dump()


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _row(d: Disclosure) -> dict[str, Any]:
    return {
        "id": d.pk,
        "unit": unit_ref(d.unit),
        "kind": d.kind,
        "period_start": d.period_start,
        "period_end": d.period_end,
        "title": d.title,
        "status": d.status,
        "version": d.version,
        "supersedes": d.supersedes_id,
        "signed_off_at": d.signed_off_at,
    }


def _detail(d: Disclosure) -> dict[str, Any]:
    tables = selectors.tables_of(d)  # households masked, whoever asks
    return {
        **_row(d),
        "body": d.body,
        "correction_note": d.correction_note,
        "income_total": _money(d.income_total),
        "spending_total": _money(d.spending_total),
        "finance": [
            {
                "id": x.pk,
                "direction": x.direction,
                "item": x.item,
                "amount": _money(x.amount),
                "note": x.note,
            }
            for x in (*tables.income, *tables.spending)
        ],
        "projects": [
            {
                "id": p.pk,
                "name": p.name,
                "budget": _money(p.budget),
                "contractor": p.contractor,
                "progress": p.progress,
            }
            for p in tables.projects
        ],
        "subsidies": [
            {
                "id": s["id"],
                "household": s["household"],
                "kind": s["kind"],
                "amount": _money(s["amount"]),
            }
            for s in tables.subsidies
        ],
        "changes": [vars(c) for c in selectors.changes_since_previous(d)],
    }


def _access(request: HttpRequest, disclosure_id: int) -> Disclosure:
    return selectors.access_disclosure(user=request.user, pk=disclosure_id)


@disclosure.get(
    "/units/{code}/disclosures", auth=session, response={200: Page[DisclosureRowOut], **READ_ERRORS}
)
def unit_disclosure_list(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    if can_write_disclosure(request.user, unit) or can_sign_off_at(request.user, unit):
        rows = selectors.unit_disclosures(unit=unit)
    else:
        rows = selectors.public_disclosures(unit=unit)
    return page(rows.select_related("unit"), offset=offset, limit=limit, out=_row)


@disclosure.get(
    "/disclosures/{disclosure_id}", auth=session, response={200: DisclosureOut, **READ_ERRORS}
)
def disclosure_detail(request: HttpRequest, disclosure_id: int) -> dict[str, Any]:
    return _detail(_access(request, disclosure_id))


@disclosure.post(
    "/units/{code}/disclosures", auth=session, response={201: DisclosureOut, **WRITE_ERRORS}
)
def disclosure_create(request: HttpRequest, code: str, data: DisclosureIn) -> Any:
    unit = get_unit_by_code(code=code)
    period = parse_period(data.period)
    if period is None:  # the schema's pattern already says so
        raise NotFound
    made = services.disclosure_create(
        acting_user=request.user,
        unit=unit,
        kind=data.kind,
        period=period,
        title=data.title,
        body=data.body,
        income_total=_decimal(data.income_total),
        spending_total=_decimal(data.spending_total),
    )
    return Status(201, _detail(made))


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@disclosure.post(
    "/disclosures/{disclosure_id}/finance-lines",
    auth=session,
    response={201: DisclosureOut, **WRITE_ERRORS},
)
def finance_line_add(request: HttpRequest, disclosure_id: int, data: FinanceLineIn) -> Any:
    d = _access(request, disclosure_id)
    services.finance_line_add(
        acting_user=request.user,
        disclosure=d,
        direction=data.direction,
        item=data.item,
        amount=Decimal(data.amount),
        note=data.note,
    )
    return Status(201, _detail(_access(request, disclosure_id)))


@disclosure.post(
    "/disclosures/{disclosure_id}/project-lines",
    auth=session,
    response={201: DisclosureOut, **WRITE_ERRORS},
)
def project_line_add(request: HttpRequest, disclosure_id: int, data: ProjectLineIn) -> Any:
    d = _access(request, disclosure_id)
    services.project_line_add(
        acting_user=request.user,
        disclosure=d,
        name=data.name,
        budget=Decimal(data.budget),
        contractor=data.contractor,
        progress=data.progress,
    )
    return Status(201, _detail(_access(request, disclosure_id)))


@disclosure.post(
    "/disclosures/{disclosure_id}/subsidy-lines",
    auth=session,
    response={201: DisclosureOut, **WRITE_ERRORS},
)
def subsidy_line_add(request: HttpRequest, disclosure_id: int, data: SubsidyLineIn) -> Any:
    d = _access(request, disclosure_id)
    services.subsidy_line_add(
        acting_user=request.user,
        disclosure=d,
        household=data.household,
        kind=data.kind,
        amount=Decimal(data.amount),
    )
    return Status(201, _detail(_access(request, disclosure_id)))


@disclosure.post(
    "/disclosures/{disclosure_id}/submit",
    auth=session,
    response={200: DisclosureOut, **WRITE_ERRORS},
)
def disclosure_submit(request: HttpRequest, disclosure_id: int) -> dict[str, Any]:
    d = services.disclosure_submit(
        acting_user=request.user, disclosure=_access(request, disclosure_id)
    )
    return _detail(d)


@disclosure.post(
    "/disclosures/{disclosure_id}/sign-off",
    auth=session,
    response={200: DisclosureOut, **WRITE_ERRORS},
)
def disclosure_sign_off(request: HttpRequest, disclosure_id: int) -> dict[str, Any]:
    d = services.disclosure_sign_off(
        acting_user=request.user, disclosure=_access(request, disclosure_id)
    )
    return _detail(d)
