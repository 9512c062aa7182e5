"""The admin keeps youth care's two lists of settings, for platform administrators only: the
circumstances (an editable list) and the banner's rule (days before a visit reminder).

Records, pairs, visits and needs are not in the admin: every reading of them goes through
``access_record`` and is audited, which the admin's change lists would bypass.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nutag.youth.models import Circumstance, YouthPolicy


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


@admin.register(Circumstance)
class CircumstanceAdmin(PlatformOnly):
    list_display = ("name", "code", "order")
    ordering = ("order", "code")


@admin.register(YouthPolicy)
class YouthPolicyAdmin(PlatformOnly):
    list_display = ("unit", "visit_every_days")
    raw_id_fields = ("unit",)
