"""Admin of standards, rounds and assessments, scoped to the user's subtree.

Read-mostly: every change goes through the services, which the desk pages call
(``nutag.assess.views.standards``, ``views_rounds``). Here rows can be looked at, and rounds
finished with an action that calls ``round_finish``. Tasks and reports are in ``admin.tasks``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nutag.assess.models import Assessment, AssessmentItem, Round, Standard, StandardItem
from nutag.assess.services.rounds import round_finish
from nutag.core.errors import NotFound
from nutag.orgs.admin_base import SubtreeScopedAdmin
from nutag.orgs.permissions import Perm


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StandardItemInline(ReadOnlyInline):
    model = StandardItem
    fields = ("position", "title", "points", "evidence", "accepts", "auto_source", "auto_target")
    readonly_fields = fields


@admin.register(Standard)
class StandardAdmin(SubtreeScopedAdmin):
    """Standards are edited on the desk (Standards page of a unit), through the services."""

    path_field = "unit__path"
    view_perm = Perm.VIEW_WORK
    list_display = ["name", "unit", "kind", "pass_mark", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    inlines = [StandardItemInline]
    readonly_fields = ("unit", "kind", "name", "name_mn", "description", "pass_mark")
    fields = readonly_fields


@admin.register(Round)
class RoundAdmin(SubtreeScopedAdmin):
    path_field = "unit__path"
    view_perm = Perm.VIEW_WORK
    list_display = ["title", "unit", "standard", "year", "self_due", "status", "pass_mark"]
    list_filter = ["status", "year"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "standard"]
    readonly_fields = (
        "unit",
        "standard",
        "year",
        "title",
        "self_due",
        "status",
        "pass_mark",
        "opened_by",
        "finished_at",
    )
    fields = readonly_fields
    actions = ["finish_rounds"]

    @admin.action(description=_("Finish the selected rounds (no more changes)"))
    def finish_rounds(self, request: HttpRequest, queryset: QuerySet[Round]) -> None:
        finished = 0
        for round_ in queryset.select_related("unit").filter(status="open"):
            try:
                round_finish(acting_user=request.user, round=round_)
                finished += 1
            except (ValidationError, NotFound):
                continue
        self.message_user(
            request,
            gettext("%(n)d rounds finished.") % {"n": finished},
            level=messages.SUCCESS,
        )


class AssessmentItemInline(ReadOnlyInline):
    model = AssessmentItem
    fields = (
        "item",
        "self_score",
        "note",
        "auto_value",
        "auto_note",
        "review_score",
        "review_comment",
    )
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(SubtreeScopedAdmin):
    """Read-only: committees fill in and reviewers review on the desk, through the services."""

    path_field = "unit__path"
    view_perm = Perm.VIEW_WORK
    list_display = ["unit", "round", "status", "self_total", "score", "passed", "submitted_at"]
    list_filter = ["status", "passed", "round__year"]
    search_fields = ["unit__name", "round__title"]
    list_select_related = ["unit", "round"]
    inlines = [AssessmentItemInline]
    readonly_fields = (
        "round",
        "unit",
        "status",
        "summary",
        "self_total",
        "score",
        "passed",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "review_comment",
        "version",
    )
    fields = readonly_fields
