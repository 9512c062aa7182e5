"""Read replicas: the dashboard, stats, public pages and exports read from a replica.

Switched on by ``DATABASE_REPLICA_URL`` (config/settings/base.py): the settings then add the
database alias ``replica``, put ``ReplicaRouter`` in ``DATABASE_ROUTERS`` and
``ReplicaMiddleware`` first in ``MIDDLEWARE``. Without it nothing here runs.

A read goes to the replica only when all of these hold:

- it happens while a request is being answered (background jobs, commands, the shell:
  always the primary);
- the request's view is one of ``NUTAG_REPLICA_VIEWS`` (URL names, ``fnmatch`` patterns,
  matched against both ``url_name`` and ``namespace:url_name``);
- the request is not *pinned* to the primary. A request is pinned from its start when its
  method is not safe (POST, PUT, PATCH, DELETE) or when it carries the ``nutag_primary``
  cookie (set for ``NUTAG_REPLICA_PIN_SECONDS`` after a write by the same browser), and
  pinned from the moment it sends the primary a statement that may change data (watched by
  an execute wrapper on the primary's connection) or reads inside a transaction there.
  Once pinned, every later read of the request is the primary's: a read never follows the
  same request's write onto a replica that may not have it yet.

Raw SQL that reads for an eligible view takes its connection from ``read_alias()``.

Writes always go to the primary. Relations between objects read from either alias are
allowed (it is the same data).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch

REPLICA = "replica"
PIN_COOKIE = "nutag_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class RequestState:
    """What the router knows about the request being answered."""

    eligible: bool = False  # the view may read from the replica
    pinned: bool = False  # this request reads from the primary from now on
    wrote: bool = False  # this request asked for the write database


_state: ContextVar[RequestState | None] = ContextVar("nutag_replica_state", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def current_state() -> RequestState | None:
    return _state.get()


def pin_to_primary() -> None:
    """From now on, the current request (if any) reads from the primary."""
    state = _state.get()
    if state is not None:
        state.pinned = True


def view_is_eligible(url_name: str | None, view_name: str | None) -> bool:
    patterns = getattr(settings, "NUTAG_REPLICA_VIEWS", ())
    names = [name for name in (url_name, view_name) if name]
    return any(fnmatch.fnmatchcase(name, pattern) for name in names for pattern in patterns)


def read_alias() -> str:
    """The alias a read made now should use: ``replica`` or ``default``.

    The router's answer for ORM reads; raw SQL that reads for an eligible view uses it too:
    ``with connections[read_alias()].cursor() as cursor`` (nutag/stats/selectors/grouped.py).
    """
    state = _state.get()
    if state is None or not state.eligible or state.pinned or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        # A transaction on the primary (e.g. a service's) must see its own writes.
        state.pinned = True
        return DEFAULT_DB_ALIAS
    return REPLICA


class ReplicaRouter:
    """Reads of eligible, unpinned requests to ``replica``; everything else to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        alias = read_alias()
        return alias if alias == REPLICA else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        # Not a sign of a write by itself: Django also asks when a related object is set on
        # an unsaved instance. The middleware watches the statements themselves.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica receives the schema by streaming replication, never by migrate.
        return db != REPLICA


READ_STATEMENTS = ("SELECT", "WITH", "SHOW", "EXPLAIN", "SET ")
# In a read statement, what still writes or locks (a data-modifying WITH, SELECT … FOR UPDATE).
WRITE_WORDS = re.compile(
    r"\b(INSERT|UPDATE|DELETE|MERGE|FOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE)|NEXTVAL)\b"
)


def is_write(sql: str) -> bool:
    """Whether a statement sent to the primary may change data (or lock rows)."""
    head = sql.lstrip().upper()
    if head.startswith(READ_STATEMENTS):
        return WRITE_WORDS.search(head) is not None
    return True


class _WriteWatch:
    """An execute wrapper on the primary's connection: the first write pins the request."""

    def __init__(self, state: RequestState) -> None:
        self.state = state

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if not self.state.wrote and is_write(sql):
            self.state.pinned = self.state.wrote = True
        return execute(sql, params, many, context)


class ReplicaMiddleware:
    """Tracks, per request, whether reads may go to the replica (first in MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = RequestState(
            pinned=request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES
        )
        token = _state.set(state)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_WriteWatch(state)):
                response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            # The next requests of this browser read what this one wrote: from the primary.
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.NUTAG_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
            )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> None:
        match = request.resolver_match
        if match is not None:
            note_view(match)
        return None


def note_view(match: ResolverMatch) -> None:
    """Whether this request's reads may go to the replica, from the view its URL resolves to
    (``ReplicaMiddleware.process_view``; also called by middleware that answers before Django
    resolves the URL: the page cache's early path, ``nutag.sites.early``)."""
    state = _state.get()
    if state is not None:
        state.eligible = view_is_eligible(match.url_name, match.view_name)
