"""Every write of notifications: telling people, reading, settings, the banner's policy.

Domain services (assess, sites …) call ``notify_units`` or ``notify_people`` *inside* their
own transaction: the notifications are written with the event (rolled back with it), one per
event and person (``event_key``), and their outside deliveries are handed to the background
only once the transaction commits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, AnyUser, SystemActor
from nutag.core.audit import audit_record, diff, snapshot
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.core.tasks import enqueue_or_leave
from nutag.notify import timing
from nutag.notify.models import (
    Channel,
    Delivery,
    Kind,
    Notification,
    NotifyPolicy,
    NotifySettings,
    Urgency,
)
from nutag.notify.permissions import (
    can_change_notify_settings,
    can_send_notice,
    can_set_policy,
)
from nutag.notify.selectors import (
    ChannelChooser,
    access_notification,
    forget_bell,
    holders_of,
    inbox,
)
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm
from nutag.people.models import Person

CHUNK = 1000


@dataclasses.dataclass(frozen=True)
class Recipient:
    person_id: int
    unit_id: int | None = None
    link: str = ""


def _kind(kind: str) -> str:
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    return kind


def _create(
    *,
    kind: str,
    recipients: list[Recipient],
    params: Mapping[str, Any],
    link: str,
    event_key: str,
    audience_perm: str,
    urgency: str,
    now: dt.datetime,
) -> int:
    """Write the notifications and their deliveries; hand them over on commit."""
    by_person: dict[int, Recipient] = {}
    for r in recipients:
        by_person.setdefault(r.person_id, r)
    if not by_person:
        return 0
    rows = [
        Notification(
            recipient_id=r.person_id,
            kind=kind,
            urgency=urgency,
            params=dict(params),
            link=r.link or link,
            unit_id=r.unit_id,
            audience_perm=audience_perm if r.unit_id else "",
            event_key=event_key,
            created_at=now,
        )
        for r in by_person.values()
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)
    chooser = ChannelChooser(by_person)
    ids = list(by_person)
    deliveries: list[Delivery] = []
    for start in range(0, len(ids), CHUNK):
        made = Notification.objects.filter(
            event_key=event_key, recipient_id__in=ids[start : start + CHUNK]
        ).values_list("pk", "recipient_id")
        for notification_id, person_id in made:
            for channel in chooser.channels(person_id, kind):
                when, digest = timing.due_at(
                    urgency=urgency,
                    now=now,
                    quiet=chooser.quiet(person_id),
                    digest_hour=chooser.digest_hour(person_id),
                )
                deliveries.append(
                    Delivery(
                        notification_id=notification_id,
                        channel=channel,
                        key=f"{notification_id}:{channel}",
                        due_at=when,
                        digest=digest,
                    )
                )
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=CHUNK)
    _forget_bells_on_commit(ids)
    if any(not d.digest and d.due_at <= now for d in deliveries):
        enqueue_or_leave("nutag.notify.delivery.fan_out", event_key=event_key)
    return len(rows)


def _forget_bells_on_commit(person_ids: list[int]) -> None:
    def forget() -> None:
        for start in range(0, len(person_ids), CHUNK):
            user_ids = Person.objects.filter(
                pk__in=person_ids[start : start + CHUNK], user__isnull=False
            ).values_list("user_id", flat=True)
            forget_bell(user_ids=[pk for pk in user_ids if pk is not None])

    transaction.on_commit(forget)


@transaction.atomic
def notify_people(
    *,
    acting_user: Actor,
    kind: str,
    person_ids: Iterable[int],
    params: Mapping[str, Any],
    event_key: str,
    link: str = "",
    urgency: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Tell these people of one event (``event_key``: never twice to one person)."""
    from nutag.notify.kinds import urgency_of

    return _create(
        kind=_kind(kind),
        recipients=[Recipient(person_id=pk) for pk in person_ids],
        params=params,
        link=link,
        event_key=event_key,
        audience_perm="",
        urgency=urgency or urgency_of(kind),
        now=now or timezone.now(),
    )


