"""The mobile members' micro-branch (流动党员微支部): a member working away checks in once a
month (where they are, what they did). Only a current mobile member of a branch checks in; a
member who left the branch (no membership any more, or not mobile) is refused, and nothing
is written. The month is the server's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.sanitize import clean_text
from nutag.people.models import PartyMembership
from nutag.study.models import CheckIn
from nutag.study.services._common import person_of


@transaction.atomic
def checkin_post(*, acting_user: Actor, where: str, what: str) -> CheckIn:
    """This month's check-in of the acting login's person (sent again: updated)."""
    person = person_of(acting_user)
    membership = (
        PartyMembership.objects.select_related("unit").filter(person=person, is_mobile=True).first()
    )
    if membership is None:
        raise ValidationError(_("Only mobile Party members of a branch check in here."))
    where, what = clean_text(where).strip(), clean_text(what).strip()
    if not where or not what:
        raise ValidationError(_("Say where you are and what you did this month."))
    now = timezone.now()
    month = timezone.localdate(now).replace(day=1)
    checkin = CheckIn.objects.select_for_update().filter(person=person, month=month).first()
    if checkin is None:
        checkin = CheckIn(person=person, month=month)
    checkin.unit = membership.unit
    checkin.unit_path = membership.unit.path
    checkin.where, checkin.what, checkin.updated_at = where[:100], what[:1000], now
    checkin.full_clean()
    checkin.save()
    return checkin
