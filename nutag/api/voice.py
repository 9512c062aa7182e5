"""Residents' concerns through the API (``nutag.voice``): raise one (JSON or multipart, with
an ``Idempotency-Key``), read one, list a unit's for its handlers, and every workflow step as
a POST carrying the version the caller saw. Village polls: create (the secretary), list,
read, vote (results only after closing, or live when chosen). Same selectors, rules and
services as the pages: a session login, 404 for missing and for not yours, 400 with the
message for a refusal (a stale version, a step out of order, a second vote)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import SessionAuth
from pydantic import Field

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    Moment,
    UnitRef,
    one_of,
    text,
    unit_ref,
)
from nutag.core.errors import NotFound
from nutag.orgs.selectors import get_unit_by_code
from nutag.people.models import Person
from nutag.voice import services
from nutag.voice.models import Category, Concern, ConcernState, Electorate, Poll
from nutag.voice.permissions import (
    can_handle_concern,
    can_raise_concern,
    can_run_polls,
    is_raiser,
)
from nutag.voice.selectors import access_concern, concern_steps, concerns_of_unit
from nutag.voice.selectors.polls import access_poll, poll_view, polls_of_unit
from nutag.voice.services import polls as poll_services

session = SessionAuth()
voice = Router(tags=["concerns"])
# A workflow step is a compare-and-set on the concern's version: changed meanwhile, 409.
STEP_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ErrorOut}


class CategoryOut(Schema):
    key: str
    name: str
    days_limit: int
    allows_anonymous: bool


class StepOut(Schema):
    kind: str
    at: dt.datetime
    unit: UnitRef
    note: str


class ConcernOut(Schema):
    id: int
    number: str
    unit: UnitRef  # handled by
    origin: UnitRef  # raised at
    category: CategoryOut
    text: str
    state: str
    is_public: bool
    is_anonymous: bool
    location: str  # empty unless the reader is the resident or a handler
    photos: list[str]
    has_voice_note: bool
    answer: str
    answered_at: dt.datetime | None
    created_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    rating: int | None
    rating_comment: str
    version: int
    steps: list[StepOut]
    problems: list[str]  # parts of a submission left out (a broken voice note)


class ConcernIn(Schema):
    category: str  # a key of GET /units/{code}/concern-categories (the banner's own list)
    text: Annotated[str, text(4000, required=True)]
    is_public: bool = False
    is_anonymous: bool = False
    location: str = ""
    person_id: int | None = None  # an officer raising it for a person of the unit


class VersionIn(Schema):
    version: int


class AnswerIn(Schema):
    version: int
    answer: str


class PassIn(Schema):
    version: int
    unit: str  # the code of the unit to pass it to
    note: str = ""


class CloseIn(Schema):
    version: int
    rating: int
    comment: str = ""


class ReopenIn(Schema):
    version: int
    note: str


def _category_out(category: Category) -> dict[str, Any]:
    return {
        "key": category.key,
        "name": category.name,
        "days_limit": category.days_limit,
        "allows_anonymous": category.allows_anonymous,
    }


def concern_out(
    request: HttpRequest, concern: Concern, *, problems: list[str] | None = None, steps: bool = True
) -> dict[str, Any]:
    close = is_raiser(request.user, concern) or can_handle_concern(request.user, concern)
    return {
        "id": concern.pk,
        "number": concern.number,
        "unit": unit_ref(concern.unit),
        "origin": unit_ref(concern.origin),
        "category": _category_out(concern.category),
        "text": concern.text,
        "state": concern.state,
        "is_public": concern.is_public,
        "is_anonymous": concern.is_anonymous,
        "location": concern.location if close else "",
        "photos": [p.get("name", "") for p in concern.photos] if close or concern.is_public else [],
        "has_voice_note": bool(concern.voice_note),
        "answer": concern.answer,
        "answered_at": concern.answered_at,
        "created_at": concern.created_at,
        "due_at": concern.due_at,
        "overdue": concern.is_overdue,
        "rating": concern.rating,
        "rating_comment": concern.rating_comment,
        "version": concern.version,
        "steps": [
            {"kind": s.kind, "at": s.at, "unit": unit_ref(s.unit), "note": s.note}
            for s in concern_steps(concern=concern)
        ]
        if steps
        else [],
        "problems": problems or [],
    }


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "on", "yes"}


def _submission(request: HttpRequest) -> tuple[dict[str, Any], list[UploadedFile], Any]:
    """The fields of a JSON or multipart body, the photos and the voice note."""
    if request.content_type == "multipart/form-data":
        data: dict[str, Any] = request.POST.dict()
        return data, request.FILES.getlist("photos"), request.FILES.get("voice_note")
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError({"__all__": [_("The body is not valid JSON.")]}) from exc
    if not isinstance(data, dict):
        raise ValidationError({"__all__": [_("The body is not valid JSON.")]})
    return data, [], None


SUBMIT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ConcernIn.json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["category", "text"],
                    "properties": {
                        **ConcernIn.json_schema()["properties"],
                        "photos": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                        },
                        "voice_note": {"type": "string", "format": "binary"},
                    },
                }
            },
        },
    },
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 100},
            "description": "The same key from the same login returns the first concern.",
        }
    ],
}


@voice.post(
    "/units/{code}/concerns",
    auth=session,
    response={200: ConcernOut, 201: ConcernOut, **WRITE_ERRORS},
    openapi_extra=SUBMIT_BODY,
)
def concern_submit(request: HttpRequest, code: str) -> Any:
    unit = get_unit_by_code(code=code)
    if not can_raise_concern(request.user, unit):
        raise NotFound
    data, photos, voice_note = _submission(request)
    categories = services.categories_ensure(
        acting_user=request.user, banner=services.banner_of(unit)
    )
    category = next((c for c in categories if c.key == str(data.get("category", ""))), None)
    if category is None:
        raise ValidationError({"category": [_("Choose one of the categories shown.")]})
    person = None
    person_id = data.get("person_id")
    if person_id not in (None, ""):
        try:
            person = Person.objects.filter(pk=int(str(person_id)), unit=unit).first()
        except (TypeError, ValueError):
            person = None
        if person is None:
            raise NotFound
    text = data.get("text", "")
    location = data.get("location", "")
    done = services.concern_submit(
        acting_user=request.user,
        unit=unit,
        category=category,
        text=text if isinstance(text, str) else "",
        is_public=_flag(data.get("is_public", False)),
        is_anonymous=_flag(data.get("is_anonymous", False)),
        location=location if isinstance(location, str) else "",
        photos=photos,
        voice_note=voice_note,
        person=person,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    body = concern_out(request, done.concern, problems=done.problems)
    return Status(201 if done.created else 200, body)


@voice.get(
    "/units/{code}/concern-categories",
    response={200: Page[CategoryOut], 404: ErrorOut},
)
def concern_categories(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    banner = services.banner_of(unit)
    rows = list(Category.objects.filter(banner=banner))
    if not rows:
        from nutag.core.actors import SYSTEM

        rows = services.categories_ensure(acting_user=SYSTEM, banner=banner)
    return page(rows, offset=offset, limit=limit, out=_category_out)


@voice.get(
    "/units/{code}/concerns",
    auth=session,
    response={200: Page[ConcernOut], **READ_ERRORS},
)
def unit_concerns(
    request: HttpRequest,
    code: str,
    state: str = "",
    category: str = "",
    overdue: bool = False,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    if state and state not in ConcernState.values:
        state = "-"
    rows = concerns_of_unit(
        user=request.user, unit=unit, state=state, category=category[:32], overdue=overdue
    )
    return page(
        rows, offset=offset, limit=limit, out=lambda c: concern_out(request, c, steps=False)
    )


@voice.get("/concerns/{concern_id}", auth=session, response={200: ConcernOut, **READ_ERRORS})
def concern_get(request: HttpRequest, concern_id: int) -> dict[str, Any]:
    return concern_out(request, access_concern(user=request.user, pk=concern_id))


def _step(request: HttpRequest, concern_id: int, run: Any) -> dict[str, Any]:
    concern = access_concern(user=request.user, pk=concern_id)
    return concern_out(request, run(concern))


@voice.post(
    "/concerns/{concern_id}/accept", auth=session, response={200: ConcernOut, **STEP_ERRORS}
)
def concern_accept(request: HttpRequest, concern_id: int, payload: VersionIn) -> dict[str, Any]:
    return _step(
        request,
        concern_id,
        lambda c: services.concern_accept(
            acting_user=request.user, concern=c, version=payload.version
        ),
    )


@voice.post("/concerns/{concern_id}/start", auth=session, response={200: ConcernOut, **STEP_ERRORS})
def concern_start(request: HttpRequest, concern_id: int, payload: VersionIn) -> dict[str, Any]:
    return _step(
        request,
        concern_id,
        lambda c: services.concern_start(
            acting_user=request.user, concern=c, version=payload.version
        ),
    )


@voice.post(
    "/concerns/{concern_id}/answer", auth=session, response={200: ConcernOut, **STEP_ERRORS}
)
def concern_answer(request: HttpRequest, concern_id: int, payload: AnswerIn) -> dict[str, Any]:
    return _step(
        request,
        concern_id,
        lambda c: services.concern_answer(
            acting_user=request.user, concern=c, version=payload.version, answer=payload.answer
        ),
    )


@voice.post("/concerns/{concern_id}/pass", auth=session, response={200: ConcernOut, **STEP_ERRORS})
def concern_pass(request: HttpRequest, concern_id: int, payload: PassIn) -> dict[str, Any]:
    target = get_unit_by_code(code=payload.unit)
    return _step(
        request,
        concern_id,
        lambda c: services.concern_pass(
            acting_user=request.user,
            concern=c,
            version=payload.version,
            target=target,
            note=payload.note,
        ),
    )


@voice.post("/concerns/{concern_id}/close", auth=session, response={200: ConcernOut, **STEP_ERRORS})
def concern_close(request: HttpRequest, concern_id: int, payload: CloseIn) -> dict[str, Any]:
    return _step(
        request,
        concern_id,
        lambda c: services.concern_close(
            acting_user=request.user,
            concern=c,
            version=payload.version,
            rating=payload.rating,
            comment=payload.comment,
        ),
    )


@voice.post(
    "/concerns/{concern_id}/reopen", auth=session, response={200: ConcernOut, **STEP_ERRORS}
)
def concern_reopen(request: HttpRequest, concern_id: int, payload: ReopenIn) -> dict[str, Any]:
    return _step(
        request,
        concern_id,
        lambda c: services.concern_reopen(
            acting_user=request.user, concern=c, version=payload.version, note=payload.note
        ),
    )


def voice_stats(*, unit: Any) -> dict[str, Any]:
    """The ``"voice"`` key of ``GET /units/{code}/stats``."""
    from nutag.voice.selectors.figures import voice_figures

    f = voice_figures(unit=unit)
    return {
        "concerns": f.total,
        "by_state": f.by_state,
        "by_category": f.by_category,
        "answered": f.answered,
        "answered_in_time": f.answered_in_time,
        "in_time_rate": f.in_time_rate,
        "median_hours_to_answer": f.median_hours_to_answer,
        "rated": f.rated,
        "satisfaction": f.satisfaction,
        "overdue": f.overdue,
        "polls_held": f.polls_held,
        "aid_requests": f.aid_requests,
        "aid_requests_met": f.aid_requests_met,
        "aid_offers": f.aid_offers,
        "emergencies": f.emergencies,
    }


# --- Village polls ---------------------------------------------------------------------


class PollOptionOut(Schema):
    id: int
    text: str
    votes: int | None  # None until the results are shown


class PollOut(Schema):
    id: int
    unit: UnitRef
    question: str
    opens_at: Moment
    closes_at: Moment
    electorate: str
    live_results: bool
    is_open: bool
    options: list[PollOptionOut]
    may_vote: bool
    has_voted: bool
    eligible: int
    voted: int


class PollIn(Schema):
    question: Annotated[str, text(300, required=True)]
    # 2 to 10 options, each different (the service also compares them trimmed: a 400 on
    # ``options``; and the times, ``closes_at`` after ``opens_at`` and still to come)
    options: Annotated[
        list[Annotated[str, text(200, required=True)]],
        Field(min_length=2, max_length=10, json_schema_extra={"uniqueItems": True}),
    ]
    opens_at: Moment
    closes_at: Moment
    electorate: Annotated[str, one_of(list(Electorate.values))] = "residents"
    live_results: bool = False


class VoteIn(Schema):
    option: int


def poll_out(request: HttpRequest, poll: Poll) -> dict[str, Any]:
    view = poll_view(user=request.user, poll=poll)
    return {
        "id": poll.pk,
        "unit": unit_ref(poll.unit),
        "question": poll.question,
        "opens_at": poll.opens_at,
        "closes_at": poll.closes_at,
        "electorate": poll.electorate,
        "live_results": poll.live_results,
        "is_open": poll.is_open,
        "options": [
            {"id": o.pk, "text": o.text, "votes": o.votes if view.show_results else None}
            for o in view.options
        ],
        "may_vote": view.may_vote,
        "has_voted": view.has_voted,
        "eligible": view.eligible,
        "voted": view.voted,
    }


@voice.post("/units/{code}/polls", auth=session, response={201: PollOut, **WRITE_ERRORS})
def poll_create(request: HttpRequest, code: str, payload: PollIn) -> Any:
    unit = get_unit_by_code(code=code)
    if not can_run_polls(request.user, unit):
        raise NotFound
    poll = poll_services.poll_create(
        acting_user=request.user,
        unit=unit,
        question=payload.question,
        options=payload.options,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        electorate=payload.electorate,
        live_results=payload.live_results,
    )
    return Status(201, poll_out(request, poll))


@voice.get("/units/{code}/polls", auth=session, response={200: Page[PollOut], **READ_ERRORS})
def unit_polls(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    rows = polls_of_unit(user=request.user, unit=unit)
    return page(rows, offset=offset, limit=limit, out=lambda p: poll_out(request, p))


@voice.get("/polls/{poll_id}", auth=session, response={200: PollOut, **READ_ERRORS})
def poll_get(request: HttpRequest, poll_id: int) -> dict[str, Any]:
    return poll_out(request, access_poll(user=request.user, pk=poll_id))


@voice.post("/polls/{poll_id}/vote", auth=session, response={200: PollOut, **WRITE_ERRORS})
def poll_vote(request: HttpRequest, poll_id: int, payload: VoteIn) -> dict[str, Any]:
    poll = access_poll(user=request.user, pk=poll_id)
    poll_services.poll_vote(acting_user=request.user, poll=poll, option_id=payload.option)
    return poll_out(request, poll)
