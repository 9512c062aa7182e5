"""The banner's settings for concerns in the Django admin, for platform admins only: the
categories (names, time limits, whether anonymous) and the townships' routing rules. Concerns
themselves are handled on the site's pages and the API (through the services), not here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nutag.orgs.permissions import is_platform_admin
from nutag.voice.models import Category, RoutingRule


class _PlatformOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_platform_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_platform_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a category in use is protected; rename it instead


@admin.register(Category)
class CategoryAdmin(_PlatformOnly):
    list_display = ("name", "key", "banner", "days_limit", "allows_anonymous", "order")
    list_editable = ("days_limit", "allows_anonymous", "order")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("banner", "key") if obj is not None else ()


@admin.register(RoutingRule)
class RoutingRuleAdmin(_PlatformOnly):
    list_display = ("township", "category", "target")
    raw_id_fields = ("township", "target")
