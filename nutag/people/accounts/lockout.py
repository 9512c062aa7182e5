"""Failed-login lockout (django-axes): the username an attempt is kept under, the page a
locked-out visitor sees, and whether a login is locked now (for the secretary's "unlock"
button)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

# django-axes keeps the username a login was tried with in 255-character columns and stores
# what was typed as it is: a longer one (scanners send them; the login form checks no length)
# made each such failed login a server error on PostgreSQL (jazzband/django-axes#1381). It is
# cut as axes itself cuts the user agent and the path, for the lockout's look-ups too.
USERNAME_KEPT = 255


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> Any:
    """``AXES_USERNAME_CALLABLE``: axes' own choice (the credentials, else the posted form's
    field), at most ``USERNAME_KEPT`` characters."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")  # an axes default
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    return username[:USERNAME_KEPT] if isinstance(username, str) else username


def _cool_off() -> dt.timedelta:
    value = settings.AXES_COOLOFF_TIME
    return value if isinstance(value, dt.timedelta) else dt.timedelta(hours=float(value or 0))


def is_locked_out(username: str) -> bool:
    """The login has reached the failure limit within the cool-off time."""
    from axes.models import AccessAttempt

    since = timezone.now() - _cool_off()
    failures = (
        AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
            n=Sum("failures_since_start")
        )["n"]
        or 0
    )
    return failures >= settings.AXES_FAILURE_LIMIT


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """Said in the visitor's language: when to try again, and who can unlock sooner."""
    retry_at = timezone.localtime(timezone.now() + _cool_off())
    return render(
        request,
        "people/accounts/locked_out.html",
        {"retry_at": retry_at, "minutes": int(_cool_off().total_seconds() // 60)},
        status=429,
    )
