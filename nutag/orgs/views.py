"""Workbench pages for units, their positions and their history. Thin: parse, check, call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nutag.core.audit import change_rows, shown_note
from nutag.core.errors import NotFound
from nutag.core.forms import submit_to_service
from nutag.orgs import services
from nutag.orgs.forms import UnitChoiceForm, UnitCreateForm, UnitForm
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.permissions import Perm, can_restructure, has_unit_perm, units_where
from nutag.orgs.selectors import (
    access_position,
    access_unit,
    current_positions,
    my_units,
    seed_model_check,
    unit_ancestors,
    unit_children,
    unit_history,
)


@login_required
def desk_home(request: HttpRequest) -> HttpResponse:
    """The workbench's first page: the units the user works for. A login without unit rights
    (a resident, an elder, a Party member) goes to their own page (``people/home.py``)."""
    units = my_units(user=request.user)
    if not units:
        return redirect("desk-me")
    return render(request, "core/desk_home.html", {"units": units})


def _restructurable(request: HttpRequest, code: str) -> Unit:
    """A unit the user may move, merge, close or delete (right held above it), else 404."""
    unit = access_unit(user=request.user, code=code)
    if not can_restructure(user=request.user, unit=unit):
        raise NotFound
    return unit


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code)
    user = request.user
    ancestors = [
        a
        for a in unit_ancestors(unit=unit)
        if has_unit_perm(user=user, perm=Perm.VIEW_UNIT, unit=a)
    ]
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "children": unit_children(unit=unit),
            "positions": current_positions(unit=unit),
            "can": {
                "change": has_unit_perm(user=user, perm=Perm.CHANGE_UNIT, unit=unit),
                "restructure_below": has_unit_perm(user=user, perm=Perm.RESTRUCTURE, unit=unit),
                "restructure": can_restructure(user=user, unit=unit),
                "positions": has_unit_perm(user=user, perm=Perm.MANAGE_POSITIONS, unit=unit),
                "history": has_unit_perm(user=user, perm=Perm.VIEW_HISTORY, unit=unit),
                "people": has_unit_perm(user=user, perm=Perm.VIEW_PEOPLE, unit=unit),
                "youth": has_unit_perm(user=user, perm=Perm.VIEW_YOUTH, unit=unit),
                "revival": has_unit_perm(user=user, perm=Perm.MANAGE_REVIVAL, unit=unit),
                "change_people": has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=unit),
                "work": has_unit_perm(user=user, perm=Perm.VIEW_WORK, unit=unit),
                "standards": has_unit_perm(user=user, perm=Perm.MANAGE_STANDARDS, unit=unit),
                "grids": has_unit_perm(user=user, perm=Perm.HANDLE_CONCERNS, unit=unit),
            },
        },
    )


@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.CHANGE_UNIT)
    form = UnitForm(request.POST or None, initial={"name": unit.name, "name_mn": unit.name_mn})
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            submit_to_service(
                form,
                lambda: services.unit_update(
                    acting_user=request.user, unit=unit, **form.cleaned_data
                ),
            )
            is not None
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("desk-unit", code=unit.code)
    return render(
        request, "orgs/unit_form.html", {"unit": unit, "form": form, "heading": _("Edit unit")}
    )


@login_required
def unit_add_child(request: HttpRequest, code: str) -> HttpResponse:
    parent = access_unit(user=request.user, code=code, perm=Perm.RESTRUCTURE)
    form = UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = submit_to_service(
            form,
            lambda: services.unit_create(
                acting_user=request.user, parent=parent, **form.cleaned_data
            ),
        )
        if child is not None:
            messages.success(request, _("Unit added."))
            return redirect("desk-unit", code=child.code)
    return render(
        request,
        "orgs/unit_form.html",
        {
            "unit": parent,
            "form": form,
            "heading": _("Add a unit under %(unit)s") % {"unit": parent.name},
        },
    )


def _targets(request: HttpRequest, unit: Unit):  # type: ignore[no-untyped-def]
    from nutag.orgs.paths import subtree_q

    return (
        units_where(user=request.user, perm=Perm.RESTRUCTURE)
        .filter(status=UnitStatus.ACTIVE)
        .exclude(subtree_q(unit.path))
        .order_by("path")
    )


@login_required
def unit_move(request: HttpRequest, code: str) -> HttpResponse:
    unit = _restructurable(request, code)
    form = UnitChoiceForm(
        request.POST or None, units=_targets(request, unit), label=_("New parent unit")
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            submit_to_service(
                form,
                lambda: services.unit_move(
                    acting_user=request.user, unit=unit, new_parent=form.cleaned_data["target"]
                ),
            )
            is not None
        )
    ):
        messages.success(request, _("Unit moved."))
        return redirect("desk-unit", code=unit.code)
    return render(
        request, "orgs/unit_action.html", {"unit": unit, "form": form, "heading": _("Move unit")}
    )


@login_required
def unit_merge(request: HttpRequest, code: str) -> HttpResponse:
    unit = _restructurable(request, code)
    form = UnitChoiceForm(
        request.POST or None, units=_targets(request, unit), label=_("Merge into")
    )
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["target"]
        if (
            submit_to_service(
                form, lambda: services.unit_merge(acting_user=request.user, unit=unit, into=into)
            )
            is not None
        ):
            messages.success(request, _("Unit merged."))
            return redirect("desk-unit", code=into.code)
    return render(
        request,
        "orgs/unit_action.html",
        {
            "unit": unit,
            "form": form,
            "heading": _("Merge unit"),
            "warning": _(
                "Its units and people move to the chosen unit; "
                "this unit is closed and its history kept."
            ),
        },
    )


@login_required
def unit_close(request: HttpRequest, code: str) -> HttpResponse:
    unit = _restructurable(request, code)
    error = None
    if request.method == "POST":
        try:
            services.unit_close(acting_user=request.user, unit=unit)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Unit closed."))
            return redirect("desk-unit", code=unit.code)
    return render(
        request,
        "orgs/unit_action.html",
        {"unit": unit, "heading": _("Close unit"), "error": error, "confirm": _("Close this unit")},
    )


@login_required
def unit_delete(request: HttpRequest, code: str) -> HttpResponse:
    unit = _restructurable(request, code)
    error = None
    if request.method == "POST":
        parent = Unit.objects.get_parent(unit)
        try:
            services.unit_delete(acting_user=request.user, unit=unit)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Unit deleted."))
            return redirect("desk-unit", code=parent.code) if parent else redirect("desk-home")
    return render(
        request,
        "orgs/unit_action.html",
        {
            "unit": unit,
            "heading": _("Delete unit"),
            "error": error,
            "confirm": _("Delete this unit"),
        },
    )


@login_required
def unit_history_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_HISTORY)
    entries = list(unit_history(user=request.user, unit=unit))
    for entry in entries:
        entry.rows = change_rows(entry)  # type: ignore[attr-defined]
        entry.shown_note = shown_note(entry.note)  # type: ignore[attr-defined]
    return render(request, "orgs/unit_history.html", {"unit": unit, "entries": entries})


@login_required
def unit_seed_check(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code)
    results = seed_model_check(root=unit)
    return render(
        request,
        "orgs/seed_check.html",
        {
            "unit": unit,
            "failing": [r for r in results if not r.follows],
            "following": sum(1 for r in results if r.follows),
            "total": len(results),
        },
    )


@login_required
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Ending a term asks for confirmation first: a stray tap must not end anyone's term."""
    position = access_position(user=request.user, pk=pk)
    if request.method == "POST":
        services.position_end(acting_user=request.user, position=position)
        messages.success(request, _("Term ended."))
        return redirect("desk-unit", code=position.unit.code)
    return render(
        request,
        "orgs/unit_action.html",
        {
            "unit": position.unit,
            "heading": _("End term"),
            "warning": _("%(person)s will no longer be %(title)s. The record of the term is kept.")
            % {"person": position.person.name, "title": position.get_title_display()},
            "confirm": _("End term"),
        },
    )
