"""Every write to the revitalisation ledger.

Each service checks the action's rule (``revival.permissions``; ``SYSTEM`` passes), cleans and
saves in one transaction, and writes an audit row. Audit rows never copy notes, reasons or
amounts: they say what kind of row was written and which fields changed, not a household's
income or health.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record, user_or_none
from nutag.core.models import AuditAction
from nutag.orgs.models import Position, Unit
from nutag.orgs.permissions import require
from nutag.people.models import Person
from nutag.revival.models import (
    HouseholdStatus,
    IncomeRecord,
    Measure,
    Pairing,
    StatusChange,
    Visit,
    WatchedHousehold,
)
from nutag.revival.permissions import (
    NEXT_STATUSES,
    can_add_household,
    can_change_household,
    can_change_status,
)


def _not_future(field: str, day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _locked(household: WatchedHousehold) -> WatchedHousehold:
    return WatchedHousehold.objects.select_for_update().select_related("unit").get(pk=household.pk)


@transaction.atomic
def household_create(
    *,
    acting_user: Actor,
    head: Person,
    category: str,
    members: int,
    watched_since: dt.date,
    notes: str = "",
) -> WatchedHousehold:
    """Put a household under watch; its unit is its head's unit."""
    require(acting_user, can_add_household, head.unit)
    _not_future("watched_since", watched_since)
    if WatchedHousehold.objects.filter(head=head).exists():
        raise ValidationError({"head": _("This household is already in the ledger.")})
    household = WatchedHousehold(
        unit=head.unit,
        unit_path=head.unit.path,
        head=head,
        category=category,
        members=members,
        watched_since=watched_since,
        notes=notes.strip(),
    )
    household.full_clean()
    household.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=household,
        unit=head.unit,
        changes={"category": [None, category], "members": [None, members]},
    )
    return household


@transaction.atomic
def household_status_change(
    *,
    acting_user: Actor,
    household: WatchedHousehold,
    to_status: str,
    reason: str,
    changed_on: dt.date,
) -> StatusChange:
    """Change a household's status (risk removed, returned to poverty, back under watch),
    with the reason kept in its history."""
    require(acting_user, can_change_status, household)
    household = _locked(household)
    _not_future("changed_on", changed_on)
    if to_status not in NEXT_STATUSES.get(household.status, ()):
        raise ValidationError({"to_status": _("The household already has this status.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    change = StatusChange(
        household=household,
        unit=household.unit,
        unit_path=household.unit_path,
        from_status=household.status,
        to_status=to_status,
        changed_on=changed_on,
        reason=reason.strip(),
        changed_by=user_or_none(acting_user),
    )
    change.full_clean()
    change.save()
    household.status = to_status
    household.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=household,
        unit=household.unit,
        changes={"status": [change.from_status, to_status]},
    )
    return change


def cadre_candidates(household: WatchedHousehold) -> list[int]:
    """Ids of the people who may be paired with the household: holders of a current position
    at its unit or at a unit above it (the banner's, the township's, the village's cadres)."""
    path = household.unit_path
    steps = {path[:i] for i in range(Unit.steplen, len(path) + 1, Unit.steplen)}
    return list(
        Position.objects.filter(ended_on__isnull=True, unit__path__in=steps)
        .values_list("person_id", flat=True)
        .distinct()
    )


@transaction.atomic
def pairing_add(
    *, acting_user: Actor, household: WatchedHousehold, cadre: Person, started_on: dt.date
) -> Pairing:
    """Pair a cadre with the household (结对帮扶)."""
    require(acting_user, can_change_household, household)
    _not_future("started_on", started_on)
    if cadre.pk not in cadre_candidates(household):
        raise ValidationError({"cadre": _("Choose a cadre of this unit or of a unit above it.")})
    if Pairing.objects.filter(household=household, cadre=cadre, ended_on__isnull=True).exists():
        raise ValidationError({"cadre": _("This cadre is already paired with the household.")})
    pairing = Pairing(
        household=household,
        unit=household.unit,
        unit_path=household.unit_path,
        cadre=cadre,
        started_on=started_on,
    )
    pairing.full_clean()
    pairing.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=pairing,
        unit=household.unit,
        changes={"cadre": [None, cadre.pk]},
    )
    return pairing


@transaction.atomic
def pairing_end(*, acting_user: Actor, pairing: Pairing, ended_on: dt.date) -> Pairing:
    require(acting_user, can_change_household, pairing.household)
    pairing = Pairing.objects.select_for_update().select_related("unit").get(pk=pairing.pk)
    if pairing.ended_on is not None:
        raise ValidationError(_("This pairing has already ended."))
    _not_future("ended_on", ended_on)
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("A pairing cannot end before it began.")})
    pairing.ended_on = ended_on
    pairing.full_clean()
    pairing.save(update_fields=["ended_on", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=pairing,
        unit=pairing.unit,
        changes={"ended_on": [None, ended_on.isoformat()]},
    )
    return pairing


@transaction.atomic
def measure_add(
    *,
    acting_user: Actor,
    household: WatchedHousehold,
    kind: str,
    description: str,
    taken_on: dt.date,
    amount: Decimal | None = None,
) -> Measure:
    require(acting_user, can_change_household, household)
    _not_future("taken_on", taken_on)
    measure = Measure(
        household=household,
        unit=household.unit,
        unit_path=household.unit_path,
        kind=kind,
        description=description.strip(),
        taken_on=taken_on,
        amount=amount,
    )
    measure.full_clean()
    measure.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=measure,
        unit=household.unit,
        changes={"kind": [None, kind]},
    )
    return measure


@transaction.atomic
def visit_add(
    *,
    acting_user: Actor,
    household: WatchedHousehold,
    visited_on: dt.date,
    notes: str,
    cadre: Person | None = None,
) -> Visit:
    require(acting_user, can_change_household, household)
    _not_future("visited_on", visited_on)
    visit = Visit(
        household=household,
        unit=household.unit,
        unit_path=household.unit_path,
        visited_on=visited_on,
        notes=notes.strip(),
        cadre=cadre,
    )
    visit.full_clean()
    visit.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=visit,
        unit=household.unit,
        changes={"visited_on": [None, visited_on.isoformat()]},
    )
    return visit


@transaction.atomic
def income_set(
    *,
    acting_user: Actor,
    household: WatchedHousehold,
    year: int,
    per_capita: Decimal,
    sources: str = "",
) -> IncomeRecord:
    """Record (or correct) a year's net income per person of the household."""
    require(acting_user, can_change_household, household)
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("The year cannot be in the future.")})
    if per_capita < 0:
        raise ValidationError({"per_capita": _("An income cannot be negative.")})
    record = IncomeRecord.objects.select_for_update().filter(household=household, year=year).first()
    created = record is None
    if record is None:
        record = IncomeRecord(
            household=household, unit=household.unit, unit_path=household.unit_path, year=year
        )
    record.per_capita = per_capita
    record.sources = sources.strip()
    record.full_clean()
    record.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=record,
        unit=household.unit,
        changes={"year": [None, year], "per_capita": [None, "…"]},
    )
    return record


__all__ = [
    "HouseholdStatus",
    "cadre_candidates",
    "household_create",
    "household_status_change",
    "income_set",
    "measure_add",
    "pairing_add",
    "pairing_end",
    "visit_add",
]
