"""A record's life beyond the day-to-day: the banner's rules, coming of age (archive), the
deletion of archived records after the banner's retention, and a young person's move to
another unit (their record, pairs, visits and needs go with them)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record, diff
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.people.models import YoungPerson
from nutag.youth.models import (
    Need,
    Pairing,
    RecordStatus,
    Visit,
    VisitPhoto,
    YouthPolicy,
    YouthRecord,
)
from nutag.youth.permissions import can_set_youth_rules
from nutag.youth.storage import delete_private

DEFAULT_ADULT_AGE = YouthPolicy._meta.get_field("adult_age").default
DEFAULT_KEEP_YEARS = YouthPolicy._meta.get_field("keep_archived_years").default


def _years_before(today: dt.date, years: int) -> dt.date:
    if today.month == 2 and today.day == 29:
        return today.replace(year=today.year - years, day=28)
    return today.replace(year=today.year - years)


def policy_of(root_path: str) -> YouthPolicy:
    """The banner's rules (the defaults when it set none); not saved."""
    policy = YouthPolicy.objects.filter(unit__path=root_path).first()
    return policy or YouthPolicy()


@transaction.atomic
def policy_update(
    *,
    acting_user: Actor,
    unit: Unit,
    visit_every_days: int,
    adult_age: int,
    keep_archived_years: int,
) -> YouthPolicy:
    """The banner's youth rules, set by its youth officer in the workbench."""
    require(acting_user, can_set_youth_rules, unit)
    policy, _created = YouthPolicy.objects.select_for_update().get_or_create(unit=unit)
    fields = ("visit_every_days", "adult_age", "keep_archived_years")
    before = {f: getattr(policy, f) for f in fields}
    policy.visit_every_days = visit_every_days
    policy.adult_age = adult_age
    policy.keep_archived_years = keep_archived_years
    policy.full_clean()
    policy.save()
    changes = diff(before, {f: getattr(policy, f) for f in fields})
    if changes:
        audit_record(
            actor=acting_user, action=AuditAction.UPDATE, obj=policy, unit=unit, changes=changes
        )
    return policy


@transaction.atomic
def records_archive_adults(*, acting_user: Actor, today: dt.date | None = None) -> int:
    """Coming of age: close and archive the active records of those who reached their banner's
    age (``YouthPolicy.adult_age``, 18 by default). A daily job (``NUTAG_PERIODIC_JOBS``).
    Archived records are read only by the banner's youth officer."""
    today = today or timezone.localdate()
    ages = dict(YouthPolicy.objects.values_list("unit__path", "adult_age"))
    youngest = min([DEFAULT_ADULT_AGE, *ages.values()])
    records = list(
        YouthRecord.objects.select_for_update()
        .filter(
            status=RecordStatus.ACTIVE,
            young__person__birth_date__lte=_years_before(today, youngest),
        )
        .select_related("unit", "young__person")
    )
    archived = 0
    for record in records:
        age = ages.get(record.unit_path[: Unit.steplen], DEFAULT_ADULT_AGE)
        birth = record.young.person.birth_date
        if birth is None or birth > _years_before(today, age):
            continue
        record.status = RecordStatus.ARCHIVED
        record.archived_on = today
        record.save(update_fields=["status", "archived_on", "updated_at"])
        Pairing.objects.filter(record=record, ended_on__isnull=True).update(ended_on=today)
        audit_record(
            actor=acting_user,
            action=AuditAction.CLOSE,
            obj=record,
            unit=record.unit,
            changes={"status": [RecordStatus.ACTIVE, RecordStatus.ARCHIVED]},
            note=_("came of age"),
        )
        archived += 1
    return archived


def _delete_record_rows(record: YouthRecord) -> list[str]:
    """Delete a record's pairs, visits (and their photos) and needs; the files to delete."""
    photos = list(
        VisitPhoto.objects.filter(visit__pairing__record=record).values_list("image", flat=True)
    )
    VisitPhoto.objects.filter(visit__pairing__record=record).delete()
    Visit.objects.filter(pairing__record=record).delete()
    Pairing.objects.filter(record=record).delete()
    Need.objects.filter(record=record).delete()
    record.delete()
    return photos


@transaction.atomic
def records_delete_expired(*, acting_user: Actor, today: dt.date | None = None) -> int:
    """Delete the archived records kept longer than their banner's retention
    (``YouthPolicy.keep_archived_years``): one audit row each (that a record existed and was
    deleted, never what it said). A daily job; returns how many were deleted."""
    today = today or timezone.localdate()
    years = dict(YouthPolicy.objects.values_list("unit__path", "keep_archived_years"))
    shortest = min([DEFAULT_KEEP_YEARS, *years.values()])
    records = list(
        YouthRecord.objects.select_for_update()
        .filter(status=RecordStatus.ARCHIVED, archived_on__lte=_years_before(today, shortest))
        .select_related("unit")
    )
    deleted = 0
    files: list[str] = []
    for record in records:
        keep = years.get(record.unit_path[: Unit.steplen], DEFAULT_KEEP_YEARS)
        if record.archived_on is None or record.archived_on > _years_before(today, keep):
            continue
        audit_record(
            actor=acting_user,
            action=AuditAction.DELETE,
            obj=record,
            unit=record.unit,
            changes={"status": [record.status, None]},
            note=_("archived record deleted after %(years)s years") % {"years": keep},
        )
        files += _delete_record_rows(record)
        deleted += 1
    transaction.on_commit(lambda: delete_private(files))
    return deleted


@transaction.atomic
def records_follow_young(*, acting_user: Actor, young: YoungPerson) -> int:
    """The young person moved to another unit: their record, pairs, visits, needs and sign-ups'
    path copies follow (``people``'s move saves the role; ``youth.signals`` calls this)."""
    record = YouthRecord.objects.select_for_update().filter(young_id=young.pk).first()
    if record is None or record.unit_id == young.unit_id:
        return 0
    old_unit_id = record.unit_id
    unit = Unit.objects.get(pk=young.unit_id)
    record.unit = unit
    record.unit_path = unit.path
    record.save(update_fields=["unit", "unit_path", "updated_at"])
    for model in (Pairing, Visit, Need):
        rows = model.objects.filter(
            **({"record": record} if model is not Visit else {"pairing__record": record})
        )
        rows.update(unit=unit, unit_path=unit.path)
    audit_record(
        actor=acting_user,
        action=AuditAction.MOVE,
        obj=record,
        unit=unit,
        changes={"unit": [old_unit_id, unit.pk]},
    )
    return 1
