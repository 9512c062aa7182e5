"""The admin, for platform administrators only: places and bookings to look at (every change
goes through the pages and the API, which call the services and notify), and the units'
coordinates for the map, saved through ``unit_point_set`` (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nutag.tourism.models import Booking, Place, UnitPoint
from nutag.tourism.services import unit_point_set


class PlatformOnly(admin.ModelAdmin):  # type: ignore[type-arg]
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


@admin.register(Place)
class PlaceAdmin(PlatformOnly):
    list_display = ("name", "kind", "unit", "capacity", "listed")
    list_filter = ("kind", "listed")
    search_fields = ("name",)


@admin.register(Booking)
class BookingAdmin(PlatformOnly):
    list_display = ("place", "first_day", "last_day", "party", "state")
    list_filter = ("state",)


@admin.register(UnitPoint)
class UnitPointAdmin(PlatformOnly):
    list_display = ("unit", "lat", "lon")
    raw_id_fields = ("unit",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def save_model(self, request: HttpRequest, obj: UnitPoint, form: Any, change: bool) -> None:
        unit_point_set(acting_user=request.user, unit=obj.unit, lat=obj.lat, lon=obj.lon)
