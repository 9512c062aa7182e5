"""The shop figures of a unit's subtree (``"economy": {"shop": …}`` in the stats API):
products listed, orders by state, the value of completed orders (the total of their
requests) and the buyers' average rating.

Two queries whatever the subtree's size, each over a ``unit_path`` range: listed products
counted; orders grouped by state with the completed value and the ratings. Fixed SQL (issue
17: building the two querysets cost more than running them), portable between SQLite and
PostgreSQL, and read as the querysets read it (``_decimal``); ``market/tests/test_figures.py``
compares it with the querysets on varied data.
"""

from __future__ import annotations

import dataclasses
import decimal
from decimal import Decimal
from typing import Any

from django.db import connections

from nutag.core.db import read_alias
from nutag.market.models import Order, OrderState, Product, ProductStatus
from nutag.orgs.models import Unit
from nutag.orgs.paths import range_sql

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


def _decimal(value: Any) -> Decimal | None:
    """A sum of decimals as the queryset gave it: PostgreSQL returns a ``Decimal``; SQLite a
    float (or an integer), which Django reads at 15 significant digits."""
    if value is None or isinstance(value, Decimal):
        return value
    return DECIMAL_READ.create_decimal_from_float(value)


DECIMAL_READ = decimal.Context(prec=15)  # as Django's SQLite backend reads a decimal sum


def market_figures(*, unit: Unit) -> MarketFigures:
    alias = read_alias()
    in_range, bounds = range_sql('"unit_path"', unit.path)
    # ``CAST(… AS NUMERIC)``: the queryset's SQL on SQLite, where a whole decimal is stored as
    # an integer (PostgreSQL's numeric is unchanged by it).
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Product._meta.db_table} "  # noqa: S608
            f'WHERE {in_range} AND "status" = %s',
            [*bounds, str(ProductStatus.LISTED)],
        )
        listed = int(cursor.fetchone()[0])
        cursor.execute(
            'SELECT "state", COUNT(*), '  # noqa: S608
            'CAST(SUM(CAST(("unit_price" * "quantity") AS NUMERIC)) AS NUMERIC), '
            f'AVG("rating"), COUNT("rating") FROM {Order._meta.db_table} '
            f'WHERE {in_range} GROUP BY "state"',
            bounds,
        )
        rows = cursor.fetchall()
    by_state: dict[str, int] = {}
    value = Decimal(0)
    ratings: list[tuple[float, int]] = []
    for state, n, amount, rating, rated in rows:
        by_state[state] = n
        if state == OrderState.COMPLETED:
            value = Decimal(_decimal(amount) or 0).quantize(Decimal("0.01"))
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
