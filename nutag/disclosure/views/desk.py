"""The workbench's disclosure pages for a unit: its calendar (the villages below that are
due, late or published), its own disclosures, a draft's tables and the sign-off."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nutag.core.errors import NotFound
from nutag.core.forms import submit_to_service
from nutag.disclosure import selectors, services
from nutag.disclosure.forms import (
    LINE_FORMS,
    AttachmentForm,
    DisclosureEditForm,
    DisclosureForm,
    NoteForm,
)
from nutag.disclosure.models import Disclosure, DisclosureStatus, LineKind
from nutag.disclosure.permissions import (
    can_edit,
    can_sign_off,
    can_sign_off_at,
    can_view_calendar,
    can_write_disclosure,
)
from nutag.disclosure.selectors.calendar import unit_calendar
from nutag.orgs.models import Unit
from nutag.orgs.selectors import access_unit


def _unit(request: HttpRequest, code: str) -> Unit:
    unit = access_unit(user=request.user, code=code)
    if not can_view_calendar(request.user, unit):
        raise NotFound
    return unit


def disclosure_home(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    context = {
        "unit": unit,
        "calendar": unit_calendar(unit=unit),
        "disclosures": list(selectors.unit_disclosures(unit=unit)[:40]),
        "can_write": can_write_disclosure(request.user, unit),
    }
    return render(request, "disclosure/desk_home.html", context)


def disclosure_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    if not can_write_disclosure(request.user, unit):
        raise NotFound
    form = DisclosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        disclosure = submit_to_service(
            form,
            lambda: services.disclosure_create(acting_user=request.user, unit=unit, **data),
        )
        if disclosure is not None:
            return redirect("disclosure-desk-detail", code=unit.code, pk=disclosure.pk)
    context = {"unit": unit, "form": form, "heading": _("New disclosure")}
    return render(request, "disclosure/desk_form.html", context)


def disclosure_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = _unit(request, code)
    disclosure = selectors.access_disclosure(user=request.user, pk=pk, unit=unit)
    if not can_edit(request.user, disclosure):
        raise NotFound
    initial = {
        "title": disclosure.title,
        "body": disclosure.body,
        "income_total": disclosure.income_total,
        "spending_total": disclosure.spending_total,
    }
    form = DisclosureEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form,
            lambda: services.disclosure_update(
                acting_user=request.user, disclosure=disclosure, **form.cleaned_data
            ),
        )
        if done is not None:
            return redirect("disclosure-desk-detail", code=unit.code, pk=disclosure.pk)
    context = {"unit": unit, "form": form, "heading": disclosure.title}
    return render(request, "disclosure/desk_form.html", context)


def _blank_forms(disclosure: Disclosure) -> dict[str, forms.Form]:
    line_forms: dict[str, forms.Form] = {
        kind: form_class(prefix=kind) for kind, form_class in LINE_FORMS.items()
    }
    return {
        **line_forms,
        "attachment": AttachmentForm(prefix="attachment"),
        "return": NoteForm(prefix="return"),
        "correct": NoteForm(prefix="correct"),
    }


def _act(request: HttpRequest, disclosure: Disclosure, action: str) -> bool | int | forms.Form:
    """Run the posted action: True when done (a correction: the new version's id), else the
    bound form with its errors (or False with the refusal in the messages)."""
    user = request.user
    if action in LINE_FORMS:
        form = LINE_FORMS[action](request.POST, prefix=action)
        if not form.is_valid():
            return form
        adders: dict[str, Any] = {
            LineKind.FINANCE: services.finance_line_add,
            LineKind.PROJECT: services.project_line_add,
            LineKind.SUBSIDY: services.subsidy_line_add,
        }
        add = adders[action]
        done = submit_to_service(
            form, lambda: add(acting_user=user, disclosure=disclosure, **form.cleaned_data)
        )
        return form if done is None else True
    if action == "attachment":
        form = AttachmentForm(request.POST, request.FILES, prefix="attachment")
        if not form.is_valid():
            return form
        done = submit_to_service(
            form,
            lambda: services.attachment_add(
                acting_user=user, disclosure=disclosure, **form.cleaned_data
            ),
        )
        return form if done is None else True
    if action in ("return", "correct"):
        form = NoteForm(request.POST, prefix=action)
        if not form.is_valid():
            return form
        service = services.disclosure_return if action == "return" else services.disclosure_correct
        result = submit_to_service(
            form,
            lambda: service(
                acting_user=user, disclosure=disclosure, note=form.cleaned_data["note"]
            ),
        )
        if result is None:
            return form
        return result.pk if action == "correct" else True
    simple = {
        "submit": lambda: services.disclosure_submit(acting_user=user, disclosure=disclosure),
        "sign_off": lambda: services.disclosure_sign_off(acting_user=user, disclosure=disclosure),
        "remove": lambda: services.line_remove(
            acting_user=user,
            disclosure=disclosure,
            line_kind=request.POST.get("line_kind", ""),
            line_id=_int(request.POST.get("line_id")),
        ),
    }
    if action not in simple:
        raise NotFound
    try:
        simple[action]()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    return True


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound from exc


def disclosure_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = _unit(request, code)
    disclosure = selectors.access_disclosure(user=request.user, pk=pk, unit=unit)
    bound = _blank_forms(disclosure)
    if request.method == "POST":
        action = request.POST.get("action", "")
        done = _act(request, disclosure, action)
        if done is not False and not isinstance(done, forms.Form):
            target = disclosure.pk if done is True else done
            messages.success(request, _("Done."))
            return redirect("disclosure-desk-detail", code=unit.code, pk=target)
        if isinstance(done, forms.Form):
            bound[action] = done
        disclosure = selectors.access_disclosure(user=request.user, pk=pk, unit=unit)
    is_draft = disclosure.status == DisclosureStatus.DRAFT
    editable = is_draft and can_edit(request.user, disclosure)
    context = {
        "unit": unit,
        "d": disclosure,
        "tables": selectors.tables_of(disclosure, unmasked=True),
        "changes": selectors.changes_since_previous(disclosure),
        "totals": services.totals_problems(disclosure) if editable else {},
        "forms": bound,
        "editable": editable,
        "may_sign": disclosure.status == DisclosureStatus.SUBMITTED
        and can_sign_off(request.user, disclosure),
        "own_submission": disclosure.status == DisclosureStatus.SUBMITTED
        and can_sign_off_at(request.user, unit)
        and not can_sign_off(request.user, disclosure),
        "may_correct": disclosure.status == DisclosureStatus.SIGNED_OFF
        and can_edit(request.user, disclosure)
        and not disclosure.corrections.exists(),
        "bound_forms": list(bound.values()),  # for the error summary (core/base.html)
    }
    return render(request, "disclosure/desk_detail.html", context)
