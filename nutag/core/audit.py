"""Recording changes: snapshots, diffs and audit rows. Called only from services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from nutag.core.masking import mask_id_number, mask_phone
from nutag.core.models import AuditAction, AuditEntry

if TYPE_CHECKING:
    from nutag.orgs.models import Unit

SENSITIVE_MASKERS = {"phone": mask_phone, "id_number": mask_id_number}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, as plain JSON values, sensitive ones masked."""
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        masker = SENSITIVE_MASKERS.get(name)
        data[name] = masker(value) if masker and value else _plain(value)
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction,
    obj: models.Model,
    unit: Unit,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Write one audit row. Must run inside the caller's transaction."""
    return AuditEntry.objects.create(
        actor=actor if isinstance(actor, User) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit,
        unit_path=unit.path,
        changes=changes or {},
        note=note[:255],
    )
