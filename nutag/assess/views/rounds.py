"""Desk pages for assessment rounds, self-assessment and review (standards are in
``views_standards``).

Thin: fetch through ``access_*`` (404 for missing and for not yours), call a service, render.
A refusal never loses what was typed: the form comes back bound with each message next to
its field; files are never kept across a refused save, and the page says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.assess import autofill
from nutag.assess.forms.rounds import (
    AssessmentForm,
    ReopenForm,
    ReviewForm,
    RoundForm,
)
from nutag.assess.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Evidence,
    RoundStatus,
    StandardKind,
)
from nutag.assess.permissions import (
    can_manage_standards,
    can_review,
    can_self_assess,
    can_view_work,
)
from nutag.assess.selectors import rounds as sel
from nutag.assess.selectors.standards import standards_usable
from nutag.assess.services import assessments as assessment_services
from nutag.assess.services import evidence as evidence_services
from nutag.assess.services import rounds as services
from nutag.assess.views.common import submit_form
from nutag.core.downloads import xlsx_response
from nutag.core.errors import NotFound
from nutag.core.forms import add_service_errors, run_action, submit_to_service
from nutag.core.xlsx import rows_to_xlsx
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit, unit_children

RESULTS_PER_PAGE = 100


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


# --- rounds ---------------------------------------------------------------------------------


@login_required
def rounds_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_WORK)
    can_open = (
        unit.is_active
        and can_manage_standards(request.user, unit)
        and unit_children(unit=unit).exists()
    )
    return render(
        request,
        "assess/rounds/rounds.html",
        {
            "unit": unit,
            "issued": list(sel.rounds_issued(unit=unit)),
            "taking_part": list(sel.rounds_for_unit(unit=unit)),
            "can_open": can_open,
        },
    )


@login_required
def round_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.MANAGE_STANDARDS)
    standards = standards_usable(unit=unit)
    form = RoundForm(request.POST or None, standards=standards)
    round_ = submit_form(
        request,
        form,
        lambda: services.round_open(acting_user=request.user, unit=unit, **form.cleaned_data),
        _("The round is open: every unit below can fill it in now."),
    )
    if round_ is not None:
        return redirect("desk-round", pk=round_.pk)
    return render(
        request,
        "assess/rounds/round_form.html",
        {"unit": unit, "form": form, "has_standards": standards.exists()},
    )


@login_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = sel.access_round(user=request.user, pk=pk)
    status = request.GET.get("status", "")
    results = sel.round_results(round=round_, user=request.user, status=status)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    scope = sel.viewer_scope(user=request.user, round=round_)
    return render(
        request,
        "assess/rounds/round.html",
        {
            "round": round_,
            "unit": round_.unit,
            "progress": [sel.round_progress(round=round_, unit=u) for u in scope],
            "page": page,
            "status": status,
            "statuses": sel.status_choices(),
            "can_finish": round_.status == RoundStatus.OPEN
            and can_manage_standards(request.user, round_.unit),
            # the issuer's pages in the crumbs only for those they open to (a village reads
            # its banner's round, but the banner's workbench is not theirs: "not found")
            "unit_open": can_view_work(request.user, round_.unit),
        },
    )


@login_required
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = sel.access_round(user=request.user, pk=pk)
    results = sel.round_results(
        round=round_, user=request.user, status=request.GET.get("status", "")
    )
    content = rows_to_xlsx(
        headers=sel.RESULT_HEADERS,
        rows=sel.round_results_rows(round=round_, assessments=results),
        title="评定结果",
    )
    return xlsx_response(content, f"评定结果-{round_.year}-{round_.pk}.xlsx")


@login_required
def round_finish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = sel.access_round(user=request.user, pk=pk)
    if not can_manage_standards(request.user, round_.unit):
        raise NotFound
    if request.method == "POST":
        run_action(
            request,
            lambda: services.round_finish(acting_user=request.user, round=round_),
            _("The round is finished: nothing in it can be changed any more."),
        )
        return redirect("desk-round", pk=round_.pk)
    return render(
        request,
        "assess/rounds/round_finish.html",
        {
            "round": round_,
            "unit": round_.unit,
            "progress": sel.round_progress(round=round_, unit=round_.unit),
        },
    )


# --- one assessment -------------------------------------------------------------------------


def _with_known_text(items: list[AssessmentItem], year: int) -> list[AssessmentItem]:
    """Each item's known value explained in the reader's language."""
    for row in items:
        row.known_text = (  # type: ignore[attr-defined]
            autofill.source_note(
                source=row.item.auto_source,
                value=row.auto_value,
                target=row.item.auto_target,
                year=year,
            )
            if row.item.auto_source and row.auto_value is not None
            else ""
        )
    return items


def _assessment_page(
    request: HttpRequest,
    assessment: Assessment,
    form: AssessmentForm | None,
    *,
    version: int,
    files_lost: bool = False,
    evidence_refused: bool = False,
) -> HttpResponse:
    items = _with_known_text(sel.assessment_items(assessment=assessment), assessment.round.year)
    rights = sel.assessment_rights(user=request.user, assessment=assessment)
    if form is not None:  # show the evidence as it is now
        fresh = {i.pk: i for i in items}
        for row in form.items:
            row.shown_evidence = fresh[row.pk].shown_evidence  # type: ignore[attr-defined]
            row.known_text = fresh[row.pk].known_text  # type: ignore[attr-defined]
    return render(
        request,
        "assess/rounds/assessment.html",
        {
            "assessment": assessment,
            "round": assessment.round,
            "unit": assessment.unit,
            "items": items,
            "form": form,
            "rights": rights,
            "version": version,
            "files_lost": files_lost,
            "evidence_refused": evidence_refused,
            "late": assessment.status == AssessmentStatus.DRAFT
            and timezone.localdate() > assessment.round.self_due,
        },
    )


def _add_evidence(request: HttpRequest, assessment: Assessment, form: AssessmentForm) -> bool:
    """Add every photo, file and link the form carries; a refusal shows next to its field.
    Links added are cleared from the form. True when everything was added."""
    ok = True
    done_links: list[str] = []
    for row, field, kind, upload, url, name in form.evidence():
        row.assessment = assessment
        try:
            evidence_services.evidence_add(
                acting_user=request.user, owner=row, kind=kind, upload=upload, url=url, name=name
            )
        except ValidationError as exc:
            ok = False
            for message in exc.messages:
                form.add_error(field, message)
        else:
            if kind == "link":
                done_links.append(field)
    if done_links and isinstance(form.data, QueryDict):
        data = form.data.copy()
        for field in done_links:
            data.pop(field, None)
            data.pop(field.replace("link_", "link_name_", 1), None)
        form.data = data
    return ok


def _remove_evidence(request: HttpRequest, assessment: Assessment, value: str) -> None:
    evidence = (
        Evidence.objects.select_related("assessment_item__item")
        .filter(pk=int(value) if value.isdigit() else 0, assessment_item__assessment=assessment)
        .first()
    )
    if evidence is None:
        raise NotFound
    assert evidence.assessment_item is not None  # noqa: S101 (filtered on it)
    evidence.assessment_item.assessment = assessment
    evidence_services.evidence_remove(acting_user=request.user, evidence=evidence)


@login_required
def assessment_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee's self-assessment: read by everyone who may see it, filled in by the
    committee (one form: scores, notes, evidence; save, refresh known values, submit)."""
    assessment = sel.access_assessment(user=request.user, pk=pk)
    rights = sel.assessment_rights(user=request.user, assessment=assessment)
    items = sel.assessment_items(assessment=assessment)
    if request.method != "POST":
        form = (
            AssessmentForm(
                initial=AssessmentForm.initial_for(assessment.summary, items), items=items
            )
            if rights.fill
            else None
        )
        return _assessment_page(request, assessment, form, version=assessment.version)
    if not can_self_assess(request.user, assessment):
        raise NotFound
    version = _version(request)
    form = AssessmentForm(request.POST, request.FILES, items=items)
    if not form.is_valid():
        return _assessment_page(
            request, assessment, form, version=version, files_lost=form.has_files()
        )
    saved = submit_to_service(
        form,
        lambda: assessment_services.assessment_save(
            acting_user=request.user,
            assessment=assessment,
            summary=form.cleaned_data["summary"],
            items=form.scores(),
            version=version,
        ),
    )
    if saved is None:
        return _assessment_page(
            request, assessment, form, version=version, files_lost=form.has_files()
        )
    if not _add_evidence(request, assessment, form):
        if "submit" in request.POST:
            messages.error(request, _("Your changes are saved, but it was not submitted yet."))
        return _assessment_page(
            request, assessment, form, version=assessment.version, evidence_refused=True
        )
    try:
        if "remove" in request.POST:
            _remove_evidence(request, assessment, request.POST["remove"])
            done = _("Saved, and the evidence is removed.")
        elif "refresh" in request.POST:
            assessment_services.assessment_refresh_known(
                acting_user=request.user, assessment=assessment, version=assessment.version
            )
            done = _("Saved, and the known values are refreshed.")
        elif "submit" in request.POST:
            assessment_services.assessment_submit(
                acting_user=request.user, assessment=assessment, version=assessment.version
            )
            done = _("Submitted for review to the unit above.")
        else:
            done = _("Saved.")
    except ValidationError as exc:
        add_service_errors(form, exc)
        if "submit" in request.POST:
            messages.error(request, _("Your changes are saved, but it was not submitted yet."))
        return _assessment_page(request, assessment, form, version=assessment.version)
    messages.success(request, done)
    return redirect("desk-assessment", pk=assessment.pk)


