"""The shop figures of a unit's subtree (``"economy": {"shop": …}`` in the stats API):
products listed, orders by state, the value of completed orders (the total of their
requests) and the buyers' average rating.

Two queries whatever the subtree's size, each over a ``unit_path`` range: listed products
counted; orders grouped by state with the completed value and the ratings.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, Sum

from nutag.market.models import Order, OrderState, Product, ProductStatus
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q

MARKET_FIGURE_QUERIES = 2  # the fixed number of reads of ``market_figures`` (tests count them)


@dataclasses.dataclass(frozen=True)
class MarketFigures:
    products_listed: int
    orders_by_state: dict[str, int]
    orders: int
    completed_value: Decimal  # yuan, the completed orders' totals
    average_rating: float | None

    def state_rows(self) -> list[tuple[str, int]]:
        return [(str(s.label), self.orders_by_state.get(s.value, 0)) for s in OrderState]

    def as_api(self) -> dict[str, Any]:
        return {
            "products_listed": self.products_listed,
            "orders": self.orders,
            "orders_by_state": {s.value: self.orders_by_state.get(s.value, 0) for s in OrderState},
            "completed_value": str(self.completed_value),
            "average_rating": self.average_rating,
        }


def market_figures(*, unit: Unit) -> MarketFigures:
    listed = Product.objects.filter(
        subtree_q(unit.path, "unit_path"), status=ProductStatus.LISTED
    ).count()
    total = ExpressionWrapper(
        F("unit_price") * F("quantity"), output_field=DecimalField(max_digits=14, decimal_places=2)
    )
    by_state: dict[str, int] = {}
    value = Decimal(0)
    ratings: list[tuple[float, int]] = []
    for state, n, amount, rating, rated in (
        Order.objects.filter(subtree_q(unit.path, "unit_path"))
        .values_list("state")
        .annotate(n=Count("id"), v=Sum(total), r=Avg("rating"), rated=Count("rating"))
        .order_by()
    ):
        by_state[state] = n
        if state == OrderState.COMPLETED:
            value = Decimal(amount or 0).quantize(Decimal("0.01"))
        if rated:
            ratings.append((float(rating), rated))
    rated_n = sum(n for _r, n in ratings)
    average = round(sum(r * n for r, n in ratings) / rated_n, 2) if rated_n else None
    return MarketFigures(
        products_listed=listed,
        orders_by_state=by_state,
        orders=sum(by_state.values()),
        completed_value=value,
        average_rating=average,
    )
