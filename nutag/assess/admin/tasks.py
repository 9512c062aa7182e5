"""Admin for tasks and their reports, scoped to the user's subtree like the rest of the admin.

Tasks are issued from the workbench (it chooses the targets); here a task's title,
requirements, due date (extended only) and late-report switch may be changed, through the
same service (``task_update``), and tasks may be closed (``task_close``). Figures and reports
are read-only: reports are written by their units and inspected by the issuer, on the desk.
This module registers its models; ``nutag/assess/admin.py`` imports it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nutag.assess.models import Evidence, Task, TaskFigure, TaskReport
from nutag.assess.permissions import can_manage_task
from nutag.assess.services.tasks import check_due_change, task_close, task_update
from nutag.core.errors import NotFound
from nutag.orgs.admin_base import SubtreeScopedAdmin
from nutag.orgs.permissions import Perm


class TaskFigureInline(admin.TabularInline):
    model = TaskFigure
    extra = 0
    fields = ("position", "label", "measure")
    readonly_fields = ("position", "label", "measure")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TaskAdminForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "requirements", "due_on", "accepts_late"]

    def clean_due_on(self) -> Any:
        due_on = self.cleaned_data.get("due_on")
        if due_on is not None and self.instance.pk:
            current = Task.objects.get(pk=self.instance.pk)  # the instance holds the input
            try:
                check_due_change(task=current, due_on=due_on)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict.get("due_on", exc.messages)) from exc
        return due_on


@admin.register(Task)
class TaskAdmin(SubtreeScopedAdmin):
    form = TaskAdminForm
    path_field = "unit__path"
    view_perm = Perm.VIEW_WORK
    change_perm = Perm.ISSUE_TASKS
    list_display = ["title", "unit", "due_on", "status", "accepts_late"]
    list_filter = ["status", "accepts_late"]
    search_fields = ["title"]
    list_select_related = ["unit"]
    date_hierarchy = "due_on"
    inlines = [TaskFigureInline]
    fields = [
        "unit",
        "title",
        "requirements",
        "due_on",
        "accepts_late",
        "status",
        "issued_by",
        "commendation",
        "created_at",
    ]
    actions = ["close_tasks"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["unit", "status", "issued_by", "commendation", "created_at"]
        if obj is not None and obj.status != "open":
            return [*fixed, "title", "requirements", "due_on", "accepts_late"]
        return fixed

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not can_manage_task(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Task, form: Any, change: bool) -> None:
        """Changes go through ``task_update`` (rights, checks, audit row), never ``save()``."""
        d = form.cleaned_data
        original = Task.objects.select_related("unit").get(pk=obj.pk)
        task_update(
            acting_user=request.user,
            task=original,
            title=d.get("title"),
            requirements=d.get("requirements"),
            due_on=d.get("due_on"),
            accepts_late=d.get("accepts_late"),
        )
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Figures are read-only; nothing else to save."""

    @admin.action(description=_("Close the selected tasks (no more reports)"))
    def close_tasks(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        closed = 0
        for task in queryset.select_related("unit").filter(status="open"):
            try:
                task_close(acting_user=request.user, task=task)
                closed += 1
            except (ValidationError, NotFound):
                continue
        self.message_user(
            request, gettext("%(n)d tasks closed.") % {"n": closed}, level=messages.SUCCESS
        )


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fk_name = "report"
    extra = 0
    fields = ("kind", "name", "file", "url", "size", "added_by", "created_at")
    readonly_fields = ("kind", "name", "file", "url", "size", "added_by", "created_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TaskReport)
class TaskReportAdmin(SubtreeScopedAdmin):
    """Read-only: reports are written and inspected on the desk, through the services."""

    path_field = "unit__path"
    view_perm = Perm.VIEW_WORK
    change_perm = None
    list_display = ["task", "unit", "status", "late", "submitted_at", "commended"]
    list_filter = ["status", "late", "commended"]
    search_fields = ["task__title", "unit__name"]
    list_select_related = ["task", "unit"]
    inlines = [EvidenceInline]
    readonly_fields = REPORT_FIELDS = (
        "task",
        "unit",
        "status",
        "text",
        "figures",
        "submitted_at",
        "submitted_by",
        "late",
        "reviewed_at",
        "reviewed_by",
        "review_comment",
        "commended",
        "version",
    )
    fields = REPORT_FIELDS
