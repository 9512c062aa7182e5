"""Desk pages for standards and their items.

Thin: fetch through ``access_*`` (404 for missing and for not yours), call a service, render.
A refusal never loses what was typed: the form comes back bound with each message next to
its field.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nutag.assess.forms.rounds import CopyForm, StandardForm, StandardItemForm
from nutag.assess.models import Standard, StandardItem
from nutag.assess.permissions import can_manage_standards, can_view_work
from nutag.assess.selectors.standards import (
    access_standard,
    access_standard_item,
    standard_summary,
    standards_usable,
)
from nutag.assess.services import standards as standard_services
from nutag.assess.views.common import submit_form
from nutag.core.errors import NotFound
from nutag.core.forms import run_action
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit


@login_required
def standards_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_WORK)
    can_manage = unit.is_active and can_manage_standards(request.user, unit)
    standards = list(standards_usable(unit=unit))
    own = [s for s in standards if s.unit_id == unit.pk]
    kinds = {s.kind for s in own}
    defaults_missing = any(d.kind not in kinds for d in standard_services.DEFAULT_STANDARDS)
    return render(
        request,
        "assess/rounds/standards.html",
        {
            "unit": unit,
            "own": own,
            "above": [s for s in standards if s.unit_id != unit.pk],
            "can_manage": can_manage,
            "defaults_missing": defaults_missing,
            "defaults": standard_services.DEFAULT_STANDARDS,
        },
    )


@login_required
@require_POST
def standards_install(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.MANAGE_STANDARDS)
    run_action(
        request,
        lambda: standard_services.standards_install_defaults(acting_user=request.user, unit=unit),
        _("The default standards are installed: five-good, four inclusions, four in place."),
    )
    return redirect("desk-standards", code=unit.code)


@login_required
def standard_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.MANAGE_STANDARDS)
    form = StandardForm(request.POST or None)
    standard = submit_form(
        request,
        form,
        lambda: standard_services.standard_create(
            acting_user=request.user, unit=unit, **form.cleaned_data
        ),
        _("Standard created: now add its items."),
    )
    if standard is not None:
        return redirect("desk-standard", pk=standard.pk)
    return render(
        request,
        "assess/rounds/standard_form.html",
        {"unit": unit, "form": form, "heading": _("New standard")},
    )


@login_required
def standard_page(request: HttpRequest, pk: int) -> HttpResponse:
    standard = access_standard(user=request.user, pk=pk)
    can_edit = can_manage_standards(request.user, standard.unit)
    form = StandardForm(
        request.POST or None, initial=StandardForm.initial_for(standard) if can_edit else None
    )
    if request.method == "POST" and not can_edit:
        raise NotFound
    saved = submit_form(
        request,
        form,
        lambda: standard_services.standard_update(
            acting_user=request.user, standard=standard, **form.cleaned_data
        ),
        _("Saved."),
    )
    if saved is not None:
        return redirect("desk-standard", pk=standard.pk)
    return render(
        request,
        "assess/rounds/standard.html",
        {
            "standard": standard,
            "unit": standard.unit,
            "unit_open": can_view_work(request.user, standard.unit),  # see round_page
            "summary": standard_summary(standard=standard),
            "can_edit": can_edit,
            "form": form,
            "copy_form": CopyForm(),
        },
    )


@login_required
@require_POST
def standard_copy(request: HttpRequest, pk: int) -> HttpResponse:
    standard = access_standard(user=request.user, pk=pk)
    unit = access_unit(
        user=request.user,
        code=request.POST.get("to") or standard.unit.code,
        perm=Perm.MANAGE_STANDARDS,
    )
    form = CopyForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    try:
        copy = standard_services.standard_copy(
            acting_user=request.user, standard=standard, unit=unit, name=name
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("desk-standard", pk=standard.pk)
    messages.success(request, _("Copied: this copy can be changed."))
    return redirect("desk-standard", pk=copy.pk)


def _item_page(
    request: HttpRequest,
    *,
    standard: Standard,
    form: StandardItemForm,
    item: StandardItem | None = None,
) -> HttpResponse:
    return render(
        request,
        "assess/rounds/standard_item_form.html",
        {
            "standard": standard,
            "unit": standard.unit,
            "form": form,
            "item": item,
            "used": standard_services.standard_is_used(standard),
            "heading": item.title if item else _("Add an item"),
        },
    )


def _managed(request: HttpRequest, standard: Standard) -> None:
    """404 unless the user may manage ``standard``."""
    if not can_manage_standards(request.user, standard.unit):
        raise NotFound


@login_required
def standard_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    standard = access_standard(user=request.user, pk=pk)
    _managed(request, standard)
    form = StandardItemForm(request.POST or None, initial={"accepts": ["text"], "auto_target": 1})
    item = submit_form(
        request,
        form,
        lambda: standard_services.standard_item_add(
            acting_user=request.user, standard=standard, **form.to_kwargs()
        ),
        _("Item added."),
    )
    if item is not None:
        return redirect("desk-standard", pk=standard.pk)
    return _item_page(request, standard=standard, form=form)


@login_required
def standard_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_standard_item(user=request.user, pk=pk)
    standard = item.standard
    _managed(request, standard)
    form = StandardItemForm(request.POST or None, initial=StandardItemForm.initial_for(item))
    saved = submit_form(
        request,
        form,
        lambda: standard_services.standard_item_update(
            acting_user=request.user, item=item, **form.to_kwargs()
        ),
        _("Saved."),
    )
    if saved is not None:
        return redirect("desk-standard", pk=standard.pk)
    return _item_page(request, standard=standard, form=form, item=item)


@login_required
@require_POST
def standard_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_standard_item(user=request.user, pk=pk)
    run_action(
        request,
        lambda: standard_services.standard_item_remove(acting_user=request.user, item=item),
        _("Item removed."),
    )
    return redirect("desk-standard", pk=item.standard_id)


@login_required
@require_POST
def standard_item_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    item = access_standard_item(user=request.user, pk=pk)
    offset = -1 if direction == "up" else 1
    run_action(
        request,
        lambda: standard_services.standard_item_move(
            acting_user=request.user, item=item, offset=offset
        ),
        _("Moved."),
    )
    return redirect("desk-standard", pk=item.standard_id)
