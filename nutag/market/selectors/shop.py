"""Reads of the local products shop. Products listed are public; an order is read by its
buyer, its seller and the officers of the product's unit (404 for anyone else)."""

from __future__ import annotations

import dataclasses

from django.contrib.auth.models import User
from django.db.models import Avg, Count, QuerySet

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.market.models import Order, OrderState, Product, ProductStatus
from nutag.market.permissions import can_moderate_products, can_read_order, is_seller
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q


def access_product(*, user: AnyUser, pk: int) -> Product:
    """A listed product for anyone; a withdrawn one for its seller and officers only."""
    product = Product.objects.select_related("unit").filter(pk=pk).first()
    if product is None:
        raise NotFound
    if product.status != ProductStatus.LISTED and not (
        is_seller(user, product) or can_moderate_products(user, product.unit)
    ):
        raise NotFound
    return product


def access_order(*, user: AnyUser, pk: int) -> Order:
    order = Order.objects.select_related("product", "product__unit", "buyer").filter(pk=pk).first()
    if order is None or not can_read_order(user, order):
        raise NotFound
    return order


def products_under(
    *, unit: Unit, q: str = "", category: str = "", seller: User | None = None
) -> QuerySet[Product]:
    """The listed products of ``unit``'s subtree (the banner's market, a unit's shop),
    searched by title and filtered by category, newest first."""
    rows = Product.objects.select_related("unit").filter(
        subtree_q(unit.path, "unit_path"), status=ProductStatus.LISTED
    )
    if q:
        rows = rows.filter(title__icontains=q[:60])
    if category:
        rows = rows.filter(category=category)
    if seller is not None:
        rows = rows.filter(seller=seller)
    return rows.order_by("-created_at", "-id")


def shop_products(*, unit: Unit, limit: int = 20) -> list[Product]:
    """A unit's own shop (its products column): its listed products."""
    return list(
        Product.objects.filter(unit=unit, status=ProductStatus.LISTED).order_by(
            "-created_at", "-id"
        )[:limit]
    )


def unit_has_products(unit: Unit) -> bool:
    return Product.objects.filter(unit=unit, status=ProductStatus.LISTED).exists()


def my_purchases(*, user: AnyUser) -> QuerySet[Order]:
    if not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.select_related("product").filter(buyer_id=user.pk)


def my_sales(*, user: AnyUser) -> QuerySet[Order]:
    if not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.select_related("product").filter(product__seller_id=user.pk)


def my_products(*, user: AnyUser) -> QuerySet[Product]:
    if not user.is_authenticated:
        return Product.objects.none()
    return Product.objects.filter(seller_id=user.pk)


@dataclasses.dataclass(frozen=True)
class SellerRecord:
    completed: int
    rated: int
    average_rating: float | None  # 2 decimals
    reviews: list[Order]


def seller_record(*, seller: User, limit: int = 20) -> SellerRecord:
    """A seller's public record: completed orders, their average rating, the latest
    comments (the buyers stay unnamed)."""
    done = Order.objects.filter(product__seller=seller, state=OrderState.COMPLETED)
    agg = done.aggregate(n=Count("id"), rated=Count("rating"), avg=Avg("rating"))
    reviews = list(
        done.filter(rating__isnull=False)
        .select_related("product")
        .order_by("-completed_at")[:limit]
    )
    return SellerRecord(
        completed=agg["n"],
        rated=agg["rated"],
        average_rating=round(float(agg["avg"]), 2) if agg["avg"] is not None else None,
        reviews=reviews,
    )
