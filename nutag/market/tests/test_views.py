"""The shop's pages: the market, a unit's shop column, a product with its order form, my
orders with their actions, a seller's record; negatives first."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs

import pytest
from django.test import Client
from django.urls import resolve

from nutag.market.models import Order, OrderState, Product
from nutag.market.tests.helpers import buyer, client, order, product

pytestmark = pytest.mark.django_db


def test_selling_at_a_unit_not_ones_own_is_404(cast):
    c = client(cast.resident)
    assert c.get(f"/u/{cast.village1b.code}/market/new/").status_code == 404
    r = Client().get(f"/u/{cast.village1a.code}/market/new/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_a_bad_price_keeps_what_was_typed(cast):
    c = client(cast.resident)
    r = c.post(
        f"/u/{cast.village1a.code}/market/new/",
        {
            "title": "手把肉",
            "category": "meat",
            "price": "-5",
            "sale_unit": "jin",
            "stock": "3",
            "pickup": "on",
        },
    )
    assert r.status_code == 200
    assert "手把肉" in r.content.decode()
    assert not Product.objects.exists()


def test_an_anonymous_buyer_is_sent_to_the_login_page_and_back(cast):
    item = product(cast)
    url = f"/u/{cast.village1a.code}/market/{item.pk}/"
    # the button's link, and an order sent without a login, both lead to the login page
    body = Client().get(url).content.decode()
    href = re.search(r'href="([^"]*)">登录后订购', body)
    assert href, "no login link on the product page"
    r = Client().post(url, {"quantity": "1"})
    assert r.status_code == 302
    for link in (html.unescape(href.group(1)), r["Location"]):
        path, _, query = link.partition("?")
        assert resolve(path).url_name == "login", link
        assert parse_qs(query)["next"] == [url]
        assert Client().get(link).status_code == 200
    assert not Order.objects.exists()


def test_someone_elses_order_page_is_404(cast):
    item = product(cast)
    placed = order(cast, item, buyer("b1"))
    assert client(buyer("b2")).get(f"/market/orders/{placed.pk}/").status_code == 404
    r = client(buyer("b3")).post(f"/market/orders/{placed.pk}/", {"action": "confirm"})
    assert r.status_code == 404
    placed.refresh_from_db()
    assert placed.state == OrderState.REQUESTED


def test_a_product_in_the_wrong_units_url_is_404(cast):
    item = product(cast)
    assert Client().get(f"/u/{cast.village1b.code}/market/{item.pk}/").status_code == 404


def test_market_search_and_categories_under_the_banner(cast):
    product(cast, title="奶豆腐")
    product(cast, title="蒙古族刺绣", category="crafts", sale_unit="piece")
    body = Client().get(f"/u/{cast.banner.code}/market/?category=crafts").content.decode()
    assert "蒙古族刺绣" in body and "奶豆腐" not in body
    body = Client().get(f"/u/{cast.banner.code}/market/?q=奶豆").content.decode()
    assert "奶豆腐" in body and "蒙古族刺绣" not in body


def test_the_products_column_shows_the_shop_and_the_market_is_purged_on_change(cast):
    before = Client().get(f"/u/{cast.banner.code}/market/")
    assert before.status_code == 200 and "黄油" not in before.content.decode()
    product(cast, title="黄油")
    assert "黄油" in Client().get(f"/u/{cast.banner.code}/market/").content.decode()
    body = Client().get(f"/u/{cast.village1a.code}/c/products/").content.decode()
    assert "黄油" in body
    assert "黄油" not in Client().get(f"/u/{cast.village1b.code}/c/products/").content.decode()


def test_ordering_from_the_product_page_then_the_seller_confirms(cast):
    item = product(cast, stock=2)
    user = buyer("b1")
    r = client(user).post(
        f"/u/{cast.village1a.code}/market/{item.pk}/", {"quantity": "3", "contact": "139"}
    )
    assert r.status_code == 200 and "2" in r.content.decode()  # only 2 left, form kept
    assert not Order.objects.exists()
    r = client(user).post(f"/u/{cast.village1a.code}/market/{item.pk}/", {"quantity": "2"})
    placed = Order.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/market/orders/{placed.pk}/"
    seller = client(cast.resident)
    assert "confirm" in seller.get(f"/market/orders/{placed.pk}/").content.decode()
    seller.post(f"/market/orders/{placed.pk}/", {"action": "confirm"})
    placed.refresh_from_db()
    assert placed.state == OrderState.CONFIRMED
    body = client(user).get("/market/orders/").content.decode()
    assert placed.number in body


def test_seller_page_shows_completed_orders_and_rating(cast):
    from nutag.market import services

    item = product(cast)
    placed = order(cast, item, buyer("b1"))
    for to in (OrderState.CONFIRMED, OrderState.SHIPPED, OrderState.COMPLETED):
        placed = services.order_move(acting_user=cast.resident, order=placed, to=to)
    services.order_rate(acting_user=placed.buyer, order=placed, rating=5, comment="很新鲜")
    body = (
        Client()
        .get(f"/u/{cast.village1a.code}/market/sellers/{cast.resident.pk}/")
        .content.decode()
    )
    assert "很新鲜" in body and re.search(r"5(\.0)? ★", body)
