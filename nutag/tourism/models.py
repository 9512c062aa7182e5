"""Tourism (旅游推介): the places a unit promotes and the visitors' booking requests.

- ``UnitPoint``: a unit's coordinates (latitude, longitude), owned by tourism since the unit
  tree carries none; the map of the banner is drawn from them, and a place without its own
  coordinates sits at its unit's point.
- ``Place``: a sight, a herding-family stay (牧家乐) or an event (e.g. the Naadam), at a unit
  (``unit_path`` copy, registered with the tree), with its season (months open, or the
  event's dates), contact, photos, capacity (bookings are taken only when it is above 0)
  and host (a login who answers bookings).
- ``Booking``: a visitor's (a login's) request for days at a place: requested → confirmed
  or declined; the visitor may cancel. The ``idempotency_key`` makes a resent request
  return the first booking.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nutag.orgs.models import Unit


class UnitPoint(models.Model):
    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="tourism_point"
    )
    lat = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        verbose_name = _("unit's location")
        verbose_name_plural = _("units' locations")

    def __str__(self) -> str:
        return f"{self.lat},{self.lon}"


class PlaceKind(models.TextChoices):
    SIGHT = "sight", _("Sight")
    STAY = "stay", _("Herding-family stay")
    EVENT = "event", _("Event")


class ContactShown(models.TextChoices):
    EVERYONE = "everyone", _("To everyone")
    LOGGED_IN = "logged_in", _("To visitors who have logged in")
    BOOKED = "booked", _("Only to visitors with a confirmed booking")


class Place(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="tourism_places"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    # Months open, 1–12 (empty: all year); an event has its dates instead.
    months = models.JSONField(_("months open"), default=list, blank=True)
    starts_on = models.DateField(_("first day"), null=True, blank=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_shown = models.CharField(
        _("show the phone"),
        max_length=10,
        choices=ContactShown.choices,
        default=ContactShown.EVERYONE,
    )
    lat = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    photos = models.JSONField(_("Photos"), default=list, blank=True)
    capacity = models.PositiveIntegerField(
        _("guests per day"), default=0, validators=[MaxValueValidator(1000)]
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tourism_places",
    )
    listed = models.BooleanField(_("listed"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tourist place")
        verbose_name_plural = _("tourist places")
        indexes = [models.Index(fields=["unit_path", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def takes_bookings(self) -> bool:
        return self.listed and self.capacity > 0

    def open_on(self, day: dt.date) -> bool:
        """Is ``day`` in the season (the event's dates; the months open; all year)?"""
        if self.kind == PlaceKind.EVENT:
            if self.starts_on is None:
                return False
            return self.starts_on <= day <= (self.ends_on or self.starts_on)
        return not self.months or day.month in self.months


class BookingState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="bookings"
    )
    # The place's unit, copied: a merge moves the bookings with their place.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        on_delete=models.CASCADE,
        related_name="tourism_bookings",
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    party = models.PositiveIntegerField(
        _("people"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    note = models.TextField(_("note"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=BookingState.choices, default=BookingState.REQUESTED
    )
    answer = models.CharField(_("answer"), max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [
            models.Index(fields=["unit_path", "state"]),
            models.Index(fields=["place", "state", "first_day"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["visitor", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="tourism_booking_key_once",
            ),
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="tourism_booking_days_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.first_day}–{self.last_day}"

    def days(self) -> list[dt.date]:
        n = (self.last_day - self.first_day).days
        return [self.first_day + dt.timedelta(days=i) for i in range(n + 1)]
