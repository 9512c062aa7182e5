"""Plumbing shared by the desk views of standards, rounds and tasks: fetch or 404, run the
service behind a form or a button, say what happened.

The forms name their fields after the arguments of the service they feed, so a view may pass
``**form.cleaned_data`` on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from nutag.core.errors import NotFound
from nutag.core.forms import add_service_errors

T = TypeVar("T")


def found(get: Callable[[], T]) -> T:
    """``get()``; ``NotFound`` (missing, or not yours) becomes a 404."""
    try:
        return get()
    except NotFound as exc:
        raise Http404 from exc


def act(request: HttpRequest, call: Callable[[], object], done: str) -> bool:
    """Run a service for a one-button action: its refusal becomes an error message, success
    the message ``done``. True when it went through."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, done)
    return True


def submit(
    form: forms.Form, call: Callable[[], T], field_map: dict[str, str] | None = None
) -> T | None:
    """Run the service behind a valid form. A refusal goes next to the form's fields (the
    service's error keys renamed by ``field_map``), everything typed kept, and ``None`` comes
    back; ``NotFound`` becomes a 404."""
    try:
        return call()
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
        return None
    except NotFound as exc:
        raise Http404 from exc


def submit_form(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[], T],
    done: str | Callable[[T], str],
    field_map: dict[str, str] | None = None,
) -> T | None:
    """On a POST with a valid ``form``, run the service behind it (``call``). When it went
    through, flash ``done`` (or ``done(result)``) and return the result: the caller redirects.
    Otherwise ``None``, with any refusal next to the form's fields: the caller shows the form
    again (for a GET too)."""
    if request.method != "POST" or not form.is_valid():
        return None
    result = submit(form, call, field_map)
    if result is not None:
        messages.success(request, done if isinstance(done, str) else done(result))
    return result
