"""Workbench pages of grid governance: grids (list, new, page, edit), incidents (list with
filters, new, page with its mediation log and its actions). Views parse, check access
through the selectors and call the services; a refusal is shown next to the field with
everything typed kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nutag.core.errors import NotFound
from nutag.core.forms import submit_to_service
from nutag.grid import services
from nutag.grid.forms import (
    FollowUpForm,
    GridForm,
    IncidentFilter,
    IncidentForm,
    MediationForm,
    ReasonForm,
    ResolveForm,
)
from nutag.grid.models import Grid, IncidentState
from nutag.grid.permissions import can_handle_incidents, can_manage_grids
from nutag.grid.selectors import (
    access_grid,
    access_incident,
    grids_of_unit,
    incident_mediations,
    incidents_of_grid,
    incidents_of_unit,
)
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.people.models import Person
from nutag.voice.models import Concern
from nutag.voice.permissions import can_handle_concern

LIST_LIMIT = 100


def _candidates(unit: Unit) -> QuerySet[Person]:
    return Person.objects.filter(unit=unit).order_by("name").only("id", "name")


@login_required
def grid_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.HANDLE_CONCERNS)
    grids = grids_of_unit(user=request.user, unit=unit)[:LIST_LIMIT]
    return render(
        request,
        "grid/grid_list.html",
        {"unit": unit, "grids": grids, "can_manage": can_manage_grids(request.user, unit)},
    )


@login_required
def grid_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.CHANGE_UNIT)
    form = GridForm(request.POST or None, candidates=_candidates(unit))
    if request.method == "POST" and form.is_valid():
        grid = submit_to_service(
            form,
            lambda: services.grid_create(
                acting_user=request.user,
                unit=unit,
                name=form.cleaned_data["name"],
                area=form.cleaned_data["area"],
                worker=form.cleaned_data["worker"],
                public_phone=form.cleaned_data["public_phone"],
            ),
        )
        if grid is not None:
            messages.success(request, _("Grid saved."))
            return redirect("grid-detail", pk=grid.pk)
    return render(request, "grid/form.html", {"form": form, "unit": unit, "heading": _("New grid")})


@login_required
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grid = access_grid(user=request.user, pk=pk)
    incidents = incidents_of_grid(user=request.user, grid=grid)[:LIST_LIMIT]
    return render(
        request,
        "grid/grid_detail.html",
        {
            "grid": grid,
            "unit": grid.unit,
            "incidents": incidents,
            "can_manage": can_manage_grids(request.user, grid.unit),
        },
    )


@login_required
def grid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grid = access_grid(user=request.user, pk=pk)
    if not can_manage_grids(request.user, grid.unit):
        raise NotFound
    initial = {
        "name": grid.name,
        "area": grid.area,
        "worker": grid.worker_id,
        "public_phone": grid.public_phone,
        "is_active": grid.is_active,
    }
    form = GridForm(request.POST or None, initial=initial, candidates=_candidates(grid.unit))
    if request.method == "POST" and form.is_valid():
        saved = submit_to_service(
            form,
            lambda: services.grid_update(acting_user=request.user, grid=grid, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Grid saved."))
            return redirect("grid-detail", pk=grid.pk)
    return render(
        request,
        "grid/form.html",
        {"form": form, "unit": grid.unit, "grid": grid, "heading": _("Edit grid")},
    )


@login_required
def incident_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.HANDLE_CONCERNS)
    filters = IncidentFilter(request.GET or None)
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    incidents = incidents_of_unit(
        user=request.user,
        unit=unit,
        state=chosen.get("state", ""),
        kind=chosen.get("kind", ""),
        follow_up_due=bool(chosen.get("due")),
    )[:LIST_LIMIT]
    return render(
        request,
        "grid/incident_list.html",
        {"unit": unit, "incidents": incidents, "filters": filters},
    )


def _concern_by_number(request: HttpRequest, number: str) -> Concern | None:
    concern = Concern.objects.select_related("unit").filter(number=number.strip()).first()
    if concern is None or not can_handle_concern(request.user, concern):
        return None
    return concern


def _incident_form(request: HttpRequest, *, unit: Unit, grids: QuerySet[Grid]) -> HttpResponse:
    initial = {"concern_number": request.GET.get("concern", "")[:40]}
    form = IncidentForm(request.POST or None, grids=grids, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        concern = None
        if data["concern_number"]:
            concern = _concern_by_number(request, data["concern_number"])
            if concern is None:
                form.add_error(
                    "concern_number", _("No concern with this number is within your reach.")
                )
        if form.is_valid():
            incident = submit_to_service(
                form,
                lambda: services.incident_log(
                    acting_user=request.user,
                    grid=data["grid"],
                    kind=data["kind"],
                    reported_on=data["reported_on"],
                    summary=data["summary"],
                    parties=data["parties"],
                    concern=concern,
                ),
                field_map={"concern": "concern_number"},
            )
            if incident is not None:
                messages.success(request, _("Incident logged."))
                return redirect("grid-incident", pk=incident.pk)
    return render(
        request, "grid/form.html", {"form": form, "unit": unit, "heading": _("Log an incident")}
    )


@login_required
def incident_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.HANDLE_CONCERNS)
    grids = grids_of_unit(user=request.user, unit=unit).filter(is_active=True)
    return _incident_form(request, unit=unit, grids=grids)


@login_required
def incident_new_in_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid worker's way in: log an incident in their own grid."""
    grid = access_grid(user=request.user, pk=pk)
    return _incident_form(request, unit=grid.unit, grids=Grid.objects.filter(pk=grid.pk))


