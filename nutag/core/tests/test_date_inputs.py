"""Every date and date-and-time input of every form shows the value it holds.

A browser's ``<input type="date">`` takes only ``2026-12-07`` (``datetime-local``:
``2026-12-07T09:30``). Django writes a date in the active language's first input format, which
for Chinese is ``2026/12/07``: the browser then shows an empty field, so a form opened with
today's date, or an edit of a visit, an incident or a lesson, lost its date on the screen (and,
on a field that may be empty, on saving). ``nutag.core.forms.DateInput`` and
``DateTimeLocalInput`` always write the browser's format.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.utils import translation

import nutag

SHAPES = {"date": "2026-12-07", "datetime-local": "2026-12-07T09:30"}
VALUES = {
    "date": dt.date(2026, 12, 7),
    "datetime-local": dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC),
}


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module in pkgutil.walk_packages(nutag.__path__, "nutag."):
        parts = module.name.split(".")
        if "tests" in parts or not ({"forms"} & set(parts)):
            continue
        for _name, value in inspect.getmembers(importlib.import_module(module.name)):
            is_form = inspect.isclass(value) and issubclass(value, forms.BaseForm)
            if is_form and value.__module__.startswith("nutag."):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


def _date_fields() -> list[tuple[str, forms.Widget]]:
    return [
        (f"{form.__module__}.{form.__qualname__}.{name}", field.widget)
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if getattr(field.widget, "input_type", "") in SHAPES
    ]


def test_the_search_finds_the_date_inputs() -> None:
    names = [name for name, _widget in _date_fields()]
    assert len(names) >= 20, names
    assert any(name.endswith("IncidentForm.reported_on") for name in names), names


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "mn-mong", "en"])
def test_every_date_input_writes_the_browsers_format(language: str) -> None:
    wrong = []
    with translation.override(language):
        for name, widget in _date_fields():
            kind = widget.input_type  # type: ignore[attr-defined]
            shown = widget.format_value(VALUES[kind])
            if shown != SHAPES[kind]:
                wrong.append(f"{name}: {shown!r}")
    assert not wrong, "inputs the browser shows empty:\n" + "\n".join(wrong)
