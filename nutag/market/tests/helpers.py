"""Test data of the shop: products listed through the service, logins that buy."""

from __future__ import annotations

from typing import Any

from django.test import Client

from nutag.factories import PersonFactory, UserFactory
from nutag.market import services
from nutag.market.models import Order, Product


def product(cast: Any, *, stock: int = 5, price: str = "35.00", **kw: Any) -> Product:
    data: dict[str, Any] = {
        "title": "奶豆腐",
        "category": "dairy",
        "price": price,
        "sale_unit": "jin",
        "stock": stock,
        "pickup": True,
    }
    data.update(kw)
    return services.product_create(acting_user=cast.resident, unit=cast.village1a, **data)


def buyer(name: str = "buyer", unit: Any = None) -> Any:
    user = UserFactory(username=name)
    if unit is not None:
        PersonFactory(unit=unit, name=f"{name}名", user=user)
    return user


def order(cast: Any, item: Product, user: Any, quantity: int = 1) -> Order:
    return services.order_request(acting_user=user, product=item, quantity=quantity).order


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c
