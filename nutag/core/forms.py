"""Helpers shared by the workbench forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from nutag.core.errors import NotFound

T = TypeVar("T")


def submit_to_service(form: forms.Form, call: Callable[[], T]) -> T | None:
    """Run the service behind a valid form. A refusal (``ValidationError``) is shown next to
    the form's fields with everything typed kept, and ``None`` returned; ``NotFound`` (missing
    or out of reach) becomes a 404."""
    try:
        return call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    except NotFound as exc:
        raise Http404 from exc


def add_service_errors(
    form: forms.Form, exc: ValidationError, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's ``ValidationError`` next to the matching fields of ``form``."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            name = field_map.get(key, key)
            if name in form.fields:
                for message in messages:
                    form.add_error(name, message)
            else:
                for message in messages:
                    form.add_error(None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
    if not form.errors:
        form.add_error(None, _("Please correct the errors."))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
