"""What the people app announces to the apps above it, without naming them.

``people`` may not import ``notify`` (notify builds on people), so a service here announces
an event and whoever registered for it (from its ``AppConfig.ready()``) acts on it, inside
the announcing transaction: e.g. ``notify`` tells a unit's secretaries of a request to join.
A listener that raises rolls the announcing change back, like any part of the service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nutag.people.models import JoinRequest

JoinListener = Callable[["JoinRequest"], None]

_join_requested: list[JoinListener] = []


def on_join_requested(listener: JoinListener) -> None:
    """Register ``listener(join_request)`` for every new request to join a unit."""
    if listener not in _join_requested:
        _join_requested.append(listener)


def join_requested(join_request: JoinRequest) -> None:
    """Announce a new request to join (called by ``join_request_create``)."""
    for listener in _join_requested:
        listener(join_request)
