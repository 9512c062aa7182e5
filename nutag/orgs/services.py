"""Every write to the unit tree, its bodies and positions. Each call is atomic and audited."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, SystemActor
from nutag.core.audit import audit_record, diff, snapshot
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.core.text import clean_name, to_halfwidth
from nutag.orgs import tallies
from nutag.orgs.models import (
    DEFAULT_ACCESS,
    SINGLE_HOLDER_TITLES,
    Access,
    Branch,
    CareCommittee,
    Position,
    PositionTitle,
    Unit,
    UnitStatus,
)
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import Perm, can_restructure, has_unit_perm, require_perm
from nutag.orgs.registry import member_groups, member_models, path_copies

UNIT_FIELDS = ["code", "kind", "name", "name_mn", "status"]
POSITION_FIELDS = ["title", "person", "represents", "access", "started_on", "ended_on"]


def default_body_names(name: str) -> tuple[str, str]:
    return _("%(unit)s Party branch") % {"unit": name}, _("%(unit)s care committee") % {
        "unit": name
    }


@transaction.atomic
def unit_create(
    *,
    acting_user: Actor,
    parent: Unit | None,
    code: str,
    kind: str,
    name: str,
    name_mn: str = "",
) -> Unit:
    """Add a unit under ``parent`` (or a root), with its Party branch and care committee."""
    if parent is None:
        if not isinstance(acting_user, SystemActor) and not (
            acting_user.is_authenticated and acting_user.is_superuser
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
    tallies.subtree_rows_created(unit)
    tallies.unit_counted(unit, 1)
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
    acting_user: Actor,
    unit: Unit,
    name: str,
    name_mn: str = "",
    kind: str | None = None,
) -> Unit:
    require_perm(acting_user, Perm.CHANGE_UNIT, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    old_kind = unit.kind
    unit.name = clean_name(name)
    unit.name_mn = name_mn.strip()
    if kind is not None:
        unit.kind = kind
    unit.full_clean(exclude=["path", "depth", "numchild"])
    # What the unit counts itself may depend on its kind (e.g. five-good committees).
    own = {unit.pk: unit.path}
    with tallies.own_counts_changing(own) if unit.kind != old_kind else nullcontext():
        unit.save()
    if unit.kind != old_kind and unit.is_active:
        tallies.unit_counted(unit, -1, kind=old_kind)
        tallies.unit_counted(unit, 1)
    changes = diff(before, snapshot(unit, UNIT_FIELDS))
    if changes:
        audit_record(
            actor=acting_user, action=AuditAction.UPDATE, obj=unit, unit=unit, changes=changes
        )
    return unit


def _rewrite_paths(old: str, new: str) -> None:
    """After a move (or a shift, see ``_rewrite_shifted``), repoint every registered copy of
    a path in the subtree (``nutag.orgs.registry``): people and roles, the audit log, the
    assessments (closed units' and past rounds' included: the dashboard counts them by path).
    """
    for copy in path_copies():
        field = copy.field
        copy.model._default_manager.filter(subtree_q(old, field)).update(
            **{field: Concat(Value(new), Substr(F(field), Length(Value(old)) + 1))}
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
def unit_move(*, acting_user: Actor, unit: Unit, new_parent: Unit) -> Unit:
    """Move ``unit`` and its subtree under ``new_parent``. Its history moves with it."""
    if not isinstance(acting_user, SystemActor) and not (
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
    taken = tallies.subtree_taken(unit)  # the old ancestors' paths, before anything shifts
    Unit.objects.move(unit, new_parent, pos="sorted-child")
    unit.refresh_from_db()
    old_path = _rewrite_shifted(siblings, moving=old_path)
    _rewrite_paths(old_path, unit.path)
    tallies.subtree_given(unit, taken)
    audit_record(
        actor=acting_user,
        action=AuditAction.MOVE,
        obj=unit,
        unit=unit,
        changes={"parent": [str(old_parent) if old_parent else None, str(new_parent)]},
    )
    return unit


def _unit_has_members(unit: Unit) -> bool:
    """Whether any registered member rows (people and their roles) belong to ``unit``."""
    return any(
        model._default_manager.filter(**{group.unit_field: unit}).exists()
        for group, model in member_models()
    )


def _move_members(*, source: Unit, target: Unit) -> int:
    """Move every registered member row of ``source`` to ``target``; run the groups' hooks."""
    moved = 0
    for group in member_groups():
        for model in group.models:
            values: dict[str, object] = {group.unit_field: target}
            if group.path_field:
                values[group.path_field] = target.path
            moved += model._default_manager.filter(**{group.unit_field: source}).update(**values)
        if group.after_merge is not None:
            group.after_merge([source.pk, target.pk])
    return moved


