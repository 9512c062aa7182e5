"""Every write to the unit tree, its bodies and positions. Each call is atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import is_system
from nutag.core.audit import audit_record, diff, snapshot
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.orgs.models import (
    DEFAULT_ACCESS,
    SINGLE_HOLDER_TITLES,
    Access,
    Branch,
    CareCommittee,
    Position,
    PositionTitle,
    Unit,
    UnitKind,
    UnitStatus,
)
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import AnyUser, Perm, can_restructure, has_unit_perm, require_perm

UNIT_FIELDS = ["code", "kind", "name", "name_mn", "status"]
POSITION_FIELDS = ["title", "person", "represents", "access", "started_on", "ended_on"]


def default_body_names(name: str) -> tuple[str, str]:
    return _("%(unit)s Party branch") % {"unit": name}, _("%(unit)s care committee") % {
        "unit": name
    }


@transaction.atomic
def unit_create(
    *,
    acting_user: AnyUser | None,
    parent: Unit | None,
    code: str,
    kind: str,
    name: str,
    name_mn: str = "",
) -> Unit:
    """Add a unit under ``parent`` (or a root), with its Party branch and care committee."""
    from nutag.people.normalize import clean_name, to_halfwidth

    if parent is None:
        if not (
            acting_user is None
            or is_system(acting_user)
            or (acting_user.is_authenticated and acting_user.is_superuser)
        ):
            raise PermissionDenied(_("Only a platform admin can add a top-level unit."))
    else:
        require_perm(acting_user, Perm.RESTRUCTURE, parent)
        if not parent.is_active:
            raise ValidationError(_("A closed unit cannot receive new units."))
    unit = Unit(code=to_halfwidth(code).strip(), kind=kind, name=clean_name(name), name_mn=name_mn)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    siblings = _children_paths(parent)
    unit = (
        Unit.objects.add_root(instance=unit)
        if parent is None
        else Unit.objects.add_child(parent, instance=unit)
    )
    _rewrite_shifted(siblings)
    branch_name, committee_name = default_body_names(unit.name)
    Branch.objects.create(unit=unit, name=branch_name)
    CareCommittee.objects.create(unit=unit, name=committee_name)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=unit,
        unit=unit,
        changes=diff({}, snapshot(unit, UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    acting_user: AnyUser | None,
    unit: Unit,
    name: str,
    name_mn: str = "",
    kind: str | None = None,
) -> Unit:
    from nutag.people.normalize import clean_name

    require_perm(acting_user, Perm.CHANGE_UNIT, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    unit.name = clean_name(name)
    unit.name_mn = name_mn.strip()
    if kind is not None:
        unit.kind = kind
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save()
    changes = diff(before, snapshot(unit, UNIT_FIELDS))
    if changes:
        audit_record(
            actor=acting_user, action=AuditAction.UPDATE, obj=unit, unit=unit, changes=changes
        )
    return unit


def _rewrite_paths(old: str, new: str) -> None:
    """After a move (or a shift, see ``_rewrite_shifted``), repoint the path copies held by
    people and roles, the audit log and the assessments (every assessment of the subtree,
    closed units' and past rounds' included: the dashboard counts them by path)."""
    from nutag.assess.models import Assessment
    from nutag.core.models import AuditEntry
    from nutag.people.models import CareWorker, PartyMembership, Person, YoungPerson

    for model in (Person, PartyMembership, CareWorker, YoungPerson, AuditEntry, Assessment):
        model.objects.filter(subtree_q(old, "unit_path")).update(
            unit_path=Concat(Value(new), Substr(F("unit_path"), Length(Value(old)) + 1))
        )


def _children_paths(parent: Unit | None) -> dict[int, str]:
    """The paths of ``parent``'s children (of the roots for ``None``), taken before a unit is
    placed among them (see ``_rewrite_shifted``)."""
    units = (
        Unit.objects.filter(depth=1)
        if parent is None
        else Unit.objects.filter(subtree_q(parent.path), depth=parent.depth + 1)
    )
    return dict(units.values_list("pk", "path"))


def _rewrite_shifted(before: dict[int, str], *, moving: str = "") -> str:
    """Siblings are kept sorted by code (treebeard's ``sorted-child``): placing a unit among
    them moves every later one, with its subtree, one step right, and their path copies
    must follow. They are repointed as treebeard repointed the paths, rightmost first, so
    that no rewrite catches copies another has just written. Returns ``moving`` (the path of
    a subtree about to be moved in, which may have been inside a shifted one) as it is now."""
    after = dict(Unit.objects.filter(pk__in=list(before)).values_list("pk", "path"))
    for pk, old in sorted(before.items(), key=lambda item: item[1], reverse=True):
        new = after.get(pk, old)
        if new != old:
            _rewrite_paths(old, new)
            if moving.startswith(old):
                moving = new + moving[len(old) :]
    return moving


@transaction.atomic
def unit_move(*, acting_user: AnyUser | None, unit: Unit, new_parent: Unit) -> Unit:
    """Move ``unit`` and its subtree under ``new_parent``. Its history moves with it."""
    if acting_user is not None and not (
        can_restructure(user=acting_user, unit=unit)
        and has_unit_perm(user=acting_user, perm=Perm.RESTRUCTURE, unit=new_parent)
    ):
        raise NotFound
    unit = Unit.objects.get(pk=unit.pk)
    new_parent = Unit.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself or one of its own units."))
    if not new_parent.is_active:
        raise ValidationError(_("A closed unit cannot receive new units."))
    old_parent = Unit.objects.get_parent(unit)
    if old_parent is not None and old_parent.pk == new_parent.pk:
        return unit
    siblings = _children_paths(new_parent)
    old_path = unit.path
    Unit.objects.move(unit, new_parent, pos="sorted-child")
    unit.refresh_from_db()
    old_path = _rewrite_shifted(siblings, moving=old_path)
    _rewrite_paths(old_path, unit.path)
    audit_record(
        actor=acting_user,
        action=AuditAction.MOVE,
        obj=unit,
        unit=unit,
        changes={"parent": [str(old_parent) if old_parent else None, str(new_parent)]},
    )
    return unit


def _unit_has_people(unit: Unit) -> bool:
    from nutag.people.models import CareWorker, PartyMembership, Person, YoungPerson

    return any(
        model.objects.filter(unit=unit).exists()
        for model in (Person, PartyMembership, CareWorker, YoungPerson)
    )


def _end_all_positions(*, unit: Unit, actor: AnyUser | None) -> None:
    """End every current term at ``unit`` (it is closing), each with its own audit row."""
    for position in Position.objects.filter(unit=unit, ended_on__isnull=True).select_related(
        "unit"
    ):
        position_end(acting_user=None, position=position, _actor=actor)


@transaction.atomic
def unit_merge(*, acting_user: AnyUser | None, unit: Unit, into: Unit) -> Unit:
    """Merge ``unit`` into ``into``: its units, people and roles move over; it is closed.

    Its positions end (the merged unit's bodies no longer sit); its history stays.
    """
    from nutag.people.models import CareWorker, PartyMembership, Person, YoungPerson

    if acting_user is not None and not (
        can_restructure(user=acting_user, unit=unit)
        and has_unit_perm(user=acting_user, perm=Perm.RESTRUCTURE, unit=into)
    ):
        raise NotFound
    unit = Unit.objects.get(pk=unit.pk)
    into = Unit.objects.get(pk=into.pk)
    if unit.pk == into.pk or into.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be merged into itself or one of its own units."))
    if not unit.is_active or not into.is_active:
        raise ValidationError(_("Only active units can be merged."))
    for child in list(Unit.objects.get_children(unit)):
        unit_move(acting_user=None, unit=child, new_parent=into)
    moved = 0
    for model in (Person, PartyMembership, CareWorker, YoungPerson):
        moved += model.objects.filter(unit=unit).update(unit=into, unit_path=into.path)
    from nutag.people.tallies import care_tally_refresh

    care_tally_refresh(unit_ids=[unit.pk, into.pk])
    _end_all_positions(unit=unit, actor=acting_user)
    unit = Unit.objects.get(pk=unit.pk)
    unit.status = UnitStatus.CLOSED
    unit.closed_at = timezone.now()
    unit.merged_into = into
    unit.save(update_fields=["status", "closed_at", "merged_into", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.MERGE,
        obj=unit,
        unit=unit,
        changes={"merged_into": [None, str(into)], "status": ["active", "closed"]},
        note=_("%(n)d people and roles moved") % {"n": moved},
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.MERGE,
        obj=into,
        unit=into,
        changes={"merged_from": [None, str(unit)]},
    )
    return unit


@transaction.atomic
def unit_close(*, acting_user: AnyUser | None, unit: Unit) -> Unit:
    """Close a unit that no longer works. Refused while it still has people or open units."""
    if acting_user is not None and not can_restructure(user=acting_user, unit=unit):
        raise NotFound
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        return unit
    if Unit.objects.get_children(unit).filter(status=UnitStatus.ACTIVE).exists():
        raise ValidationError(_("Close or move its units first: this unit still has open units."))
    if _unit_has_people(unit):
        raise ValidationError(_("Move its people first: this unit still has people."))
    _end_all_positions(unit=unit, actor=acting_user)
    unit.status = UnitStatus.CLOSED
    unit.closed_at = timezone.now()
    unit.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.CLOSE,
        obj=unit,
        unit=unit,
        changes={"status": ["active", "closed"]},
    )
    return unit


@transaction.atomic
def unit_delete(*, acting_user: AnyUser | None, unit: Unit) -> None:
    """Delete a unit added by mistake. Refused, with the reason, once it has anything."""
    if acting_user is not None and not can_restructure(user=acting_user, unit=unit):
        raise NotFound
    unit = Unit.objects.get(pk=unit.pk)
    if Unit.objects.get_children(unit).exists():
        raise ValidationError(_("This unit has units below it: move or delete them first."))
    if _unit_has_people(unit):
        raise ValidationError(
            _("This unit still has people: move them to another unit first, or close the unit.")
        )
    if Position.objects.filter(unit=unit).exists():
        raise ValidationError(
            _("This unit has a record of positions: close it instead, to keep its history.")
        )
    if unit.merged_from.exists():
        raise ValidationError(_("Other units were merged into this one: close it instead."))
    parent = Unit.objects.get_parent(unit)
    if unit.audit_entries.exclude(action=AuditAction.CREATE).exists() or parent is None:
        raise ValidationError(_("This unit has a history: close it instead of deleting it."))
    # The unit's creation entry is re-homed to the parent so the record of it survives.
    unit.audit_entries.update(unit=parent, unit_path=parent.path)
    audit_record(
        actor=acting_user,
        action=AuditAction.DELETE,
        obj=unit,
        unit=parent,
        changes=diff(snapshot(unit, UNIT_FIELDS), {}),
    )
    Branch.objects.filter(unit=unit).delete()
    CareCommittee.objects.filter(unit=unit).delete()
    unit.delete()


@transaction.atomic
def position_assign(
    *,
    acting_user: AnyUser | None,
    unit: Unit,
    person_id: int,
    title: str,
    represents: str = "",
    access: str | None = None,
    started_on: dt.date | None = None,
) -> Position:
    """Put a person in a post. A post held by one person (secretary, chair, executive
    vice-chair) ends its previous holder's term."""
    from nutag.people.models import Person
    from nutag.people.selectors import people_visible

    require_perm(acting_user, Perm.MANAGE_POSITIONS, unit)
    if not unit.is_active:
        raise ValidationError(_("A closed unit cannot have new positions."))
    people = people_visible(user=acting_user) if acting_user is not None else Person.objects.all()
    try:
        person = people.get(pk=person_id)
    except Person.DoesNotExist as exc:
        raise NotFound from exc
    if title not in PositionTitle.values:
        raise ValidationError({"title": _("Choose a position from the list.")})
    title_value = PositionTitle(title)
    if access is None:
        access = DEFAULT_ACCESS.get(title_value, Access.NONE)
    position = Position(
        unit=unit,
        person=person,
        title=title_value,
        represents=represents.strip(),
        access=access,
        started_on=started_on or timezone.localdate(),
    )
    position.full_clean()
    if title_value in SINGLE_HOLDER_TITLES:
        for old in Position.objects.select_for_update().filter(
            unit=unit, title=title_value, ended_on__isnull=True
        ):
            position_end(acting_user=None, position=old, _actor=acting_user)
    position.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=position,
        unit=unit,
        changes=diff({}, snapshot(position, POSITION_FIELDS)),
    )
    return position


@transaction.atomic
def position_end(
    *,
    acting_user: AnyUser | None,
    position: Position,
    ended_on: dt.date | None = None,
    _actor: AnyUser | None = None,
) -> Position:
    """End a term. The row stays, so the unit's history shows who held the post when."""
    require_perm(acting_user, Perm.MANAGE_POSITIONS, position.unit)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.ended_on is not None:
        return position
    before = snapshot(position, POSITION_FIELDS)
    position.ended_on = ended_on or timezone.localdate()
    position.full_clean()
    position.save(update_fields=["ended_on", "updated_at"])
    audit_record(
        actor=acting_user or _actor,
        action=AuditAction.UPDATE,
        obj=position,
        unit=position.unit,
        changes=diff(before, snapshot(position, POSITION_FIELDS)),
    )
    return position


def unit_kind_label(kind: str) -> str:
    return str(UnitKind(kind).label)