@transaction.atomic
def notify_units(
    *,
    acting_user: Actor,
    kind: str,
    units: Iterable[Unit],
    perm: Perm,
    params: Mapping[str, Any],
    event_key: str,
    link: str | Callable[[int], str] = "",
    urgency: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Tell the people holding ``perm`` *at* each of ``units`` (their secretaries, officers)
    of one event. ``link`` may be a function of the unit id. Someone who has left the unit
    by the time a digest goes out is not sent it."""
    from nutag.notify.kinds import urgency_of

    recipients = [
        Recipient(
            person_id=person_id,
            unit_id=unit_id,
            link=link(unit_id) if callable(link) else link,
        )
        for person_id, unit_id in holders_of(units=units, perm=perm)
    ]
    return _create(
        kind=_kind(kind),
        recipients=recipients,
        params=params,
        link="",
        event_key=event_key,
        audience_perm=perm.value,
        urgency=urgency or urgency_of(kind),
        now=now or timezone.now(),
    )


@transaction.atomic
def notice_send(
    *,
    acting_user: Actor,
    unit: Unit,
    text: str,
    emergency: bool = False,
    now: dt.datetime | None = None,
) -> int:
    """A notice from ``unit`` to every person in its subtree (a banner: every resident)."""
    if not isinstance(acting_user, SystemActor) and not can_send_notice(acting_user, unit):
        raise NotFound
    clean = " ".join(text.split())
    if not clean:
        raise ValidationError({"text": _("Write what the notice says.")})
    if len(clean) > 300:
        raise ValidationError({"text": _("Keep the notice under 300 characters.")})
    entry = audit_record(
        actor=None if isinstance(acting_user, SystemActor) else acting_user,
        action=AuditAction.UPDATE,
        obj=unit,
        unit=unit,
        note=(_("emergency: %(text)s") if emergency else _("notice: %(text)s")) % {"text": clean},
    )
    kind = Kind.EMERGENCY if emergency else Kind.NOTICE
    person_ids = Person.objects.filter(unit_path__startswith=unit.path).values_list("pk", flat=True)
    return _create(
        kind=kind,
        recipients=[Recipient(person_id=pk) for pk in person_ids.iterator(chunk_size=CHUNK)],
        params={"unit": unit.name, "text": clean},
        link="",
        event_key=f"notice:{entry.pk}",
        audience_perm="",
        urgency=Urgency.EMERGENCY if emergency else Urgency.NORMAL,
        now=now or timezone.now(),
    )


@transaction.atomic
def notification_mark_read(*, acting_user: AnyUser, pk: int) -> Notification:
    """Mark one of the user's own notifications read (someone else's: ``NotFound``). Not
    audited: it is the person's own, and says nothing about anyone else."""
    notification = access_notification(user=acting_user, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        forget_bell(user_ids=[notification.recipient.user_id or 0])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, acting_user: AnyUser) -> int:
    count = inbox(user=acting_user, unread_only=True).update(read_at=timezone.now())
    if acting_user.is_authenticated:
        forget_bell(user_ids=[acting_user.pk])
    return count


SETTINGS_FIELDS = ["language", "quiet_start", "quiet_end", "channels"]


def _clean_channels(channels: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    outside = [c.value for c in Channel if c != Channel.SITE]
    clean: dict[str, list[str]] = {}
    for kind, chosen in channels.items():
        if kind not in Kind.values:
            raise ValidationError({"channels": _("Unknown kind of notice.")})
        picked = list(dict.fromkeys(chosen))
        if any(c not in outside for c in picked):
            raise ValidationError({"channels": _("Unknown channel.")})
        clean[kind] = picked
    return clean


@transaction.atomic
def notify_settings_update(
    *,
    acting_user: AnyUser,
    person: Person,
    language: str,
    quiet_start: dt.time,
    quiet_end: dt.time,
    channels: Mapping[str, Iterable[str]],
) -> NotifySettings:
    """A person's own choices (nobody sets them for someone else)."""
    if not can_change_notify_settings(acting_user, person):
        raise NotFound
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    row = NotifySettings.objects.select_for_update().filter(person=person).first()
    row = row or NotifySettings(person=person)
    before = snapshot(row, SETTINGS_FIELDS) if row.pk else {}
    row.language = language
    row.quiet_start = quiet_start
    row.quiet_end = quiet_end
    row.channels = _clean_channels(channels)
    row.full_clean()
    row.save()
    changes = diff(before, snapshot(row, SETTINGS_FIELDS))
    if changes:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=row,
            unit=person.unit,
            changes=changes,
        )
    return row


@transaction.atomic
def notify_policy_update(
    *,
    acting_user: Actor,
    unit: Unit,
    digest_hour: int,
    officer_defaults: Mapping[str, Iterable[str]],
) -> NotifyPolicy:
    """The banner's digest hour and the channels its officers get unless they choose."""
    if unit.depth != 1:
        raise ValidationError(_("Only the banner (the top unit) sets the notification policy."))
    if not isinstance(acting_user, SystemActor) and not can_set_policy(acting_user, unit):
        raise NotFound
    row = NotifyPolicy.objects.select_for_update().filter(unit=unit).first()
    row = row or NotifyPolicy(unit=unit)
    before = snapshot(row, ["digest_hour", "officer_defaults"]) if row.pk else {}
    row.digest_hour = digest_hour
    row.officer_defaults = _clean_channels(officer_defaults)
    row.full_clean()
    row.save()
    audit_record(
        actor=None if isinstance(acting_user, SystemActor) else acting_user,
        action=AuditAction.UPDATE,
        obj=row,
        unit=unit,
        changes=diff(before, snapshot(row, ["digest_hour", "officer_defaults"])),
    )
    return row
