"""The ledger in the admin: for platform administrators only, read-only, audited.

Every write goes through the services (audited, checked); the admin only lets a platform
administrator look a household up. Its list shows no name; opening one writes the same
``sensitive_read_log`` row as the workbench page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nutag.people.services import sensitive_read_log
from nutag.revival.models import WatchedHousehold


@admin.register(WatchedHousehold)
class WatchedHouseholdAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "unit", "category", "status", "members", "watched_since")
    list_filter = ("category", "status")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "head")
    readonly_fields = ("unit", "head", "members", "category", "status", "watched_since", "notes")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        household = (
            WatchedHousehold.objects.select_related("head__unit", "unit")
            .filter(pk=object_id)
            .first()
            if str(object_id).isdigit()
            else None
        )
        if household is not None:
            sensitive_read_log(
                acting_user=request.user,
                people=[household.head],
                where=request.path,
                always=True,
            )
        return super().change_view(request, object_id, form_url, extra_context)
