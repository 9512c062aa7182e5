"""Recording changes: snapshots, diffs and audit rows. Called only from services."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy

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
    if isinstance(value, list | tuple):  # JSON fields: kept as data, shown item by item
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
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
    if changes and getattr(settings, "NUTAG_AUDIT_LABELS_CHECKED", False):
        check_labels(type(obj), changes)
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
    from django.utils.translation import pgettext

    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, str) and value[:1] in "[{" and value[-1:] in "]}":
        try:  # a list or dict written by an older version as its repr
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return value
        if value in ([], {}):
            return "—"
    separator = pgettext("between the items of a list", ", ")
    if isinstance(value, list):  # codes (what was shown, circumstances …), each in words
        return separator.join(_shown(item, choices) for item in value)
    if isinstance(value, dict):  # the person's other details, as "name: value"
        return separator.join(f"{k}: {_shown(v, choices)}" for k, v in value.items())
    return str(choices.get(str(value), value))


# Keys of a read's row (``people.services.record_shown``), on whichever model it names.
READ_LABELS: dict[str, Any] = {
    "people": gettext_lazy("People whose details were shown"),
    "shown": gettext_lazy("What was shown"),
}
READ_CHOICES: dict[str, dict[str, Any]] = {
    "shown": {
        "minor": gettext_lazy("Minor"),
        "phone": gettext_lazy("Phone"),
        "id_number": gettext_lazy("ID number"),
    },
}


def key_label(model: type[models.Model] | None, key: str) -> Any:
    """How the history labels ``key`` of an audit row of ``model``: the field's verbose name,
    else the model's ``audit_labels``, else a read's ``READ_LABELS``, else the key itself."""
    field = _field(model, key)
    if field is not None:
        return field.verbose_name
    extra = {**READ_LABELS, **(getattr(model, "audit_labels", None) or {})}
    return extra.get(key, key)


def _field(model: type[models.Model] | None, key: str) -> Any:
    """``model``'s own field ``key`` (not a relation pointing at it, which has no label)."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return None if field.auto_created and not field.concrete else field


def check_labels(model: type[models.Model], changes: dict[str, Any]) -> None:
    """Refuse an audit row whose history would show a key untranslated (a field without a
    translated verbose name, a key no ``audit_labels`` names). Run on every row the tests
    write (``NUTAG_AUDIT_LABELS_CHECKED``), so every service's keys are checked."""
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.functional import Promise

    if getattr(model, "audit_keys_are_data", False):  # keys named by users (item titles)
        return
    missing = [k for k in changes if not isinstance(key_label(model, k), Promise)]
    if missing:
        raise ImproperlyConfigured(
            f"{model._meta.label_lower}: audit keys without a translated label {missing}: give"
            " the field a verbose_name, or the model an audit_labels entry"
        )


def _keyed_names(field: Any, values: Any) -> dict[str, str]:
    """A many-to-many to an editable list recorded by its items' ``code`` or ``key`` (a young
    person's circumstances): each code with its item's name."""
    related = getattr(field, "related_model", None)
    if not getattr(field, "many_to_many", False) or related is None or not isinstance(values, list):
        return {}
    for name in ("code", "key"):
        try:
            related._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        items = related.objects.filter(**{f"{name}__in": [str(v) for v in values]})
        return {str(getattr(item, name)): str(item) for item in items}
    return {}