def _end_all_positions(*, unit: Unit, acting_user: Actor) -> None:
    """End every current term at ``unit`` (it is closing), each with its own audit row, in
    the name of whoever closes it (whose right above the unit covers the unit's positions).
    """
    for position in Position.objects.filter(unit=unit, ended_on__isnull=True).select_related(
        "unit"
    ):
        position_end(acting_user=acting_user, position=position)


@transaction.atomic
def unit_merge(*, acting_user: Actor, unit: Unit, into: Unit) -> Unit:
    """Merge ``unit`` into ``into``: its units, people and roles move over; it is closed.

    Its positions end (the merged unit's bodies no longer sit); its history stays.
    """
    if not isinstance(acting_user, SystemActor) and not (
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
        unit_move(acting_user=acting_user, unit=child, new_parent=into)
    moved = _move_members(source=unit, target=into)
    _end_all_positions(unit=unit, acting_user=acting_user)
    unit = Unit.objects.get(pk=unit.pk)
    # A closed unit's history no longer counts.
    with tallies.own_counts_changing({unit.pk: unit.path}):
        unit.status = UnitStatus.CLOSED
        unit.closed_at = timezone.now()
        unit.merged_into = into
        unit.save(update_fields=["status", "closed_at", "merged_into", "updated_at"])
    tallies.unit_counted(unit, -1)
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
def unit_close(*, acting_user: Actor, unit: Unit) -> Unit:
    """Close a unit that no longer works. Refused while it still has people or open units."""
    if not isinstance(acting_user, SystemActor) and not can_restructure(
        user=acting_user, unit=unit
    ):
        raise NotFound
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        return unit
    if Unit.objects.get_children(unit).filter(status=UnitStatus.ACTIVE).exists():
        raise ValidationError(_("Close or move its units first: this unit still has open units."))
    if _unit_has_members(unit):
        raise ValidationError(_("Move its people first: this unit still has people."))
    _end_all_positions(unit=unit, acting_user=acting_user)
    # A closed unit's history no longer counts.
    with tallies.own_counts_changing({unit.pk: unit.path}):
        unit.status = UnitStatus.CLOSED
        unit.closed_at = timezone.now()
        unit.save(update_fields=["status", "closed_at", "updated_at"])
    tallies.unit_counted(unit, -1)
    audit_record(
        actor=acting_user,
        action=AuditAction.CLOSE,
        obj=unit,
        unit=unit,
        changes={"status": ["active", "closed"]},
    )
    return unit


@transaction.atomic
def unit_delete(*, acting_user: Actor, unit: Unit) -> None:
    """Delete a unit added by mistake. Refused, with the reason, once it has anything."""
    if not isinstance(acting_user, SystemActor) and not can_restructure(
        user=acting_user, unit=unit
    ):
        raise NotFound
    unit = Unit.objects.get(pk=unit.pk)
    if Unit.objects.get_children(unit).exists():
        raise ValidationError(_("This unit has units below it: move or delete them first."))
    if _unit_has_members(unit):
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
    tallies.subtree_taken(unit)  # its ancestors' subtree tallies no longer count it
    unit.delete()


@transaction.atomic
def position_assign(
    *,
    acting_user: Actor,
    unit: Unit,
    person_id: int,
    title: str,
    represents: str = "",
    access: str | None = None,
    started_on: dt.date | None = None,
) -> Position:
    """Put a person in a post. A post held by one person (secretary, chair, executive
    vice-chair) ends its previous holder's term. The person must be one the acting user may
    see (their home unit within the user's people right); anyone else is ``NotFound``."""
    require_perm(acting_user, Perm.MANAGE_POSITIONS, unit)
    if not unit.is_active:
        raise ValidationError(_("A closed unit cannot have new positions."))
    person_model: type[models.Model] = Position._meta.get_field("person").related_model  # type: ignore[assignment]
    person = person_model._default_manager.select_related("unit").filter(pk=person_id).first()
    if person is None:
        raise NotFound
    require_perm(acting_user, Perm.VIEW_PEOPLE, person.unit)  # type: ignore[attr-defined]
    if title not in PositionTitle.values:
        raise ValidationError({"title": _("Choose a position from the list.")})
    title_value = PositionTitle(title)
    if access is None:
        access = DEFAULT_ACCESS.get(title_value, Access.NONE)
    position = Position(
        unit=unit,
        person=person,  # type: ignore[misc]
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
            position_end(acting_user=acting_user, position=old)
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
    acting_user: Actor,
    position: Position,
    ended_on: dt.date | None = None,
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
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=position,
        unit=position.unit,
        changes=diff(before, snapshot(position, POSITION_FIELDS)),
    )
    return position
