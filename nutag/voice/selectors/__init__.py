"""Reads of the voice app. ``concerns`` here: one concern by id (404 for missing and not
yours), a unit's concerns for its handlers, the public board. ``figures``: the rolled-up
figures over a subtree (the dashboard and the stats API)."""

from __future__ import annotations

from django.db.models import QuerySet

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.voice.models import Concern, ConcernState, ConcernStep
from nutag.voice.permissions import can_handle_concerns, can_read_concern

__all__ = [
    "access_concern",
    "board",
    "concern_steps",
    "concerns_of_unit",
    "my_concerns",
]


def _base() -> QuerySet[Concern]:
    return Concern.objects.select_related("unit", "origin", "category")


def access_concern(*, user: AnyUser, pk: int) -> Concern:
    """The concern if ``user`` may read it; ``NotFound`` for missing and for not theirs."""
    concern = _base().filter(pk=pk).first()
    if concern is None or not can_read_concern(user, concern):
        raise NotFound
    return concern


def concern_steps(*, concern: Concern) -> list[ConcernStep]:
    return list(concern.steps.select_related("unit").order_by("at", "id"))


def concerns_of_unit(
    *,
    user: AnyUser,
    unit: Unit,
    state: str = "",
    category: str = "",
    overdue: bool = False,
) -> QuerySet[Concern]:
    """The concerns handled at ``unit`` and below, for those who handle them there."""
    if not can_handle_concerns(user, unit):
        raise NotFound
    rows = _base().filter(subtree_q(unit.path, "unit_path"))
    if state:
        rows = rows.filter(state=state)
    if category:
        rows = rows.filter(category__key=category)
    if overdue:
        from django.utils import timezone

        from nutag.voice.models import OPEN_STATES

        rows = rows.filter(state__in=OPEN_STATES, due_at__lt=timezone.now())
    return rows.order_by("-created_at", "-id")


def my_concerns(*, user: AnyUser) -> QuerySet[Concern]:
    """The concerns the login raised for itself, newest first."""
    if not user.is_authenticated:
        return Concern.objects.none()
    return _base().filter(raised_by_id=user.pk, on_behalf=False).order_by("-created_at")


def board(*, unit: Unit, limit: int = 10) -> list[Concern]:
    """The public concerns raised at ``unit`` with their answers (newest answered first)."""
    return list(
        _base()
        .filter(
            origin=unit,
            is_public=True,
            state__in=[ConcernState.ANSWERED, ConcernState.CLOSED],
        )
        .order_by("-answered_at", "-id")[:limit]
    )
