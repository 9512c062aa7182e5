"""Read-only admin lists of the unit sites, scoped to the user's subtree. Writes go through the
desk (``nutag.sites.views.desk``) and its services."""

from __future__ import annotations

from django.contrib import admin

from nutag.orgs.admin_base import SubtreeScopedAdmin
from nutag.orgs.permissions import Perm
from nutag.sites.models import Article, Column, Placement


@admin.register(Article)
class ArticleAdmin(SubtreeScopedAdmin):
    path_field = "unit__path"
    view_perm = Perm.WRITE_ARTICLES
    list_display = ["title", "unit", "kind", "status", "published_at", "pinned", "read_count"]
    list_filter = ["status", "kind", "pinned"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit"]
    date_hierarchy = "published_at"
    exclude = ["body", "body_mn"]
    readonly_fields = [
        "unit", "column", "kind", "title", "summary", "title_mn", "summary_mn", "cover",
        "audio", "pinned", "status", "return_reason", "publish_at", "published_at", "author",
        "approved_by", "read_count",
    ]  # fmt: skip


@admin.register(Column)
class ColumnAdmin(SubtreeScopedAdmin):
    path_field = "unit__path"
    view_perm = Perm.WRITE_ARTICLES
    list_display = ["title", "unit", "key", "parent", "position", "enabled"]
    list_filter = ["enabled", "key"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "parent"]
    readonly_fields = ["unit", "key", "parent", "title", "title_mn", "position", "enabled"]


@admin.register(Placement)
class PlacementAdmin(SubtreeScopedAdmin):
    path_field = "unit__path"
    view_perm = Perm.WRITE_ARTICLES
    list_display = ["article", "unit", "via", "accepted", "created_at"]
    list_filter = ["via", "accepted"]
    list_select_related = ["article", "unit"]
    readonly_fields = ["article", "unit", "via", "accepted"]
