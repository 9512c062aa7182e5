"""Helpers shared by the study services."""

from __future__ import annotations

from nutag.core.actors import Actor, SystemActor
from nutag.core.errors import NotFound
from nutag.people.models import Person


def person_of(actor: Actor) -> Person:
    """The acting login's own person record; a login without one studies nothing (404)."""
    if isinstance(actor, SystemActor) or not actor.is_authenticated:
        raise NotFound
    person = Person.objects.filter(user_id=actor.pk).select_related("unit").first()
    if person is None:
        raise NotFound
    return person
