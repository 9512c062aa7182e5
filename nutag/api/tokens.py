"""API tokens: services, selectors and the one gate every API request passes.

``TokenMiddleware`` (in ``MIDDLEWARE``, after django-otp's) reads ``Authorization: Bearer
<token>`` on ``/api/`` only. A valid token makes ``request.user`` its login for that request,
so every router's ``SessionAuth`` (and any router added later) accepts it unchanged; the CSRF
check is skipped for it (a header a browser never sends by itself, so there is nothing to
forge). The scope is enforced here, once for the whole API: a ``read`` token gets 403 on
anything but GET, HEAD and OPTIONS. An unknown, revoked or malformed token, or one whose login
is switched off, gets 401 — never a silent fall back to anonymous. Tokens are made only from a
session (the workbench's settings page or ``POST /api/v1/me/tokens``), which has passed the
second factor where one is required; a token request therefore counts as verified.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.api.models import ApiToken, TokenScope
from nutag.core.actors import Actor, AnyUser
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.people.accounts.selectors import my_person

TOKEN_PREFIX = "ntg_"  # noqa: S105 (a prefix, not a secret)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_TOKENS = 20  # per login
TOUCH_EVERY = dt.timedelta(minutes=5)  # last_used_at is written at most this often


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- selectors ------------------------------------------------------------------------------


def tokens_of(*, user: AnyUser) -> QuerySet[ApiToken]:
    """The login's own tokens, newest first (revoked ones included, marked)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk)


def access_token(*, user: AnyUser, pk: int) -> ApiToken:
    token = tokens_of(user=user).filter(pk=pk).first()
    if token is None:
        raise NotFound
    return token


# --- services -------------------------------------------------------------------------------


def _audit(actor: Actor, token: ApiToken, action: str, changes: dict[str, Any]) -> None:
    """Audit at the login's person's unit; a login without a person has no unit history."""
    person = my_person(user=token.user)
    if person is not None:
        audit_record(
            actor=actor, action=AuditAction(action), obj=token, unit=person.unit, changes=changes
        )


@transaction.atomic
def token_create(*, acting_user: Actor, name: str, scope: str) -> tuple[ApiToken, str]:
    """Make a token for the acting login; returns it with the raw token (shown once only)."""
    if not isinstance(acting_user, User):  # SYSTEM and the anonymous have no tokens
        raise NotFound
    user = User.objects.select_for_update().get(pk=acting_user.pk)
    if tokens_of(user=user).filter(revoked_at__isnull=True).count() >= MAX_TOKENS:
        raise ValidationError(
            _("You have %(count)d tokens already: revoke one first.") % {"count": MAX_TOKENS}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=(name or "").strip(),
        scope=scope,
        digest=token_digest(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 4],
    )
    token.full_clean()
    token.save()
    # The digest and the token never go into the history.
    _audit(
        acting_user, token, AuditAction.CREATE, {"name": [None, token.name], "scope": [None, scope]}
    )
    return token, raw


@transaction.atomic
def token_revoke(*, acting_user: Actor, pk: int) -> ApiToken:
    """Revoke one of the acting login's own tokens (anyone else's: ``NotFound``)."""
    if not isinstance(acting_user, User):
        raise NotFound
    token = access_token(user=acting_user, pk=pk)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _audit(acting_user, token, AuditAction.DELETE, {"revoked": [False, True]})
    return token


# --- the gate -------------------------------------------------------------------------------


def _refuse(status: int, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail, "errors": {}}, status=status)  # the one error shape
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="nutag"'
    return response


def token_from_header(header: str) -> ApiToken | None:
    """The active token named by an ``Authorization`` header value, or ``None``."""
    kind, _sep, raw = header.partition(" ")
    raw = raw.strip()
    if kind.lower() != "bearer" or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token


class TokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization")
        if header is None or not request.path_info.startswith("/api/"):
            return self.get_response(request)
        token = token_from_header(header)
        if token is None:
            return _refuse(401, _("This API token is not valid (unknown, revoked or mistyped)."))
        if token.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            return _refuse(403, _("This API token may only read."))
        user = token.user
        user.is_verified = lambda: True  # type: ignore[attr-defined]
        request.user = user
        request.api_token = token  # type: ignore[attr-defined]
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return self.get_response(request)
