"""Tasks deployed down the tree (四统一: unified deployment, requirements, inspection and
acceptance, commendation): issuing, changing, closing and commending. The units' reports
(save, submit, inspect) are in ``services.reports``.

- issuing, changing and closing a task: ``Perm.ISSUE_TASKS`` at the issuing unit (officers
  and secretaries);
- commending: ``Perm.PUBLISH_ARTICLES`` at the issuer (secretaries), because it publishes.

Every change writes an audit row.

Deadlines: a task is due at the *end* of ``due_on`` in the site's time zone
(``settings.TIME_ZONE``); ``deadline_of`` and ``is_overdue`` say when, for reports too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from nutag.assess import notices
from nutag.assess.models import (
    ReportStatus,
    Task,
    TaskFigure,
    TaskReport,
    TaskStatus,
)
from nutag.assess.permissions import can_commend, can_issue_tasks, can_manage_task
from nutag.assess.services._common import actor, require
from nutag.assess.tallies import task_tally_build
from nutag.core.actors import Actor
from nutag.core.audit import audit_record, diff, snapshot
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.core.sanitize import clean_text
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.paths import subtree_q
from nutag.sites.models import Article

Scope = Literal["children", "subtree"]

MAX_FIGURES = 12
MAX_TEXT = 5000
COMMENDATION_COLUMN = "next_generation"  # 关心下一代
TASK_FIELDS = ["title", "requirements", "due_on", "accepts_late", "status"]


# --- time -----------------------------------------------------------------------------------


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_today() -> dt.date:
    """Today in the site's time zone (``settings.TIME_ZONE``), whatever the request's."""
    return timezone.localdate(timezone.now(), timezone=local_zone())


def deadline_of(task: Task) -> dt.datetime:
    """The moment a task is due: the end of its due date, local time."""
    midnight = dt.datetime.combine(task.due_on + dt.timedelta(days=1), dt.time.min)
    return midnight.replace(tzinfo=local_zone())


def is_overdue(task: Task, *, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= deadline_of(task)


# --- shared checks (reports use them too) ---------------------------------------------------


def clean_lines(text: str, *, max_length: int, field: str) -> str:
    """Plain text that keeps its line breaks (paragraphs of a report); no tags."""
    lines = [clean_text(line) for line in (text or "").replace("\r\n", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    result = "\n".join(kept).strip()
    if len(result) > max_length:
        raise ValidationError(
            {field: _("Keep this under %(n)d characters.") % {"n": max_length}}, code="too_long"
        )
    return result


def report_changed_meanwhile() -> ValidationError:
    return ValidationError(
        _("This report was changed by someone else meanwhile; reload the page and try again."),
        code="stale",
    )


def _check_due(due_on: Any, *, field: str = "due_on") -> dt.date:
    if not isinstance(due_on, dt.date) or isinstance(due_on, dt.datetime):
        raise ValidationError({field: _("Give the date reports are due.")})
    if due_on < local_today():
        raise ValidationError({field: _("The due date cannot be in the past.")})
    return due_on


def check_due_change(*, task: Task, due_on: dt.date) -> None:
    """A due date may only move later (an extension), never into the past."""
    if due_on == task.due_on:
        return
    if due_on < task.due_on:
        raise ValidationError(
            {
                "due_on": _(
                    "The due date can only be extended: units plan by it. "
                    "It is %(date)s now; choose that day or later."
                )
                % {"date": task.due_on.isoformat()}
            }
        )
    _check_due(due_on)


def _figures_input(figures: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for i, (label, measure) in enumerate(figures):
        label, measure = clean_text(label), clean_text(measure)
        if not label and not measure:
            continue
        if not label:
            errors.setdefault(f"figure_{i}_label", []).append(_("Name the figure you want back."))
        elif len(label) > 60:
            errors.setdefault(f"figure_{i}_label", []).append(
                _("Keep the figure's name under 60 characters.")
            )
        elif label in seen:
            errors.setdefault(f"figure_{i}_label", []).append(_("This figure is asked for twice."))
        if len(measure) > 10:
            errors.setdefault(f"figure_{i}_measure", []).append(
                _("A unit of measure is a short word, such as 人, 次 or 元.")
            )
        seen.add(label)
        rows.append((label, measure))
    if len(rows) > MAX_FIGURES:
        errors.setdefault("figures", []).append(
            _("Ask for at most %(n)d figures.") % {"n": MAX_FIGURES}
        )
    if errors:
        raise ValidationError(errors)
    return rows


def units_below(*, unit: Unit, scope: Scope = "children") -> QuerySet[Unit]:
    """Active units a task of ``unit`` may go to: directly below (``children``) or anywhere
    below (``subtree``), in tree order."""
    units = Unit.objects.filter(subtree_q(unit.path), status=UnitStatus.ACTIVE).exclude(pk=unit.pk)
    if scope == "children":
        units = units.filter(depth=unit.depth + 1)
    elif scope != "subtree":
        raise ValidationError({"scope": _("Choose which units the task goes to.")})
    return units.order_by("path")


def _targets(unit: Unit, targets: Iterable[Unit | int] | None, scope: Scope) -> list[Unit]:
    if targets is None:
        chosen = list(units_below(unit=unit, scope=scope))
        if not chosen:
            raise ValidationError(
                {"targets": _("There is no active unit below this one to give the task to.")}
            )
        return chosen
    try:
        wanted = {t.pk if isinstance(t, Unit) else int(t) for t in targets}
    except (TypeError, ValueError) as exc:
        raise NotFound from exc
    if not wanted:
        raise ValidationError({"targets": _("Choose at least one unit.")})
    chosen = list(units_below(unit=unit, scope="subtree").filter(pk__in=wanted))
    if len(chosen) != len(wanted):
        # a unit that is missing, closed, not below the issuer (or the issuer itself)
        raise NotFound
    return chosen


def _audit_task(
    acting_user: Actor,
    task: Task,
    action: AuditAction,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    audit_record(
        actor=acting_user, action=action, obj=task, unit=task.unit, changes=changes, note=note
    )


def audit_report(
    acting_user: Actor,
    report: TaskReport,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=report,
        unit=report.unit,
        changes=changes,
        note=note,
    )


def _names(units: Sequence[Unit], limit: int = 10) -> str:
    names = [u.name for u in units]
    return "、".join(names[:limit]) + (f" … (+{len(names) - limit})" if len(names) > limit else "")


# --- tasks ----------------------------------------------------------------------------------


@transaction.atomic
def task_issue(
    *,
    acting_user: Actor,
    unit: Unit,
    title: str,
    requirements: str,
    due_on: dt.date,
    figures: Sequence[tuple[str, str]] = (),
    targets: Iterable[Unit | int] | None = None,
    scope: Scope = "children",
    accepts_late: bool = False,
) -> Task:
    """Issue a task from ``unit`` (统一部署): to the units directly below it (``scope=
    "children"``, the default), to every unit below it (``"subtree"``), or to ``targets``,
    each of which must be an active unit strictly below ``unit`` (anything else is
    ``NotFound`` and nothing is created). Every target gets a pending report. A fixed number
    of queries, however many targets."""
    require(acting_user, can_issue_tasks, unit)
    if unit.status != UnitStatus.ACTIVE:
        raise ValidationError(_("A closed unit cannot issue tasks."))
    errors: dict[str, list[str]] = {}
    clean_title = clean_text(title)
    if not clean_title:
        errors["title"] = [_("A task needs a title.")]
    elif len(clean_title) > 120:
        errors["title"] = [_("Keep the title under 120 characters.")]
    try:
        clean_requirements = clean_lines(requirements, max_length=MAX_TEXT, field="requirements")
        if not clean_requirements:
            errors["requirements"] = [_("Say what the units are to do and report.")]
    except ValidationError as exc:
        errors.update(exc.message_dict)
        clean_requirements = ""
    try:
        _check_due(due_on)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    wanted: list[tuple[str, str]] = []
    try:
        wanted = _figures_input(figures)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    chosen = _targets(unit, targets, scope)

    task = Task(
        unit=unit,
        title=clean_title,
        requirements=clean_requirements,
        due_on=due_on,
        accepts_late=bool(accepts_late),
        status=TaskStatus.OPEN,
        issued_by=actor(acting_user),
    )
    task.full_clean(exclude=["unit", "issued_by", "commendation"])
    task.save()
    rows = [
        TaskFigure(task=task, position=i, label=label, measure=measure)
        for i, (label, measure) in enumerate(wanted)
    ]
    for row in rows:
        row.full_clean(exclude=["task"])
    TaskFigure.objects.bulk_create(rows)
    # Reports are built from checked data; ``full_clean`` per row would cost a query each
    # (the unique constraint), which a task to 10,000 units cannot afford.
    TaskReport.objects.bulk_create(
        [TaskReport(task=task, unit=u, status=ReportStatus.PENDING) for u in chosen],
        batch_size=500,
    )
    task_tally_build(task)  # the dashboard's counts of the task, per subtree
    _audit_task(
        acting_user,
        task,
        AuditAction.CREATE,
        changes={
            **diff({}, snapshot(task, TASK_FIELDS)),
            "figures": [None, "、".join(label for label, _m in wanted)],
        },
        note=_("issued to %(count)d units: %(units)s")
        % {"count": len(chosen), "units": _names(chosen)},
    )
    notices.task_issued(acting_user, task, chosen)
    return task


def _locked_task(task: Task) -> Task:
    return Task.objects.select_for_update(of=("self",)).select_related("unit").get(pk=task.pk)


@transaction.atomic
def task_update(
    *,
    acting_user: Actor,
    task: Task,
    title: str | None = None,
    requirements: str | None = None,
    due_on: dt.date | None = None,
    accepts_late: bool | None = None,
) -> Task:
    """Change an open task: its title, requirements, whether late reports are accepted, or
    extend its due date (never earlier). ``None`` leaves a field as it is. The figures asked
    for are fixed once issued, since reports are filled against them."""
    require(acting_user, can_manage_task, task)
    locked = _locked_task(task)
    if locked.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is closed: it can no longer be changed."))
    before = snapshot(locked, TASK_FIELDS)
    errors: dict[str, list[str]] = {}
    if title is not None:
        locked.title = clean_text(title)
        if not locked.title:
            errors["title"] = [_("A task needs a title.")]
        elif len(locked.title) > 120:
            errors["title"] = [_("Keep the title under 120 characters.")]
    if requirements is not None:
        try:
            locked.requirements = clean_lines(
                requirements, max_length=MAX_TEXT, field="requirements"
            )
            if not locked.requirements:
                errors["requirements"] = [_("Say what the units are to do and report.")]
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if due_on is not None:
        try:
            check_due_change(task=locked, due_on=due_on)
            locked.due_on = due_on
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if accepts_late is not None:
        locked.accepts_late = bool(accepts_late)
    if errors:
        raise ValidationError(errors)
    locked.full_clean(exclude=["unit", "issued_by", "commendation"])
    locked.save()
    changes = diff(before, snapshot(locked, TASK_FIELDS))
    if changes:
        _audit_task(acting_user, locked, AuditAction.UPDATE, changes=changes)
    return locked


@transaction.atomic
def task_close(*, acting_user: Actor, task: Task) -> Task:
    """No more reports: pending and returned reports stay as they are (missing); submitted
    ones may still be inspected and accepted."""
    require(acting_user, can_manage_task, task)
    locked = _locked_task(task)
    if locked.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is already closed."))
    locked.status = TaskStatus.CLOSED
    locked.full_clean(exclude=["unit", "issued_by", "commendation"])
    locked.save()
    _audit_task(
        acting_user, locked, AuditAction.CLOSE, changes={"status": [TaskStatus.OPEN, locked.status]}
    )
    return locked


# --- commendation ---------------------------------------------------------------------------


def _commendation_body(text: str, units: Sequence[Unit], task: Task) -> str:
    paragraphs = [f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip()]
    listed = "".join(f"<li>{escape(u.name)}</li>" for u in units)
    heading = escape(_("Commended units:"))
    about = escape(_("Task: %(title)s (due %(date)s)") % {"title": task.title, "date": task.due_on})
    return "".join(paragraphs) + f"<p>{heading}</p><ul>{listed}</ul><p>{about}</p>"


@transaction.atomic
def task_commend(
    *,
    acting_user: Actor,
    task: Task,
    reports: Sequence[TaskReport | int],
    text: str,
    title: str = "",
) -> Article:
    """Commend the units of some accepted reports (统一表彰): mark the reports commended,
    write and publish a commendation on the issuer's site (in its "care for the next
    generation" column) and push it down to the commended units' sites. Needs
    ``PUBLISH_ARTICLES`` at the issuer. A report of another task is ``NotFound``."""
    from nutag.sites.services import (
        ArticleInput,
        article_create,
        article_publish,
        article_push,
    )

    require(acting_user, can_commend, task)
    locked = _locked_task(task)
    if locked.commendation_id is not None:
        raise ValidationError(
            _("The commendation of this task is already published; edit it on the site.")
        )
    try:
        wanted = {r.pk if isinstance(r, TaskReport) else int(r) for r in reports}
    except (TypeError, ValueError) as exc:
        raise NotFound from exc
    errors: dict[str, list[str]] = {}
    if not wanted:
        errors["reports"] = [_("Choose at least one unit to commend.")]
    clean = clean_lines(text, max_length=MAX_TEXT, field="text")
    if not clean:
        errors["text"] = [_("Write the commendation: what these units did well.")]
    clean_title = clean_text(title) or _("Commendation: %(task)s") % {"task": locked.title}
    if len(clean_title) > 120:
        errors["title"] = [_("Keep the title under 120 characters.")]
    if errors:
        raise ValidationError(errors)
    chosen = list(
        TaskReport.objects.select_related("unit")
        .filter(task=locked, pk__in=wanted)
        .order_by("unit__path")
    )
    if len(chosen) != len(wanted):
        raise NotFound
    not_accepted = [r.unit.name for r in chosen if r.status != ReportStatus.ACCEPTED]
    if not_accepted:
        raise ValidationError(
            {
                "reports": _("Only accepted reports can be commended: %(units)s")
                % {"units": "、".join(not_accepted)}
            }
        )
    marked = TaskReport.objects.filter(
        pk__in=[r.pk for r in chosen], status=ReportStatus.ACCEPTED
    ).update(commended=True, version=F("version") + 1, updated_at=timezone.now())
    if marked != len(chosen):
        raise report_changed_meanwhile()
    units = [r.unit for r in chosen]
    article = article_create(
        acting_user=acting_user,
        unit=locked.unit,
        data=ArticleInput(
            title=clean_title,
            summary=clean_text(clean.split("\n")[0], max_length=300),
            body=_commendation_body(clean, units, locked),
            column_key=COMMENDATION_COLUMN,
        ),
    )
    article = article_publish(acting_user=acting_user, article=article)
    active = [u.pk for u in units if u.status == UnitStatus.ACTIVE]
    if active:
        article_push(acting_user=acting_user, article=article, unit_ids=active)
    locked.commendation = article
    locked.save(update_fields=["commendation", "updated_at"])
    _audit_task(
        acting_user,
        locked,
        AuditAction.UPDATE,
        changes={"commendation": [None, article.title]},
        note=_("commended %(count)d units: %(units)s")
        % {"count": len(units), "units": _names(units)},
    )
    for report in chosen:
        audit_report(acting_user, report, changes={"commended": [False, True]})
    task.commendation = article
    return article
