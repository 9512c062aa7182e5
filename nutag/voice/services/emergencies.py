"""Emergencies (snowstorm, fire, flood, missing person).

- ``emergency_publish``: an officer publishes from a unit over a radius (``voice.areas``);
  the right is checked at the head of the area, so nobody reaches units outside their own
  subtree. The emergency goes to the top of every reached unit's site (the cached pages are
  purged) and reaches every person of those units at once through the notifications'
  emergency path (``Kind.EMERGENCY``: at once, always, by text message by default).
- ``emergency_mark``: a person of a reached unit says they are safe or need help (one
  answer each, changeable while it is open).
- ``emergency_close``: the publisher's side closes it; the statuses stay for the record.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, SystemActor
from nutag.core.audit import audit_record, user_or_none
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.notify.models import Kind, Urgency
from nutag.notify.services import notify_people
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.people.models import Person
from nutag.voice.areas import area_top, area_units
from nutag.voice.models import (
    Emergency,
    EmergencyKind,
    EmergencyStatus,
    Radius,
    SafetyStatus,
)
from nutag.voice.permissions import can_manage_emergency, can_publish_emergency

CHUNK = 2000


def _announce(emergency: Emergency) -> None:
    from nutag.sites.events import announce_site_change

    unit_ids = list(emergency.areas.values_list("pk", flat=True))
    announce_site_change(unit_ids=unit_ids)


@transaction.atomic
def emergency_publish(
    *,
    acting_user: Actor,
    unit: Unit,
    kind: str,
    radius: str,
    text: str,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Emergency:
    # The right first (at the unit itself when the radius is not a known one), so someone
    # who may not publish learns nothing from the validation.
    require(acting_user, can_publish_emergency, area_top(unit, radius))
    errors: dict[str, list[str]] = {}
    if kind not in EmergencyKind.values:
        errors["kind"] = [_("Choose what is happening.")]
    if radius not in Radius.values:
        errors["radius"] = [_("Choose how far it must reach.")]
    if errors:
        raise ValidationError(errors)
    top = area_top(unit, radius)
    clean = " ".join((text or "").split())
    if not clean:
        raise ValidationError({"text": [_("Say what is happening and what to do.")]})
    if len(clean) > 300:
        raise ValidationError({"text": [_("Keep it under 300 characters: it goes by SMS.")]})
    emergency = Emergency(
        unit=top,
        unit_path=top.path,
        origin=unit,
        kind=kind,
        radius=radius,
        text=clean,
        published_by=user_or_none(acting_user),
    )
    emergency.full_clean()
    emergency.save()
    if now is not None:
        Emergency.objects.filter(pk=emergency.pk).update(created_at=now)
        emergency.created_at = now
    units = list(area_units(unit, radius).values_list("pk", flat=True))
    emergency.areas.set(units)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=emergency,
        unit=top,
        note=f"emergency ({radius}, {len(units)} units): {clean}",
    )
    if notify:
        people = Person.objects.filter(unit_id__in=units).values_list("pk", flat=True)
        notify_people(
            acting_user=acting_user,
            kind=Kind.EMERGENCY,
            person_ids=list(people.iterator(chunk_size=CHUNK)),
            params={"unit": unit.name, "text": clean},
            event_key=f"emergency:{emergency.pk}",
            link=f"/u/{unit.code}/emergencies/{emergency.pk}/",
            urgency=Urgency.EMERGENCY,
            now=now,
        )
    _announce(emergency)
    return emergency


def _person_in_area(user: User, emergency: Emergency) -> Person:
    person = (
        Person.objects.filter(user_id=user.pk, unit__emergencies=emergency)
        .only("id", "unit_id")
        .first()
    )
    if person is None:
        raise NotFound
    return person


@transaction.atomic
def emergency_mark(
    *,
    acting_user: Actor,
    emergency: Emergency,
    status: str,
    note: str = "",
    person: Person | None = None,
    now: dt.datetime | None = None,
) -> EmergencyStatus:
    """The acting person says they are safe or need help. Only for oneself: a person of a
    reached unit with a login; anyone else gets ``NotFound``. ``person`` is for ``SYSTEM``
    (the demo)."""
    if isinstance(acting_user, SystemActor):
        if person is None:
            raise ValueError("SYSTEM marks a status for a given person")
    elif isinstance(acting_user, User):
        person = _person_in_area(acting_user, emergency)
    else:
        raise NotFound
    if status not in SafetyStatus.values:
        raise ValidationError({"status": [_("Say whether you are safe or need help.")]})
    if emergency.closed_at is not None:
        raise ValidationError(_("This emergency is over."), code="closed")
    row, _made = EmergencyStatus.objects.update_or_create(
        emergency=emergency,
        person=person,
        defaults={
            "status": status,
            "note": " ".join((note or "").split())[:300],
            "updated_at": now or timezone.now(),
        },
    )
    return row


@transaction.atomic
def emergency_close(
    *, acting_user: Actor, emergency: Emergency, now: dt.datetime | None = None
) -> Emergency:
    require(acting_user, can_manage_emergency, emergency)
    if emergency.closed_at is not None:
        raise ValidationError(_("This emergency is already over."), code="closed")
    emergency.closed_at = now or timezone.now()
    Emergency.objects.filter(pk=emergency.pk).update(closed_at=emergency.closed_at)
    audit_record(actor=acting_user, action=AuditAction.CLOSE, obj=emergency, unit=emergency.unit)
    _announce(emergency)
    return emergency
