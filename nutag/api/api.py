"""JSON API v1, mounted at /api/v1/ (schema at /api/v1/openapi.json).

Reads of units and aggregate figures are public (unless NUTAG_PUBLIC_STATS is off);
everything about people needs a session login, and the same rights as the pages. Objects
outside the caller's reach answer 404, exactly like missing ones.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.security import SessionAuth

from nutag.api.accounts import accounts
from nutag.api.market import market
from nutag.api.me_tokens import my_tokens, with_token_scheme
from nutag.api.notify import me
from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import (
    ErrorOut,
    PersonIn,
    PersonOut,
    PositionIn,
    PositionOut,
    StatsOut,
    UnitIn,
    UnitOut,
    ValidationErrorOut,
    unit_ref,
)
from nutag.api.sites import sites
from nutag.api.study import study, study_stats
from nutag.api.study_courses import study_courses
from nutag.api.voice import voice, voice_stats
from nutag.api.voice_aid import voice_aid
from nutag.api.voice_talk import voice_talk
from nutag.api.work import work
from nutag.api.youth import youth
from nutag.market.selectors.figures import market_figures
from nutag.orgs import services as org_services
from nutag.orgs.models import Position, Unit
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit, get_unit_by_code, unit_ancestors, unit_children
from nutag.people import services as people_services
from nutag.people.models import Person
from nutag.people.selectors import access_person, people_of_unit, shown_id_number, shown_phone
from nutag.stats.caching import cached_figures, unit_path_for_code
from nutag.stats.permissions import can_view_figures, figures_are_public
from nutag.stats.selectors import five_good, unit_figures
from nutag.youth.selectors import youth_figures


class NutagAPI(NinjaAPI):
    """Publishes every status an operation can answer (see ``declare_errors``)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return declare_errors(super().get_openapi_schema(*args, **kwargs))


ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
ERROR_TEXT = {
    "400": "The request does not match this schema, or a rule of the data refuses it.",
    "401": "Not logged in.",
    "403": "A write without a CSRF token, or a login that needs a second factor first.",
}


def declare_errors(schema: Any) -> Any:
    """Every operation declares what any request can get, in the one error shape:

    400 when it takes parameters or a body (the request fails the schema, or a rule of the
    data, such as an ID number's check digit, refuses it); 403 always (the second-factor gate
    answers it to a login that must verify first, CSRF to a write without a token); 401 when
    it needs a login.
    """
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            wanted = ["403"]
            if operation.get("parameters") or operation.get("requestBody"):
                wanted.append("400")
            if operation.get("security"):
                wanted.append("401")
            for status in wanted:
                responses.setdefault(status, {"description": ERROR_TEXT[status], **ERROR_REF})
    return schema


api = NutagAPI(
    title="Nutag API",
    version="1",
    description="Units, figures and people of a Nutag banner.",
    urls_namespace="api-v1",
)
# API tokens work for every router (nutag/api/tokens.py); the schema says so.
api.get_openapi_schema = with_token_scheme(api.get_openapi_schema)  # type: ignore[method-assign]
session = SessionAuth()
# What a write can answer besides success: bad input, no login, no CSRF token, not found.
WRITE_ERRORS: dict[int, Any] = {
    400: ValidationErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
}
units = Router(tags=["units"])
people = Router(tags=["people"])


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The one error shape (``ErrorOut``)."""
    return {"detail": detail, "errors": errors or {}}


def _validation_errors(exc: ValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return error_body(_("Please correct the errors."), errors)


@api.exception_handler(RequestInvalid)
def _request_invalid(request: HttpRequest, exc: RequestInvalid) -> Any:
    """A request that fails the schema: 400 in the one shape (not ninja's 422 list)."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ())) or "__all__"
        errors.setdefault(where, []).append(str(error.get("msg", "")))
    return api.create_response(
        request, error_body(_("Please correct the errors."), errors), status=400
    )


@api.exception_handler(AuthenticationError)
def _not_logged_in(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, error_body("Unauthorized"), status=401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> Any:
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)


@api.exception_handler(org_services.NotFound)
def _not_found(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, error_body(_("Not found.")), status=404)


@api.exception_handler(Http404)
def _http404(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, error_body(_("Not found.")), status=404)


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: Exception) -> Any:
    """An id past what the database can store (SQLite: 64 bits) names no row: 404, as any
    other missing id, wherever a lookup forgot to catch it."""
    return api.create_response(request, error_body(_("Not found.")), status=404)


