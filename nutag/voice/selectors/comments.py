"""Reads of comments: the published ones under an article or a public concern (the same for
every reader), one comment by id (404 when not shown there), the moderation queue of a unit
for its secretaries, and the unit's moderation settings."""

from __future__ import annotations

from django.db.models import QuerySet

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.voice.models import Comment, CommentState, TalkSettings
from nutag.voice.permissions import can_moderate_comments


def published_comments(
    *, unit: Unit, article_id: int | None = None, concern_id: int | None = None
) -> QuerySet[Comment]:
    rows = Comment.objects.filter(unit=unit, state=CommentState.PUBLISHED)
    if article_id is not None:
        rows = rows.filter(article_id=article_id)
    elif concern_id is not None:
        rows = rows.filter(concern_id=concern_id)
    else:
        return Comment.objects.none()
    return rows.order_by("created_at", "id")


def access_published_comment(*, unit: Unit, pk: int) -> Comment:
    comment = Comment.objects.select_related("unit").filter(pk=pk, unit=unit).first()
    if comment is None or comment.state != CommentState.PUBLISHED:
        raise NotFound
    return comment


def access_moderated_comment(*, user: AnyUser, pk: int) -> Comment:
    """A comment of a unit where ``user`` moderates; 404 for missing and not theirs."""
    comment = Comment.objects.select_related("unit").filter(pk=pk).first()
    if comment is None or not can_moderate_comments(user, comment.unit):
        raise NotFound
    return comment


def moderation_queue(*, user: AnyUser, unit: Unit, state: str = "held") -> QuerySet[Comment]:
    """The comments of ``unit``'s site and below in ``state`` (held first), for its
    secretaries."""
    if not can_moderate_comments(user, unit):
        raise NotFound
    if state not in CommentState.values:
        state = CommentState.HELD
    return (
        Comment.objects.filter(subtree_q(unit.path, "unit_path"), state=state)
        .select_related("unit", "article", "concern")
        .order_by("-created_at", "-id")
    )


def talk_settings(*, unit: Unit) -> TalkSettings:
    return TalkSettings.objects.filter(unit=unit).first() or TalkSettings(unit=unit)
