"""Every write to grids, incidents and their mediation log.

Each service checks the action's rule (``grid.permissions``; ``SYSTEM`` passes), cleans and
saves in one transaction, writes an audit row and tells people on commit. Audit rows never
copy the parties' names or what was agreed: they say which state changed. Only a grid's change
purges the unit's cached site pages (its governance column shows the grids); incidents are
never on the site, and the figures follow ``register_figure_source``.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, SystemActor
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.grid.models import OPEN_STATES, Grid, Incident, IncidentState, Mediation
from nutag.grid.permissions import can_handle_incident, can_manage_grids, can_work_grid
from nutag.notify.models import Kind
from nutag.notify.services import notify_people, notify_units
from nutag.orgs.models import Unit
from nutag.orgs.paths import is_within
from nutag.orgs.permissions import Perm, require
from nutag.people.models import Person
from nutag.sites.events import announce_site_change
from nutag.voice.models import Concern

# An ID number (18 characters, or the old 15 digits) inside the parties' text.
_ID_NUMBER = re.compile(r"(?<![0-9])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])")


def _actor_user(actor: Actor) -> object | None:
    return None if isinstance(actor, SystemActor) else actor


def _check_worker(grid_unit: Unit, worker: Person | None) -> None:
    if worker is not None and not is_within(worker.unit_path, grid_unit.path):
        raise ValidationError(
            {"worker": _("The grid worker must be a person of this unit or a unit below it.")}
        )


def _site_changed(unit_id: int) -> None:
    announce_site_change(unit_ids=[unit_id])


def _tell_worker(
    grid: Grid, *, actor: Actor, kind: str, params: dict[str, str], key: str, link: str
) -> None:
    """Tell the grid worker, unless they did it themselves."""
    worker = grid.worker
    if worker is None:
        return
    if not isinstance(actor, SystemActor) and worker.user_id == actor.pk:
        return
    worker_id: int = worker.pk
    transaction.on_commit(
        lambda: notify_people(
            acting_user=actor,
            kind=kind,
            person_ids=[worker_id],
            params=params,
            event_key=key,
            link=link,
        )
    )


@transaction.atomic
def grid_create(
    *,
    acting_user: Actor,
    unit: Unit,
    name: str,
    area: str = "",
    worker: Person | None = None,
    public_phone: str = "",
) -> Grid:
    require(acting_user, can_manage_grids, unit)
    _check_worker(unit, worker)
    grid = Grid(
        unit=unit,
        unit_path=unit.path,
        name=name.strip(),
        area=area.strip(),
        worker=worker,
        public_phone=public_phone.strip(),
    )
    grid.full_clean()
    grid.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=grid,
        unit=unit,
        changes={"name": [None, grid.name], "worker": [None, worker.pk if worker else None]},
    )
    if worker is not None:
        _tell_worker(
            grid,
            actor=acting_user,
            kind=Kind.GRID_WORKER_ASSIGNED,
            params={"grid": grid.name, "unit": unit.name},
            key=f"grid-worker:{grid.pk}:{worker.pk}",
            link=reverse("grid-detail", args=[grid.pk]),
        )
    transaction.on_commit(lambda: _site_changed(unit.pk))
    return grid


@transaction.atomic
def grid_update(
    *,
    acting_user: Actor,
    grid: Grid,
    name: str,
    area: str = "",
    worker: Person | None = None,
    public_phone: str = "",
    is_active: bool = True,
) -> Grid:
    """Edit a grid, assign (or change) its grid worker."""
    require(acting_user, can_manage_grids, grid.unit)
    row = Grid.objects.select_for_update().select_related("unit").get(pk=grid.pk)
    _check_worker(row.unit, worker)
    before = {"name": row.name, "worker": row.worker_id, "is_active": row.is_active}
    row.name, row.area, row.worker = name.strip(), area.strip(), worker
    row.public_phone, row.is_active = public_phone.strip(), is_active
    row.full_clean()
    row.save()
    after = {"name": row.name, "worker": row.worker_id, "is_active": row.is_active}
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=row,
        unit=row.unit,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    if worker is not None and before["worker"] != worker.pk:
        _tell_worker(
            row,
            actor=acting_user,
            kind=Kind.GRID_WORKER_ASSIGNED,
            params={"grid": row.name, "unit": row.unit.name},
            key=f"grid-worker:{row.pk}:{worker.pk}",
            link=reverse("grid-detail", args=[row.pk]),
        )
    unit_id = row.unit_id
    transaction.on_commit(lambda: _site_changed(unit_id))
    return row


def _check_day(day: dt.date, *, field: str, not_before: dt.date | None = None) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if not_before is not None and day < not_before:
        raise ValidationError(
            {
                field: _("This date is before the incident was reported (%(day)s).")
                % {"day": not_before}
            }
        )


@transaction.atomic
def incident_log(
    *,
    acting_user: Actor,
    grid: Grid,
    kind: str,
    summary: str,
    reported_on: dt.date | None = None,
    parties: str = "",
    concern: Concern | None = None,
) -> Incident:
    """Log an incident or dispute in ``grid``; ``concern``: the resident's concern it was
    raised from (the actor must be able to handle that concern, and the grid must lie in
    the concern's handling unit)."""
    require(acting_user, can_work_grid, grid)
    if not grid.is_active:
        raise ValidationError({"grid": _("This grid is no longer in use.")})
    reported_on = reported_on or timezone.localdate()
    _check_day(reported_on, field="reported_on")
    if _ID_NUMBER.search(parties):
        raise ValidationError({"parties": _("Write names only: never an ID number.")})
    if concern is not None:
        from nutag.voice.permissions import can_handle_concern

        if not isinstance(acting_user, SystemActor) and not can_handle_concern(
            acting_user, concern
        ):
            raise NotFound
        if not is_within(grid.unit_path, concern.unit_path):
            raise ValidationError(
                {"concern": _("This concern is handled by another unit than this grid's.")}
            )
        if Incident.objects.filter(concern=concern).exists():
            raise ValidationError(
                {"concern": _("An incident was already raised from this concern.")}
            )
    incident = Incident(
        grid=grid,
        unit_id=grid.unit_id,
        unit_path=grid.unit_path,
        kind=kind,
        reported_on=reported_on,
        summary=summary.strip(),
        parties=parties.strip(),
        concern=concern,
        logged_by=_actor_user(acting_user),  # type: ignore[misc]
    )
    incident.full_clean()
    incident.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=incident,
        unit=grid.unit,
        changes={"kind": [None, kind], "concern": [None, concern.number if concern else None]},
    )
    _tell_worker(
        grid,
        actor=acting_user,
        kind=Kind.GRID_INCIDENT,
        params={"grid": grid.name, "kind": incident.get_kind_display()},
        key=f"grid-incident:{incident.pk}",
        link=reverse("grid-incident", args=[incident.pk]),
    )
    return incident


