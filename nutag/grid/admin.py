"""Grids and incidents in the admin: read-only, for platform administrators only. Every
change goes through the workbench pages and their services (audited, with notices); the
incidents name the parties, so officers read them only through ``access_incident``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nutag.grid.models import Grid, Incident, Mediation


class ReadOnlyPlatform(admin.ModelAdmin):  # type: ignore[type-arg]
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


@admin.register(Grid)
class GridAdmin(ReadOnlyPlatform):
    list_display = ("name", "unit", "worker", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


class MediationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Mediation
    extra = 0
    fields = ("held_on", "mediator", "agreed")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyPlatform):
    list_display = ("__str__", "grid", "unit", "state", "follow_up_on")
    list_filter = ("state", "kind")
    inlines = [MediationInline]
