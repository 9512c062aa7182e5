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
from django.http import HttpRequest

from nutag.core.forms import submit_to_service

T = TypeVar("T")


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
    result = submit_to_service(form, call, field_map)
    if result is not None:
        messages.success(request, done if isinstance(done, str) else done(result))
    return result
