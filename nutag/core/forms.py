"""Helpers shared by the workbench forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

T = TypeVar("T")


def submit_to_service(
    form: forms.Form, call: Callable[[], T], field_map: dict[str, str] | None = None
) -> T | None:
    """Run the service behind a valid form. A refusal (``ValidationError``) is shown next to
    the form's fields (the service's error keys renamed by ``field_map``) with everything
    typed kept, and ``None`` returned. ``NotFound`` (missing or out of reach) is an
    ``Http404`` and simply propagates."""
    try:
        return call()
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
        return None


def run_action(request: HttpRequest, call: Callable[[], object], done: str) -> bool:
    """Run a service for a one-button action: its refusal becomes an error message, success
    the message ``done``. True when it went through."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, done)
    return True


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
    """``<input type="date">`` with its value in the one format browsers take (Django would
    write the language's own, ``2026/12/07`` in Chinese, which shows an empty field)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    """``<input type="datetime-local">``, likewise (``2026-12-07T09:30``)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


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
