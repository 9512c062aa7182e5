"""Workbench pages for people. Thin: parse input, check access, call a selector or service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nutag.core.errors import NotFound
from nutag.core.forms import submit_to_service
from nutag.orgs import services as org_services
from nutag.orgs.forms import PositionForm
from nutag.orgs.models import UnitStatus
from nutag.orgs.permissions import Perm, has_unit_perm, units_where
from nutag.orgs.selectors import access_unit
from nutag.people import services
from nutag.people.forms import GuardianForm, PeopleFilterForm, PersonForm
from nutag.people.models import Guardianship
from nutag.people.selectors import access_person, people_of_unit, shown_id_number, shown_phone

PAGE_SIZE = 30


@login_required
def people_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_PEOPLE)
    form = PeopleFilterForm(request.GET or None)
    query, role = "", ""
    if form.is_valid():
        query, role = form.cleaned_data["q"], form.cleaned_data["role"]
    people = people_of_unit(user=request.user, unit=unit, query=query, role=role)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "people/people_list.html",
        {
            "unit": unit,
            "form": form,
            "page": page,
            "params": params.urlencode(),
            "can_change": has_unit_perm(user=request.user, perm=Perm.CHANGE_PEOPLE, unit=unit),
        },
    )


def _editable_units(request: HttpRequest):  # type: ignore[no-untyped-def]
    return (
        units_where(user=request.user, perm=Perm.CHANGE_PEOPLE)
        .filter(status=UnitStatus.ACTIVE)
        .order_by("path")
    )


def _hidden_fields(request: HttpRequest, person) -> dict[str, str]:  # type: ignore[no-untyped-def]
    hidden = {}
    if person.phone and shown_phone(user=request.user, person=person) != person.phone:
        hidden["phone"] = shown_phone(user=request.user, person=person)
    if person.id_number and shown_id_number(user=request.user, person=person) != person.id_number:
        hidden["id_number"] = shown_id_number(user=request.user, person=person)
    return hidden


@login_required
def person_add(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.CHANGE_PEOPLE)
    form = PersonForm(
        request.POST or None, units=_editable_units(request), initial={"unit": unit.code}
    )
    if request.method == "POST" and form.is_valid():
        person = submit_to_service(
            form,
            lambda: services.person_create(
                acting_user=request.user, unit=form.cleaned_data["unit"], data=form.to_input()
            ),
        )
        if person is not None:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect("desk-person", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"unit": unit, "form": form, "heading": _("Add a person")},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(user=request.user, pk=pk)
    services.sensitive_read_log(acting_user=request.user, people=[person], where=request.path)
    positions = person.positions.filter(ended_on__isnull=True).select_related("unit")
    youth = getattr(person, "youth", None)
    guardians = youth.guardianships.select_related("guardian") if youth is not None else []
    wards = person.wards.select_related("young__person")
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "phone": shown_phone(user=request.user, person=person),
            "id_number": shown_id_number(user=request.user, person=person),
            "positions": positions,
            "guardians": guardians,
            "wards": wards,
            "can_change": has_unit_perm(
                user=request.user, perm=Perm.CHANGE_PEOPLE, unit=person.unit
            ),
            "can_positions": units_where(user=request.user, perm=Perm.MANAGE_POSITIONS).exists(),
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(user=request.user, pk=pk, perm=Perm.CHANGE_PEOPLE)
    hidden = _hidden_fields(request, person)
    form = PersonForm(
        request.POST or None,
        units=_editable_units(request),
        hidden_values=hidden,
        partial_dates=PersonForm.partial_dates_of(person),
        initial=PersonForm.initial_for(person, hidden=set(hidden)),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            submit_to_service(
                form,
                lambda: services.person_update(
                    acting_user=request.user,
                    person=person,
                    unit=form.cleaned_data["unit"],
                    data=form.to_input(person),
                ),
            )
            is not None
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("desk-person", pk=person.pk)
    # the form shows the numbers the user may read in full: one audit row per response
    services.sensitive_read_log(acting_user=request.user, people=[person], where=request.path)
    return render(
        request,
        "people/person_form.html",
        {
            "unit": person.unit,
            "form": form,
            "person": person,
            "heading": _("Edit %(name)s") % {"name": person.name},
        },
    )


@login_required
def person_assign_position(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(user=request.user, pk=pk)
    units = (
        units_where(user=request.user, perm=Perm.MANAGE_POSITIONS)
        .filter(status=UnitStatus.ACTIVE)
        .order_by("path")
    )
    if not units.exists():
        raise NotFound
    form = PositionForm(request.POST or None, units=units, initial={"unit": person.unit.code})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if (
            submit_to_service(
                form,
                lambda: org_services.position_assign(
                    acting_user=request.user,
                    unit=d["unit"],
                    person_id=person.pk,
                    title=d["title"],
                    represents=d["represents"],
                    access=d["access"] or None,
                    started_on=d["started_on"],
                ),
            )
            is not None
        ):
            messages.success(request, _("Position assigned."))
            return redirect("desk-unit", code=d["unit"].code)
    return render(
        request,
        "people/person_form.html",
        {
            "unit": person.unit,
            "form": form,
            "person": person,
            "heading": _("Assign a position to %(name)s") % {"name": person.name},
        },
    )


@login_required
def guardian_add(request: HttpRequest, pk: int) -> HttpResponse:
    young = access_person(user=request.user, pk=pk, perm=Perm.CHANGE_PEOPLE)
    if getattr(young, "youth", None) is None:
        raise NotFound
    candidates = (
        people_of_unit(user=request.user, unit=young.unit)
        .exclude(pk=young.pk)
        .exclude(youth__isnull=False)
    )
    form = GuardianForm(request.POST or None, candidates=candidates)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            submit_to_service(
                form,
                lambda: services.guardian_add(
                    acting_user=request.user,
                    young=young,
                    guardian_id=form.cleaned_data["guardian"].pk,
                    relation=form.cleaned_data["relation"],
                ),
            )
            is not None
        )
    ):
        messages.success(request, _("Guardian recorded."))
        return redirect("desk-person", pk=young.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "unit": young.unit,
            "form": form,
            "person": young,
            "heading": _("Add a guardian for %(name)s") % {"name": young.name},
        },
    )


@login_required
@require_POST
def guardian_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    young = access_person(user=request.user, pk=pk, perm=Perm.CHANGE_PEOPLE)
    link = (
        Guardianship.objects.filter(pk=link_pk, young__person=young)
        .select_related("guardian", "young__person")
        .first()
    )
    if link is None:
        raise NotFound
    services.guardian_remove(acting_user=request.user, link=link)
    messages.success(request, _("Guardian removed."))
    return redirect("desk-person", pk=young.pk)