def change_rows(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """``(field label, before, after)`` for display, with labels and choices translated.

    A field's label and choices come from the audited model's field; keys that are not
    fields (a role added, a unit merged in) are labelled by the model itself, in its
    ``audit_labels`` (``{key: label}``) and ``audit_choices`` (``{key: {value: label}}``),
    and a read's keys by ``READ_LABELS``. A list of codes is shown as their labels, a
    many-to-many recorded by keys as its items' names, the count of people for a read.
    """
    from django.apps import apps

    try:
        model = apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        model = None
    extra_choices: dict[str, dict[str, Any]] = {
        **READ_CHOICES,
        **(getattr(model, "audit_choices", None) or {}),
    }
    rows = []
    for key, pair in (entry.changes or {}).items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        label = key_label(model, key)
        choices: dict[str, str] = {}
        field = _field(model, key)
        if field is not None:
            choices = {str(k): str(v) for k, v in (getattr(field, "choices", None) or [])}
            if isinstance(before, list) or isinstance(after, list):
                choices.update(_keyed_names(field, [*(before or []), *(after or [])]))
        if key in extra_choices:
            choices = {str(k): str(v) for k, v in extra_choices[key].items()}
        if key == "people" and isinstance(after, list):  # ids say nothing to a reader
            before, after = (len(before) if isinstance(before, list) else None), len(after)
        rows.append((str(label), _shown(before, choices), _shown(after, choices)))
    return rows


# --- Notes: written as codes, read in the reader's language ----------------------------------
# A service writes its note in English, as a code with its details ("line added: 道路维修"):
# the history is read later, by others, in their own language. ``shown_note`` puts a known
# code into the reader's words; any other note (a resident's reason, the page a record was
# read on) is shown as it was written. Each pattern must match a whole note; its named
# groups go into the label, through ``NOTE_CHOICES`` when the group is itself a code.
NOTES: tuple[tuple[re.Pattern[str], Any], ...] = tuple(
    (re.compile(pattern, re.DOTALL), label)  # a detail may run over several lines
    for pattern, label in (
        # youth.audit, revival: reads of records
        (r"open", gettext_lazy("record opened")),
        (r"unmask", gettext_lazy("full details shown")),
        (r"export", gettext_lazy("exported")),
        (r"export: (?P<count>\d+)", gettext_lazy("exported: {count}")),
        (r"refused", gettext_lazy("access refused")),
        (r"refused: (?P<where>.+)", gettext_lazy("access refused: {where}")),
        # voice
        (r"met", gettext_lazy("Met")),
        (r"hidden: (?P<reason>.*)", gettext_lazy("hidden: {reason}")),
        (r"reports", gettext_lazy("held after readers' reports")),
        (r"overdue", gettext_lazy("overdue")),
        (r"comment word list: (?P<count>\d+) entries", gettext_lazy("word list: {count} entries")),
        (r"routing rule removed", gettext_lazy("routing rule removed")),
        (r"routing: (?P<rule>.+)", gettext_lazy("routing: {rule}")),
        (r"(?P<count>\d+) concerns anonymised", gettext_lazy("{count} concerns anonymised")),
        (
            r"(?P<count>\d+) inbox threads anonymised",
            gettext_lazy("{count} inbox threads anonymised"),
        ),
        (
            r"(?P<comments>\d+) comments and (?P<posts>\d+) aid posts anonymised",
            gettext_lazy("{comments} comments and {posts} aid posts anonymised"),
        ),
        (
            r"emergency \((?P<radius>\w+), (?P<units>\d+) units\): (?P<text>.*)",
            gettext_lazy("emergency to {units} units: {text}"),
        ),
        # market, accounts
        (r"quantity (?P<count>\d+)", gettext_lazy("quantity {count}")),
        (r"account deleted by its owner", gettext_lazy("account deleted by its owner")),
        # sites, grid, wechat, disclosure
        (r"machine reading", gettext_lazy("machine reading")),
        (r"mediation", gettext_lazy("mediation")),
        (r"follow-up", gettext_lazy("Follow-up")),
        (r"menu pushed", gettext_lazy("menu sent to the official account")),
        (r"chat-app identity bound", gettext_lazy("chat-app account linked")),
        (r"chat-app identity unbound", gettext_lazy("chat-app account unlinked")),
        (r"line added: (?P<line>.*)", gettext_lazy("line added: {line}")),
        (r"attachment: (?P<name>.*)", gettext_lazy("file attached: {name}")),
        (r"line removed: (?P<kind>\w+) (?P<id>\d+)", gettext_lazy("line removed: {kind} no. {id}")),
        (
            r"correction of v(?P<version>\d+): (?P<note>.*)",
            gettext_lazy("correction of version {version}: {note}"),
        ),
    )
)
NOTE_CHOICES: dict[str, dict[str, Any]] = {
    "kind": {
        "finance": gettext_lazy("Income and spending"),
        "project": gettext_lazy("Projects"),
        "subsidy": gettext_lazy("Subsidies"),
    },
}


def shown_note(note: str) -> str:
    """``note`` in the reader's words when it is a code a service writes (``NOTES``)."""
    for pattern, label in NOTES:
        found = pattern.fullmatch(note)
        if found:
            parts = {
                name: str(NOTE_CHOICES.get(name, {}).get(value, value))
                for name, value in found.groupdict().items()
            }
            return str(label).format(**parts)
    return note
