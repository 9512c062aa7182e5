"""The second factor (TOTP, django-otp): who needs it, enrolment, and the gate that asks.

Required of platform admins and of officers who hold a right over people's most sensitive
data (``SENSITIVE_PERMS``: ID numbers today; the youth app adds its record right here).
An officer gets ``NUTAG_OTP_GRACE_DAYS`` from their login's creation to enrol, with a
reminder on every workbench page; a platform admin gets none. Once enrolled, every login
session must be verified with a code from the authenticator app (or a recovery code) before
the workbench, the admin or the API answers. ``NUTAG_OTP_REQUIRED=0`` switches it off.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nutag.core.actors import AnyUser
from nutag.orgs.permissions import Perm, has_any_unit_perm, is_platform_admin

# Rights over people's most sensitive data: holding one at any unit needs a second factor.
SENSITIVE_PERMS: list[Perm] = [Perm.VIEW_ID_NUMBER]
RECOVERY_CODES = 8
GATED_PREFIXES = ("/desk/", "/admin/", "/api/")
OPEN_PREFIXES = (
    "/desk/login/",
    "/desk/logout/",
    "/desk/account/2fa/",
    "/desk/invite/",
    "/desk/join/",
)


def second_factor_required(user: AnyUser) -> bool:
    if not settings.NUTAG_OTP_REQUIRED or not user.is_authenticated:
        return False
    if is_platform_admin(user):
        return True
    return any(has_any_unit_perm(user=user, perm=perm) for perm in SENSITIVE_PERMS)


def is_enrolled(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated
        and TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    )


def enrol_deadline(user: User) -> dt.datetime | None:
    """Until when an officer may still work without a second factor (``None``: no grace)."""
    if is_platform_admin(user) or settings.NUTAG_OTP_GRACE_DAYS <= 0:
        return None
    return user.date_joined + dt.timedelta(days=settings.NUTAG_OTP_GRACE_DAYS)


def _is_verified(request: HttpRequest) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


class SecondFactorMiddleware:
    """Sends a login that needs a second factor to enrolment or verification first.

    Only the workbench, the admin and the API are gated; public sites, the login page, the
    second-factor pages themselves and invitation links are not. Sets
    ``request.second_factor_due`` (a deadline) for the reminder during an officer's grace."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(GATED_PREFIXES) and not path.startswith(OPEN_PREFIXES):
            refusal = self._gate(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not second_factor_required(user) or _is_verified(request):
            return None
        enrolled = is_enrolled(user)
        if not enrolled:
            deadline = enrol_deadline(user)  # type: ignore[arg-type]
            if deadline is not None and timezone.now() < deadline:
                request.second_factor_due = deadline  # type: ignore[attr-defined]
                return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {  # the API's one error shape (nutag/api/schemas.ErrorOut)
                    "detail": _("A second factor is required: verify in the workbench first."),
                    "errors": {},
                },
                status=403,
            )
        target = "second-factor-verify" if enrolled else "second-factor-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


# --- services (writes) --------------------------------------------------------------------


@transaction.atomic
def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (made once, reused until confirmed)."""
    if is_enrolled(user):
        raise ValidationError(_("A second factor is already set up for this login."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice(user=user, name=_("Authenticator app"), confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def totp_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> list[str]:
    """Confirm enrolment with a first code; returns fresh recovery codes (shown once) and
    marks this session verified."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    if not device.verify_token((token or "").strip().replace(" ", "")):
        raise ValidationError(
            {"token": [_("This code is not right. Type the 6 digits the app shows now.")]}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_renew(user=device.user)
    otp_login(request, device)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def second_factor_verify(*, request: HttpRequest, token: str) -> Any:
    """Verify this session with a code from the app or a recovery code."""
    device = match_token(request.user, (token or "").strip().replace(" ", ""))
    if device is None:
        raise ValidationError(
            {
                "token": [
                    _(
                        "This code is not right, or was already used. After a wrong code, "
                        "wait a few seconds before the next try."
                    )
                ]
            }
        )
    otp_login(request, device)
    return device


def devices_of(user: User) -> list[Any]:
    return list(devices_for_user(user))
