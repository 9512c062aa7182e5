"""100 buyers at once for 10 items in stock: exactly 10 orders, none oversold (issue 19,
"Speed"). Real threads, each with its own database connection, on PostgreSQL (CI's
PostgreSQL pass); SQLite lets one writer in at a time, so there the same rule is checked
one request after another (``test_services.py``: the last item goes to one buyer)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, connections

from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory, UserFactory, make_unit
from nutag.market import services
from nutag.market.models import Order, OrderState, Product
from nutag.orgs.models import UnitKind

BUYERS = 100
STOCK = 10
THREADS = 25  # each sends four requests: 25 connections stay under PostgreSQL's default 100


@pytest.mark.django_db(transaction=True)
def test_100_concurrent_orders_for_10_in_stock_confirm_exactly_10() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: run on PostgreSQL (CI's PostgreSQL pass)")
    banner = make_unit(parent=None, kind=UnitKind.BANNER, name="并发旗", code="150797")
    village = make_unit(parent=banner, kind=UnitKind.VILLAGE, name="并发嘎查", code="150797100201")
    seller = UserFactory(username="concurrent-seller")
    PersonFactory(unit=village, name="卖家", user=seller)
    item = services.product_create(
        acting_user=seller,
        unit=village,
        title="手把肉",
        category="meat",
        price="45",
        sale_unit="jin",
        stock=STOCK,
    )
    buyers = User.objects.bulk_create(
        [User(username=f"concurrent-buyer-{i}") for i in range(BUYERS)]
    )
    got: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def run(mine: list[User]) -> None:
        try:
            start.wait(timeout=30)
            for user in mine:
                try:
                    done = services.order_request(acting_user=user, product=item, quantity=1)
                except ValidationError as exc:
                    with lock:
                        refused.append(exc.message_dict["quantity"][0])
                else:
                    with lock:
                        got.append(done.order.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    share = BUYERS // THREADS
    threads = [
        threading.Thread(target=run, args=(buyers[n * share : (n + 1) * share],))
        for n in range(THREADS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(got) == STOCK and len(refused) == BUYERS - STOCK
    item.refresh_from_db()
    assert item.stock == 0
    for order in Order.objects.filter(product=item):
        services.order_move(acting_user=SYSTEM, order=order, to=OrderState.CONFIRMED)
    assert Order.objects.filter(product=item, state=OrderState.CONFIRMED).count() == STOCK
    assert sum(Order.objects.filter(product=item).values_list("quantity", flat=True)) == STOCK
    assert Product.objects.get(pk=item.pk).stock == 0
