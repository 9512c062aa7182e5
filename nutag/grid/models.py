"""Grid governance (社会治理 · 网格化管理): a unit divided into grids, each with its grid
worker (网格员); incidents and disputes logged in a grid, mediated, resolved with an outcome
and followed up.

Incidents name the parties, so they are never public: only their counts are. Every row
carries its unit's path (``unit_path``) for subtree counts; all are registered with the tree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nutag.core.models import TimeStampedModel

TEXT_LIMIT = 2000


class Grid(TimeStampedModel):
    """One grid of a unit (a group of pastures and households) and its grid worker."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=60)
    area = models.TextField(
        _("area covered"),
        max_length=TEXT_LIMIT,
        blank=True,
        help_text=_("The pastures and households the grid covers."),
    )
    worker = models.ForeignKey(
        "people.Person",
        verbose_name=_("grid worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grids",
    )
    public_phone = models.CharField(
        _("phone shown to residents"),
        max_length=20,
        blank=True,
        help_text=_("Only if the grid worker wishes; leave empty to show no number."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["unit_path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="grid_unique_name_per_unit")
        ]

    def __str__(self) -> str:
        return self.name


class IncidentKind(models.TextChoices):
    BOUNDARY = "boundary", _("Dispute: grassland boundary")
    LIVESTOCK = "livestock", _("Dispute: damage by livestock")
    FAMILY = "family", _("Dispute: family")
    NEIGHBOUR = "neighbour", _("Dispute: neighbours")
    SAFETY = "safety", _("Safety hazard")
    ENVIRONMENT = "environment", _("Environment")
    OTHER = "other", _("Other")


class IncidentState(models.TextChoices):
    LOGGED = "logged", _("Logged")
    MEDIATING = "mediating", _("Mediating")
    RESOLVED = "resolved", _("Resolved")
    REFERRED = "referred", _("Referred up")
    CLOSED = "closed", _("Closed")


OPEN_STATES = (IncidentState.LOGGED, IncidentState.MEDIATING, IncidentState.REFERRED)


class Incident(TimeStampedModel):
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="incidents"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    reported_on = models.DateField(_("reported on"))
    summary = models.TextField(_("what happened"), max_length=TEXT_LIMIT)
    parties = models.CharField(
        _("parties"),
        max_length=300,
        blank=True,
        help_text=_("Names of those involved; never an ID number."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=IncidentState.choices, default=IncidentState.LOGGED
    )
    outcome = models.TextField(_("outcome"), max_length=TEXT_LIMIT, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    days_to_resolve = models.PositiveIntegerField(null=True, blank=True, editable=False)
    referred_to = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referral_reason = models.TextField(_("why referred up"), max_length=TEXT_LIMIT, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_notes = models.TextField(_("follow-up notes"), max_length=TEXT_LIMIT, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    concern = models.ForeignKey(
        "voice.Concern",
        verbose_name=_("raised from concern"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "state"], name="grid_incident_path_state"),
            models.Index(fields=["state", "follow_up_on"], name="grid_incident_follow_up"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.reported_on}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Mediation(TimeStampedModel):
    """One mediation session: when, who mediated, what was agreed."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="mediations"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    held_on = models.DateField(_("date"))
    mediator = models.CharField(_("who mediated"), max_length=120)
    agreed = models.TextField(_("what was agreed"), max_length=TEXT_LIMIT)

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.mediator}"
