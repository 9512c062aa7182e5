"""The shop's API: 404 out of reach, 400 with the message, the Idempotency-Key, pages."""

from __future__ import annotations

import json

import pytest

from nutag.market.models import Order, OrderState, Product
from nutag.market.tests.helpers import buyer, client, order, product

pytestmark = pytest.mark.django_db


def _post(c, url, data, **headers):  # type: ignore[no-untyped-def]
    return c.post(url, json.dumps(data), content_type="application/json", **headers)


def test_listing_out_of_reach_is_404_and_bad_price_400(cast):
    c = client(cast.resident)
    body = {"title": "奶皮子", "category": "dairy", "price": 20, "sale_unit": "piece", "stock": 2}
    assert _post(c, f"/api/v1/units/{cast.village1b.code}/products", body).status_code == 404
    r = _post(c, f"/api/v1/units/{cast.village1a.code}/products", {**body, "price": -1})
    assert r.status_code == 400
    r = _post(c, f"/api/v1/units/{cast.village1a.code}/products", {**body, "stock": -1})
    assert r.status_code == 400
    assert not Product.objects.exists()
    r = _post(c, f"/api/v1/units/{cast.village1a.code}/products", body)
    assert r.status_code == 201 and r.json()["price"] == "20.00"


def test_an_order_above_stock_is_400_on_quantity(cast):
    item = product(cast, stock=2)
    r = _post(client(buyer()), f"/api/v1/products/{item.pk}/orders", {"quantity": 3})
    assert r.status_code == 400
    assert "quantity" in r.json()["errors"]
    assert not Order.objects.exists()


def test_an_order_with_an_idempotency_key_is_made_once(cast):
    item = product(cast, stock=5)
    c = client(buyer())
    url = f"/api/v1/products/{item.pk}/orders"
    first = _post(c, url, {"quantity": 2}, HTTP_IDEMPOTENCY_KEY="abc-1")
    again = _post(c, url, {"quantity": 2}, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    item.refresh_from_db()
    assert item.stock == 3


def test_someone_elses_order_is_404_and_steps_follow_the_rules(cast):
    item = product(cast)
    user = buyer("b1")
    placed = order(cast, item, user)
    stranger = client(buyer("b2"))
    assert stranger.get(f"/api/v1/orders/{placed.pk}").status_code == 404
    r = _post(stranger, f"/api/v1/orders/{placed.pk}/state", {"state": "confirmed"})
    assert r.status_code == 404
    r = _post(client(user), f"/api/v1/orders/{placed.pk}/state", {"state": "confirmed"})
    assert r.status_code == 404  # the buyer reads it but does not confirm
    r = _post(client(user), f"/api/v1/orders/{placed.pk}/rating", {"rating": 5})
    assert r.status_code == 400  # not completed yet
    seller = client(cast.resident)
    for state in ("confirmed", "shipped", "completed"):
        r = _post(seller, f"/api/v1/orders/{placed.pk}/state", {"state": state})
        assert r.status_code == 200 and r.json()["state"] == state
    r = _post(seller, f"/api/v1/orders/{placed.pk}/payment", {"amount": 35, "how": "现金"})
    assert r.json()["paid_amount"] == "35.00"
    r = _post(client(user), f"/api/v1/orders/{placed.pk}/rating", {"rating": 5, "comment": "好"})
    assert r.status_code == 200 and r.json()["rating"] == 5
    assert client(cast.village1a_secretary).get(f"/api/v1/orders/{placed.pk}").status_code == 200
    assert client(cast.village2a_secretary).get(f"/api/v1/orders/{placed.pk}").status_code == 404


def test_products_are_paged_searched_and_filtered(cast):
    product(cast, title="奶豆腐")
    product(cast, title="羊毛毡", category="crafts", sale_unit="piece")
    r = client(buyer()).get(f"/api/v1/units/{cast.banner.code}/products?category=crafts")
    body = r.json()
    assert set(body) == {"count", "offset", "limit", "items"}
    assert [p["title"] for p in body["items"]] == ["羊毛毡"]
    r = client(buyer("b3")).get(f"/api/v1/units/{cast.banner.code}/products?q=奶")
    assert [p["title"] for p in r.json()["items"]] == ["奶豆腐"]
    r = client(buyer("b4")).get(f"/api/v1/units/{cast.township2.code}/products")
    assert r.json()["count"] == 0


def test_my_orders_as_buyer_and_seller(cast):
    item = product(cast)
    user = buyer("b1")
    order(cast, item, user)
    assert client(user).get("/api/v1/orders").json()["count"] == 1
    assert client(cast.resident).get("/api/v1/orders?role=seller").json()["count"] == 1
    assert client(cast.resident).get("/api/v1/orders").json()["count"] == 0
    assert OrderState.REQUESTED == "requested"


def test_stats_carry_the_shop_under_economy(cast):
    item = product(cast)
    order(cast, item, buyer())
    r = client(cast.admin).get(f"/api/v1/units/{cast.banner.code}/stats")
    shop = r.json()["economy"]["shop"]
    assert shop["products_listed"] == 1 and shop["orders_by_state"]["requested"] == 1
