"""Delivery state per notification and channel, for the platform admin (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nutag.notify.models import Delivery, Notification, NotifyPolicy
from nutag.notify.services import notify_policy_update


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)


class DeliveryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Delivery
    fields = ("channel", "state", "attempts", "retried", "due_at", "sent_at", "reason", "key")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(boolean=True, description="retried")
    def retried(self, obj: Delivery) -> bool:
        return obj.retried


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("kind", "recipient", "urgency", "created_at", "read_at")
    list_filter = ("kind", "urgency")
    search_fields = ("event_key",)
    raw_id_fields = ("recipient", "unit")
    inlines = [DeliveryInline]
    list_select_related = ("recipient",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ("key", "channel", "state", "attempts", "due_at", "sent_at", "reason")
    list_filter = ("state", "channel", "digest")
    search_fields = ("key", "sent_key")
    raw_id_fields = ("notification",)


@admin.register(NotifyPolicy)
class NotifyPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The banner's digest hour and officers' default channels; saved through the service."""

    list_display = ("unit", "digest_hour")
    raw_id_fields = ("unit",)
    fields = ("unit", "digest_hour", "officer_defaults")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: NotifyPolicy, form: Any, change: bool) -> None:
        saved = notify_policy_update(
            acting_user=request.user,
            unit=obj.unit,
            digest_hour=obj.digest_hour,
            officer_defaults=obj.officer_defaults or {},
        )
        obj.pk = saved.pk
