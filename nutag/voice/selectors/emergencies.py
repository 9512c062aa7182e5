"""Reads of emergencies: the open ones reaching a unit (its site's top block), one by id
(anyone reached, and those who manage it), and the roll of a unit's people for the officer:
who is safe, who needs help, who has not answered."""

from __future__ import annotations

import dataclasses

from django.contrib.auth.models import User

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.people.models import Person
from nutag.voice.models import Emergency, EmergencyStatus, SafetyStatus
from nutag.voice.permissions import can_manage_emergency


def open_emergencies(*, unit: Unit, limit: int = 3) -> list[Emergency]:
    """The open emergencies reaching ``unit``, newest first (the same for every reader)."""
    return list(
        Emergency.objects.filter(areas=unit, closed_at__isnull=True)
        .select_related("origin")
        .order_by("-created_at", "-id")[:limit]
    )


def reaches(user: AnyUser, emergency: Emergency) -> bool:
    return bool(
        isinstance(user, User)
        and Person.objects.filter(user_id=user.pk, unit__emergencies=emergency).exists()
    )


def access_emergency(*, user: AnyUser, pk: int) -> Emergency:
    """An emergency is public while open (it is on the sites' home pages); once closed, it is
    read by those reached and those who manage it."""
    emergency = Emergency.objects.select_related("unit", "origin").filter(pk=pk).first()
    if emergency is None:
        raise NotFound
    if emergency.closed_at is not None and not (
        can_manage_emergency(user, emergency) or reaches(user, emergency)
    ):
        raise NotFound
    return emergency


def my_status(*, user: AnyUser, emergency: Emergency) -> EmergencyStatus | None:
    if not isinstance(user, User):
        return None
    return EmergencyStatus.objects.filter(emergency=emergency, person__user_id=user.pk).first()


@dataclasses.dataclass(frozen=True)
class Roll:
    safe: list[tuple[Person, EmergencyStatus]]
    help: list[tuple[Person, EmergencyStatus]]
    silent_count: int
    silent: list[Person]  # the first ones (the count says how many)


def emergency_roll(*, user: AnyUser, emergency: Emergency, silent_limit: int = 200) -> Roll:
    """For those who manage it: the answers, those needing help first, and who has not
    answered. Three queries."""
    if not can_manage_emergency(user, emergency):
        raise NotFound
    statuses = list(
        EmergencyStatus.objects.filter(emergency=emergency)
        .select_related("person", "person__unit")
        .order_by("-updated_at")
    )
    answered = [s.person_id for s in statuses]
    people = Person.objects.filter(unit__emergencies=emergency).exclude(pk__in=answered)
    return Roll(
        safe=[(s.person, s) for s in statuses if s.status == SafetyStatus.SAFE],
        help=[(s.person, s) for s in statuses if s.status == SafetyStatus.HELP],
        silent_count=people.count(),
        silent=list(people.select_related("unit").order_by("unit__path", "name")[:silent_limit]),
    )


def emergencies_of_unit(*, user: AnyUser, unit: Unit) -> list[Emergency]:
    """The emergencies reaching ``unit``: open ones for anyone; past ones too for its
    officers and the people reached."""
    rows = Emergency.objects.filter(areas=unit).select_related("unit", "origin")
    lives_here = (
        isinstance(user, User) and Person.objects.filter(user_id=user.pk, unit=unit).exists()
    )
    return [
        e
        for e in rows.order_by("-created_at", "-id")[:50]
        if e.closed_at is None or lives_here or can_manage_emergency(user, e)
    ]
