from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from nutag.core.models import AuditEntry
from nutag.orgs import services
from nutag.orgs.admin_base import SubtreeScopedAdmin
from nutag.orgs.models import Branch, CareCommittee, Position, Unit
from nutag.orgs.permissions import Perm, is_platform_admin


class UnitAdminForm(forms.ModelForm):
    parent: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Unit.objects.all(), required=False, to_field_name="code"
    )

    class Meta:
        model = Unit
        fields = ["code", "kind", "name", "name_mn"]


@admin.register(Unit)
class UnitAdmin(SubtreeScopedAdmin):
    """Units: edits go through the same services as the workbench."""

    path_field = "path"
    change_perm = Perm.CHANGE_UNIT
    form = UnitAdminForm
    list_display = ["name", "code", "kind", "status", "depth"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "code"]
    ordering = ["path"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["name", "name_mn"] if obj else ["parent", "code", "kind", "name", "name_mn"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request.user)

    def save_model(
        self, request: HttpRequest, obj: Unit, form: forms.ModelForm, change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            saved = services.unit_update(
                acting_user=request.user,
                unit=Unit.objects.get(pk=obj.pk),
                name=data["name"],
                name_mn=data["name_mn"],
            )
        else:
            saved = services.unit_create(
                acting_user=request.user,
                parent=data.get("parent"),
                code=data["code"],
                kind=data["kind"],
                name=data["name"],
                name_mn=data.get("name_mn", ""),
            )
        obj.pk = saved.pk
        obj.path = saved.path


@admin.register(Position)
class PositionAdmin(SubtreeScopedAdmin):
    path_field = "unit__path"
    list_display = ["unit", "title", "person", "access", "started_on", "ended_on"]
    list_filter = ["title", "access"]
    search_fields = ["person__name", "unit__name"]
    list_select_related = ["unit", "person"]
    readonly_fields = ["unit", "person", "title", "represents", "access", "started_on", "ended_on"]


@admin.register(Branch)
class BranchAdmin(SubtreeScopedAdmin):
    path_field = "unit__path"
    list_display = ["name", "unit"]
    search_fields = ["name"]
    readonly_fields = ["unit", "name"]


@admin.register(CareCommittee)
class CareCommitteeAdmin(SubtreeScopedAdmin):
    path_field = "unit__path"
    list_display = ["name", "unit", "established_on"]
    search_fields = ["name"]
    readonly_fields = ["unit", "name", "established_on"]


@admin.register(AuditEntry)
class AuditEntryAdmin(SubtreeScopedAdmin):
    view_perm = Perm.VIEW_HISTORY
    list_display = ["created_at", "actor", "action", "object_repr", "unit"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr"]
    list_select_related = ["actor", "unit"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
