"""The secretary's inbox: a private thread between a resident and their unit's office.

A verified resident of the unit starts a thread (``can_write_inbox``); the resident and the
unit's officers and secretaries (and those above them, ``can_answer_inbox``) write in it.
Each side has its unread state (``resident_read_at`` / ``office_read_at`` against the last
message); the other side is notified of every message (``Kind.INBOX_MESSAGE``: the office
through ``notify_units`` at the unit, the resident through ``notify_people``). Messages are
never edited or deleted; a thread whose resident's record goes keeps its messages, with no
one on the resident's side.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import SYSTEM, Actor
from nutag.core.audit import audit_record, user_or_none
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.notify.models import Kind
from nutag.notify.services import notify_people, notify_units
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, require
from nutag.people.models import Person
from nutag.voice.models import InboxMessage, InboxThread
from nutag.voice.permissions import can_read_thread, can_write_inbox, is_thread_resident

MAX_MESSAGE = 2000
MAX_SUBJECT = 120


def _text(text: str, field: str = "text") -> str:
    text = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({field: [_("Write your message.")]})
    if len(text) > MAX_MESSAGE:
        raise ValidationError({field: [_("At most %(n)d characters.") % {"n": MAX_MESSAGE}]})
    return text


def _link(thread: InboxThread, *, office: bool) -> str:
    if office:
        return f"/desk/u/{thread.unit.code}/inbox/{thread.pk}/"
    return f"/u/{thread.unit.code}/inbox/{thread.pk}/"


def _tell(thread: InboxThread, message: InboxMessage) -> None:
    if message.from_resident:
        notify_units(
            acting_user=SYSTEM,
            kind=Kind.INBOX_MESSAGE,
            units=[thread.unit],
            perm=Perm.HANDLE_CONCERNS,
            params={"from": _("a resident"), "subject": thread.subject},
            event_key=f"inbox:{message.pk}",
            link=_link(thread, office=True),
        )
    elif thread.person_id is not None:
        notify_people(
            acting_user=SYSTEM,
            kind=Kind.INBOX_MESSAGE,
            person_ids=[thread.person_id],
            params={"from": thread.unit.name, "subject": thread.subject},
            event_key=f"inbox:{message.pk}",
            link=_link(thread, office=False),
        )


def _add(
    thread: InboxThread, *, acting_user: Actor, text: str, from_resident: bool, now: dt.datetime
) -> InboxMessage:
    message = InboxMessage(
        thread=thread,
        author=user_or_none(acting_user),
        from_resident=from_resident,
        text=text,
        at=now,
    )
    message.full_clean()
    message.save()
    fields = {"last_at": now, "last_from_resident": from_resident, "updated_at": now}
    # The writer has read the thread up to their own message.
    fields["resident_read_at" if from_resident else "office_read_at"] = now
    InboxThread.objects.filter(pk=thread.pk).update(**fields)
    for name, value in fields.items():
        setattr(thread, name, value)
    return message


@transaction.atomic
def thread_start(*, acting_user: Actor, unit: Unit, subject: str, text: str) -> InboxThread:
    """A resident writes to their unit's secretary."""
    require(acting_user, can_write_inbox, unit)
    if not isinstance(acting_user, User):
        raise NotFound  # a resident writes for themselves, never the system
    person = Person.objects.filter(user_id=acting_user.pk).first()
    if person is None:
        raise NotFound
    subject = (subject or "").strip()
    errors: dict[str, list[str]] = {}
    if not subject:
        errors["subject"] = [_("Say in a few words what it is about.")]
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = [_("At most %(n)d characters.") % {"n": MAX_SUBJECT}]
    try:
        text = _text(text)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    thread = InboxThread(
        unit=unit, unit_path=unit.path, person=person, subject=subject, last_at=now
    )
    thread.full_clean()
    thread.save()
    message = _add(thread, acting_user=acting_user, text=text, from_resident=True, now=now)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=thread, unit=unit)
    _tell(thread, message)
    return thread


@transaction.atomic
def thread_reply(*, acting_user: Actor, thread: InboxThread, text: str) -> InboxMessage:
    """A message in the thread, from the resident or from the unit's office."""
    require(acting_user, can_read_thread, thread)
    text = _text(text)
    from_resident = isinstance(acting_user, User) and is_thread_resident(acting_user, thread)
    message = _add(
        thread, acting_user=acting_user, text=text, from_resident=from_resident, now=timezone.now()
    )
    _tell(thread, message)
    return message


def thread_mark_read(*, acting_user: Actor, thread: InboxThread) -> None:
    """The reader's side has read the thread (called when the thread's page is shown)."""
    require(acting_user, can_read_thread, thread)
    now = timezone.now()
    mine = isinstance(acting_user, User) and is_thread_resident(acting_user, thread)
    field = "resident_read_at" if mine else "office_read_at"
    InboxThread.objects.filter(pk=thread.pk).update(**{field: now})
    setattr(thread, field, now)


@transaction.atomic
def threads_anonymise_person(*, acting_user: Actor, person: Person) -> int:
    """Before a person's record goes: their threads stay with the unit, with no one on the
    resident's side."""
    count = InboxThread.objects.filter(person=person).update(person=None)
    if count:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=person,
            unit=person.unit,
            note=f"{count} inbox threads anonymised",
        )
    return count
