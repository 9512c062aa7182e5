"""Columns of a unit's site: the seed's defaults, renaming, showing, hiding, ordering."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record, diff, snapshot
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.core.sanitize import clean_text
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.sites.columns import DEFAULT_COLUMNS, DEFAULT_KEYS
from nutag.sites.events import announce_site_change
from nutag.sites.models import (
    Column,
)
from nutag.sites.permissions import can_edit_column, can_publish_at
from nutag.sites.services._common import (
    COLUMN_FIELDS,
)


def _materialise_columns(unit: Unit) -> list[Column]:
    """Save the default columns the unit lacks (parents first), in the seed's order. Titles
    are stored in the site's default language; the secretary may rename them."""
    existing = {c.key: c for c in Column.objects.filter(unit=unit)}
    missing = [c for c in DEFAULT_COLUMNS if c.key not in existing]
    if not missing:
        return sorted(existing.values(), key=lambda c: (c.position, c.pk))
    next_position = max((c.position for c in existing.values()), default=-1) + 1
    with translation.override(settings.LANGUAGE_CODE):
        for inside in (False, True):  # the groups first, then the columns inside them
            rows = []
            for default in missing:
                if bool(default.parent) is not inside:
                    continue
                column = Column(
                    unit=unit,
                    key=default.key,
                    title=str(default.title)[:40],
                    parent=existing.get(default.parent) if default.parent else None,
                    position=next_position + DEFAULT_COLUMNS.index(default),
                    enabled=True,
                )
                column.full_clean(
                    exclude=["unit", "parent"], validate_unique=False, validate_constraints=False
                )
                rows.append(column)
            Column.objects.bulk_create(rows)
            existing = {c.key: c for c in Column.objects.filter(unit=unit)}
    announce_site_change(unit_ids=[unit.pk], slots=False)
    return sorted(existing.values(), key=lambda c: (c.position, c.pk))


@transaction.atomic
def columns_ensure(*, acting_user: Actor, unit: Unit) -> list[Column]:
    """The unit's columns, saving the seed's defaults (incl. the 党建之家 group) it lacks."""
    require(acting_user, can_publish_at, unit)
    return _materialise_columns(unit)


@transaction.atomic
def column_update(
    *, acting_user: Actor, column: Column, title: str, title_mn: str, enabled: bool
) -> Column:
    """Rename, show or hide a column."""
    require(acting_user, can_edit_column, column)
    column = Column.objects.select_for_update(of=("self",)).select_related("unit").get(pk=column.pk)
    before = snapshot(column, COLUMN_FIELDS)
    column.title = clean_text(title)
    column.title_mn = clean_text(title_mn)
    column.enabled = enabled
    if not column.title:
        raise ValidationError({"title": _("A column needs a title.")})
    column.full_clean(exclude=["unit", "parent"])
    column.save()
    changes = diff(before, snapshot(column, COLUMN_FIELDS))
    if changes:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=column,
            unit=column.unit,
            changes=changes,
        )
        announce_site_change(unit_ids=[column.unit_id], slots=False)
    return column


@transaction.atomic
def columns_reorder(*, acting_user: Actor, unit: Unit, ordered_ids: Sequence[int]) -> list[Column]:
    """Put the unit's columns in the order given: every column of the unit, each once."""
    require(acting_user, can_publish_at, unit)
    columns = {c.pk: c for c in Column.objects.select_for_update().filter(unit=unit)}
    ids = [int(i) for i in ordered_ids]
    if len(ids) != len(set(ids)) or set(ids) != set(columns):
        raise ValidationError(_("The new order must list every column of the unit once."))
    changed = []
    for position, pk in enumerate(ids):
        column = columns[pk]
        if column.position != position:
            column.position = position
            changed.append(column)
    if changed:
        Column.objects.bulk_update(changed, ["position"])
        announce_site_change(unit_ids=[unit.pk], slots=False)
    return [columns[pk] for pk in ids]


@transaction.atomic
def column_move(*, acting_user: Actor, column: Column, up: bool) -> list[Column]:
    """Swap a column with the one before (``up``) or after it among its siblings."""
    require(acting_user, can_edit_column, column)
    ordered = list(Column.objects.filter(unit_id=column.unit_id).order_by("position", "id"))
    siblings = [c for c in ordered if c.parent_id == column.parent_id]
    index = next((i for i, c in enumerate(siblings) if c.pk == column.pk), None)
    if index is None:
        raise NotFound
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return ordered  # already first or last: nothing to do
    a, b = ordered.index(siblings[index]), ordered.index(siblings[other])
    ordered[a], ordered[b] = ordered[b], ordered[a]
    return columns_reorder(
        acting_user=acting_user, unit=column.unit, ordered_ids=[c.pk for c in ordered]
    )


def _column_for(unit: Unit, key: str) -> Column | None:
    if not key:
        return None
    column = Column.objects.filter(unit=unit, key=key).first()
    if column is None and key in DEFAULT_KEYS:
        column = next((c for c in _materialise_columns(unit) if c.key == key), None)
    if column is None:
        raise ValidationError({"column_key": _("Choose one of the unit's columns.")})
    return column
