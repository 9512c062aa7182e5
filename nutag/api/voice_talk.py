"""Comments and the secretary's inbox through the API (``nutag.voice``, issue 13 item 5).

Comments: the published ones under an article of a unit's site or under a public concern
(paged), writing one (a verified resident of the unit), reporting one, and moderating one
(the unit's secretaries; compare-and-set on the version). Inbox: a unit's threads (the
resident's own, or all of them for the unit's officers and those above), starting a thread,
reading one (which marks it read for the reader's side) and writing in it. Same selectors,
rules and services as the pages: 404 for missing and for not yours, 400 with the message
for a refusal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import ErrorOut, UnitRef, ValidationErrorOut, unit_ref
from nutag.core.errors import NotFound
from nutag.orgs.selectors import get_unit_by_code
from nutag.sites.selectors import access_public_article
from nutag.voice.models import Comment, InboxMessage, InboxThread
from nutag.voice.permissions import can_answer_inbox, can_write_inbox, is_thread_resident
from nutag.voice.selectors import access_concern
from nutag.voice.selectors.comments import (
    access_moderated_comment,
    access_published_comment,
    published_comments,
)
from nutag.voice.selectors.inbox import access_thread, my_threads, thread_messages, unit_threads
from nutag.voice.services import comments as comment_services
from nutag.voice.services import inbox as inbox_services

session = SessionAuth()
voice_talk = Router(tags=["comments and inbox"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ValidationErrorOut, 401: ErrorOut, 404: ErrorOut}


class CommentOut(Schema):
    id: int
    unit: UnitRef
    article_id: int | None
    concern_id: int | None
    author: str  # as shown: the first character of the name
    text: str
    state: str
    created_at: dt.datetime


class CommentIn(Schema):
    text: str


class ReportIn(Schema):
    reason: str = ""


class ModerateIn(Schema):
    version: int
    decision: str  # publish | hide
    note: str = ""


class ModeratedOut(CommentOut):
    version: int
    reports: int
    held_for: str


class ThreadOut(Schema):
    id: int
    unit: UnitRef
    subject: str
    last_at: dt.datetime
    unread: bool  # for the reader's side


class MessageOut(Schema):
    from_resident: bool
    text: str
    at: dt.datetime


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]


class ThreadIn(Schema):
    subject: str
    text: str


class MessageIn(Schema):
    text: str


def _comment_out(c: Comment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "unit": unit_ref(c.unit),
        "article_id": c.article_id,
        "concern_id": c.concern_id,
        "author": c.author_name,
        "text": c.text,
        "state": c.state,
        "created_at": c.created_at,
    }


@voice_talk.get(
    "/units/{code}/articles/{article_id}/comments",
    response={200: Page[CommentOut], 404: ErrorOut},
)
def article_comments(
    request: HttpRequest,
    code: str,
    article_id: int,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The published comments under an article of the unit's site (public, like the page)."""
    unit = get_unit_by_code(code=code)
    article = access_public_article(unit=unit, pk=article_id)
    rows = published_comments(unit=unit, article_id=article.pk).select_related("unit")
    return page(rows, offset=offset, limit=limit, out=_comment_out)


@voice_talk.post(
    "/units/{code}/articles/{article_id}/comments",
    auth=session,
    response={201: CommentOut, **WRITE_ERRORS},
)
def article_comment(request: HttpRequest, code: str, article_id: int, payload: CommentIn) -> Any:
    unit = get_unit_by_code(code=code)
    article = access_public_article(unit=unit, pk=article_id)
    comment = comment_services.comment_post(
        acting_user=request.user, unit=unit, article=article, text=payload.text
    )
    return Status(201, _comment_out(comment))


def _public_concern(request: HttpRequest, concern_id: int) -> Any:
    concern = access_concern(user=request.user, pk=concern_id)
    if not concern.is_public:
        raise NotFound
    return concern