@login_required
def incident_from_concern(request: HttpRequest, pk: int) -> HttpResponse:
    """From a concern's id (a link on any page): the new incident form of the concern's
    handling unit, the concern's number filled in."""
    concern = Concern.objects.select_related("unit").filter(pk=pk).first()
    if concern is None or not can_handle_concern(request.user, concern):
        raise NotFound
    if not can_handle_incidents(request.user, concern.unit):
        raise NotFound
    url = reverse("grid-incident-new", args=[concern.unit.code])
    return redirect(f"{url}?{urlencode({'concern': concern.number})}")


ACTIONS: dict[str, type] = {
    "mediate": MediationForm,
    "resolve": ResolveForm,
    "refer": ReasonForm,
    "close": ReasonForm,
    "followup": FollowUpForm,
}


def _call(action: str, request: HttpRequest, incident: Any, data: dict[str, Any]) -> object:
    user = request.user
    if action == "mediate":
        return services.incident_mediate(acting_user=user, incident=incident, **data)
    if action == "resolve":
        return services.incident_resolve(acting_user=user, incident=incident, **data)
    if action == "refer":
        return services.incident_refer_up(acting_user=user, incident=incident, **data)
    if action == "close":
        return services.incident_close(acting_user=user, incident=incident, **data)
    return services.incident_follow_up(acting_user=user, incident=incident, **data)


def _detail(
    request: HttpRequest, incident: Any, bound: dict[str, Any] | None = None
) -> HttpResponse:
    forms = {name: form_class(prefix=name) for name, form_class in ACTIONS.items()}
    forms.update(bound or {})
    return render(
        request,
        "grid/incident_detail.html",
        {
            "incident": incident,
            "unit": incident.unit,
            "mediations": incident_mediations(incident=incident),
            "forms": forms,
            "is_open": incident.is_open,
            "can_follow_up": incident.state == IncidentState.RESOLVED
            and incident.followed_up_on is None,
            "can_refer": incident.state != IncidentState.REFERRED and incident.unit.depth > 1,
        },
        status=400 if bound else 200,
    )


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_incident(user=request.user, pk=pk))


DONE = {
    "mediate": gettext_lazy("Mediation recorded."),
    "resolve": gettext_lazy("Incident resolved."),
    "refer": gettext_lazy("Incident referred up."),
    "close": gettext_lazy("Incident closed."),
    "followup": gettext_lazy("Follow-up recorded."),
}


@login_required
@require_POST
def incident_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    incident = access_incident(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise NotFound
    form = ACTIONS[action](request.POST, prefix=action)
    if form.is_valid():
        done = submit_to_service(form, lambda: _call(action, request, incident, form.cleaned_data))
        if done is not None:
            messages.success(request, str(DONE[action]))
            return redirect("grid-incident", pk=incident.pk)
    return _detail(request, incident, {action: form})
