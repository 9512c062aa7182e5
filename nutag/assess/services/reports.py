"""The units' reports on a task (四统一: inspection and acceptance): save, submit, inspect.
Issuing, changing, closing and commending tasks are in ``services.tasks``.

Workflow of a report (``ReportStatus``)::

    pending ──save──▶ pending ──submit──▶ submitted ──accept──▶ accepted ──commend──▶ commended
       ▲                                      │return(comment)
       └──────── save, submit ─── returned ◀──┘

- saving and submitting a report: ``Perm.REPORT_TASKS`` at the report's unit;
- inspecting: ``Perm.ISSUE_TASKS`` at the *issuer*, which is strictly above the report's
  unit (officers and secretaries).

Every change of a report is a compare-and-set on ``TaskReport.version``: the caller passes the
version it showed the user, and the row is changed only if it still has that version (and a
status the change is allowed from). Two inspectors accepting at once end with one acceptance;
the other is told that someone changed the report meanwhile. Every change writes an audit row.

Deadlines (``services.tasks.deadline_of``): a first submission after the end of ``due_on`` is
refused (the draft is kept) unless the task accepts late reports; then it is stored with
``late=True``. A report the inspector returned may be sent again after the due date: it was
submitted once already, and keeps the ``late`` mark of its first submission.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.assess import notices
from nutag.assess.models import (
    Evidence,
    ReportStatus,
    Task,
    TaskFigure,
    TaskReport,
    TaskStatus,
)
from nutag.assess.permissions import can_manage_task, can_report
from nutag.assess.services._common import actor, require
from nutag.assess.services.tasks import (
    MAX_TEXT,
    audit_report,
    clean_lines,
    is_overdue,
    report_changed_meanwhile,
)
from nutag.assess.tallies import report_changing
from nutag.core.actors import Actor
from nutag.core.errors import NotFound

Decision = Literal["accept", "return"]

MAX_FIGURE_VALUE = 999_999_999
MAX_COMMENT = 1000
REPORT_EDITABLE = (ReportStatus.PENDING, ReportStatus.RETURNED)


# --- checks ---------------------------------------------------------------------------------


def _require_open(task: Task) -> None:
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is closed: reports can no longer be changed."))


def _figure_value(raw: Any) -> int | None:
    """``None`` for blank; an int ≥ 0; else ``ValueError`` with the message to show."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(_("Give a whole number, such as 12."))
    if isinstance(raw, int):
        value = raw
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "")
        if not text:
            return None
        if text.lstrip("+-").isdigit() and text.isascii():
            value = int(text)
        else:
            raise ValueError(_("Give a whole number, such as 12."))
    if value < 0:
        raise ValueError(_("A figure cannot be negative."))
    if value > MAX_FIGURE_VALUE:
        raise ValueError(_("This number is too large; check it."))
    return value


def _clean_figures(task: Task, figures: Mapping[Any, Any]) -> dict[str, int]:
    known = {str(f.pk): f for f in task.figures.all()}
    cleaned: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for key, raw in figures.items():
        pk = str(key.pk if isinstance(key, TaskFigure) else key).removeprefix("figure_")
        if pk not in known:
            errors.setdefault("figures", []).append(
                _("This task does not ask for that figure; reload the page.")
            )
            continue
        try:
            value = _figure_value(raw)
        except ValueError as exc:
            errors[f"figure_{pk}"] = [str(exc)]
            continue
        if value is not None:
            cleaned[pk] = value
    if errors:
        raise ValidationError(errors)
    return {pk: cleaned[pk] for pk in known if pk in cleaned}


def _cas(report: TaskReport, version: Any, statuses: Iterable[str], **values: Any) -> TaskReport:
    """Change ``report`` only if it still has ``version`` and one of ``statuses``."""
    try:
        expected = int(version)
    except (TypeError, ValueError) as exc:
        raise report_changed_meanwhile() from exc
    values.setdefault("updated_at", timezone.now())
    rows = TaskReport.objects.filter(pk=report.pk, version=expected, status__in=list(statuses))
    # A new status or lateness: the task's subtree tally follows.
    counted = report_changing(report) if {"status", "late"} & set(values) else None
    with counted or nullcontext():
        changed = rows.update(version=expected + 1, **values)
    if changed != 1:
        raise report_changed_meanwhile()
    for name, value in values.items():
        setattr(report, name, value)
    report.version = expected + 1
    return report


def _copy(source: TaskReport, target: TaskReport, *fields: str) -> None:
    """Show the caller's instance what the service stored."""
    if target is not source:
        for name in fields:
            setattr(target, name, getattr(source, name))


def _fresh_report(report: TaskReport) -> TaskReport:
    try:
        return TaskReport.objects.select_related("task", "task__unit", "unit").get(pk=report.pk)
    except TaskReport.DoesNotExist as exc:
        raise NotFound from exc


# --- reports --------------------------------------------------------------------------------