def _lock_open(acting_user: Actor, incident: Incident) -> Incident:
    require(acting_user, can_handle_incident, incident)
    row = Incident.objects.select_for_update().select_related("grid", "unit").get(pk=incident.pk)
    if row.state not in OPEN_STATES:
        raise ValidationError(_("This incident is no longer open."))
    return row


def _save_state(acting_user: Actor, row: Incident, before: str, note: str = "") -> Incident:
    row.full_clean()
    row.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=row,
        unit=row.unit,
        changes={"state": [before, row.state]},
        note=note,
    )
    return row


@transaction.atomic
def incident_mediate(
    *, acting_user: Actor, incident: Incident, held_on: dt.date, mediator: str, agreed: str
) -> Mediation:
    """Add a mediation session to the log; the incident is then being mediated."""
    row = _lock_open(acting_user, incident)
    _check_day(held_on, field="held_on", not_before=row.reported_on)
    entry = Mediation(
        incident=row,
        unit_id=row.unit_id,
        unit_path=row.unit_path,
        held_on=held_on,
        mediator=mediator.strip(),
        agreed=agreed.strip(),
    )
    entry.full_clean()
    entry.save()
    before = row.state
    if row.state == IncidentState.LOGGED:
        row.state = IncidentState.MEDIATING
    _save_state(acting_user, row, before, note="mediation")
    return entry


