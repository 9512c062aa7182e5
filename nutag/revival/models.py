"""The rural-revitalisation ledger (乡村振兴 / 防止返贫监测): households under watch against
falling back into poverty, their paired cadres, the measures taken, visits, yearly incomes and
every change of status with its reason.

Restricted personal data (incomes, health): read only through ``selectors.access_household``
(404 out of reach, every opening audited). Every row carries its unit's path (``unit_path``)
for subtree counts; all of them are registered with the tree.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nutag.core.models import TimeStampedModel

TEXT_LIMIT = 2000
# The monitoring line (防止返贫监测线), yuan of net income per person and year, unless the
# banner's settings say otherwise (``NUTAG_REVIVAL_MONITORING_LINE``).
DEFAULT_MONITORING_LINE = 7000


def monitoring_line() -> int:
    return int(getattr(settings, "NUTAG_REVIVAL_MONITORING_LINE", DEFAULT_MONITORING_LINE))


class RiskCategory(models.TextChoices):
    UNSTABLE = "unstable", _("Out of poverty but unstable")  # 脱贫不稳定户
    MARGINAL = "marginal", _("On the edge, prone to poverty")  # 边缘易致贫户
    HARDSHIP = "hardship", _("Sudden severe hardship")  # 突发严重困难户


class HouseholdStatus(models.TextChoices):
    WATCHED = "watched", _("Under watch")
    REMOVED = "removed", _("Risk removed")  # 消除风险
    RETURNED = "returned", _("Returned to poverty")  # 返贫


class MeasureKind(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    JOBS = "jobs", _("Jobs")
    SCHOOLING = "schooling", _("Schooling")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    SOCIAL = "social", _("Social security")


class WatchedHousehold(TimeStampedModel):
    """A household under watch. Its head is a person of the roster (name and ID number stay
    on the person, masked as everywhere)."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    head = models.OneToOneField(
        "people.Person",
        verbose_name=_("head of household"),
        on_delete=models.PROTECT,
        related_name="watched_household",
    )
    members = models.PositiveSmallIntegerField(
        _("members"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    category = models.CharField(_("risk category"), max_length=10, choices=RiskCategory.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HouseholdStatus.choices,
        default=HouseholdStatus.WATCHED,
    )
    watched_since = models.DateField(_("under watch since"))
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_LIMIT)

    class Meta:
        verbose_name = _("household under watch")
        verbose_name_plural = _("households under watch")
        indexes = [models.Index(fields=["unit_path", "status"])]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class _Part(TimeStampedModel):
    """A row of a household's ledger: it belongs to the household's unit."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        abstract = True


class StatusChange(_Part):
    household = models.ForeignKey(
        WatchedHousehold, on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=HouseholdStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=HouseholdStatus.choices)
    changed_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), max_length=TEXT_LIMIT)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Pairing(_Part):
    """结对帮扶: a cadre paired with the household."""

    household = models.ForeignKey(
        WatchedHousehold, on_delete=models.CASCADE, related_name="pairings"
    )
    cadre = models.ForeignKey(
        "people.Person", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id} ↔ {self.cadre_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Measure(_Part):
    household = models.ForeignKey(
        WatchedHousehold, on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeasureKind.choices)
    description = models.CharField(_("description"), max_length=200)
    taken_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["-taken_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "kind"])]

    def __str__(self) -> str:
        return self.description


class Visit(_Part):
    household = models.ForeignKey(WatchedHousehold, on_delete=models.CASCADE, related_name="visits")
    cadre = models.ForeignKey(
        "people.Person",
        verbose_name=_("cadre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visited_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), max_length=TEXT_LIMIT)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "visited_on"])]

    def __str__(self) -> str:
        return str(self.visited_on)


class IncomeRecord(_Part):
    """A year's net income per person of the household, and where it came from."""

    household = models.ForeignKey(
        WatchedHousehold, on_delete=models.CASCADE, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    per_capita = models.DecimalField(
        _("net income per person (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    sources = models.CharField(_("sources"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="revival_income_year"),
            models.CheckConstraint(
                condition=models.Q(per_capita__gte=0), name="revival_income_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["unit_path", "year"])]

    def __str__(self) -> str:
        return str(self.year)
