"""The shop figures: a fixed number of queries, counted over the subtree only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nutag.market import services
from nutag.market.models import OrderState
from nutag.market.selectors.figures import MARKET_FIGURE_QUERIES, market_figures
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
