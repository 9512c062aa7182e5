"""The Django admin, scoped like everything else: an officer sees only their subtree."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from nutag.core.models import AuditEntry
from nutag.orgs.paths import subtrees_q
from nutag.orgs.permissions import Perm, granted_paths, is_platform_admin


class SubtreeScopedAdmin(admin.ModelAdmin):
    """Rows are visible when ``path_field`` lies under a unit where the user holds ``view_perm``."""

    path_field = "unit_path"
    view_perm: Perm = Perm.VIEW_UNIT
    change_perm: Perm | None = None

    def _paths(self, request: HttpRequest, perm: Perm) -> list[str]:
        return granted_paths(user=request.user, perm=perm)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if is_platform_admin(request.user):
            return qs
        paths = self._paths(request, self.view_perm)
        return qs.filter(subtrees_q(paths, self.path_field)) if paths else qs.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request.user) or bool(self._paths(request, self.view_perm))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_platform_admin(request.user):
            return True
        if obj is None:
            return bool(self._paths(request, self.view_perm))
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.change_perm is None:
            return False
        if is_platform_admin(request.user):
            return True
        paths = self._paths(request, self.change_perm)
        if obj is None:
            return bool(paths)
        qs = super().get_queryset(request).filter(pk=obj.pk)
        return bool(paths) and qs.filter(subtrees_q(paths, self.path_field)).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(SubtreeScopedAdmin):
    view_perm = Perm.VIEW_HISTORY
    list_display = ["created_at", "actor", "action", "object_repr", "unit"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr"]
    list_select_related = ["actor", "unit"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
