"""Recording changes: snapshots, diffs and audit rows. Called only from services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from nutag.core.actors import Actor
from nutag.core.masking import mask_id_number, mask_phone
from nutag.core.models import AuditAction, AuditEntry

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


def user_or_none(user: Actor | None) -> User | None:
    """The user to store in a "by" column: ``None`` for ``SYSTEM`` and for the anonymous."""
    return user if isinstance(user, User) else None


AuditListener = Callable[[AuditEntry], None]
_listeners: list[AuditListener] = []


def register_audit_listener(listener: AuditListener) -> None:
    """Call ``listener(entry)`` after every audit row is written, inside the writer's
    transaction (for cache purging only: ``nutag.orgs.figures`` purges the dashboards of
    the row's unit when its model is a figure source). Registered from ``AppConfig.ready``."""
    if listener not in _listeners:
        _listeners.append(listener)


def audit_record(
    *,
    actor: Actor | None,
    action: AuditAction,
    obj: models.Model,
    unit: Any,  # an orgs.Unit (core imports no domain app)
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Write one audit row. Must run inside the caller's transaction."""
    entry = AuditEntry.objects.create(
        actor=user_or_none(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit,
        unit_path=unit.path,
        changes=changes or {},
        note=note[:255],
    )
    for listener in _listeners:
        listener(entry)
    return entry


def _shown(value: Any, choices: dict[str, str]) -> str:
    from django.utils.translation import gettext as _

    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(choices.get(str(value), value))


def change_rows(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """``(field label, before, after)`` for display, with labels and choices translated.

    A field's label and choices come from the audited model's field; keys that are not
    fields (a role added, a unit merged in) are labelled by the model itself, in its
    ``audit_labels`` (``{key: label}``) and ``audit_choices`` (``{key: {value: label}}``).
    """
    from django.apps import apps

    try:
        model = apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        model = None
    extra: dict[str, Any] = dict(getattr(model, "audit_labels", None) or {})
    extra_choices: dict[str, dict[str, Any]] = dict(getattr(model, "audit_choices", None) or {})
    rows = []
    for key, pair in (entry.changes or {}).items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        label: Any = extra.get(key, key)
        choices: dict[str, str] = {}
        if model is not None:
            try:
                field = model._meta.get_field(key)
            except FieldDoesNotExist:  # a key that is not a field of the model
                field = None
            if field is not None:
                label = getattr(field, "verbose_name", label)
                choices = {str(k): str(v) for k, v in (getattr(field, "choices", None) or [])}
        if key in extra_choices:
            choices = {str(k): str(v) for k, v in extra_choices[key].items()}
        rows.append((str(label), _shown(before, choices), _shown(after, choices)))
    return rows
