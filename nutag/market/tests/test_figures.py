"""The shop figures: a fixed number of queries, counted over the subtree only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nutag.market import services
from nutag.market.models import OrderState
from nutag.market.selectors.figures import MARKET_FIGURE_QUERIES, MarketFigures, market_figures
from nutag.market.tests.helpers import buyer, order, product

pytestmark = pytest.mark.django_db


def test_figures_count_the_subtree_in_fixed_queries(cast, django_assert_num_queries):
    item = product(cast, stock=10, price="30")
    a = order(cast, item, buyer("b1"), quantity=2)
    order(cast, item, buyer("b2"), quantity=1)
    for to in (OrderState.CONFIRMED, OrderState.SHIPPED, OrderState.COMPLETED):
        a = services.order_move(acting_user=cast.resident, order=a, to=to)
    services.order_rate(acting_user=a.buyer, order=a, rating=4)
    with django_assert_num_queries(MARKET_FIGURE_QUERIES):
        f = market_figures(unit=cast.banner)
    assert f.products_listed == 1
    assert f.orders == 2
    assert f.orders_by_state == {"completed": 1, "requested": 1}
    assert f.completed_value == Decimal("60.00")
    assert f.average_rating == 4.0
    other = market_figures(unit=cast.township2)
    assert (other.products_listed, other.orders, other.average_rating) == (0, 0, None)


def _queryset_figures(unit) -> MarketFigures:  # type: ignore[no-untyped-def]
    """The querysets ``market_figures`` read before issue 17's fixed SQL (the reference)."""
    from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, Sum

    from nutag.market.models import Order, Product, ProductStatus
    from nutag.orgs.paths import subtree_q

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
    return MarketFigures(listed, by_state, sum(by_state.values()), value, average)


def test_the_fixed_sql_gives_the_querysets_figures_on_varied_data(cast):
    """Prices with cents and whole ones, ratings and none, every state, withdrawn products,
    and rows of other units (a sibling's, the township's) that a village must not count."""
    from nutag.market.models import Order, Product, ProductStatus

    item = product(cast, stock=500, price="19.99")
    rows = [
        # (unit, state, price, quantity, rating)
        (cast.village1a, OrderState.COMPLETED, "19.99", 3, 5),
        (cast.village1a, OrderState.COMPLETED, "30.00", 2, 4),
        (cast.village1a, OrderState.COMPLETED, "0.10", 7, None),
        (cast.village1a, OrderState.COMPLETED, "12345678.05", 99, 1),
        (cast.village1a, OrderState.REQUESTED, "19.99", 1, None),
        (cast.village1a, OrderState.CANCELLED, "19.99", 4, 2),
        (cast.village1b, OrderState.COMPLETED, "0.33", 3, 3),
        (cast.village1b, OrderState.DECLINED, "5.00", 1, None),
        (cast.village2a, OrderState.COMPLETED, "7.77", 11, 5),
        (cast.township1, OrderState.SHIPPED, "1.01", 1, None),
    ]
    for i, (unit, state, price, quantity, rating) in enumerate(rows):
        made = order(cast, item, buyer(f"b{i}"), quantity=1)
        Order.objects.filter(pk=made.pk).update(
            unit_path=unit.path, state=state, unit_price=Decimal(price), quantity=quantity,
            rating=rating,
        )  # fmt: skip
    for unit, status in [
        (cast.village1b, ProductStatus.LISTED),
        (cast.village2a, ProductStatus.WITHDRAWN),
        (cast.village1a, ProductStatus.WITHDRAWN),
    ]:
        extra = product(cast, stock=1)
        Product.objects.filter(pk=extra.pk).update(unit_path=unit.path, status=status)
    seen = set()
    for unit in [cast.banner, cast.township1, cast.township2, cast.village1a, cast.village1b,
                 cast.village2a, cast.school1]:  # fmt: skip
        new, old = market_figures(unit=unit), _queryset_figures(unit)
        assert new == old, unit
        seen.add((new.products_listed, new.orders, new.completed_value))
    village = market_figures(unit=cast.village1a)
    assert village.products_listed == 1  # its withdrawn product and the others' not counted
    assert village.orders_by_state == {"completed": 4, "requested": 1, "cancelled": 1}
    assert village.completed_value == Decimal("1222222247.62")
    assert village.average_rating == 3.0
    assert len(seen) >= 5  # the units' figures differ: each unit reads its own rows
