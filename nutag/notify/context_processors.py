"""The bell: unread notifications, for logged-in people only.

Anonymous visitors get nothing (``bell`` is ``None``): their pages are cached and must not
cost a query. For a logged-in person the count is read only if the template shows it, and
from the cache (``selectors.bell_count``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property


class Bell:
    def __init__(self, request: HttpRequest) -> None:
        self._user = request.user

    @cached_property
    def count(self) -> int:
        from nutag.notify.selectors import bell_count

        return bell_count(user=self._user)

    @property
    def url(self) -> str:
        return reverse("notify-inbox")


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"bell": None}
    return {"bell": SimpleLazyObject(lambda: Bell(request))}
