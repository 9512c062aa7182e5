"""Notifications as data, and their delivery on each channel.

A ``Notification`` is one event told to one person: its ``kind`` and ``params`` (never the
rendered text: the text is rendered in the recipient's language when it is shown or sent),
a ``link``, and an ``event_key`` unique per person, so one event never reaches a person
twice. The in-site inbox *is* the notification; every other channel (SMS, email, chat app)
gets a ``Delivery`` row with its own state, attempts and idempotency ``key``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TASK_ISSUED = "task_issued", _("Task assigned")
    TASK_DUE_SOON = "task_due_soon", _("Task due soon")
    TASK_OVERDUE = "task_overdue", _("Task overdue")
    REPORT_RETURNED = "report_returned", _("Report returned")
    ARTICLE_SUBMITTED = "article_submitted", _("Article waiting for approval")
    ARTICLE_RETURNED = "article_returned", _("Article returned")
    ARTICLE_RECOMMENDED = "article_recommended", _("Article recommended up")
    ASSESSMENT_SUBMITTED = "assessment_submitted", _("Assessment to review")
    ASSESSMENT_DUE_SOON = "assessment_due_soon", _("Self-assessment due soon")
    JOIN_REQUESTED = "join_requested", _("Request to join")
    NOTICE = "notice", _("Notice")
    EMERGENCY = "emergency", _("Emergency")
    CONCERN_RECEIVED = "concern_received", _("Concern to handle")
    CONCERN_ANSWERED = "concern_answered", _("Concern answered")
    CONCERN_OVERDUE = "concern_overdue", _("Concern overdue")
    COURSE_ASSIGNED = "course_assigned", _("Course assigned")
    STUDY_REMINDER = "study_reminder", _("Study reminder")
    YOUTH_VISIT_DUE = "youth_visit_due", _("A young person waits for a visit")
    CONCERN_ACCEPTED = "concern_accepted", _("Concern accepted")
    CONCERN_STARTED = "concern_started", _("Work started on a concern")
    INBOX_MESSAGE = "inbox_message", _("Message in the secretary's inbox")
    ORDER_REQUESTED = "order_requested", _("Order requested")
    ORDER_CONFIRMED = "order_confirmed", _("Order confirmed")
    ORDER_DECLINED = "order_declined", _("Order declined")
    ORDER_SHIPPED = "order_shipped", _("Order shipped or handed over")
    ORDER_COMPLETED = "order_completed", _("Order completed")
    ORDER_CANCELLED = "order_cancelled", _("Order cancelled")
    BOOKING_REQUESTED = "booking_requested", _("Booking request")
    BOOKING_CONFIRMED = "booking_confirmed", _("Booking confirmed")
    BOOKING_DECLINED = "booking_declined", _("Booking declined")
    BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")
    GRID_INCIDENT = "grid_incident", _("Incident in your grid")
    GRID_REFERRED = "grid_referred", _("Incident referred up")
    GRID_FOLLOW_UP_DUE = "grid_follow_up_due", _("Incident follow-up due")
    GRID_WORKER_ASSIGNED = "grid_worker_assigned", _("Grid assigned to you")
    DISCLOSURE_SUBMITTED = "disclosure_submitted", _("Disclosure to sign off")
    DISCLOSURE_RETURNED = "disclosure_returned", _("Disclosure returned")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Ordinary: in the daily digest")
    URGENT = "urgent", _("Urgent: at once, after quiet hours")
    EMERGENCY = "emergency", _("Emergency: at once, always")


class Channel(models.TextChoices):
    SITE = "site", _("In the workbench")
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat-app message")


EXTERNAL_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.CHAT)


class Notification(models.Model):
    recipient = models.ForeignKey(
        "people.Person",
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # The unit whose business this is, and the right the recipient held there when told.
    # A delivery waiting in a digest is dropped if the recipient no longer holds it.
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience_perm = models.CharField(max_length=40, blank=True)
    event_key = models.CharField(_("event"), max_length=120)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient"], name="notification_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notify_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    """One notification on one outside channel. ``key`` is the idempotency key; ``sent_key``
    the key of the message that carried it (its own key, or a digest's)."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    state = models.CharField(
        _("state"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    digest = models.BooleanField(_("in the digest"), default=False)
    due_at = models.DateTimeField(_("due at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_key = models.CharField(_("message key"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=["queued", "sending"]),
                name="notify_delivery_pending",
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def retried(self) -> bool:
        return self.attempts > 1


def _quiet_start() -> dt.time:
    return dt.time(22, 0)


def _quiet_end() -> dt.time:
    return dt.time(7, 0)


class NotifySettings(models.Model):
    """A person's choices: language of the texts, quiet hours, channels per kind.

    ``channels`` maps a kind to the outside channels chosen for it (the in-site inbox is
    always on); a kind missing from it follows the defaults (the banner's for officers)."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notify_settings",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    quiet_start = models.TimeField(_("quiet from"), default=_quiet_start)
    quiet_end = models.TimeField(_("quiet until"), default=_quiet_end)
    channels = models.JSONField(_("channels per kind"), default=dict, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.person_id)


class NotifyPolicy(models.Model):
    """Set by the banner (the root unit): the digest hour and officers' default channels."""

    unit = models.OneToOneField(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    digest_hour = models.PositiveSmallIntegerField(_("digest hour"), default=8)
    officer_defaults = models.JSONField(_("officers' channels per kind"), default=dict, blank=True)

    class Meta:
        verbose_name = _("notification policy")
        verbose_name_plural = _("notification policies")

    def __str__(self) -> str:
        return str(self.unit_id)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not 0 <= self.digest_hour <= 23:
            raise ValidationError({"digest_hour": _("Choose an hour from 0 to 23.")})