def _reviewable(request: HttpRequest, pk: int) -> Assessment:
    """The assessment for someone holding ``REVIEW`` above it; 404 for everyone else."""
    assessment = sel.access_assessment(user=request.user, pk=pk)
    if not can_review(request.user, assessment):
        raise NotFound
    return assessment


def _reviewer_page(
    request: HttpRequest,
    template: str,
    assessment: Assessment,
    form: ReviewForm | ReopenForm,
    version: int,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "assessment": assessment,
            "round": assessment.round,
            "unit": assessment.unit,
            "form": form,
            "version": version,
        },
    )


@login_required
def assessment_review(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _reviewable(request, pk)
    rights = sel.assessment_rights(user=request.user, assessment=assessment)
    items = _with_known_text(sel.assessment_items(assessment=assessment), assessment.round.year)
    version = assessment.version
    if request.method == "POST":
        version = _version(request)
        form = ReviewForm(request.POST, items=items)
        reviewed = submit_form(
            request,
            form,
            lambda: assessment_services.assessment_review(
                acting_user=request.user,
                assessment=assessment,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                decision=request.POST.get("decision", ""),
                version=version,
            ),
            lambda reviewed: (
                _("Accepted: the result is final.")
                if reviewed.status == AssessmentStatus.ACCEPTED
                else _("Returned to the committee with your comments.")
            ),
        )
        if reviewed is not None:
            return redirect("desk-assessment", pk=assessment.pk)
    elif not rights.review:
        messages.error(request, _("Only a submitted self-assessment can be reviewed."))
        return redirect("desk-assessment", pk=assessment.pk)
    else:
        form = ReviewForm(
            initial=ReviewForm.initial_for(assessment.review_comment, items), items=items
        )
    for row in form.items:
        row.known_text = next(  # type: ignore[attr-defined]
            i.known_text  # type: ignore[attr-defined]
            for i in items
            if i.pk == row.pk
        )
    return _reviewer_page(request, "assess/rounds/review.html", assessment, form, version)


@login_required
def assessment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _reviewable(request, pk)
    form = ReopenForm(request.POST or None)
    version = _version(request) if request.method == "POST" else assessment.version
    done = submit_form(
        request,
        form,
        lambda: assessment_services.assessment_reopen(
            acting_user=request.user, assessment=assessment, version=version, **form.cleaned_data
        ),
        _("Reopened: it is back with the committee."),
    )
    if done is not None:
        return redirect("desk-assessment", pk=assessment.pk)
    return _reviewer_page(request, "assess/rounds/reopen.html", assessment, form, version)


@login_required
def history_page(request: HttpRequest, code: str) -> HttpResponse:
    unit: Unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_WORK)
    return render(
        request,
        "assess/rounds/history.html",
        {"unit": unit, "rows": sel.assessment_history(unit=unit), "kinds": StandardKind},
    )
