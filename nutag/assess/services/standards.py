"""Standards: the shipped defaults (五好, 四纳入, 四到位), a unit's own standards and their items.

Rights: ``MANAGE_STANDARDS`` at the standard's unit (secretaries). A standard owned by a unit
is usable by rounds opened at that unit or below (``selectors.standards.standards_usable``).

Once a round has used a standard, its structure is frozen, because every assessment of that
round points at its items: items cannot be added, removed, moved, re-scored, or change their
title, evidence kinds or automatic source. Only the wording that helps people fill them in
(guidance, evidence asked for, Mongolian title) may still change. ``standard_copy`` makes an
editable copy. The pass mark may change at any time: a round copies it when it opens.

Item titles are data and stored in Chinese; the code names them in English.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NotRequired, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from nutag.assess.default_standards import DEFAULT_STANDARDS
from nutag.assess.models import (
    AutoSource,
    EvidenceKind,
    Round,
    Standard,
    StandardItem,
    StandardKind,
)
from nutag.assess.permissions import can_manage_standards
from nutag.assess.services._common import require
from nutag.core.actors import Actor
from nutag.core.audit import audit_record, diff, snapshot
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.core.sanitize import clean_text
from nutag.orgs.models import Unit
from nutag.orgs.paths import is_within

MAX_POINTS = 1000
MAX_ITEMS = 50
STANDARD_FIELDS = ["name", "name_mn", "description", "pass_mark"]
ITEM_FIELDS = [
    "title",
    "title_mn",
    "guidance",
    "evidence",
    "accepts",
    "points",
    "auto_source",
    "auto_target",
]
# What may still change once a round has used the standard.
WORDING_FIELDS = frozenset({"title_mn", "guidance", "evidence"})


# --- checks -----------------------------------------------------------------------------


def standard_is_used(standard: Standard) -> bool:
    return Round.objects.filter(standard=standard).exists()


def standard_total(standard: Standard) -> int:
    return int(standard.items.aggregate(total=Sum("points"))["total"] or 0)


def _refuse_if_used(standard: Standard) -> None:
    if standard_is_used(standard):
        raise ValidationError(
            _(
                "“%(standard)s” has been used by an assessment round, so its items can no "
                "longer be added, removed, moved or re-scored. Make a copy to change them."
            )
            % {"standard": standard.name}
        )


def _check_pass_mark(pass_mark: int, total: int) -> None:
    """The pass mark is at most the total points (once there are items to total)."""
    if total and pass_mark > total:
        raise ValidationError(
            {
                "pass_mark": _(
                    "The pass mark (%(pass_mark)d) is above the total points of the items "
                    "(%(total)d)."
                )
                % {"pass_mark": pass_mark, "total": total}
            }
        )


def _clean_accepts(accepts: Iterable[str]) -> list[str]:
    values = list(dict.fromkeys(str(a) for a in accepts))
    unknown = [a for a in values if a not in EvidenceKind.values]
    if unknown:
        raise ValidationError({"accepts": _("Choose among the kinds of evidence offered.")})
    return [k for k in EvidenceKind.values if k in values]  # in a fixed order


class ItemFields(TypedDict):
    """What ``standard_item_add`` and ``standard_item_update`` take; the rest has defaults."""

    title: str
    points: int
    guidance: NotRequired[str]
    evidence: NotRequired[str]
    accepts: NotRequired[Sequence[str]]
    auto_source: NotRequired[str]
    auto_target: NotRequired[int]
    title_mn: NotRequired[str]


class StandardFields(TypedDict):
    """What ``standard_create`` and ``standard_update`` take; the rest has defaults."""

    name: str
    pass_mark: int
    description: NotRequired[str]
    name_mn: NotRequired[str]


def _item_values(
    *,
    title: str,
    points: int,
    guidance: str = "",
    evidence: str = "",
    accepts: Iterable[str] = (EvidenceKind.TEXT,),
    auto_source: str = AutoSource.NONE,
    auto_target: int = 1,
    title_mn: str = "",
) -> dict[str, object]:
    """The item's fields checked and cleaned; every refusal at once, keyed by field."""
    errors: dict[str, str] = {}
    title = clean_text(title, max_length=80)
    if not title:
        errors["title"] = _("Give the item a title.")
    if not isinstance(points, int) or not 1 <= points <= MAX_POINTS:
        errors["points"] = _("Points are a whole number from 1 to %(max)d.") % {"max": MAX_POINTS}
    if auto_source not in AutoSource.values:
        errors["auto_source"] = _("Choose a source the system knows.")
    if not isinstance(auto_target, int) or auto_target < 1:
        errors["auto_target"] = _("The count that earns full points is at least 1.")
    try:
        kinds = _clean_accepts(accepts)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        kinds = []
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "title_mn": clean_text(title_mn, max_length=160),
        "guidance": (guidance or "").strip(),
        "evidence": clean_text(evidence, max_length=200),
        "accepts": kinds,
        "points": points,
        "auto_source": auto_source,
        "auto_target": auto_target,
    }


