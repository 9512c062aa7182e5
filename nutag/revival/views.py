"""Workbench pages of the revitalisation ledger: parse, check access (``access_household``
audits every opening, and refusals), call a service, render. Heads' names are masked in the
list; every response that shows a household writes one audit row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nutag.core.errors import NotFound
from nutag.core.forms import run_action, submit_to_service
from nutag.core.masking import mask_name
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.people.models import Person
from nutag.revival import services
from nutag.revival.forms import (
    HouseholdForm,
    IncomeForm,
    MeasureForm,
    PairingForm,
    StatusForm,
    VisitForm,
)
from nutag.revival.models import HouseholdStatus, Pairing, RiskCategory, WatchedHousehold
from nutag.revival.permissions import can_add_household, can_change_household
from nutag.revival.selectors import (
    access_household,
    household_details,
    households_of_unit,
    log_list_read,
)

LIST_LIMIT = 500


@login_required
def household_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.MANAGE_REVIVAL)
    category = request.GET.get("category", "")
    status = request.GET.get("status", "")
    category = category if category in RiskCategory.values else ""
    status = status if status in HouseholdStatus.values else ""
    rows = list(
        households_of_unit(user=request.user, unit=unit, category=category, status=status)[
            :LIST_LIMIT
        ]
    )
    log_list_read(user=request.user, unit=unit, households=rows, where=request.path)
    return render(
        request,
        "revival/household_list.html",
        {
            "unit": unit,
            "rows": [(h, mask_name(h.head.name)) for h in rows],
            "category": category,
            "status": status,
            "categories": RiskCategory.choices,
            "statuses": HouseholdStatus.choices,
            "can_add": can_add_household(request.user, unit),
        },
    )


@login_required
def household_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.MANAGE_REVIVAL)
    if not can_add_household(request.user, unit):
        raise NotFound
    heads = Person.objects.filter(
        subtree_q(unit.path, "unit_path"), watched_household__isnull=True
    ).order_by("unit_path", "name_pinyin")
    form = HouseholdForm(request.POST or None, heads=heads)
    if request.method == "POST" and form.is_valid():
        household = submit_to_service(
            form,
            lambda: services.household_create(acting_user=request.user, **form.cleaned_data),
        )
        if household is not None:
            messages.success(request, _("The household is in the ledger."))
            return redirect("revival-household", pk=household.pk)
    return render(
        request,
        "revival/form.html",
        {"form": form, "heading": _("Put a household under watch"), "unit": unit},
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = access_household(user=request.user, pk=pk, where=request.path)
    return render(
        request,
        "revival/household_detail.html",
        {
            "household": household,
            "name": household.head.name,
            **household_details(household=household),
            "can_change": can_change_household(request.user, household),
        },
    )


def _cadres(household: WatchedHousehold) -> Any:
    return Person.objects.filter(pk__in=services.cadre_candidates(household)).order_by(
        "unit_path", "name_pinyin"
    )


def _household_form(
    request: HttpRequest,
    pk: int,
    *,
    make_form: Callable[[WatchedHousehold], forms.Form],
    call: Callable[[WatchedHousehold, dict[str, Any]], object],
    heading: str,
    done: str,
) -> HttpResponse:
    """One form on a household: GET shows it, POST runs the service (errors next to the
    fields, everything typed kept), then back to the household."""
    household = access_household(user=request.user, pk=pk, where=request.path)
    if not can_change_household(request.user, household):
        raise NotFound
    form = make_form(household)
    if request.method == "POST" and form.is_valid():
        result = submit_to_service(form, lambda: call(household, form.cleaned_data))
        if result is not None:
            messages.success(request, done)
            return redirect("revival-household", pk=household.pk)
    return render(
        request,
        "revival/form.html",
        {
            "form": form,
            "heading": heading,
            "household": household,
            "name": household.head.name,
            "unit": household.unit,
        },
    )


@login_required
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_form(
        request,
        pk,
        make_form=lambda h: StatusForm(request.POST or None),
        call=lambda h, data: services.household_status_change(
            acting_user=request.user, household=h, **data
        ),
        heading=_("Change the status"),
        done=_("Status changed."),
    )


@login_required
def pairing_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_form(
        request,
        pk,
        make_form=lambda h: PairingForm(request.POST or None, cadres=_cadres(h)),
        call=lambda h, data: services.pairing_add(acting_user=request.user, household=h, **data),
        heading=_("Pair a cadre with the household"),
        done=_("Cadre paired."),
    )


@login_required
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_form(
        request,
        pk,
        make_form=lambda h: MeasureForm(request.POST or None),
        call=lambda h, data: services.measure_add(acting_user=request.user, household=h, **data),
        heading=_("Record a measure"),
        done=_("Measure recorded."),
    )


@login_required
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_form(
        request,
        pk,
        make_form=lambda h: VisitForm(request.POST or None, cadres=_cadres(h)),
        call=lambda h, data: services.visit_add(acting_user=request.user, household=h, **data),
        heading=_("Record a visit"),
        done=_("Visit recorded."),
    )


@login_required
def income_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_form(
        request,
        pk,
        make_form=lambda h: IncomeForm(
            request.POST or None, initial={"year": timezone.localdate().year - 1}
        ),
        call=lambda h, data: services.income_set(acting_user=request.user, household=h, **data),
        heading=_("Record a year's income"),
        done=_("Income recorded."),
    )


@login_required
@require_POST
def pairing_end(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = Pairing.objects.filter(pk=pk).only("id", "household_id").first()
    if pairing is None:
        raise NotFound
    household = access_household(user=request.user, pk=pairing.household_id, where=request.path)
    if not can_change_household(request.user, household):
        raise NotFound
    run_action(
        request,
        lambda: services.pairing_end(
            acting_user=request.user, pairing=pairing, ended_on=timezone.localdate()
        ),
        _("Pairing ended."),
    )
    return redirect("revival-household", pk=household.pk)
