"""Mutual aid and emergencies through the API (``nutag.voice``): a unit's aid posts (paged),
post one (JSON), read one, mark it met, hide it (officers); a unit's emergencies (paged),
publish one (officers, within their reach), read one, say one is safe or needs help (for
oneself only), the roll (who is safe, who needs help, who has not answered) and closing for
those who manage it. Same selectors, rules and services as the pages: 404 for missing and
for not yours, 400 with the message for a refusal."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import ErrorOut, UnitRef, ValidationErrorOut, one_of, text, unit_ref
from nutag.core.errors import NotFound
from nutag.orgs.selectors import get_unit_by_code
from nutag.voice.models import (
    AidKind,
    AidPost,
    AidTopic,
    Emergency,
    EmergencyKind,
    Radius,
    SafetyStatus,
)
from nutag.voice.permissions import (
    can_close_aid,
    can_manage_emergency,
    can_moderate_aid,
    can_post_aid,
)
from nutag.voice.selectors.aid import access_aid_post, aid_posts_of_unit
from nutag.voice.selectors.emergencies import (
    access_emergency,
    emergencies_of_unit,
    emergency_roll,
    my_status,
    reaches,
)
from nutag.voice.services import aid as aid_services
from nutag.voice.services import emergencies as emergency_services

session = SessionAuth()
voice_aid = Router(tags=["mutual aid and emergencies"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ValidationErrorOut, 401: ErrorOut, 404: ErrorOut}


class AidPostOut(Schema):
    id: int
    unit: UnitRef
    kind: str
    topic: str
    title: str
    text: str
    marks: str
    contact: str
    photos: list[str]
    status: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    may_close: bool


# Field types as the services check them (schemathesis holds the schema to it); named here
# because a field called ``text`` would hide the ``text`` helper inside a class body.
AidTitle = Annotated[str, text(120, required=True)]
AidText = Annotated[str, text(2000)]
AidMarks = Annotated[str, text(200)]
AidContact = Annotated[str, text(60)]
Reason = Annotated[str, text(300, required=True)]
SmsText = Annotated[str, text(300, required=True)]  # an emergency goes by SMS
Note = Annotated[str, text(300)]


class AidPostIn(Schema):
    kind: Annotated[str, one_of(AidKind.values)]
    topic: Annotated[str, one_of(AidTopic.values)]
    title: AidTitle
    text: AidText = ""
    marks: AidMarks = ""  # ear tag, brand, colour
    contact: AidContact = ""


class HideIn(Schema):
    reason: Reason


def _photo_urls(photos: list[dict[str, Any]]) -> list[str]:
    from django.core.files.storage import default_storage

    return [default_storage.url(p["name"]) for p in photos if p.get("name")]


def aid_out(request: HttpRequest, post: AidPost) -> dict[str, Any]:
    return {
        "id": post.pk,
        "unit": unit_ref(post.unit),
        "kind": post.kind,
        "topic": post.topic,
        "title": post.title,
        "text": post.text,
        "marks": post.marks,
        "contact": post.contact,
        "photos": _photo_urls(post.photos),
        "status": post.status,
        "created_at": post.created_at,
        "closed_at": post.closed_at,
        "may_close": post.status == "open" and can_close_aid(request.user, post),
    }


@voice_aid.get("/units/{code}/aid", auth=session, response={200: Page[AidPostOut], **READ_ERRORS})
def unit_aid_posts(
    request: HttpRequest,
    code: str,
    status: str = "",
    kind: str = "",
    topic: str = "",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    rows = aid_posts_of_unit(user=request.user, unit=unit, status=status, kind=kind, topic=topic)
    return page(rows, offset=offset, limit=limit, out=lambda p: aid_out(request, p))


@voice_aid.post("/units/{code}/aid", auth=session, response={201: AidPostOut, **WRITE_ERRORS})
def aid_post_create(request: HttpRequest, code: str, payload: AidPostIn) -> Any:
    unit = get_unit_by_code(code=code)
    if not can_post_aid(request.user, unit):
        raise NotFound
    post = aid_services.aid_post_create(
        acting_user=request.user,
        unit=unit,
        kind=payload.kind,
        topic=payload.topic,
        title=payload.title,
        text=payload.text,
        marks=payload.marks,
        contact=payload.contact,
    )
    return Status(201, aid_out(request, post))


@voice_aid.get("/aid/{post_id}", auth=session, response={200: AidPostOut, **READ_ERRORS})
def aid_post_get(request: HttpRequest, post_id: int) -> dict[str, Any]:
    return aid_out(request, access_aid_post(user=request.user, pk=post_id))


@voice_aid.post("/aid/{post_id}/close", auth=session, response={200: AidPostOut, **WRITE_ERRORS})
def aid_post_close(request: HttpRequest, post_id: int) -> dict[str, Any]:
    post = access_aid_post(user=request.user, pk=post_id)
    if not can_close_aid(request.user, post):
        raise NotFound
    return aid_out(request, aid_services.aid_post_close(acting_user=request.user, post=post))


@voice_aid.post("/aid/{post_id}/hide", auth=session, response={200: AidPostOut, **WRITE_ERRORS})
def aid_post_hide(request: HttpRequest, post_id: int, payload: HideIn) -> dict[str, Any]:
    post = access_aid_post(user=request.user, pk=post_id)
    if not can_moderate_aid(request.user, post.unit):
        raise NotFound
    return aid_out(
        request,
        aid_services.aid_post_hide(acting_user=request.user, post=post, reason=payload.reason),
    )


# --- Emergencies --------------------------------------------------------------------------


class EmergencyOut(Schema):
    id: int
    kind: str
    radius: str
    text: str
    unit: UnitRef  # the top of the area
    origin: UnitRef  # published from
    created_at: dt.datetime
    closed_at: dt.datetime | None
    reached: bool  # the reader is a person of a unit it reaches
    my_status: str | None
    may_manage: bool


class EmergencyIn(Schema):
    kind: Annotated[str, one_of(EmergencyKind.values)]
    radius: Annotated[str, one_of(Radius.values)] = "unit"
    text: SmsText


class StatusIn(Schema):
    status: Annotated[str, one_of(SafetyStatus.values)]
    note: Note = ""


class RollPersonOut(Schema):
    id: int
    name: str
    unit: str
    note: str


class RollOut(Schema):
    safe: list[RollPersonOut]
    help: list[RollPersonOut]
    silent_count: int
    silent: list[RollPersonOut]


def emergency_out(request: HttpRequest, e: Emergency) -> dict[str, Any]:
    reached = reaches(request.user, e)
    mine = my_status(user=request.user, emergency=e) if reached else None
    return {
        "id": e.pk,
        "kind": e.kind,
        "radius": e.radius,
        "text": e.text,
        "unit": unit_ref(e.unit),
        "origin": unit_ref(e.origin),
        "created_at": e.created_at,
        "closed_at": e.closed_at,
        "reached": reached,
        "my_status": mine.status if mine else None,
        "may_manage": can_manage_emergency(request.user, e),
    }


@voice_aid.get(
    "/units/{code}/emergencies", auth=session, response={200: Page[EmergencyOut], **READ_ERRORS}
)
def unit_emergencies(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    rows = emergencies_of_unit(user=request.user, unit=unit)
    return page(rows, offset=offset, limit=limit, out=lambda e: emergency_out(request, e))


@voice_aid.post(
    "/units/{code}/emergencies", auth=session, response={201: EmergencyOut, **WRITE_ERRORS}
)
def emergency_publish(request: HttpRequest, code: str, payload: EmergencyIn) -> Any:
    unit = get_unit_by_code(code=code)
    emergency = emergency_services.emergency_publish(
        acting_user=request.user,
        unit=unit,
        kind=payload.kind,
        radius=payload.radius,
        text=payload.text,
    )
    return Status(201, emergency_out(request, emergency))


@voice_aid.get(
    "/emergencies/{emergency_id}", auth=session, response={200: EmergencyOut, **READ_ERRORS}
)
def emergency_get(request: HttpRequest, emergency_id: int) -> dict[str, Any]:
    return emergency_out(request, access_emergency(user=request.user, pk=emergency_id))


@voice_aid.post(
    "/emergencies/{emergency_id}/status",
    auth=session,
    response={200: EmergencyOut, **WRITE_ERRORS},
)
def emergency_mark(request: HttpRequest, emergency_id: int, payload: StatusIn) -> dict[str, Any]:
    emergency = access_emergency(user=request.user, pk=emergency_id)
    emergency_services.emergency_mark(
        acting_user=request.user, emergency=emergency, status=payload.status, note=payload.note
    )
    return emergency_out(request, emergency)


@voice_aid.get(
    "/emergencies/{emergency_id}/roll", auth=session, response={200: RollOut, **READ_ERRORS}
)
def emergency_roll_get(request: HttpRequest, emergency_id: int) -> dict[str, Any]:
    emergency = access_emergency(user=request.user, pk=emergency_id)
    roll = emergency_roll(user=request.user, emergency=emergency)

    def row(person: Any, note: str = "") -> dict[str, Any]:
        return {"id": person.pk, "name": person.name, "unit": person.unit.code, "note": note}

    return {
        "safe": [row(p, s.note) for p, s in roll.safe],
        "help": [row(p, s.note) for p, s in roll.help],
        "silent_count": roll.silent_count,
        "silent": [row(p) for p in roll.silent],
    }


@voice_aid.post(
    "/emergencies/{emergency_id}/close",
    auth=session,
    response={200: EmergencyOut, **WRITE_ERRORS},
)
def emergency_close(request: HttpRequest, emergency_id: int) -> dict[str, Any]:
    emergency = access_emergency(user=request.user, pk=emergency_id)
    if not can_manage_emergency(request.user, emergency):
        raise NotFound
    emergency_services.emergency_close(acting_user=request.user, emergency=emergency)
    return emergency_out(request, emergency)