def _standard_values(
    *, name: str, pass_mark: int, description: str = "", name_mn: str = ""
) -> dict[str, object]:
    """The standard's fields checked and cleaned; every refusal at once, keyed by field."""
    errors: dict[str, str] = {}
    name = clean_text(name, max_length=60)
    if not name:
        errors["name"] = _("Give the standard a name.")
    if not isinstance(pass_mark, int) or not 0 <= pass_mark <= MAX_POINTS * MAX_ITEMS:
        errors["pass_mark"] = _("The pass mark is a whole number of points.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "pass_mark": pass_mark,
        "description": (description or "").strip(),
        "name_mn": clean_text(name_mn, max_length=120),
    }


def _apply(obj: models.Model, values: dict[str, object]) -> None:
    """Set the checked ``values`` on a standard or an item, then validate and save it."""
    for key, value in values.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj.save()


def _audit_update(
    acting_user: Actor, standard: Standard, changes: dict[str, Any], note: str = ""
) -> None:
    """Audit a change of ``standard`` or of one of its items."""
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=standard,
        unit=standard.unit,
        changes=changes,
        note=note,
    )


def _check_unique_name(unit: Unit, name: str, exclude_pk: int | None = None) -> None:
    taken = Standard.objects.filter(unit=unit, name=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"name": _("This unit already has a standard named “%(name)s”.") % {"name": name}}
        )


# --- standards ----------------------------------------------------------------------------


@transaction.atomic
def standards_install_defaults(*, acting_user: Actor, unit: Unit) -> list[Standard]:
    """Install the shipped standards (五好, 四纳入, 四到位) at ``unit``; idempotent.

    A default is skipped when the unit already has a standard of its kind (possibly edited
    since) or of its name. Returns the unit's standard of each default kind.
    """
    require(acting_user, can_manage_standards, unit)
    if not unit.is_active:
        raise ValidationError(_("This unit is closed."))
    result: list[Standard] = []
    for default in DEFAULT_STANDARDS:
        existing = (
            Standard.objects.filter(unit=unit, kind=default.kind).order_by("id").first()
            or Standard.objects.filter(unit=unit, name=default.name).first()
        )
        if existing is not None:
            result.append(existing)
            continue
        standard = Standard(
            unit=unit,
            kind=default.kind,
            name=default.name,
            name_mn=default.name_mn,
            description=default.description,
            pass_mark=default.pass_mark,
        )
        standard.full_clean()
        standard.save()
        items = [
            StandardItem(
                standard=standard,
                position=i,
                title=d.title,
                title_mn=d.title_mn,
                guidance=d.guidance,
                evidence=d.evidence,
                accepts=list(d.accepts),
                points=d.points,
                auto_source=d.auto_source,
                auto_target=d.auto_target,
            )
            for i, d in enumerate(default.items)
        ]
        for item in items:
            item.full_clean(exclude=["standard"])
        StandardItem.objects.bulk_create(items)
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=standard,
            unit=unit,
            changes=snapshot(standard, STANDARD_FIELDS),
            note=_("default standard installed"),
        )
        result.append(standard)
    return result


@transaction.atomic
def standard_create(
    *, acting_user: Actor, unit: Unit, **fields: Unpack[StandardFields]
) -> Standard:
    """A unit's own standard (e.g. 六有 "six haves"); add its items with ``standard_item_add``.
    Fields: ``name``, ``pass_mark``, ``description`` and ``name_mn`` (both default empty)."""
    require(acting_user, can_manage_standards, unit)
    if not unit.is_active:
        raise ValidationError(_("This unit is closed."))
    values = _standard_values(**fields)
    _check_unique_name(unit, str(values["name"]))
    standard = Standard(unit=unit, kind=StandardKind.CUSTOM)
    _apply(standard, values)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=standard,
        unit=unit,
        changes=snapshot(standard, STANDARD_FIELDS),
    )
    return standard


@transaction.atomic
def standard_update(
    *, acting_user: Actor, standard: Standard, **fields: Unpack[StandardFields]
) -> Standard:
    """Rename or re-describe a standard, or change its pass mark (rounds already opened keep
    the pass mark they copied). Fields as for ``standard_create``."""
    require(acting_user, can_manage_standards, standard.unit)
    values = _standard_values(**fields)
    _check_unique_name(standard.unit, str(values["name"]), exclude_pk=standard.pk)
    _check_pass_mark(fields["pass_mark"], standard_total(standard))
    before = snapshot(standard, STANDARD_FIELDS)
    _apply(standard, values)
    changes = diff(before, snapshot(standard, STANDARD_FIELDS))
    if changes:
        _audit_update(acting_user, standard, changes)
    return standard


