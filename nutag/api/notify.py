"""The caller's own notifications: ``/api/v1/me/notifications``.

Session login only. A person reads and marks only their own notifications; anyone else's
answers 404, exactly like a missing one. Texts are rendered in the request's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import SessionAuth

from nutag.api.schemas import ErrorOut
from nutag.notify import kinds, services
from nutag.notify.models import Notification
from nutag.notify.selectors import inbox

session = SessionAuth()
me = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    urgency: str
    text: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPageOut(Schema):
    count: int
    unread: int
    offset: int
    limit: int
    items: list[NotificationOut]


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "urgency": n.urgency,
        "text": kinds.render(n.kind, n.params),
        "link": n.link,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@me.get(
    "/notifications",
    auth=session,
    response={200: NotificationPageOut, 401: ErrorOut},
)
def my_notifications(
    request: HttpRequest, unread: bool = False, offset: int = 0, limit: int = 50
) -> dict[str, Any]:
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, 2**31))  # as api.pagination.page: a huge offset is no 500
    rows = inbox(user=request.user, unread_only=unread)
    return {
        "count": rows.count(),
        "unread": inbox(user=request.user, unread_only=True).count(),
        "offset": offset,
        "limit": limit,
        "items": [_out(n) for n in rows[offset : offset + limit]],
    }


@me.post(
    "/notifications/{notification_id}/read",
    auth=session,
    response={200: NotificationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def read_notification(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    return _out(services.notification_mark_read(acting_user=request.user, pk=notification_id))
