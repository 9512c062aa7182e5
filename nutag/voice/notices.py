"""Who hears of a concern, called by the services inside their transaction.

- received, passed on or reopened: the handlers *at* the handling unit;
- answered: the resident (the person it was raised for);
- overdue and passed up: the handlers at the unit above, and the resident.
Event keys carry what makes the event distinct, so a retried step never tells twice.
"""

from __future__ import annotations

from nutag.core.actors import SYSTEM
from nutag.notify.models import Kind
from nutag.notify.services import notify_people, notify_units
from nutag.orgs.permissions import Perm
from nutag.voice.models import Concern


def _link(concern: Concern) -> str:
    return f"/u/{concern.origin.code}/concerns/{concern.pk}/"


def concern_received(concern: Concern) -> None:
    notify_units(
        acting_user=SYSTEM,
        kind=Kind.CONCERN_RECEIVED,
        units=[concern.unit],
        perm=Perm.HANDLE_CONCERNS,
        params={"number": concern.number, "category": concern.category.name},
        event_key=f"concern:{concern.pk}:{concern.version}:{concern.unit_id}",
        link=_link(concern),
    )


def concern_answered(concern: Concern) -> None:
    if concern.person_id is None:
        return
    notify_people(
        acting_user=SYSTEM,
        kind=Kind.CONCERN_ANSWERED,
        person_ids=[concern.person_id],
        params={"number": concern.number},
        event_key=f"concern-answered:{concern.pk}:{concern.version}",
        link=_link(concern),
    )


def concern_overdue(concern: Concern) -> None:
    params = {"number": concern.number, "unit": concern.unit.name}
    key = f"concern-overdue:{concern.pk}:{concern.escalations}"
    notify_units(
        acting_user=SYSTEM,
        kind=Kind.CONCERN_OVERDUE,
        units=[concern.unit],
        perm=Perm.HANDLE_CONCERNS,
        params=params,
        event_key=key,
        link=_link(concern),
    )
    if concern.person_id is not None:
        notify_people(
            acting_user=SYSTEM,
            kind=Kind.CONCERN_OVERDUE,
            person_ids=[concern.person_id],
            params=params,
            event_key=key,
            link=_link(concern),
        )


def concern_progress(concern: Concern, kind: str) -> None:
    """Accepted or work started: the resident hears of each step too."""
    if concern.person_id is None:
        return
    notify_people(
        acting_user=SYSTEM,
        kind=kind,
        person_ids=[concern.person_id],
        params={"number": concern.number, "unit": concern.unit.name},
        event_key=f"concern-{kind}:{concern.pk}:{concern.version}",
        link=_link(concern),
    )