@transaction.atomic
def incident_resolve(
    *,
    acting_user: Actor,
    incident: Incident,
    outcome: str,
    resolved_on: dt.date | None = None,
    follow_up_on: dt.date | None = None,
) -> Incident:
    """Resolve with the outcome (required) and perhaps a date to follow up."""
    row = _lock_open(acting_user, incident)
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write the outcome.")})
    resolved_on = resolved_on or timezone.localdate()
    _check_day(resolved_on, field="resolved_on", not_before=row.reported_on)
    if follow_up_on is not None and follow_up_on < resolved_on:
        raise ValidationError(
            {"follow_up_on": _("The follow-up date must not be before the incident was resolved.")}
        )
    before = row.state
    row.state = IncidentState.RESOLVED
    row.outcome = outcome.strip()
    row.resolved_on = resolved_on
    row.days_to_resolve = (resolved_on - row.reported_on).days
    row.follow_up_on = follow_up_on
    return _save_state(acting_user, row, before)


@transaction.atomic
def incident_refer_up(*, acting_user: Actor, incident: Incident, reason: str) -> Incident:
    """Refer the incident to the unit above the grid's unit (the township for a village)."""
    row = _lock_open(acting_user, incident)
    if row.state == IncidentState.REFERRED:
        raise ValidationError(_("This incident was already referred up."))
    parent_path = row.unit.path[: -Unit.steplen]
    parent = Unit.objects.filter(path=parent_path).first() if parent_path else None
    if parent is None:
        raise ValidationError(_("There is no unit above this one to refer to."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the incident is referred up.")})
    before = row.state
    row.state = IncidentState.REFERRED
    row.referred_to = parent
    row.referral_reason = reason.strip()
    pk, grid_name = row.pk, row.grid.name
    transaction.on_commit(
        lambda: notify_units(
            acting_user=acting_user,
            kind=Kind.GRID_REFERRED,
            units=[parent],
            perm=Perm.HANDLE_CONCERNS,
            params={"grid": grid_name, "unit": row.unit.name},
            event_key=f"grid-referred:{pk}",
            link=reverse("grid-incident", args=[pk]),
        )
    )
    return _save_state(acting_user, row, before)


@transaction.atomic
def incident_close(*, acting_user: Actor, incident: Incident, reason: str) -> Incident:
    """Close without a resolution (withdrawn, no longer relevant), saying why."""
    row = _lock_open(acting_user, incident)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the incident is closed.")})
    before = row.state
    row.state = IncidentState.CLOSED
    row.outcome = reason.strip()
    return _save_state(acting_user, row, before)


@transaction.atomic
def incident_follow_up(
    *, acting_user: Actor, incident: Incident, notes: str, followed_up_on: dt.date | None = None
) -> Incident:
    """Record the follow-up of a resolved incident (did the agreement hold?)."""
    require(acting_user, can_handle_incident, incident)
    row = Incident.objects.select_for_update().select_related("grid", "unit").get(pk=incident.pk)
    if row.state != IncidentState.RESOLVED:
        raise ValidationError(_("Only a resolved incident is followed up."))
    if row.followed_up_on is not None:
        raise ValidationError(_("This incident was already followed up."))
    if not notes.strip():
        raise ValidationError({"notes": _("Write what the follow-up found.")})
    followed_up_on = followed_up_on or timezone.localdate()
    _check_day(followed_up_on, field="followed_up_on", not_before=row.resolved_on)
    row.follow_up_notes = notes.strip()
    row.followed_up_on = followed_up_on
    return _save_state(acting_user, row, row.state, note="follow-up")