@voice_talk.get("/concerns/{concern_id}/comments", response={200: Page[CommentOut], 404: ErrorOut})
def concern_comments(
    request: HttpRequest, concern_id: int, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    concern = _public_concern(request, concern_id)
    rows = published_comments(unit=concern.origin, concern_id=concern.pk).select_related("unit")
    return page(rows, offset=offset, limit=limit, out=_comment_out)


@voice_talk.post(
    "/concerns/{concern_id}/comments", auth=session, response={201: CommentOut, **WRITE_ERRORS}
)
def concern_comment(request: HttpRequest, concern_id: int, payload: CommentIn) -> Any:
    concern = _public_concern(request, concern_id)
    comment = comment_services.comment_post(
        acting_user=request.user, unit=concern.origin, concern=concern, text=payload.text
    )
    return Status(201, _comment_out(comment))


@voice_talk.post(
    "/units/{code}/comments/{comment_id}/report",
    auth=session,
    response={200: CommentOut, **WRITE_ERRORS},
)
def comment_report(
    request: HttpRequest, code: str, comment_id: int, payload: ReportIn
) -> dict[str, Any]:
    unit = get_unit_by_code(code=code)
    comment = access_published_comment(unit=unit, pk=comment_id)
    return _comment_out(
        comment_services.comment_report(
            acting_user=request.user, comment=comment, reason=payload.reason
        )
    )


@voice_talk.post(
    "/comments/{comment_id}/moderate", auth=session, response={200: ModeratedOut, **WRITE_ERRORS}
)
def comment_moderate(request: HttpRequest, comment_id: int, payload: ModerateIn) -> dict[str, Any]:
    comment = access_moderated_comment(user=request.user, pk=comment_id)
    done = comment_services.comment_moderate(
        acting_user=request.user,
        comment=comment,
        version=payload.version,
        decision=payload.decision,
        note=payload.note,
    )
    return {
        **_comment_out(done),
        "version": done.version,
        "reports": done.reports,
        "held_for": done.held_for,
    }


# --- The secretary's inbox ---------------------------------------------------------------


def _thread_out(request: HttpRequest, t: InboxThread) -> dict[str, Any]:
    mine = is_thread_resident(request.user, t)
    return {
        "id": t.pk,
        "unit": unit_ref(t.unit),
        "subject": t.subject,
        "last_at": t.last_at,
        "unread": t.unread_by_resident if mine else t.unread_by_office,
    }


def _message_out(m: InboxMessage) -> dict[str, Any]:
    return {"from_resident": m.from_resident, "text": m.text, "at": m.at}


@voice_talk.get("/units/{code}/inbox", auth=session, response={200: Page[ThreadOut], **READ_ERRORS})
def inbox_threads(
    request: HttpRequest,
    code: str,
    unread: bool = False,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The unit's threads for its officers (and those above); a resident's own otherwise."""
    unit = get_unit_by_code(code=code)
    if can_answer_inbox(request.user, unit):
        rows = unit_threads(user=request.user, unit=unit, unread=unread)
    elif can_write_inbox(request.user, unit):
        rows = my_threads(user=request.user, unit=unit).order_by("-last_at", "-id")
    else:
        raise NotFound
    return page(rows, offset=offset, limit=limit, out=lambda t: _thread_out(request, t))


@voice_talk.post(
    "/units/{code}/inbox", auth=session, response={201: ThreadDetailOut, **WRITE_ERRORS}
)
def inbox_start(request: HttpRequest, code: str, payload: ThreadIn) -> Any:
    unit = get_unit_by_code(code=code)
    thread = inbox_services.thread_start(
        acting_user=request.user, unit=unit, subject=payload.subject, text=payload.text
    )
    return Status(201, _thread_detail(request, thread))


def _thread_detail(request: HttpRequest, thread: InboxThread) -> dict[str, Any]:
    return {
        **_thread_out(request, thread),
        "messages": [_message_out(m) for m in thread_messages(thread=thread)],
    }


@voice_talk.get("/inbox/{thread_id}", auth=session, response={200: ThreadDetailOut, **READ_ERRORS})
def inbox_thread(request: HttpRequest, thread_id: int) -> dict[str, Any]:
    """One thread with its messages; reading it marks it read for the reader's side."""
    thread = access_thread(user=request.user, pk=thread_id)
    inbox_services.thread_mark_read(acting_user=request.user, thread=thread)
    return _thread_detail(request, thread)


@voice_talk.post(
    "/inbox/{thread_id}/messages", auth=session, response={201: ThreadDetailOut, **WRITE_ERRORS}
)
def inbox_reply(request: HttpRequest, thread_id: int, payload: MessageIn) -> Any:
    thread = access_thread(user=request.user, pk=thread_id)
    inbox_services.thread_reply(acting_user=request.user, thread=thread, text=payload.text)
    return Status(201, _thread_detail(request, thread))
