"""The shop in the admin: read-only lists scoped to the officer's subtree (the rows under a
unit where they may handle residents' matters). Changes go through the pages and the API
(the services, which audit them); the admin shows what is there."""

from __future__ import annotations

from django.contrib import admin

from nutag.market.models import Order, Product
from nutag.orgs.admin_base import SubtreeScopedAdmin
from nutag.orgs.permissions import Perm


@admin.register(Product)
class ProductAdmin(SubtreeScopedAdmin):
    view_perm = Perm.HANDLE_CONCERNS
    list_display = ("title", "category", "price", "sale_unit", "stock", "status", "unit")
    list_filter = ("category", "status")
    search_fields = ("title",)


@admin.register(Order)
class OrderAdmin(SubtreeScopedAdmin):
    view_perm = Perm.HANDLE_CONCERNS
    list_display = ("id", "product", "quantity", "state", "paid_amount", "rating", "created_at")
    list_filter = ("state",)
