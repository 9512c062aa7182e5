"""Roster import and export pages. Thin: parse input, check access, call the services."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nutag.core.downloads import xlsx_response
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.people.exporting import import_problems_xlsx, import_template_xlsx, people_export
from nutag.people.forms import PeopleFilterForm
from nutag.people.forms.importing import ImportUploadForm
from nutag.people.importing import (
    access_import_batch,
    batch_report,
    import_batches_of_unit,
    import_confirm,
    import_parse,
    problems_of_rows,
)
from nutag.people.models import ImportStatus


@login_required
def people_import(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.CHANGE_PEOPLE)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_parse(
                acting_user=request.user, unit=unit, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            return redirect("people-import-batch", pk=batch.pk)
    return render(
        request,
        "people/import_upload.html",
        {
            "unit": unit,
            "form": form,
            "batches": import_batches_of_unit(user=request.user, unit=unit),
        },
    )


@login_required
def people_import_template(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.CHANGE_PEOPLE)
    return xlsx_response(import_template_xlsx(unit=unit), f"人员导入模板-{unit.code}.xlsx")


@login_required
def people_import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access_import_batch(user=request.user, pk=pk)
    context = {"batch": batch, "unit": batch.unit, "report": batch_report(batch=batch)}
    if batch.status == ImportStatus.READING:
        template = "people/import_reading.html"
    elif batch.status == ImportStatus.PREVIEW:
        template = "people/import_preview.html"
    elif batch.status == ImportStatus.RUNNING:
        template = "people/import_progress.html"
    else:
        template = "people/import_result.html"
    return render(request, template, context)


@login_required
@require_POST
def people_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access_import_batch(user=request.user, pk=pk)
    # The extra columns to keep are the ticked ones; the form says it lists them.
    keep = request.POST.getlist("keep") if "extra_columns_listed" in request.POST else None
    try:
        import_confirm(acting_user=request.user, batch=batch, keep_columns=keep)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("people-import-batch", pk=batch.pk)


@login_required
def people_import_problems(request: HttpRequest, pk: int) -> HttpResponse:
    """The imported file with a 问题 column on its refused rows."""
    batch = access_import_batch(user=request.user, pk=pk)
    content = import_problems_xlsx(batch=batch, problems=problems_of_rows(batch=batch))
    stem = os.path.splitext(batch.file_name)[0] or "roster"
    return xlsx_response(content, f"{stem}-问题.xlsx")


@login_required
def people_export_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_PEOPLE)
    form = PeopleFilterForm(request.GET or None)
    query, role = "", ""
    if form.is_valid():
        query, role = form.cleaned_data["q"], form.cleaned_data["role"]
    content = people_export(acting_user=request.user, unit=unit, query=query, role=role)
    return xlsx_response(content, f"人员名单-{unit.code}.xlsx")
