"""The demo's logins work (issue 9): a pending invitation and a request to join waiting at
demo-village's unit, and demo-admin enrolled in the second factor with a published key.

Idempotent: each piece is made only when missing. The invitation's link is not kept (only
its digest is stored); the secretary sees it under "Invitations not accepted" and can issue
a new one to show the link and QR. demo-admin's authenticator key is public on purpose
(``DEMO_TOTP_KEY``, README): add it to an authenticator app, or run
``manage.py demo_code demo-admin`` for the current code. The other demo officers who need a
second factor (the secretaries, who can read ID numbers) are within their grace period
(``NUTAG_OTP_GRACE_DAYS`` from the demo's loading) and only see a reminder.
"""

from __future__ import annotations

from base64 import b32decode

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from nutag.core.actors import SYSTEM
from nutag.people.accounts.services import JoinInput, invitation_issue, join_request_create
from nutag.people.models import Invitation, JoinRequest, Person

from .plan import LOGIN_UNITS

# Public on purpose: the demo admin's authenticator key (base32), printed in the README.
DEMO_TOTP_KEY = "NUTAGDEMOADMINKEYFORTHEFIRSTLOOK"
NEWCOMER = "demo-newcomer"


def demo_totp_hex() -> str:
    return b32decode(DEMO_TOTP_KEY).hex()


def ensure_accounts(*, password: str) -> int:
    """Make what is missing; the number of things made."""
    made = 0
    user_model = get_user_model()
    village = Person.objects.filter(user__username="demo-village").values_list("unit", flat=True)
    unit_id = village.first()
    candidates = (
        Person.objects.filter(unit_id=unit_id, user__isnull=True, is_resident=True)
        .exclude(phone="")
        .order_by("name_pinyin", "id")
        if unit_id
        else Person.objects.none()
    )
    people = list(candidates[:2])
    if unit_id and len(people) == 2:
        if not Invitation.objects.filter(unit_id=unit_id).exists():
            invitation_issue(acting_user=SYSTEM, person=people[0])
            made += 1
        if not JoinRequest.objects.filter(user__username=NEWCOMER).exists():
            user = user_model.objects.filter(username=NEWCOMER).first()
            if user is None:
                user = user_model(username=NEWCOMER, first_name=people[1].name)
                user.set_password(password)
                user.save()
            join_request_create(
                acting_user=user,
                unit=people[1].unit,
                data=JoinInput(name=people[1].name, phone=people[1].phone, household="第二牧业组"),
            )
            made += 1
    admin = user_model.objects.filter(username="demo-admin").first()
    if admin is not None and not TOTPDevice.objects.filter(user=admin).exists():
        TOTPDevice.objects.create(user=admin, name="demo", key=demo_totp_hex(), confirmed=True)
        made += 1
    return made


__all__ = ["DEMO_TOTP_KEY", "LOGIN_UNITS", "NEWCOMER", "ensure_accounts"]