def _free_name(unit: Unit, name: str) -> str:
    taken = set(Standard.objects.filter(unit=unit).values_list("name", flat=True))
    if name not in taken:
        return name
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[: 60 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


@transaction.atomic
def standard_copy(
    *,
    acting_user: Actor,
    standard: Standard,
    unit: Unit | None = None,
    name: str = "",
) -> Standard:
    """An editable copy of ``standard`` (items included) owned by ``unit`` (default: the same
    unit). ``unit`` must be at or below the standard's unit, where the standard is usable.
    The copy keeps the kind, so a copy of the five-good standard still counts as five-good."""
    target = unit or standard.unit
    require(acting_user, can_manage_standards, target)
    if not is_within(target.path, standard.unit.path):
        raise NotFound
    if not target.is_active:
        raise ValidationError(_("This unit is closed."))
    wanted = clean_text(name, max_length=60)
    if wanted:
        _check_unique_name(target, wanted)
    copy = Standard(
        unit=target,
        kind=standard.kind,
        name=wanted or _free_name(target, standard.name),
        name_mn=standard.name_mn,
        description=standard.description,
        pass_mark=standard.pass_mark,
    )
    copy.full_clean()
    copy.save()
    StandardItem.objects.bulk_create(
        [
            StandardItem(standard=copy, **{f: getattr(item, f) for f in ["position", *ITEM_FIELDS]})
            for item in standard.items.order_by("position", "id")
        ]
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=copy,
        unit=target,
        changes=snapshot(copy, STANDARD_FIELDS),
        note=_("copied from “%(name)s”") % {"name": standard.name},
    )
    return copy


# --- items --------------------------------------------------------------------------------


@transaction.atomic
def standard_item_add(
    *, acting_user: Actor, standard: Standard, **fields: Unpack[ItemFields]
) -> StandardItem:
    """Add an item at the end of ``standard``. Refused once a round has used the standard.

    Fields: ``title`` and ``points``; ``guidance``, ``evidence``, ``title_mn`` (default
    empty), ``accepts`` (default a written account), ``auto_source`` (default none) and
    ``auto_target`` (default 1)."""
    require(acting_user, can_manage_standards, standard.unit)
    Standard.objects.select_for_update().filter(pk=standard.pk).first()
    _refuse_if_used(standard)
    values = _item_values(**fields)
    if standard.items.count() >= MAX_ITEMS:
        raise ValidationError(_("A standard has at most %(n)d items.") % {"n": MAX_ITEMS})
    last = standard.items.aggregate(last=Max("position"))["last"]
    item = StandardItem(standard=standard, position=0 if last is None else last + 1)
    _apply(item, values)
    _audit_update(
        acting_user, standard, {"item": [None, item.title], "points": [None, item.points]}
    )
    return item


@transaction.atomic
def standard_item_update(
    *, acting_user: Actor, item: StandardItem, **fields: Unpack[ItemFields]
) -> StandardItem:
    """Change an item (fields as for ``standard_item_add``). Once a round has used its
    standard only the wording that helps people fill it in (guidance, evidence asked for,
    Mongolian title) may change."""
    standard = item.standard
    require(acting_user, can_manage_standards, standard.unit)
    values = _item_values(**fields)
    before = snapshot(item, ITEM_FIELDS)
    changed = {k for k, v in values.items() if getattr(item, k) != v}
    if changed - WORDING_FIELDS:
        _refuse_if_used(standard)
    _apply(item, values)
    changes = diff(before, snapshot(item, ITEM_FIELDS))
    if changes:
        _audit_update(acting_user, standard, changes, note=str(item.title))
    return item


@transaction.atomic
def standard_item_remove(*, acting_user: Actor, item: StandardItem) -> None:
    standard = item.standard
    require(acting_user, can_manage_standards, standard.unit)
    _refuse_if_used(standard)
    title, points = item.title, item.points
    item.delete()
    _renumber(standard)
    _audit_update(acting_user, standard, {"item": [title, None], "points": [points, None]})


def _renumber(standard: Standard, order: list[StandardItem] | None = None) -> None:
    items = order if order is not None else list(standard.items.order_by("position", "id"))
    for i, item in enumerate(items):
        item.position = i
    StandardItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def standard_item_move(*, acting_user: Actor, item: StandardItem, offset: int) -> None:
    """Move an item ``offset`` places (-1 up, +1 down) in its standard's list."""
    standard = item.standard
    require(acting_user, can_manage_standards, standard.unit)
    _refuse_if_used(standard)
    items = list(standard.items.order_by("position", "id"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = max(0, min(len(items) - 1, index + offset))
    if target == index:
        return
    items.insert(target, items.pop(index))
    _renumber(standard, items)
    _audit_update(
        acting_user, standard, {"position": [index + 1, target + 1]}, note=str(item.title)
    )
