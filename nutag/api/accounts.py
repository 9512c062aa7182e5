"""Logins through the API: the requests to join a unit waiting for its secretary (list,
approve, decline) and the invitations not accepted yet (list; links are shown only in the
workbench, to the officer who made them). Same rules and refusals as the pages: a session
login, the right at the unit (``can_review_join``, ``Perm.INVITE_PEOPLE``), 404 for missing
and for not yours, 400 with the message for a refusal (e.g. already answered)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    JsonInt,
    UnitRef,
    unit_ref,
)
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.people.accounts import services
from nutag.people.accounts.selectors import (
    access_join_request,
    invitations_not_accepted,
    join_requests_of_unit,
)
from nutag.people.models import Invitation, JoinRequest
from nutag.people.selectors import access_person

session = SessionAuth()
accounts = Router(tags=["logins"])


class JoinRequestOut(Schema):
    id: int
    unit: UnitRef
    name: str
    phone: str
    household: str
    status: str
    reason: str
    created_at: dt.datetime
    person_id: int | None
    matches: list[int]  # roster people who may be the asker, best first


class InvitationOut(Schema):
    id: int
    unit: UnitRef
    person_id: int
    person_name: str
    purpose: str
    state: str
    expires_at: dt.datetime


class ApproveIn(Schema):
    person_id: JsonInt | None = None  # a roster person of the unit; none: a new resident


class DeclineIn(Schema):
    reason: str


def _join_out(join: JoinRequest, *, matches: bool = True) -> dict[str, Any]:
    return {
        "id": join.pk,
        "unit": unit_ref(join.unit),
        "name": join.name,
        "phone": join.phone,
        "household": join.household,
        "status": join.status,
        "reason": join.reason,
        "created_at": join.created_at,
        "person_id": join.person_id,
        "matches": [p.pk for p in services.join_matches(join_request=join)] if matches else [],
    }


def _invitation_out(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "unit": unit_ref(invitation.unit),
        "person_id": invitation.person_id,
        "person_name": invitation.person.name,
        "purpose": invitation.purpose,
        "state": invitation.state,
        "expires_at": invitation.expires_at,
    }


@accounts.get(
    "/units/{code}/join-requests",
    auth=session,
    response={200: Page[JoinRequestOut], **READ_ERRORS},
)
def unit_join_requests(
    request: HttpRequest,
    code: str,
    status: str = "pending",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The unit's and its subtree's join requests of ``status`` (pending by default)."""
    unit = access_unit(user=request.user, code=code, perm=Perm.MANAGE_LOGINS)
    rows = join_requests_of_unit(user=request.user, unit=unit, status=status[:16])
    return page(rows, offset=offset, limit=limit, out=_join_out)


@accounts.get(
    "/units/{code}/invitations",
    auth=session,
    response={200: Page[InvitationOut], **READ_ERRORS},
)
def unit_invitations(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    unit = access_unit(user=request.user, code=code, perm=Perm.INVITE_PEOPLE)
    rows = invitations_not_accepted(user=request.user, unit=unit)
    return page(rows, offset=offset, limit=limit, out=_invitation_out)


@accounts.post(
    "/join-requests/{request_id}/approve",
    auth=session,
    response={200: JoinRequestOut, **WRITE_ERRORS},
)
def join_request_approve(
    request: HttpRequest, request_id: int, payload: ApproveIn
) -> dict[str, Any]:
    join = access_join_request(user=request.user, pk=request_id)
    person = None
    if payload.person_id is not None:
        person = access_person(user=request.user, pk=payload.person_id)
    done = services.join_request_approve(acting_user=request.user, join_request=join, person=person)
    return _join_out(done, matches=False)


@accounts.post(
    "/join-requests/{request_id}/decline",
    auth=session,
    response={200: JoinRequestOut, **WRITE_ERRORS},
)
def join_request_decline(
    request: HttpRequest, request_id: int, payload: DeclineIn
) -> dict[str, Any]:
    join = access_join_request(user=request.user, pk=request_id)
    done = services.join_request_decline(
        acting_user=request.user, join_request=join, reason=payload.reason
    )
    return _join_out(done, matches=False)
