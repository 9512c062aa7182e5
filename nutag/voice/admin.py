"""The banner's settings for concerns in the Django admin, for platform admins only: the
categories (names, time limits, whether anonymous) and the townships' routing rules. Concerns
themselves are handled on the site's pages and the API (through the services), not here.

Comments, aid posts, emergencies and inbox threads are shown *read-only* (platform admins
only): every change to them goes through a service that checks the right, compare-and-sets
and writes the audit row (hide/restore, close, publish), which an admin edit would bypass.
An inbox thread is private between a resident and their unit: the admin lists its unit and
dates, never its subject or messages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nutag.orgs.permissions import is_platform_admin
from nutag.voice.models import (
    AidPost,
    Category,
    Comment,
    Emergency,
    InboxThread,
    RoutingRule,
)


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


class _ReadOnly(_PlatformOnly):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(_ReadOnly):
    list_display = ("pk", "unit", "author_name", "state", "held_for", "reports", "created_at")
    list_filter = ("state", "held_for")
    fields = (
        "unit",
        "article",
        "concern",
        "author_name",
        "text",
        "state",
        "held_for",
        "reports",
        "created_at",
    )
    readonly_fields = fields
    list_select_related = ("unit",)


@admin.register(AidPost)
class AidPostAdmin(_ReadOnly):
    list_display = ("title", "unit", "kind", "topic", "status", "created_at")
    list_filter = ("kind", "topic", "status")
    fields = ("unit", "kind", "topic", "title", "text", "marks", "status", "closed_at")
    readonly_fields = fields
    list_select_related = ("unit",)


@admin.register(Emergency)
class EmergencyAdmin(_ReadOnly):
    list_display = ("__str__", "origin", "radius", "created_at", "closed_at")
    list_filter = ("kind", "radius")
    fields = ("unit", "origin", "kind", "radius", "text", "created_at", "closed_at")
    readonly_fields = fields
    list_select_related = ("origin",)


@admin.register(InboxThread)
class InboxThreadAdmin(_ReadOnly):
    list_display = ("pk", "unit", "last_at", "last_from_resident")
    list_display_links = None
    list_select_related = ("unit",)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The list only: a thread's own page would title it with its private subject.
        return obj is None and super().has_view_permission(request, obj)
