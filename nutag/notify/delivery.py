"""Sending deliveries: claimed in small leases, sent once, retried with backoff.

The database is the queue's source of truth; the broker only carries wake-ups.

- **Claim**: a worker takes up to ``CLAIM`` due deliveries (``queued`` and due, or
  ``sending`` whose lease ran out: a worker died holding them) and marks them ``sending``
  with a lease, in one short transaction (``SELECT … FOR UPDATE SKIP LOCKED`` on
  PostgreSQL; SQLite's write lock serialises claims). Each gets its message key
  (``sent_key``): its own idempotency key, or, for a digest, one key for the group.
- **Send once**: a delivery claimed a second time (its lease ran out, or a timeout left it
  unsure) asks the channel whether its message key already went out (``was_sent``) before
  sending again; each outcome is written at once, conditionally on the row still being
  ``sending``.
- **Outcomes**: sent; skipped with a reason (no phone, no email, the person left the unit);
  a passing failure (timeout, 5xx, flow control) is queued again after ``RETRY_BASE ×
  4^(attempts-1)`` seconds, up to ``MAX_ATTEMPTS``, then failed with the reason; a lasting
  failure fails at once.
- **Digests**: deliveries marked ``digest`` wait for the banner's digest hour; those of one
  person and channel due together go out as one message.

A worker killed mid-batch leaves at most ``CLAIM`` deliveries ``sending``: when their lease
ends, the next sweep (``deliver_due``, every ``NUTAG_NOTIFY_SWEEP_SECONDS``) takes them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from nutag.core.tasks import enqueue_or_leave
from nutag.notify import kinds
from nutag.notify.channels import Fail, Message, Retry, Sender, Skip, sender_for
from nutag.notify.models import Delivery, DeliveryState, Notification, NotifySettings
from nutag.notify.selectors import holds, still_holding

logger = logging.getLogger(__name__)

CLAIM = 20
BATCH = 200
MAX_ATTEMPTS = 5


def lease_seconds() -> int:
    return int(settings.NUTAG_NOTIFY_LEASE_SECONDS)


def retry_delay(attempts: int) -> dt.timedelta:
    base = int(settings.NUTAG_NOTIFY_RETRY_SECONDS)
    return dt.timedelta(seconds=base * 4 ** max(attempts - 1, 0))


def _due(now: dt.datetime) -> Q:
    return Q(state=DeliveryState.QUEUED, due_at__lte=now) | Q(
        state=DeliveryState.SENDING, lease_until__lt=now
    )


def _claim(scope: QuerySet[Delivery], now: dt.datetime, limit: int) -> list[Delivery]:
    with transaction.atomic():
        rows = scope.filter(_due(now)).order_by("due_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        taken = list(
            rows.values_list("pk", "state", "digest", "channel", "notification__recipient_id")[
                :limit
            ]
        )
        if not taken:
            return []
        ids = [row[0] for row in taken]
        # A digest takes every due delivery of its person and channel along.
        groups = {(row[4], row[3]) for row in taken if row[2]}
        for person_id, channel in groups:
            more = Delivery.objects.filter(
                state=DeliveryState.QUEUED,
                digest=True,
                due_at__lte=now,
                channel=channel,
                notification__recipient_id=person_id,
            ).exclude(pk__in=ids)
            ids.extend(more.values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids).update(
            state=DeliveryState.SENDING,
            lease_until=now + dt.timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
        )
        Delivery.objects.filter(pk__in=ids, sent_key="", digest=False).update(sent_key=F("key"))
        fresh_digests = (
            Delivery.objects.filter(pk__in=ids, sent_key="", digest=True)
            .order_by("pk")
            .values_list("pk", "channel", "notification__recipient_id")
        )
        keys: dict[tuple[int, str], list[int]] = defaultdict(list)
        for pk, channel, person_id in fresh_digests:
            keys[(person_id, channel)].append(pk)
        for members in keys.values():
            Delivery.objects.filter(pk__in=members).update(sent_key=f"dg{members[0]}")
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related(
            "notification",
            "notification__unit",
            "notification__recipient",
            "notification__recipient__user",
        )
        .order_by("pk")
    )


def _languages(person_ids: Iterable[int]) -> dict[int, str]:
    return dict(
        NotifySettings.objects.filter(person_id__in=set(person_ids)).values_list(
            "person_id", "language"
        )
    )


def _still_wanted(n: Notification, held: dict[int, list[tuple[str, str]]]) -> bool:
    if n.unit is None or not n.audience_perm:
        return True
    return holds(held.get(n.recipient_id, []), perm=n.audience_perm, path=n.unit.path)


def _finish(ids: list[int], **values: object) -> None:
    Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENDING).update(
        lease_until=None, **values
    )


def _send_group(sender: Sender, rows: list[Delivery], language: str, now: dt.datetime) -> str:
    person = rows[0].notification.recipient
    lines = [kinds.render(r.notification.kind, r.notification.params, language) for r in rows]
    text = (
        lines[0] if len(rows) == 1 and not rows[0].digest else kinds.render_digest(lines, language)
    )
    message = Message(
        key=rows[0].sent_key,
        text=text,
        phone=person.phone,
        email=(person.user.email if person.user else "") or "",
        person_id=person.pk,
    )
    ids = [r.pk for r in rows]
    attempts = max(r.attempts for r in rows)
    try:
        if attempts > 1 and sender.was_sent(message):
            _finish(ids, state=DeliveryState.SENT, sent_at=now, reason="")
            return DeliveryState.SENT
        sender.send(message)
    except Skip as exc:
        _finish(ids, state=DeliveryState.SKIPPED, reason=str(exc)[:300])
        return DeliveryState.SKIPPED
    except Fail as exc:
        _finish(ids, state=DeliveryState.FAILED, reason=str(exc)[:300])
        return DeliveryState.FAILED
    except Exception as exc:  # Retry, or anything unforeseen: try again later
        reason = str(exc)[:300] or exc.__class__.__name__
        if not isinstance(exc, Retry):
            logger.exception("delivery %s failed unexpectedly", message.key)
        if attempts >= MAX_ATTEMPTS:
            _finish(ids, state=DeliveryState.FAILED, reason=reason)
            return DeliveryState.FAILED
        _finish(
            ids,
            state=DeliveryState.QUEUED,
            due_at=now + retry_delay(attempts),
            reason=reason,
        )
        return DeliveryState.QUEUED
    _finish(ids, state=DeliveryState.SENT, sent_at=now, reason="")
    return DeliveryState.SENT


def _deliver(scope: QuerySet[Delivery], *, now: dt.datetime | None = None) -> int:
    """Claim and send from ``scope`` until nothing in it is due. Returns messages handled."""
    handled = 0
    senders: dict[str, Sender] = {}
    while True:
        moment = now or timezone.now()
        rows = _claim(scope, moment, CLAIM)
        if not rows:
            return handled
        languages = _languages(r.notification.recipient_id for r in rows)
        held = still_holding(
            person_ids=[r.notification.recipient_id for r in rows if r.notification.audience_perm]
        )
        groups: dict[str, list[Delivery]] = defaultdict(list)
        for row in rows:
            if not _still_wanted(row.notification, held):
                _finish(
                    [row.pk],
                    state=DeliveryState.SKIPPED,
                    reason="no longer holds a position there",
                )
                continue
            groups[row.sent_key].append(row)
        for group in groups.values():
            channel = group[0].channel
            if channel not in senders:
                senders[channel] = sender_for(channel)
            language = languages.get(group[0].notification.recipient_id, settings.LANGUAGE_CODE)
            _send_group(senders[channel], group, language, moment)
            handled += 1


def deliver_batch(*, ids: list[int]) -> int:
    """Send these deliveries (a fan-out batch) if they are due."""
    return _deliver(Delivery.objects.filter(pk__in=ids))


def fan_out(*, event_key: str) -> int:
    """Split an event's due deliveries into batches, one background job each."""
    ids = list(
        Delivery.objects.filter(
            notification__event_key=event_key,
            state=DeliveryState.QUEUED,
            digest=False,
            due_at__lte=timezone.now(),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        enqueue_or_leave("nutag.notify.delivery.deliver_batch", ids=ids[start : start + BATCH])
    return len(ids)


def deliver_due(*, now: dt.datetime | None = None) -> int:
    """The sweep: everything due, digests included, and what dead workers left behind."""
    return _deliver(Delivery.objects.all(), now=now)
