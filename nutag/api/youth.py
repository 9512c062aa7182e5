"""Young people's records over JSON, with the pages' rights: ``GET /api/v1/youth/{id}`` (one
record, its opening audited like the page's; phones masked) and
``GET /api/v1/units/{code}/youth`` (the unit's records, names masked, paginated; one
``sensitive_read_log`` row per response). Anything out of reach — a crafted id included —
answers 404 and is audited as refused.

Activities: ``GET /api/v1/units/{code}/activities`` (paginated), ``POST
/api/v1/activities/{id}/signups`` (a guardian's consent for minors), ``POST
/api/v1/activities/checkin`` (the QR code's token and the guardian's phone: a count, never a
name). A guardian's requests: ``POST /api/v1/activities/{id}/signups/{signup_id}/withdraw``
(the sign-up taken back) and ``POST .../photo-consent/withdraw`` (photos no longer public),
for the activity's managers and the young person's paired elder; anyone else 404. The
check-in answers 429 after too many wrong numbers from one address or for one code."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, ValidationErrorOut, unit_ref
from nutag.api.youth_schemas import (
    ActivityOut,
    CheckInIn,
    CheckInOut,
    SignUpIn,
    SignUpOut,
    YouthRecordOut,
    YouthRowOut,
)
from nutag.core.errors import NotFound
from nutag.core.masking import mask_name, mask_phone
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.people.models import Person, YoungPerson
from nutag.people.services import sensitive_read_log
from nutag.sites.counting.visits import client_ip
from nutag.youth import services
from nutag.youth.models import Activity, SignUp, Visit
from nutag.youth.permissions import can_withdraw_signup
from nutag.youth.selectors import access_record, record_details, records_of_unit
from nutag.youth.selectors.activities import access_activity, activities_of_unit
from nutag.youth.services.activities import activity_of_token
from nutag.youth.throttle import checkin_blocked, checkin_missed, too_many_tries

session = SessionAuth()
youth = Router(tags=["youth"])
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
    result = page(
        records_of_unit(user=request.user, unit=unit),
        offset=offset,
        limit=limit,
        out=lambda r: {
            "id": r.pk,
            "unit": unit_ref(r.unit),
            "name": mask_name(r.young.person.name),
            "age": r.young.person.age,
            "circumstances": [c.code for c in r.circumstances.all()],
            "_person": r.young.person,
        },
    )
    shown = [row.pop("_person") for row in result["items"]]
    sensitive_read_log(acting_user=request.user, people=shown, where=request.path, unit=unit)
    return result


def _activity(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "unit": unit_ref(a.unit),
        "kind": a.kind,
        "title": a.title,
        "held_on": a.held_on,
        "place": a.place,
        "capacity": a.capacity,
        "signed_up": getattr(a, "signed_up", 0),
        "present": getattr(a, "present", 0),
        "report_article_id": a.report_article_id,
    }


@youth.get(
    "/units/{code}/activities", response={200: Page[ActivityOut], **READ_ERRORS}, auth=session
)
def unit_activities(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    unit = access_unit(user=request.user, code=code, perm=Perm.CHANGE_YOUTH)
    return page(
        activities_of_unit(user=request.user, unit=unit),
        offset=offset,
        limit=limit,
        out=_activity,
    )


@youth.post(
    "/activities/{activity_id}/signups",
    response={201: SignUpOut, **WRITE_ERRORS},
    auth=session,
)
def activity_signup(request: HttpRequest, activity_id: int, payload: SignUpIn) -> Status:
    activity = access_activity(user=request.user, pk=activity_id)
    young = YoungPerson.objects.select_related("person").filter(person_id=payload.young_id).first()
    if young is None:
        raise NotFound
    guardian = Person.objects.filter(pk=payload.consent_by).first() if payload.consent_by else None
    signup: SignUp = services.signup_create(
        acting_user=request.user,
        activity=activity,
        young=young,
        consent_by=guardian,
        consent_how=payload.consent_how,
        photo_consent=payload.photo_consent,
    )
    return Status(201, _signup(signup, young.person.name))


def _signup(signup: SignUp, name: str) -> dict[str, Any]:
    return {
        "id": signup.pk,
        "activity_id": signup.activity_id,
        "name": mask_name(name),
        "consent_relation": signup.consent_relation,
        "consent_how": signup.consent_how,
        "consent_at": signup.consent_at,
        "photo_consent": signup.photo_consent,
        "checked_in_at": signup.checked_in_at,
    }


def _signup_to_withdraw(request: HttpRequest, activity_id: int, signup_id: int) -> SignUp:
    """The sign-up of this activity, for its managers or the young person's paired elder."""
    signup = (
        SignUp.objects.select_related("activity", "young__person")
        .filter(pk=signup_id, activity_id=activity_id)
        .first()
    )
    if signup is None or not can_withdraw_signup(request.user, signup):
        raise NotFound
    return signup


@youth.post(
    "/activities/{activity_id}/signups/{signup_id}/withdraw",
    response={204: None, **WRITE_ERRORS},
    auth=session,
)
def signup_withdraw(request: HttpRequest, activity_id: int, signup_id: int) -> Status:
    signup = _signup_to_withdraw(request, activity_id, signup_id)
    services.signup_remove(acting_user=request.user, signup=signup)
    return Status(204, None)


@youth.post(
    "/activities/{activity_id}/signups/{signup_id}/photo-consent/withdraw",
    response={200: SignUpOut, **WRITE_ERRORS},
    auth=session,
)
def signup_photo_withdraw(request: HttpRequest, activity_id: int, signup_id: int) -> dict[str, Any]:
    signup = _signup_to_withdraw(request, activity_id, signup_id)
    name = signup.young.person.name
    signup = services.signup_photo_consent_withdraw(acting_user=request.user, signup=signup)
    return _signup(signup, name)


@youth.post(
    "/activities/checkin",
    response={200: CheckInOut, 400: ValidationErrorOut, 404: ErrorOut, 429: ErrorOut},
)
def activity_checkin(request: HttpRequest, payload: CheckInIn) -> Status:
    """The QR code's check-in (no login, like the page behind the code): a forged or
    expired token is 404; the answer is a count; too many wrong numbers from one address or
    for one code, 429."""
    activity = activity_of_token(payload.token)
    address = client_ip(request)
    if checkin_blocked(activity_id=activity.pk, address=address):
        return Status(429, {"detail": too_many_tries(), "errors": {}})
    done = services.check_in_by_token(token=payload.token, phone=payload.phone)
    if not done:
        checkin_missed(activity_id=activity.pk, address=address)
    return Status(200, {"checked_in": done})
