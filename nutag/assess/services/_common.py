"""Shared pieces of the assess services: rights, the acting user, file bookkeeping."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import transaction

from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.permissions import AnyUser, Perm, has_perm_above, has_unit_perm
from nutag.sites import media

T = TypeVar("T")


def require(user: AnyUser | None, perm: Perm, unit: Unit) -> None:
    """``perm`` at ``unit`` (or above), else ``NotFound``. ``user=None`` is the system."""
    if user is not None and not has_unit_perm(user=user, perm=perm, unit=unit):
        raise NotFound


def require_above(user: AnyUser | None, perm: Perm, unit: Unit) -> None:
    """``perm`` at a unit strictly above ``unit``, else ``NotFound``."""
    if user is not None and not has_perm_above(user=user, perm=perm, unit=unit):
        raise NotFound


def actor(user: AnyUser | None) -> User | None:
    return user if isinstance(user, User) else None


def delete_after_commit(names: list[str]) -> None:
    if names:
        transaction.on_commit(lambda: media.delete_files(names))


def saving(run: Callable[[list[str]], T]) -> T:
    """Run ``run(written)`` atomically; delete the files it wrote if anything fails."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return run(written)
    except BaseException:
        media.delete_files(written)
        raise
