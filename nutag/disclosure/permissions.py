"""Who may do what with disclosures (one rule per action; see docs/permissions.md).

- Writing (a draft, its lines and attachments, submitting it, preparing a correction): the
  right to write the unit site's articles (``Perm.WRITE_ARTICLES``) at the disclosure's unit:
  its officers and secretaries, and those above them.
- Signing off (or returning) a submitted disclosure: ``Perm.SIGN_OFF_DISCLOSURE`` at the unit
  (the village supervisory committee's chair holds a *secretary* position), and never the
  login that submitted it: the committee checks someone else's work.
- Reading a draft or a submitted one: whoever may write or sign off there. A signed-off
  disclosure is public.
- Asking about a line: whoever may raise a concern at the unit (its residents, its officers).
- The calendar of a unit and below: ``Perm.VIEW_UNIT`` there.
"""

from __future__ import annotations

from nutag.core.actors import AnyUser
from nutag.disclosure.models import Disclosure, DisclosureStatus
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_unit_perm
from nutag.voice.permissions import can_raise_concern


def can_write_disclosure(user: AnyUser, unit: Unit) -> bool:
    return has_unit_perm(user=user, perm=Perm.WRITE_ARTICLES, unit=unit)


def can_edit(user: AnyUser, disclosure: Disclosure) -> bool:
    """Write a disclosure's draft, submit it, or correct it once signed off."""
    return can_write_disclosure(user, disclosure.unit)


def can_sign_off_at(user: AnyUser, unit: Unit) -> bool:
    return has_unit_perm(user=user, perm=Perm.SIGN_OFF_DISCLOSURE, unit=unit)


def can_sign_off(user: AnyUser, disclosure: Disclosure) -> bool:
    """Sign off or return a submitted disclosure: the right at its unit, and not the one who
    submitted it."""
    if not can_sign_off_at(user, disclosure.unit):
        return False
    return not (user.is_authenticated and disclosure.submitted_by_id == user.pk)


def can_read_disclosure(user: AnyUser, disclosure: Disclosure) -> bool:
    if disclosure.status == DisclosureStatus.SIGNED_OFF:
        return True
    return can_write_disclosure(user, disclosure.unit) or can_sign_off_at(user, disclosure.unit)


def can_ask_about(user: AnyUser, disclosure: Disclosure) -> bool:
    return (
        user.is_authenticated
        and disclosure.status == DisclosureStatus.SIGNED_OFF
        and can_raise_concern(user, disclosure.unit)
    )


def can_view_calendar(user: AnyUser, unit: Unit) -> bool:
    return has_unit_perm(user=user, perm=Perm.VIEW_UNIT, unit=unit)
