"""Reads of the secretary's inbox: a resident's own threads, a unit's threads for its
officers (and those above), one thread with its messages (404 for anyone else)."""

from __future__ import annotations

from django.db.models import QuerySet

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.people.models import Person
from nutag.voice.models import InboxMessage, InboxThread
from nutag.voice.permissions import can_answer_inbox, can_read_thread


def access_thread(*, user: AnyUser, pk: int) -> InboxThread:
    thread = InboxThread.objects.select_related("unit", "person").filter(pk=pk).first()
    if thread is None or not can_read_thread(user, thread):
        raise NotFound
    return thread


def thread_messages(*, thread: InboxThread) -> list[InboxMessage]:
    return list(thread.messages.order_by("at", "id"))


def my_threads(*, user: AnyUser, unit: Unit) -> QuerySet[InboxThread]:
    """The resident's own threads with ``unit``."""
    if not user.is_authenticated:
        return InboxThread.objects.none()
    person = Person.objects.filter(user_id=user.pk).first()
    if person is None:
        return InboxThread.objects.none()
    return InboxThread.objects.filter(unit=unit, person=person).select_related("unit")


def unit_threads(*, user: AnyUser, unit: Unit, unread: bool = False) -> QuerySet[InboxThread]:
    """The threads of ``unit`` and below, for those who answer them (newest first)."""
    if not can_answer_inbox(user, unit):
        raise NotFound
    rows = InboxThread.objects.filter(subtree_q(unit.path, "unit_path")).select_related(
        "unit", "person"
    )
    if unread:
        from django.db.models import F, Q

        rows = rows.filter(last_from_resident=True).filter(
            Q(office_read_at__isnull=True) | Q(office_read_at__lt=F("last_at"))
        )
    return rows.order_by("-last_at", "-id")
