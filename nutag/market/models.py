"""Products and order requests of the local products shop (特产 / 电商).

- ``Product``: something a resident sells at their unit (dairy, meat, wool, crafts …), with
  its price per unit of sale, the stock left, pick-up and/or delivery, photos, and whether
  it is listed. Price above zero and stock never below zero are database constraints.
- ``Order``: a buyer's request for a quantity of a product. Its stock is reserved when the
  request is made (a conditional ``UPDATE``) and given back on a decline or a cancellation.
  States: requested → confirmed → shipped (or handed over) → completed; or declined by the
  seller, cancelled by the buyer. The seller records the payment (no online payment); the
  buyer rates a completed order once.

Workflow lives in ``services``; these models hold data and invariants only.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nutag.core.models import TimeStampedModel


class ProductCategory(models.TextChoices):
    DAIRY = "dairy", _("Dairy")
    MEAT = "meat", _("Meat")
    WOOL = "wool", _("Wool and hides")
    CRAFTS = "crafts", _("Crafts")
    OTHER = "other", pgettext_lazy("product", "Other")


class SaleUnit(models.TextChoices):
    JIN = "jin", _("jin (500 g)")
    KG = "kg", _("kg")
    PIECE = "piece", _("piece")
    HEAD = "head", _("head of livestock")


class ProductStatus(models.TextChoices):
    LISTED = "listed", _("Listed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrderState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", pgettext_lazy("order", "Confirmed")
    SHIPPED = "shipped", _("Shipped or handed over")
    COMPLETED = "completed", pgettext_lazy("order", "Completed")
    DECLINED = "declined", _("Declined by the seller")
    CANCELLED = "cancelled", _("Cancelled by the buyer")


# States in which the order still holds its stock.
HOLDING_STATES = (OrderState.REQUESTED, OrderState.CONFIRMED, OrderState.SHIPPED)


class Product(TimeStampedModel):
    """One product a resident sells at their unit."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="products")
    unit_path = models.CharField(max_length=255, db_index=True)
    # null once the seller deleted their login (their products are withdrawn then)
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("name of the product"), max_length=120)
    category = models.CharField(_("category"), max_length=8, choices=ProductCategory.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    price = models.DecimalField(
        _("price"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    sale_unit = models.CharField(_("sold by"), max_length=8, choices=SaleUnit.choices)
    stock = models.IntegerField(_("in stock"), validators=[MinValueValidator(0)])
    pickup = models.BooleanField(_("pick-up"), default=True)
    delivery = models.BooleanField(pgettext_lazy("product", "delivery"), default=False)
    contact = models.CharField(_("how to reach the seller"), max_length=60, blank=True)
    photos = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=ProductStatus.choices, default=ProductStatus.LISTED
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit_path", "status"], name="market_product_path")]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="market_price_positive"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="market_stock_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class Order(TimeStampedModel):
    """A buyer's request for ``quantity`` of a product, and what became of it."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="orders")
    unit_path = models.CharField(max_length=255, db_index=True)  # the product's unit
    # null once the buyer deleted their login (the order stays in the seller's record)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="market_orders",
    )
    quantity = models.IntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)  # at the request
    note = models.CharField(_("note to the seller"), max_length=300, blank=True)
    contact = models.CharField(_("how to reach you"), max_length=60, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=OrderState.choices, default=OrderState.REQUESTED
    )
    # of a decline or a cancellation
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    paid_amount = models.DecimalField(
        _("amount paid"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    paid_how = models.CharField(_("paid how"), max_length=60, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("Rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField(_("comment on the rating"), max_length=300, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    request_key = models.CharField(max_length=100, blank=True)  # the Idempotency-Key

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit_path", "state"], name="market_order_path")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="market_quantity_positive"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="market_rating_1_5",
            ),
            models.UniqueConstraint(
                fields=["buyer", "request_key"],
                condition=~Q(request_key=""),
                name="market_order_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"

    @property
    def number(self) -> str:
        return f"M{self.pk:06d}"

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity
