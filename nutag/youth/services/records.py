"""Every write to young people's records, pairs, visits and needs.

Each service checks the action's rule (``youth.permissions``; ``SYSTEM`` passes), cleans and
saves in one transaction, and writes an audit row. Audit rows of records never copy the
notes or a visit's text: they say which fields changed, not what a child's life is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, SystemActor
from nutag.core.audit import audit_record, diff
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.orgs.paths import is_within
from nutag.orgs.permissions import require
from nutag.people.models import Person, YoungPerson
from nutag.youth.models import (
    Circumstance,
    GoodDeed,
    Need,
    Pairing,
    Visit,
    YouthRecord,
)
from nutag.youth.permissions import (
    can_add_record,
    can_change_record,
    can_delete_record,
    can_log_deeds,
    can_write_visit,
)

TEXT_FIELDS = ("mood", "study", "hardship", "guardianship", "help_given", "next_step")


def _record_snapshot(record: YouthRecord) -> dict[str, object]:
    return {
        "school_class": record.school_class,
        "status": record.status,
        "circumstances": sorted(c.code for c in record.circumstances.all()) if record.pk else [],
        "notes": "…" if record.notes else "",  # that notes changed, never what they say
    }


@transaction.atomic
def record_create(
    *,
    acting_user: Actor,
    young: YoungPerson,
    school_class: str = "",
    circumstances: Iterable[Circumstance] = (),
    notes: str = "",
) -> YouthRecord:
    """Open the committee's record of a young person (one per young person)."""
    if not isinstance(acting_user, SystemActor) and not can_add_record(acting_user, young.unit):
        raise NotFound
    if YouthRecord.objects.filter(young=young).exists():
        raise ValidationError(_("This young person already has a record."))
    record = YouthRecord(
        young=young,
        unit=young.unit,
        unit_path=young.unit.path,
        school_class=school_class.strip(),
        notes=notes.strip(),
    )
    record.full_clean()
    record.save()
    record.circumstances.set(list(circumstances))
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=record,
        unit=young.unit,
        changes=diff({}, _record_snapshot(record)),
    )
    return record


@transaction.atomic
def record_update(
    *,
    acting_user: Actor,
    record: YouthRecord,
    school_class: str,
    circumstances: Iterable[Circumstance],
    notes: str,
) -> YouthRecord:
    require(acting_user, can_change_record, record)
    record = YouthRecord.objects.select_for_update().select_related("unit").get(pk=record.pk)
    before = _record_snapshot(record)
    record.school_class = school_class.strip()
    record.notes = notes.strip()
    record.full_clean()
    record.save()
    record.circumstances.set(list(circumstances))
    changes = diff(before, _record_snapshot(record))
    if changes:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=record,
            unit=record.unit,
            changes=changes,
        )
    return record


@transaction.atomic
def pairing_create(
    *,
    acting_user: Actor,
    record: YouthRecord,
    elders: Iterable[Person],
    started_on: dt.date | None = None,
) -> Pairing:
    """Pair elders (and perhaps a cadre) with the record's young person.

    Each must work in the care committee (a care-work role) at a unit in the same township's
    reach as the record — any unit on the record's branch of the tree, above or below it."""
    require(acting_user, can_change_record, record)
    people = list(elders)
    if not people:
        raise ValidationError({"elders": _("Choose at least one elder.")})
    township = record.unit_path[: 2 * 4]
    for person in people:
        worker = getattr(person, "care", None)
        if worker is None or not (
            is_within(person.unit_path, township) or is_within(record.unit_path, person.unit_path)
        ):
            raise ValidationError(
                {"elders": _("%(name)s does not work in a care committee here.") % {"name": person}}
            )
    pairing = Pairing(
        record=record,
        unit_id=record.unit_id,
        unit_path=record.unit_path,
        started_on=started_on or timezone.localdate(),
    )
    pairing.full_clean()
    pairing.save()
    pairing.elders.set(people)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=pairing,
        unit=record.unit,
        changes={"elders": [None, ", ".join(p.name for p in people)]},
    )
    return pairing


@transaction.atomic
def pairing_end(
    *, acting_user: Actor, pairing: Pairing, ended_on: dt.date | None = None
) -> Pairing:
    require(acting_user, can_change_record, pairing.record)
    pairing = Pairing.objects.select_for_update().select_related("unit").get(pk=pairing.pk)
    if pairing.ended_on is not None:
        return pairing
    pairing.ended_on = ended_on or timezone.localdate()
    if pairing.ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("A pair cannot end before it began.")})
    pairing.full_clean()
    pairing.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CLOSE,
        obj=pairing,
        unit=pairing.unit,
        changes={"ended_on": [None, pairing.ended_on.isoformat()]},
    )
    return pairing


@transaction.atomic
def visit_create(
    *,
    acting_user: Actor,
    pairing: Pairing,
    visited_on: dt.date,
    kind: str,
    **texts: str,
) -> Visit:
    """A visit, written by the paired elder (or whoever keeps the record) in a few minutes."""
    require(acting_user, can_write_visit, pairing.record)
    pairing = Pairing.objects.select_for_update().select_related("record__unit").get(pk=pairing.pk)
    if pairing.ended_on is not None:
        raise ValidationError(_("This pair has ended."))
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown visit fields: {sorted(unknown)}")
    visit = Visit(
        pairing=pairing,
        unit_id=pairing.unit_id,
        unit_path=pairing.unit_path,
        visited_on=visited_on,
        kind=kind,
        written_by=acting_user if acting_user.is_authenticated else None,  # type: ignore[misc]
        **{k: v.strip() for k, v in texts.items()},
    )
    visit.full_clean()
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be in the future.")})
    if visited_on < pairing.started_on:
        raise ValidationError({"visited_on": _("This date is before the pair began.")})
    visit.save()
    # A visit ends the silence: the next one is reminded again.
    Pairing.objects.filter(pk=pairing.pk, reminded_on__isnull=False).update(reminded_on=None)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=visit,
        unit=pairing.record.unit,
        changes={"visited_on": [None, visited_on.isoformat()], "kind": [None, kind]},
    )
    return visit


@transaction.atomic
def need_create(*, acting_user: Actor, record: YouthRecord, need: str, resource: str = "") -> Need:
    require(acting_user, can_write_visit, record)
    row = Need(
        record=record,
        unit_id=record.unit_id,
        unit_path=record.unit_path,
        need=need.strip(),
        resource=resource.strip(),
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=row,
        unit=record.unit,
        changes={"need": [None, row.need]},
    )
    return row


@transaction.atomic
def need_resolve(*, acting_user: Actor, need: Need, resource: str) -> Need:
    """Mark a need resolved, with the resource that met it."""
    require(acting_user, can_write_visit, need.record)
    row = Need.objects.select_for_update().select_related("unit").get(pk=need.pk)
    if row.resolved_on is not None:
        return row
    row.resource = resource.strip() or row.resource
    if not row.resource:
        raise ValidationError({"resource": _("Say what resource met the need.")})
    row.resolved_on = timezone.localdate()
    row.full_clean()
    row.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=row,
        unit=row.unit,
        changes={"resolved_on": [None, row.resolved_on.isoformat()]},
    )
    return row


@transaction.atomic
def record_delete(*, acting_user: Actor, record: YouthRecord) -> None:
    """A guardian's request to delete (docs/privacy.md): the record with its pairs, visits and
    needs. The audit row says that a record existed and was deleted, not what it said.
    Secretaries (the export right) and ``SYSTEM`` (``manage.py youth_delete_record``)."""
    require(acting_user, can_delete_record, record)
    record = YouthRecord.objects.select_for_update().select_related("unit").get(pk=record.pk)
    unit = record.unit
    audit_record(
        actor=acting_user,
        action=AuditAction.DELETE,
        obj=record,
        unit=unit,
        changes={"status": [record.status, None]},
        note=_("deleted at the guardian's request"),
    )
    from nutag.youth.services.lifecycle import _delete_record_rows
    from nutag.youth.storage import delete_private

    files = _delete_record_rows(record)
    transaction.on_commit(lambda: delete_private(files))


@transaction.atomic
def good_deed_create(
    *,
    acting_user: Actor,
    unit: Unit,
    done_on: dt.date,
    kind: str,
    what: str,
    elders: Iterable[Person] = (),
    people_helped: int = 1,
) -> GoodDeed:
    """One line of the good-deeds log (做好事、办实事、解难事); the elders must be the unit's
    care workers (or of a unit below it)."""
    require(acting_user, can_log_deeds, unit)
    people = list(elders)
    for person in people:
        if getattr(person, "care", None) is None or not is_within(person.unit_path, unit.path):
            raise ValidationError(
                {"elders": _("%(name)s does not work in a care committee here.") % {"name": person}}
            )
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("This date is in the future.")})
    deed = GoodDeed(
        unit=unit,
        unit_path=unit.path,
        done_on=done_on,
        kind=kind,
        what=what.strip(),
        people_helped=people_helped,
        recorded_by=acting_user if acting_user.is_authenticated else None,  # type: ignore[misc]
    )
    deed.full_clean()
    deed.save()
    deed.elders.set(people)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=deed,
        unit=unit,
        changes=diff({}, {"what": deed.what, "kind": kind, "people_helped": people_helped}),
    )
    return deed