@transaction.atomic
def report_save(
    *,
    acting_user: Actor,
    report: TaskReport,
    text: str,
    figures: Mapping[Any, Any],
    version: int,
) -> TaskReport:
    """Save the report's text and figures as a draft (pending or returned reports only).
    ``figures`` maps a ``TaskFigure`` (or its pk, or ``"figure_<pk>"``) to a whole number ≥ 0
    (a blank value leaves the figure unanswered). Refusals are keyed per figure
    (``figure_<pk>``) and nothing is stored."""
    require(acting_user, can_report, report)
    current = _fresh_report(report)
    _require_open(current.task)
    if current.status not in REPORT_EDITABLE:
        raise ValidationError(_("This report has been submitted; it can no longer be changed."))
    errors: dict[str, list[str]] = {}
    try:
        clean = clean_lines(text, max_length=MAX_TEXT, field="text")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        clean = ""
    try:
        values = _clean_figures(current.task, figures)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        values = {}
    if errors:
        raise ValidationError(errors)
    before = {"text": current.text, "figures": dict(current.figures or {})}
    current.text, current.figures = clean, values
    current.full_clean(
        exclude=["task", "unit", "submitted_by", "reviewed_by"], validate_constraints=False
    )
    _cas(current, version, REPORT_EDITABLE, text=clean, figures=values)
    changes: dict[str, Any] = {}
    if before["text"] != clean:
        changes["text"] = [len(before["text"]), len(clean)]  # lengths: the text is in the row
    if before["figures"] != values:
        changes["figures"] = [before["figures"], values]
    if changes:
        audit_report(acting_user, current, changes=changes)
    _copy(current, report, "text", "figures", "version")
    return current


@transaction.atomic
def report_submit(*, acting_user: Actor, report: TaskReport, version: int) -> TaskReport:
    """Send the report to the issuer for inspection. It needs every figure asked for and a
    written account or some evidence. After the due date it is refused (the draft is kept)
    unless the task accepts late reports; then it is marked late."""
    require(acting_user, can_report, report)
    current = _fresh_report(report)
    task = current.task
    _require_open(task)
    if current.status not in REPORT_EDITABLE:
        raise ValidationError(_("This report has already been submitted."))
    errors: dict[str, list[str]] = {}
    for figure in task.figures.all():
        if str(figure.pk) not in (current.figures or {}):
            errors[f"figure_{figure.pk}"] = [_("Fill in this figure (0 if there is none).")]
    if not current.text and not Evidence.objects.filter(report=current).exists():
        errors["text"] = [_("Say what was done, or add a photo or a file, before submitting.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    late = current.late
    first_time = current.submitted_at is None
    if first_time and is_overdue(task, now=now):
        if not task.accepts_late:
            raise ValidationError(
                _(
                    "The deadline (%(date)s) has passed and this task does not accept late "
                    "reports, so the report was not sent. Your draft is kept: ask %(issuer)s "
                    "to accept late reports or to extend the deadline."
                )
                % {"date": task.due_on.isoformat(), "issuer": task.unit.name},
                code="deadline",
            )
        late = True
    before = current.status
    _cas(
        current,
        version,
        REPORT_EDITABLE,
        status=ReportStatus.SUBMITTED,
        submitted_at=now,
        submitted_by=actor(acting_user),
        late=late,
    )
    audit_report(
        acting_user,
        current,
        changes={
            "status": [before, ReportStatus.SUBMITTED],
            **({"late": [False, True]} if late and first_time else {}),
        },
    )
    _copy(current, report, "status", "submitted_at", "submitted_by", "late", "version")
    return current


@transaction.atomic
def report_inspect(
    *,
    acting_user: Actor,
    report: TaskReport,
    decision: Decision,
    comment: str = "",
    version: int,
) -> TaskReport:
    """Accept a submitted report, or return it for changes (a comment says what to change).
    Needs ``ISSUE_TASKS`` at the issuing unit, which lies strictly above the report's unit."""
    current = _fresh_report(report)
    task = current.task
    require(acting_user, can_manage_task, task)
    if not current.unit.path.startswith(task.unit.path) or current.unit_id == task.unit_id:
        raise NotFound
    if decision not in ("accept", "return"):
        raise ValidationError({"decision": _("Choose to accept or to return the report.")})
    clean = clean_lines(comment, max_length=MAX_COMMENT, field="comment")
    if decision == "return":
        if not clean:
            raise ValidationError(
                {"comment": _("Say what is to be changed, so the unit can fix it.")}
            )
        if task.status != TaskStatus.OPEN:
            raise ValidationError(
                _("This task is closed: a returned report could not be sent again. Accept it.")
            )
    if current.status != ReportStatus.SUBMITTED:
        if current.version != _as_int(version):
            raise report_changed_meanwhile()
        raise ValidationError(
            _("Only a report waiting for inspection can be accepted or returned.")
        )
    status = ReportStatus.ACCEPTED if decision == "accept" else ReportStatus.RETURNED
    _cas(
        current,
        version,
        [ReportStatus.SUBMITTED],
        status=status,
        reviewed_at=timezone.now(),
        reviewed_by=actor(acting_user),
        review_comment=clean,
    )
    audit_report(
        acting_user,
        current,
        changes={"status": [ReportStatus.SUBMITTED, status], "review_comment": [None, clean]},
    )
    _copy(current, report, "status", "review_comment", "reviewed_at", "reviewed_by", "version")
    if status == ReportStatus.RETURNED:
        notices.report_returned(acting_user, current)
    return current


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
