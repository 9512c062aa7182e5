"""Workbench pages for tasks deployed down the tree (四统一): a unit's tasks, issuing, the
task board with its export, a unit's report (text, figures, evidence), inspection and
commendation.

Thin: fetch through ``access_*`` (404 for missing and for not yours), call a service or a
selector, render. A refusal never loses what was typed: the form comes back bound with the
message next to the field; chosen files cannot survive a round trip, and the page says so.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nutag.assess.forms.tasks import (
    CommendForm,
    InspectForm,
    ReportForm,
    TaskEditForm,
    TaskIssueForm,
)
from nutag.assess.models import (
    Evidence,
    EvidenceKind,
    ReportStatus,
    Task,
    TaskReport,
    TaskStatus,
)
from nutag.assess.permissions import (
    can_commend,
    can_issue_tasks,
    can_manage_task,
    can_report,
    can_view_work,
)
from nutag.assess.selectors.tasks import (
    access_report,
    access_task,
    can_see_all_reports,
    report_evidence,
    report_rows,
    reports_visible,
    task_board,
    tasks_issued,
    tasks_received,
)
from nutag.assess.services.evidence import evidence_add, evidence_remove
from nutag.assess.services.reports import report_inspect, report_save, report_submit
from nutag.assess.services.tasks import (
    local_today,
    local_zone,
    task_close,
    task_commend,
    task_issue,
    task_update,
    units_below,
)
from nutag.assess.views.common import submit_form
from nutag.core.downloads import xlsx_response
from nutag.core.errors import NotFound
from nutag.core.forms import add_service_errors, run_action, submit_to_service
from nutag.core.xlsx import rows_to_xlsx
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit


def _task(request: HttpRequest, pk: int) -> Task:
    return access_task(user=request.user, pk=pk)


def _report(request: HttpRequest, pk: int) -> TaskReport:
    return access_report(user=request.user, pk=pk)


# --- a unit's tasks -------------------------------------------------------------------------


@login_required
def task_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_WORK)
    can_issue = (
        unit.is_active
        and can_issue_tasks(request.user, unit)
        and units_below(unit=unit, scope="subtree").exists()
    )
    today = local_today()
    labels = dict(ReportStatus.choices)
    issued = list(tasks_issued(unit=unit))
    for t in issued:
        t.lagging = t.status == TaskStatus.OPEN and today > t.due_on and t.n_pending > 0  # type: ignore[attr-defined]
    received = list(tasks_received(unit=unit))
    for t in received:
        status = t.report_status  # type: ignore[attr-defined]
        t.report_status_label = labels.get(status, status)  # type: ignore[attr-defined]
        t.lagging = (  # type: ignore[attr-defined]
            t.status == TaskStatus.OPEN and today > t.due_on and status == ReportStatus.PENDING
        )
    return render(
        request,
        "assess/tasks/list.html",
        {"unit": unit, "issued": issued, "received": received, "can_issue": can_issue},
    )


@login_required
def task_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.ISSUE_TASKS)
    if not unit.is_active:
        raise NotFound
    form = TaskIssueForm(request.POST or None, targets=units_below(unit=unit, scope="subtree"))
    task = submit_form(
        request,
        form,
        lambda: task_issue(acting_user=request.user, unit=unit, **form.to_kwargs()),
        lambda task: _("Issued to %(count)d units.") % {"count": task.reports.count()},
        TaskIssueForm.FIELD_MAP,
    )
    if task is not None:
        return redirect("desk-task", pk=task.pk)
    return render(request, "assess/tasks/issue.html", {"unit": unit, "form": form})


# --- one task -------------------------------------------------------------------------------


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    reports = reports_visible(user=request.user, task=task)
    issuer_side = can_see_all_reports(user=request.user, task=task)
    accepted_left = (
        issuer_side and reports.filter(status=ReportStatus.ACCEPTED, commended=False).exists()
    )
    return render(
        request,
        "assess/tasks/board.html",
        {
            "task": task,
            "unit": task.unit,
            # the issuer's pages in the crumbs only for those they open to (a village reads
            # its township's task, but the township's workbench is not theirs)
            "unit_open": can_view_work(request.user, task.unit),
            "issuer_side": issuer_side,
            "board": task_board(task=task, reports=reports),
            "my_reports": [] if issuer_side else list(reports),
            "table": report_rows(task=task, reports=reports) if issuer_side else None,
            "figures": list(task.figures.order_by("position", "id")),
            "can": {
                "change": task.status == TaskStatus.OPEN and can_manage_task(request.user, task),
                "commend": accepted_left
                and task.commendation_id is None
                and can_commend(request.user, task),
            },
        },
    )


def _issuer_task(request: HttpRequest, pk: int) -> Task:
    task = _task(request, pk)
    if not can_manage_task(request.user, task):
        raise NotFound
    return task


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _issuer_task(request, pk)
    form = TaskEditForm(request.POST or None, initial=TaskEditForm.initial_for(task))
    saved = submit_form(
        request,
        form,
        lambda: task_update(acting_user=request.user, task=task, **form.cleaned_data),
        _("Task saved."),
    )
    if saved is not None:
        return redirect("desk-task", pk=task.pk)
    return render(
        request, "assess/tasks/edit.html", {"task": task, "unit": task.unit, "form": form}
    )


@login_required
@require_POST
def task_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _issuer_task(request, pk)
    run_action(
        request,
        lambda: task_close(acting_user=request.user, task=task),
        _("Task closed: units can no longer report."),
    )
    return redirect("desk-task", pk=task.pk)


# Spreadsheets speak Chinese whatever the UI language (the offices' own files do).
EXPORT_HEADERS = ["单位", "单位代码", "状态", "上报时间", "逾期上报"]
EXPORT_TAIL = ["情况说明", "验收意见", "受表彰"]
EXPORT_STATUS: dict[str, str] = {
    ReportStatus.PENDING: "未报送",
    ReportStatus.SUBMITTED: "待验收",
    ReportStatus.RETURNED: "已退回",
    ReportStatus.ACCEPTED: "已验收",
}


@login_required
def task_export(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    table = report_rows(task=task, reports=reports_visible(user=request.user, task=task))
    headers = [
        *EXPORT_HEADERS,
        *(f"{f.label}（{f.measure}）" if f.measure else f.label for f in table.figures),
        *EXPORT_TAIL,
    ]
    rows: list[list[Any]] = [
        [
            row.unit.name,
            row.unit.code,
            EXPORT_STATUS.get(row.status, row.status),
            row.submitted_at.astimezone(local_zone()) if row.submitted_at else None,
            "是" if row.late else "否",
            *row.values,
            row.report.text,
            row.report.review_comment,
            "是" if row.report.commended else "",
        ]
        for row in table.rows
    ]
    pad = [""] * (len(EXPORT_HEADERS) - 1)
    rows.append(["合计（已上报）", *pad, *table.totals_reported])
    rows.append(["合计（已验收）", *pad, *table.totals_accepted])
    content = rows_to_xlsx(headers=headers, rows=rows, title=task.title)
    return xlsx_response(content, f"{task.title}-{local_today().isoformat()}.xlsx")


@login_required
def task_commend_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not can_commend(request.user, task):
        raise NotFound
    if task.commendation_id is not None:
        messages.error(request, _("The commendation of this task is already published."))
        return redirect("desk-task", pk=task.pk)
    accepted = list(
        task.reports.filter(status=ReportStatus.ACCEPTED)
        .select_related("unit")
        .order_by("unit__path")
    )
    form = CommendForm(
        request.POST or None,
        accepted=accepted,
        initial={"title": _("Commendation: %(task)s") % {"task": task.title}},
    )
    article = submit_form(
        request,
        form,
        lambda: task_commend(acting_user=request.user, task=task, **form.cleaned_data),
        _("Published on this unit's site and shown on the commended units' sites."),
    )
    if article is not None:
        return redirect("desk-task", pk=task.pk)
    return render(
        request,
        "assess/tasks/commend.html",
        {"task": task, "unit": task.unit, "form": form, "accepted": accepted},
    )


# --- one report -----------------------------------------------------------------------------


def _report_rights(request: HttpRequest, report: TaskReport) -> dict[str, bool]:
    task = report.task
    open_task = task.status == TaskStatus.OPEN
    return {
        "edit": open_task
        and report.status in (ReportStatus.PENDING, ReportStatus.RETURNED)
        and can_report(request.user, report),
        "inspect": report.status == ReportStatus.SUBMITTED and can_manage_task(request.user, task),
        "see_task": can_see_all_reports(user=request.user, task=task)
        or can_view_work(request.user, report.unit),
    }


def _report_page(
    request: HttpRequest,
    report: TaskReport,
    *,
    form: ReportForm | None = None,
    inspect_form: InspectForm | None = None,
    files_lost: bool = False,
) -> HttpResponse:
    task = report.task
    figures = list(task.figures.order_by("position", "id"))
    can = _report_rights(request, report)
    if form is None and can["edit"]:
        form = ReportForm(figures=figures, initial=ReportForm.initial_for(report))
    if inspect_form is None and can["inspect"]:
        inspect_form = InspectForm(initial={"version": report.version})
    stored = report.figures or {}
    return render(
        request,
        "assess/tasks/report.html",
        {
            "report": report,
            "task": task,
            "unit": report.unit,
            "figures": [(f, stored.get(str(f.pk))) for f in figures],
            "evidence": list(report_evidence(report=report)),
            "form": form if can["edit"] else None,
            "inspect_form": inspect_form if can["inspect"] else None,
            "can": can,
            "files_lost": files_lost,
            "overdue": local_today() > task.due_on,
        },
    )


def _save_report(
    request: HttpRequest, report: TaskReport, form: ReportForm, data: QueryDict
) -> bool:
    """Save text and figures, then each file, then submit if asked. ``True`` when everything
    went through (the caller redirects); else the form carries the messages."""
    saved = submit_to_service(
        form,
        lambda: report_save(
            acting_user=request.user,
            report=report,
            text=form.cleaned_data["text"],
            figures=form.figure_values(),
            version=form.cleaned_data["version"],
        ),
    )
    if saved is None:
        return False
    data["version"] = str(report.version)  # the page now shows the saved version
    refused = False
    for kind, field, upload in form.uploads():
        try:
            evidence_add(acting_user=request.user, owner=report, kind=kind, upload=upload)
        except ValidationError as exc:
            refused = True
            for message in exc.messages:
                form.add_error(field, message)
    link = form.cleaned_data.get("link") or ""
    if link:
        try:
            evidence_add(
                acting_user=request.user,
                owner=report,
                kind=EvidenceKind.LINK,
                url=link,
                name=form.cleaned_data.get("link_name") or "",
            )
        except ValidationError as exc:
            refused = True
            add_service_errors(form, exc, {"url": "link", "name": "link_name"})
        else:
            data["link"] = data["link_name"] = ""
    if refused:
        messages.error(
            request,
            _(
                "The text and figures are saved; the files or link marked below were not "
                "added. Correct them and save again."
            ),
        )
        return False
    if "and_submit" in request.POST:
        try:
            report_submit(acting_user=request.user, report=report, version=report.version)
        except ValidationError as exc:
            add_service_errors(form, exc)
            messages.error(request, _("Your report is saved as a draft; it was not sent."))
            return False
        messages.success(request, _("Report sent for inspection."))
        return True
    messages.success(request, _("Saved as a draft."))
    return True


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if request.method != "POST":
        return _report_page(request, report)
    if not can_report(request.user, report):
        raise NotFound
    can = _report_rights(request, report)
    if not can["edit"]:
        messages.error(request, _("This report can no longer be changed."))
        return redirect("desk-report", pk=report.pk)
    figures = list(report.task.figures.order_by("position", "id"))
    data = request.POST.copy()  # the saved version goes back into it
    form = ReportForm(data, request.FILES, figures=figures)
    if form.is_valid() and _save_report(request, report, form, data):
        return redirect("desk-report", pk=report.pk)
    return _report_page(request, report, form=form, files_lost=form.has_files())


@login_required
@require_POST
def report_inspect_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not can_manage_task(request.user, report.task):
        raise NotFound
    form = InspectForm(request.POST)
    if form.is_valid():
        done = submit_form(
            request,
            form,
            lambda: report_inspect(acting_user=request.user, report=report, **form.cleaned_data),
            (
                _("Accepted.")
                if form.cleaned_data["decision"] == "accept"
                else _("Returned to the unit.")
            ),
        )
        if done is not None:
            return redirect("desk-task", pk=report.task_id)
        report = _report(request, pk)  # show what the other inspector did
        if report.status != ReportStatus.SUBMITTED:  # no form to show the message next to
            for message in form.non_field_errors():
                messages.error(request, str(message))
    return _report_page(request, report, inspect_form=form)


@login_required
@require_POST
def evidence_remove_view(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    report = _report(request, pk)
    evidence = Evidence.objects.filter(pk=evidence_pk, report=report).first()
    if evidence is None:
        raise NotFound
    run_action(
        request, lambda: evidence_remove(acting_user=request.user, evidence=evidence), _("Removed.")
    )
    return redirect("desk-report", pk=report.pk)
