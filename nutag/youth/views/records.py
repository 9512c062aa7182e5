"""Workbench pages of youth care: parse, check access (``access_record`` audits every
opening), call a service, render. Names are masked in lists; numbers on the record page
until the reader asks to see them (an audited opening of its own)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nutag.core.errors import NotFound
from nutag.core.forms import submit_to_service
from nutag.core.masking import mask_name, mask_phone
from nutag.core.xlsx import rows_to_xlsx
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.people.models import Person, YoungPerson
from nutag.people.services import sensitive_read_log
from nutag.youth import audit, services
from nutag.youth.forms import (
    GoodDeedForm,
    NeedForm,
    PairForm,
    RecordForm,
    ResolveForm,
    VisitForm,
)
from nutag.youth.models import GoodDeed, Need, Pairing
from nutag.youth.permissions import (
    can_add_record,
    can_change_record,
    can_export_records,
    can_log_deeds,
    can_manage_activities,
    can_set_youth_rules,
    can_write_visit,
)
from nutag.youth.selectors import access_record, pairs_of_user, record_details, records_of_unit


@login_required
def record_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_YOUTH)
    records = list(records_of_unit(user=request.user, unit=unit)[:500])
    rows = [
        {"record": r, "name": mask_name(r.young.person.name), "age": r.young.person.age}
        for r in records
    ]
    waiting = []
    if can_add_record(request.user, unit):
        waiting = list(
            YoungPerson.objects.filter(subtree_q(unit.path, "unit_path"), record__isnull=True)
            .select_related("person")
            .order_by("person__name_pinyin")[:100]
        )
    sensitive_read_log(
        acting_user=request.user,
        people=[r.young.person for r in records] + [y.person for y in waiting],
        where=request.path,
        unit=unit,
    )
    return render(
        request,
        "youth/record_list.html",
        {
            "unit": unit,
            "rows": rows,
            "waiting": [(y, mask_name(y.person.name)) for y in waiting],
            "can_export": can_export_records(request.user, unit),
            "can_activities": can_manage_activities(request.user, unit),
            "can_rules": can_set_youth_rules(request.user, unit),
        },
    )


@login_required
def record_export(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.EXPORT_YOUTH)
    records = list(records_of_unit(user=request.user, unit=unit))
    audit.audit_read(
        actor=request.user, obj=unit, unit=unit, purpose=audit.EXPORT, shown=len(records)
    )
    data = rows_to_xlsx(
        headers=[
            _("Name"),
            _("Unit"),
            _("Birth date"),
            _("School"),
            _("Class"),
            _("Circumstances"),
        ],
        rows=(
            [
                r.young.person.name,
                r.unit.name,
                r.young.person.birth_date,
                r.young.school,
                r.school_class,
                "、".join(c.name for c in r.circumstances.all()),
            ]
            for r in records
        ),
        title=_("Young people"),
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="youth-{unit.code}.xlsx"'
    return response


@login_required
def record_new(request: HttpRequest, person_pk: int) -> HttpResponse:
    young = get_object_or_404(
        YoungPerson.objects.select_related("person", "unit"), person_id=person_pk
    )
    if not can_add_record(request.user, young.unit):
        raise NotFound
    form = RecordForm(request.POST or None, initial={})
    if request.method == "POST" and form.is_valid():
        record = submit_to_service(
            form,
            lambda: services.record_create(
                acting_user=request.user, young=young, **form.cleaned_data
            ),
        )
        if record is not None:
            messages.success(request, _("Record opened."))
            return redirect("youth-record", pk=record.pk)
    return render(
        request,
        "youth/form.html",
        {
            "form": form,
            "heading": _("Open a record"),
            "name": mask_name(young.person.name),
            "unit": young.unit,
        },
    )


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    show = request.GET.get("show") == "numbers"
    record = access_record(user=request.user, pk=pk, purpose=audit.UNMASK if show else audit.OPEN)
    details = record_details(record=record)
    guardians = [
        {
            "name": g.guardian.name,
            "relation": g.relation,
            "phone": g.guardian.phone if show else mask_phone(g.guardian.phone),
        }
        for g in details["guardians"]  # type: ignore[attr-defined]
    ]
    person = record.young.person
    return render(
        request,
        "youth/record_detail.html",
        {
            "record": record,
            "person": person,
            "birth": person.birth if show else None,
            "guardians": guardians,
            "pairs": details["pairs"],
            "needs": details["needs"],
            "circumstances": details["circumstances"],
            "show": show,
            "can_change": can_change_record(request.user, record),
            "can_write": can_write_visit(request.user, record),
        },
    )


@login_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_record(user=request.user, pk=pk)
    if not can_change_record(request.user, record):
        raise NotFound
    form = RecordForm(
        request.POST or None,
        initial={
            "school_class": record.school_class,
            "circumstances": list(record.circumstances.all()),
            "notes": record.notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form,
            lambda: services.record_update(
                acting_user=request.user, record=record, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("youth-record", pk=record.pk)
    return render(
        request,
        "youth/form.html",
        {"form": form, "heading": _("Edit the record"), "record": record, "unit": record.unit},
    )


def _elder_candidates(record_path: str) -> Q:
    township = record_path[:8]
    return Q(care__isnull=False) & (
        subtree_q(township, "unit_path") | Q(unit_path__in=[record_path[:4], township])
    )


@login_required
def pair_new(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_record(user=request.user, pk=pk)
    if not can_change_record(request.user, record):
        raise NotFound
    candidates = Person.objects.filter(_elder_candidates(record.unit_path)).order_by("name_pinyin")
    form = PairForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form,
            lambda: services.pairing_create(
                acting_user=request.user,
                record=record,
                elders=form.cleaned_data["elders"],
                started_on=form.cleaned_data["started_on"],
            ),
        )
        if done is not None:
            messages.success(request, _("Pair recorded."))
            return redirect("youth-record", pk=record.pk)
    return render(
        request,
        "youth/form.html",
        {
            "form": form,
            "heading": _("Pair elders with this young person"),
            "record": record,
            "unit": record.unit,
        },
    )


@login_required
@require_POST
def pair_end(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_object_or_404(Pairing, pk=pk)
    record = access_record(user=request.user, pk=pairing.record_id)
    if not can_change_record(request.user, record):
        raise NotFound
    services.pairing_end(acting_user=request.user, pairing=pairing)
    messages.success(request, _("Pair ended."))
    return redirect("youth-record", pk=record.pk)


@login_required
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_object_or_404(Pairing, pk=pk, ended_on__isnull=True)
    record = access_record(user=request.user, pk=pairing.record_id)
    if not can_write_visit(request.user, record):
        raise NotFound
    pairing.record = record
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)

        def write() -> object:
            with transaction.atomic():  # the visit and its photo, or neither
                visit = services.visit_create(
                    acting_user=request.user,
                    pairing=pairing,
                    visited_on=data.pop("visited_on"),
                    kind=data.pop("kind"),
                    **data,
                )
                if photo:
                    services.visit_photo_add(acting_user=request.user, visit=visit, upload=photo)
            return visit

        done = submit_to_service(form, write)
        if done is not None:
            messages.success(request, _("Visit recorded."))
            return redirect("youth-record", pk=record.pk)
    return render(
        request,
        "youth/form.html",
        {"form": form, "heading": _("Record a visit"), "record": record, "unit": record.unit},
    )


@login_required
def need_new(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_record(user=request.user, pk=pk)
    if not can_write_visit(request.user, record):
        raise NotFound
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form,
            lambda: services.need_create(
                acting_user=request.user, record=record, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("Need recorded."))
            return redirect("youth-record", pk=record.pk)
    return render(
        request,
        "youth/form.html",
        {"form": form, "heading": _("Add a need"), "record": record, "unit": record.unit},
    )


@login_required
def need_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need, pk=pk)
    record = access_record(user=request.user, pk=need.record_id)
    if not can_write_visit(request.user, record):
        raise NotFound
    need.record = record
    form = ResolveForm(request.POST or None, initial={"resource": need.resource})
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form,
            lambda: services.need_resolve(
                acting_user=request.user, need=need, resource=form.cleaned_data["resource"]
            ),
        )
        if done is not None:
            messages.success(request, _("Need resolved."))
            return redirect("youth-record", pk=record.pk)
    return render(
        request,
        "youth/form.html",
        {
            "form": form,
            "heading": _("Resolve a need"),
            "record": record,
            "unit": record.unit,
            "need": need,
        },
    )


@login_required
def my_pairs(request: HttpRequest) -> HttpResponse:
    """The elder's own young people: the shortest way to write a visit from a phone."""
    pairs = [
        {"pairing": p, "name": p.record.young.person.name} for p in pairs_of_user(user=request.user)
    ]
    return render(request, "youth/my_pairs.html", {"pairs": pairs})


@login_required
def deed_list(request: HttpRequest, code: str) -> HttpResponse:
    """The good-deeds log of the unit and the units below it, newest first."""
    unit = access_unit(user=request.user, code=code, perm=Perm.REPORT_TASKS)
    deeds = (
        GoodDeed.objects.filter(subtree_q(unit.path, "unit_path"))
        .select_related("unit")
        .prefetch_related("elders")[:200]
    )
    return render(
        request,
        "youth/deed_list.html",
        {"unit": unit, "deeds": deeds, "can_log": can_log_deeds(request.user, unit)},
    )


@login_required
def deed_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.REPORT_TASKS)
    candidates = Person.objects.filter(
        subtree_q(unit.path, "unit_path"), care__isnull=False
    ).order_by("name_pinyin")[:300]
    form = GoodDeedForm(
        request.POST or None,
        candidates=Person.objects.filter(pk__in=[p.pk for p in candidates]).order_by("name_pinyin"),
    )
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form,
            lambda: services.good_deed_create(
                acting_user=request.user, unit=unit, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("Good deed recorded."))
            return redirect("youth-deeds", code=unit.code)
    return render(
        request,
        "youth/form.html",
        {"form": form, "heading": _("Record a good deed"), "unit": unit, "name": ""},
    )
