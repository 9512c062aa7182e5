"""Logins for people: invitations (one-time links) and requests to join a unit.

Imported at the end of ``nutag.people.models`` so Django finds them as models of ``people``.
Workflow lives in ``nutag.people.accounts.services``; these hold data and invariants.
"""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nutag.core.models import TimeStampedModel


def token_digest(token: str) -> str:
    """The invitations table keeps only a digest of each link's token (the raw token stays in
    the issuing officer's session, to show the QR again, and in the link itself)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class InvitationPurpose(models.TextChoices):
    INVITE = "invite", _("Invitation to choose a password")
    RESET = "reset", _("Link to set a new password")


class InvitationState(models.TextChoices):
    OPEN = "open", _("Not accepted yet")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(TimeStampedModel):
    """A one-time link that lets ``person`` choose a password (or set a new one).

    At most one open invitation per person: issuing a new one revokes the old one.
    """

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=8,
        choices=InvitationPurpose.choices,
        default=InvitationPurpose.INVITE,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("valid until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    # Labels of the audit keys that are not fields (``core.audit.change_rows``).
    audit_labels: ClassVar[dict[str, Any]] = {"revoked": _("Revoked")}

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_purpose_display()})"

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.OPEN

    def get_state_display(self) -> str:
        return str(InvitationState(self.state).label)


class JoinStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the secretary")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(TimeStampedModel):
    """加入本村: a login asks to be recognised as a resident of ``unit``.

    Approval links the login to a person of the unit (a roster person, or a new one); only
    then does the login count as a verified resident. One pending request per login.
    """

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=16)
    household = models.CharField(_("household or herding group"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JoinStatus.choices, default=JoinStatus.PENDING
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="join_requests",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="join_request_one_pending_per_login",
            )
        ]
        indexes = [models.Index(fields=["unit_path", "status"])]

    def __str__(self) -> str:
        return f"{self.name} → {self.unit_id}"
