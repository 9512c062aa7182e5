"""Structured disclosures (党务 / 村务 / 财务公开) of a unit, for a period.

- ``DisclosureRules``: the banner's rules: how household names are masked on public pages,
  and how many days after a quarter ends its finance disclosure is due.
- ``Disclosure``: one disclosure of a unit (Party affairs, village affairs or finance) for a
  period, through draft → submitted → signed off (by the village supervisory committee,
  村务监督委员会). Once signed off it never changes: a correction is a new version
  (``supersedes`` the one it corrects).
- ``FinanceLine``, ``ProjectLine``, ``SubsidyLine``: its tables.
- ``Question``: a resident's question about one line, raised as a concern (``voice``).

Workflow lives in ``services``; these models hold data and invariants only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ZERO = Decimal("0")
AMOUNT: dict[str, Any] = {
    "max_digits": 14,
    "decimal_places": 2,
    "validators": [MinValueValidator(ZERO)],
}


class MaskRule(models.TextChoices):
    KEEP_SURNAME = "keep_surname", _("Keep the surname (张**)")
    KEEP_FIRST_LAST = "keep_first_last", _("Keep the first and last characters (张*明)")
    HIDE = "hide", _("Hide the whole name (***)")


class DisclosureKind(models.TextChoices):
    PARTY = "party", _("Party affairs")  # 党务公开
    VILLAGE = "village", _("Village affairs")  # 村务公开
    FINANCE = "finance", _("Finance")  # 财务公开


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("disclosure", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("disclosure", "Submitted for sign-off")
    SIGNED_OFF = "signed_off", pgettext_lazy("disclosure", "Signed off")


class LineKind(models.TextChoices):
    FINANCE = "finance", _("Income and spending")
    PROJECT = "project", _("Projects")
    SUBSIDY = "subsidy", _("Subsidies")


class Direction(models.TextChoices):
    INCOME = "income", _("Income")
    SPENDING = "spending", _("Spending")


class DisclosureRules(models.Model):
    """A banner's disclosure rules (one row per banner; defaults when there is none)."""

    banner = models.OneToOneField(
        "orgs.Unit", on_delete=models.CASCADE, related_name="disclosure_rules"
    )
    mask_rule = models.CharField(
        _("how household names are shown"),
        max_length=20,
        choices=MaskRule.choices,
        default=MaskRule.KEEP_SURNAME,
    )
    due_days = models.PositiveSmallIntegerField(
        _("days after a quarter ends when its finance disclosure is due"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )

    class Meta:
        verbose_name = _("disclosure rules")
        verbose_name_plural = _("disclosure rules")

    def __str__(self) -> str:
        return str(self.banner)


class Disclosure(models.Model):
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="disclosures")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=DisclosureKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("explanation"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=12, choices=DisclosureStatus.choices, default=DisclosureStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    correction_note = models.CharField(_("what this version corrects"), max_length=300, blank=True)
    income_total = models.DecimalField(_("declared total income"), null=True, blank=True, **AMOUNT)
    spending_total = models.DecimalField(
        _("declared total spending"), null=True, blank=True, **AMOUNT
    )
    # [{"file": stored name, "name": the name shown}] (core.media.store_file)
    attachments = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    returned_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-period_start", "-version"]
        indexes = [models.Index(fields=["unit_path", "kind", "period_start", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "period_start", "version"], name="disclosure_version_once"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="disclosure_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_signed_off(self) -> bool:
        return self.status == DisclosureStatus.SIGNED_OFF


class FinanceLine(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="finance")
    direction = models.CharField(_("income or spending"), max_length=10, choices=Direction.choices)
    item = models.CharField(_("item"), max_length=120)
    amount = models.DecimalField(_("amount (yuan)"), **AMOUNT)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["direction", "pk"]

    def __str__(self) -> str:
        return self.item

    @property
    def key(self) -> str:
        return f"{self.direction}:{self.item}"


class ProjectLine(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("project"), max_length=120)
    budget = models.DecimalField(_("budget (yuan)"), **AMOUNT)
    contractor = models.CharField(_("contractor"), max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return self.name


class SubsidyLine(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="subsidies")
    household = models.CharField(_("household (head's name)"), max_length=60)
    kind = models.CharField(_("subsidy"), max_length=60)
    amount = models.DecimalField(_("amount (yuan)"), **AMOUNT)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.household}"


class Question(models.Model):
    """A resident's question about one line of a signed-off disclosure: a concern."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="questions")
    line_kind = models.CharField(max_length=10, choices=LineKind.choices)
    line_id = models.PositiveBigIntegerField()
    concern = models.OneToOneField(
        "voice.Concern", on_delete=models.CASCADE, related_name="disclosure_question"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["disclosure", "line_kind", "line_id"])]

    def __str__(self) -> str:
        return f"{self.disclosure_id}/{self.line_kind}/{self.line_id}"
