"""Forms the GOV.UK way, for every form that goes through the shared partials.

- ``{% forms_with_errors as error_forms %}`` finds every bound form with errors in the page's
  context (a form, a list of forms, a formset), whatever the view called it, so
  ``core/base.html`` can prefix the page title with "Error: " and show
  ``components/error_summary.html`` at the top of ``main``: one link per wrong field, to the
  field's own input (the first option of a group of radios or boxes).
- ``{{ field|field_messages }}`` is the field's errors in specific words: "Enter the title"
  instead of "This field is required." (by the error's code, so in every language).
- ``{{ field|is_optional }}``: the field is marked "(optional)" instead of marking the required
  ones, unless every field of its form is optional (a search or filter form).

``components/field.html`` writes the hint above the input with the id Django's own
``aria-describedby`` points at (``<id>_helptext``) and the errors with ``<id>_error``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.utils.functional import LazyObject, Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class ErrorItem:
    message: str
    target: str  # the id of the input to link to; "" for an error of the whole form


def _label(field: forms.BoundField) -> str:
    label = str(field.label or field.name).strip().rstrip(":：").strip()
    if (get_language() or "").startswith("en") and label[1:2].islower():
        label = label[:1].lower() + label[1:]  # "Enter the title", mid-sentence
    return label


def _is_choice(field: forms.BoundField) -> bool:
    widget = field.field.widget
    return isinstance(widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple)


def _specific(field: forms.BoundField, error: forms.ValidationError) -> str:
    """The message of ``error`` in words that say what to do with this field."""
    label = _label(field)
    code = getattr(error, "code", None)
    if code == "required":
        if isinstance(field.field, forms.FileField):
            return _("Choose a file for %(label)s") % {"label": label}
        if _is_choice(field):
            return _("Choose %(label)s") % {"label": label}
        return _("Enter %(label)s") % {"label": label}
    if code == "invalid_choice":
        return _("Choose %(label)s from the list") % {"label": label}
    if code == "invalid" and isinstance(field.field, forms.DateField | forms.DateTimeField):
        return _("%(label)s must be a real date, like 2026-12-05") % {"label": label}
    if code == "invalid" and isinstance(field.field, forms.IntegerField):
        return _("%(label)s must be a whole number, like 12") % {"label": label}
    return " ".join(str(m) for m in error.messages)


@register.filter
def field_messages(field: forms.BoundField) -> list[str]:
    """The field's errors, in specific words."""
    if not field.errors:
        return []
    data = field.form.errors.as_data().get(field.name, [])
    if not data:  # errors added as plain text
        return [str(e) for e in field.errors]
    return [_specific(field, error) for error in data]


@register.filter
def is_optional(field: forms.BoundField) -> bool:
    if field.field.required or field.widget_type == "checkbox":
        return False
    return any(f.required for f in field.form.fields.values())


def input_id(field: forms.BoundField) -> str:
    """The id of the element a link to this field should focus."""
    if not field.auto_id:
        return ""
    if field.use_fieldset:  # a group of radios or boxes: its first option
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def _forms_in(value: Any, depth: int = 2) -> list[forms.BaseForm]:
    """The forms in a context value: a form, a bound formset's forms, and those in a list,
    tuple or dict up to ``depth`` levels down (a page's forms by name, a table's rows each with
    its form); at most 200 items a level, nothing else looked at."""
    if isinstance(value, forms.BaseForm):
        return [value]
    if isinstance(value, forms.BaseFormSet):
        return list(value.forms) if value.is_bound else []
    if depth and isinstance(value, dict):
        value = list(value.values())
    if depth and isinstance(value, list | tuple):
        found: list[forms.BaseForm] = []
        for item in value[:200]:
            if isinstance(item, forms.BaseForm | forms.BaseFormSet | dict | list | tuple):
                found.extend(_forms_in(item, depth - 1))
        return found
    return []


@register.simple_tag(takes_context=True)
def forms_with_errors(context: template.Context) -> list[forms.BaseForm]:
    """Every bound form with errors in the page's context, each once, in context order.

    Lazy values (``csrf_token``, ``user``, ``messages`` …) are never forms and are not
    evaluated: asking their class would make every page read the session and create a CSRF
    token and cookie that nothing on it uses (issue 17)."""
    seen: set[int] = set()
    found: list[forms.BaseForm] = []
    for value in context.flatten().values():
        if isinstance(value, LazyObject | Promise):  # the type alone: nothing evaluated
            continue
        for form in _forms_in(value):
            if id(form) in seen or not form.is_bound or not form.errors:
                continue
            seen.add(id(form))
            found.append(form)
    return found


@register.simple_tag
def error_items(error_forms: list[forms.BaseForm]) -> list[ErrorItem]:
    """One line per problem: the form's own errors, then each wrong field's, in form order."""
    items: list[ErrorItem] = []
    for form in error_forms:
        items.extend(ErrorItem(str(m), "") for m in form.non_field_errors())
        for name in form.fields:
            field = form[name]
            if field.is_hidden:
                items.extend(ErrorItem(str(m), "") for m in field.errors)
                continue
            target = input_id(field)
            items.extend(ErrorItem(m, target) for m in field_messages(field))
    return items
