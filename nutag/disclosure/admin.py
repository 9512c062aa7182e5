"""The admin: the banners' disclosure rules (platform administrators), and disclosures read
only (every change goes through the services: drafts on the workbench, a signed-off one
never changes)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nutag.disclosure.models import Disclosure, DisclosureRules


class PlatformOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


@admin.register(DisclosureRules)
class DisclosureRulesAdmin(PlatformOnly):
    list_display = ("banner", "mask_rule", "due_days")
    raw_id_fields = ("banner",)


@admin.register(Disclosure)
class DisclosureAdmin(PlatformOnly):
    list_display = ("title", "unit", "kind", "period_start", "version", "status", "signed_off_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "unit__name")
    list_select_related = ("unit",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
