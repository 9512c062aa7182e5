"""Reads: a person's inbox, the unread count, who holds a right at a unit, channel choices."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.notify import kinds
from nutag.notify.models import Channel, Notification, NotifyPolicy, NotifySettings
from nutag.orgs.models import Access, Position, Unit
from nutag.orgs.permissions import Perm, accesses_granting, granted_paths, is_platform_admin
from nutag.people.models import Person


def person_of(user: AnyUser) -> Person | None:
    """The person behind a login (``None`` for the anonymous and for logins with no person)."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).first()


def inbox(*, user: AnyUser, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first (none for a login without a person)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    rows = Notification.objects.filter(recipient__user_id=user.pk)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def unread_count(*, user: AnyUser) -> int:
    return inbox(user=user, unread_only=True).count()


BELL_SECONDS = 300


def _bell_key(user_id: int) -> str:
    return f"notify:unread:{user_id}"


def bell_count(*, user: AnyUser) -> int:
    """``unread_count`` through the cache, so the bell on every page costs no query; the
    services forget a person's count when they are told something or read something."""
    if not user.is_authenticated:
        return 0
    key = _bell_key(user.pk)
    found = cache.get(key)
    if found is None:
        found = unread_count(user=user)
        cache.set(key, found, BELL_SECONDS)
    return int(found)


def forget_bell(*, user_ids: Iterable[int]) -> None:
    keys = [_bell_key(pk) for pk in user_ids]
    if keys:
        cache.delete_many(keys)


def access_notification(*, user: AnyUser, pk: int) -> Notification:
    """The user's own notification ``pk``; anyone else's is ``NotFound``, like a missing one."""
    found = inbox(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound
    return found


def grouped_by_day(
    notifications: Iterable[Notification],
) -> list[tuple[dt.date, list[Notification]]]:
    """``[(local day, [notifications of that day])]`` in the given order."""
    return [
        (day, list(rows))
        for day, rows in itertools.groupby(
            notifications, key=lambda n: timezone.localtime(n.created_at).date()
        )
    ]


def holders_of(*, units: Iterable[Unit], perm: Perm) -> list[tuple[int, int]]:
    """``[(person id, unit id)]`` of people holding, *at* each of ``units`` (not above), a
    current position whose access grants ``perm``: who a unit's business is told to."""
    unit_ids = [u.pk for u in units]
    if not unit_ids:
        return []
    rows = (
        Position.objects.filter(
            unit_id__in=unit_ids,
            ended_on__isnull=True,
            access__in=accesses_granting(perm),
        )
        .exclude(access=Access.NONE)
        .values_list("person_id", "unit_id")
        .distinct()
    )
    return list(rows)


def still_holding(*, person_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """``{person id: [(access, unit path)]}`` of their current positions."""
    out: dict[int, list[tuple[str, str]]] = {}
    rows = (
        Position.objects.filter(person_id__in=set(person_ids), ended_on__isnull=True)
        .exclude(access=Access.NONE)
        .values_list("person_id", "access", "unit__path")
    )
    for person_id, access, path in rows:
        out.setdefault(person_id, []).append((access, path))
    return out


def holds(held: list[tuple[str, str]], *, perm: str, path: str) -> bool:
    granting = set(accesses_granting(Perm(perm)))
    return any(access in granting and path.startswith(p) for access, p in held)


def policy_for(unit_path: str) -> NotifyPolicy | None:
    """The banner's policy: the one set on the root of ``unit_path``."""
    root = unit_path[: Unit.steplen]
    return NotifyPolicy.objects.filter(unit__path=root).first()


def settings_of(person: Person) -> NotifySettings:
    found = NotifySettings.objects.filter(person=person).first()
    return found or NotifySettings(person=person)


class ChannelChooser:
    """Chooses the outside channels of many recipients with a fixed number of queries."""

    CHUNK = 1000  # ids per query: SQLite limits the variables of one statement

    def __init__(self, person_ids: Iterable[int]) -> None:
        ids = sorted(set(person_ids))
        self.settings: dict[int, NotifySettings] = {}
        self.officers: set[int] = set()
        self.paths: dict[int, str] = {}
        for start in range(0, len(ids), self.CHUNK):
            chunk = ids[start : start + self.CHUNK]
            self.settings.update(
                (s.person_id, s) for s in NotifySettings.objects.filter(person_id__in=chunk)
            )
            self.officers.update(
                Position.objects.filter(person_id__in=chunk, ended_on__isnull=True)
                .exclude(access=Access.NONE)
                .values_list("person_id", flat=True)
            )
            self.paths.update(Person.objects.filter(pk__in=chunk).values_list("pk", "unit_path"))
        self._policies: dict[str, NotifyPolicy | None] = {}

    def _policy(self, person_id: int) -> NotifyPolicy | None:
        root = self.paths.get(person_id, "")[: Unit.steplen]
        if root not in self._policies:
            self._policies[root] = policy_for(root) if root else None
        return self._policies[root]

    def channels(self, person_id: int, kind: str) -> list[str]:
        chosen: Any = None
        mine = self.settings.get(person_id)
        if mine is not None and kind in (mine.channels or {}):
            chosen = mine.channels[kind]
        elif person_id in self.officers:
            policy = self._policy(person_id)
            if policy is not None and kind in (policy.officer_defaults or {}):
                chosen = policy.officer_defaults[kind]
            else:
                chosen = kinds.OFFICER_DEFAULTS.get(kind, [])
        else:
            chosen = kinds.EVERYONE_DEFAULTS.get(kind, [])
        outside = {c.value for c in Channel if c != Channel.SITE}
        return [c for c in chosen or [] if c in outside]

    def quiet(self, person_id: int) -> tuple[dt.time, dt.time]:
        mine = self.settings.get(person_id) or NotifySettings()
        return mine.quiet_start, mine.quiet_end

    def digest_hour(self, person_id: int) -> int:
        policy = self._policy(person_id)
        return policy.digest_hour if policy is not None else 8


def notice_units(*, user: AnyUser) -> list[Unit]:
    """The top units where ``user`` may send a notice (a notice reaches the units below)."""
    if is_platform_admin(user):
        return list(Unit.objects.filter(depth=1))
    paths = granted_paths(user=user, perm=Perm.ISSUE_TASKS)
    return list(Unit.objects.filter(path__in=paths).order_by("path"))
