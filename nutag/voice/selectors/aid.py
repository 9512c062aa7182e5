"""Reads of mutual aid: a unit's posts (open first; hidden ones only for its officers), one
post by id (404 for missing, and for a hidden one to anyone but its officers)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.voice.models import AidPost, AidStatus
from nutag.voice.permissions import can_moderate_aid


def _visible(user: AnyUser, post: AidPost) -> bool:
    return post.status != AidStatus.HIDDEN or can_moderate_aid(user, post.unit)


def access_aid_post(*, user: AnyUser, pk: int) -> AidPost:
    post = AidPost.objects.select_related("unit").filter(pk=pk).first()
    if post is None or not _visible(user, post):
        raise NotFound
    return post


def aid_posts_of_unit(
    *, user: AnyUser, unit: Unit, status: str = "", kind: str = "", topic: str = ""
) -> QuerySet[AidPost]:
    """The posts at ``unit``: open ones first, newest first. Hidden posts are listed only to
    those who may moderate there."""
    rows = AidPost.objects.select_related("unit").filter(unit=unit)
    if not can_moderate_aid(user, unit):
        rows = rows.exclude(status=AidStatus.HIDDEN)
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if topic:
        rows = rows.filter(topic=topic)
    first = Case(
        When(status=AidStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return rows.order_by(first, "-created_at", "-id")


def aid_column_posts(*, unit: Unit, limit: int = 8) -> list[AidPost]:
    """The column's list for every reader (cached): open posts, newest first."""
    return list(
        AidPost.objects.filter(unit=unit, status=AidStatus.OPEN).order_by("-created_at", "-id")[
            :limit
        ]
    )


def unit_has_aid(unit: Unit) -> bool:
    return AidPost.objects.filter(unit=unit, status=AidStatus.OPEN).exists()