# Error codes of a compare-and-set refused because the row changed since the caller read it
# (a concern's or an assessment's version, a task's report): 409, not 400.
CONFLICT_CODES = frozenset({"changed", "stale"})


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> Any:
    errors = (
        [e for es in exc.error_dict.values() for e in es]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    conflict = any(getattr(e, "code", None) in CONFLICT_CODES for e in errors)
    return api.create_response(request, _validation_errors(exc), status=409 if conflict else 400)


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, error_body(_("Not found.")), status=404)


@units.get("/{code}", response={200: UnitOut, 404: ErrorOut})
def unit_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    ancestors = unit_ancestors(unit=unit)
    return {
        "code": unit.code,
        "name": unit.name,
        "name_mn": unit.name_mn,
        "kind": unit.kind,
        "kind_label": unit.get_kind_display(),
        "status": unit.status,
        "parent": unit_ref(ancestors[-1]) if ancestors else None,
        "children": unit.numchild,
    }


@units.get("/{code}/stats", response={200: StatsOut, 404: ErrorOut})
def unit_stats(request: HttpRequest, code: str) -> HttpResponse:
    path = unit_path_for_code(code)  # no query when this worker knows the code
    if path is None:
        raise Http404
    if not figures_are_public():
        unit = get_unit_by_code(code=code)
        if not can_view_figures(user=request.user, unit=unit):
            raise Http404
    # The same answer for every viewer who may read it: its JSON is kept until the unit's
    # figures change (nutag/stats/caching.py).
    body = cached_figures(
        code=code,
        path=path,
        name="api-stats",
        compute=lambda: _stats_json(get_unit_by_code(code=code)),
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _stats_json(unit: Unit) -> bytes:
    figures = unit_figures(unit=unit)
    good = five_good(unit=unit, figures=figures)
    data = {
        "unit": unit_ref(unit),
        "committees": {"total": figures.committees, "by_kind": figures.committees_by_kind},
        "participants": figures.participants,
        "five_elders": figures.five_elders,
        "five_elders_by_category": figures.elders_by_category,
        "five_good": {
            "count": good.count,
            "base": good.base,
            "rate": good.rate,
            "year": good.year,
        },
        "voice": voice_stats(unit=unit),
        **study_stats(unit=unit),
        "youth": youth_figures(unit=unit).as_api(),
        "economy": {"shop": market_figures(unit=unit).as_api()},
    }
    return StatsOut.model_validate(data).model_dump_json().encode()


@units.get("/{code}/children", response={200: Page[UnitOut], 404: ErrorOut})
def unit_children_list(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    ref = unit_ref(unit)
    return page(
        unit_children(unit=unit),
        offset=offset,
        limit=limit,
        out=lambda c: {
            "code": c.code,
            "name": c.name,
            "name_mn": c.name_mn,
            "kind": c.kind,
            "kind_label": c.get_kind_display(),
            "status": c.status,
            "parent": ref,
            "children": c.numchild,
        },
    )


@units.post(
    "/{code}/children",
    auth=session,
    response={201: UnitOut, **WRITE_ERRORS},
)
def unit_child_create(request: HttpRequest, code: str, payload: UnitIn) -> Status:
    parent = access_unit(user=request.user, code=code, perm=Perm.RESTRUCTURE)
    child = org_services.unit_create(
        acting_user=request.user,
        parent=parent,
        code=payload.code,
        kind=payload.kind,
        name=payload.name,
        name_mn=payload.name_mn,
    )
    return Status(201, unit_detail(request, child.code))


def _person_out(request: HttpRequest, person: Person) -> dict[str, Any]:
    roles = []
    if getattr(person, "party", None) is not None:
        roles.append("party_member")
    care = getattr(person, "care", None)
    if care is not None:
        roles.append("care_worker")
        if care.elder_category:
            roles.append("five_elder")
    if getattr(person, "youth", None) is not None:
        roles.append("young_person")
    if person.is_resident:
        roles.append("resident")
    return {
        "id": person.pk,
        "name": person.name,
        "unit": unit_ref(person.unit),
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "birth_date": person.birth_date,
        "phone": shown_phone(user=request.user, person=person),
        "id_number": shown_id_number(user=request.user, person=person),
        "roles": roles,
    }


def _person_input(payload: PersonIn) -> people_services.PersonInput:
    data = payload.dict()
    return people_services.PersonInput(
        **{k: v for k, v in data.items() if k not in {"party", "care", "youth"}},
        party=people_services.PartyInput(**data["party"]) if data["party"] else None,
        care=people_services.CareInput(**data["care"]) if data["care"] else None,
        youth=people_services.YouthInput(**data["youth"]) if data["youth"] else None,
    )


@units.get(
    "/{code}/people", auth=session, response={200: Page[PersonOut], 401: ErrorOut, 404: ErrorOut}
)
def unit_people(
    request: HttpRequest,
    code: str,
    q: str = "",
    role: str = "",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_PEOPLE)
    qs = people_of_unit(user=request.user, unit=unit, query=q, role=role)
    shown: list[Person] = []

    def out(person: Person) -> dict[str, Any]:
        shown.append(person)
        return _person_out(request, person)

    result = page(qs, offset=offset, limit=limit, out=out)
    people_services.sensitive_read_log(
        acting_user=request.user, people=shown, unit=unit, where=request.path
    )
    return result


@units.post(
    "/{code}/people",
    auth=session,
    response={201: PersonOut, **WRITE_ERRORS},
)
def unit_person_create(request: HttpRequest, code: str, payload: PersonIn) -> Status:
    unit = access_unit(user=request.user, code=code, perm=Perm.CHANGE_PEOPLE)
    person = people_services.person_create(
        acting_user=request.user, unit=unit, data=_person_input(payload)
    )
    person = access_person(user=request.user, pk=person.pk)
    people_services.sensitive_read_log(
        acting_user=request.user, people=[person], where=request.path
    )
    return Status(201, _person_out(request, person))


@people.get("/{person_id}", auth=session, response={200: PersonOut, 401: ErrorOut, 404: ErrorOut})
def person_detail(request: HttpRequest, person_id: int) -> dict[str, Any]:
    person = access_person(user=request.user, pk=person_id)
    people_services.sensitive_read_log(
        acting_user=request.user, people=[person], where=request.path
    )
    return _person_out(request, person)


@people.put(
    "/{person_id}",
    auth=session,
    response={200: PersonOut, **WRITE_ERRORS},
)
def person_update(
    request: HttpRequest, person_id: int, payload: PersonIn, unit: str = ""
) -> dict[str, Any]:
    person = access_person(user=request.user, pk=person_id, perm=Perm.CHANGE_PEOPLE)
    target = (
        access_unit(user=request.user, code=unit, perm=Perm.CHANGE_PEOPLE) if unit else person.unit
    )
    people_services.person_update(
        acting_user=request.user, person=person, unit=target, data=_person_input(payload)
    )
    person = access_person(user=request.user, pk=person_id)
    people_services.sensitive_read_log(
        acting_user=request.user, people=[person], where=request.path
    )
    return _person_out(request, person)


def _position_out(position: Position) -> dict[str, Any]:
    return {
        "id": position.pk,
        "unit": unit_ref(position.unit),
        "person_id": position.person_id,
        "person_name": position.person.name,
        "title": position.title,
        "access": position.access,
        "started_on": position.started_on,
        "ended_on": position.ended_on,
    }


@units.post(
    "/{code}/positions",
    auth=session,
    response={201: PositionOut, **WRITE_ERRORS},
)
def unit_position_create(request: HttpRequest, code: str, payload: PositionIn) -> Status:
    unit = access_unit(user=request.user, code=code, perm=Perm.MANAGE_POSITIONS)
    position = org_services.position_assign(
        acting_user=request.user,
        unit=unit,
        person_id=payload.person_id,
        title=payload.title,
        represents=payload.represents,
    )
    return Status(201, _position_out(position))


api.add_router("/units", units)
api.add_router("/people", people)
api.add_router("/", work)
api.add_router("/", accounts)
api.add_router("/me", me)
api.add_router("/me", my_tokens)
api.add_router("/", sites)
api.add_router("/", voice)
api.add_router("/", voice_talk)
api.add_router("/", voice_aid)
api.add_router("/study", study)
api.add_router("/study", study_courses)
api.add_router("/", youth)
api.add_router("/", market)
