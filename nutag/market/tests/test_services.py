"""The shop's services: products and the order workflow; negatives first."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.market import services
from nutag.market.models import Order, OrderState, Product, ProductStatus
from nutag.market.tests.helpers import buyer, order, product
from nutag.notify.models import Kind, Notification

pytestmark = pytest.mark.django_db


# --- Negatives ------------------------------------------------------------------------------


@pytest.mark.parametrize("price", ["-1", "0", "0.00", "abc", "1e400", "NaN"])
def test_a_price_not_above_zero_is_refused(cast, price):
    with pytest.raises(ValidationError) as e:
        product(cast, price=price)
    assert "price" in e.value.message_dict
    assert not Product.objects.exists()


@pytest.mark.parametrize("stock", ["-1", "x", "1.5"])
def test_a_negative_or_broken_stock_is_refused(cast, stock):
    with pytest.raises(ValidationError) as e:
        product(cast, stock=stock)
    assert "stock" in e.value.message_dict


def test_the_database_refuses_negative_price_and_stock(cast):
    item = product(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=item.pk).update(stock=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=item.pk).update(price=Decimal("-5"))


def test_neither_pickup_nor_delivery_is_refused(cast):
    with pytest.raises(ValidationError) as e:
        product(cast, pickup=False, delivery=False)
    assert "pickup" in e.value.message_dict


def test_only_a_resident_of_the_unit_itself_sells_there(cast):
    for unit in (cast.village1b, cast.township1, cast.banner, cast.village2a):
        with pytest.raises(NotFound):
            services.product_create(
                acting_user=cast.resident,
                unit=unit,
                title="奶皮子",
                category="dairy",
                price="20",
                sale_unit="piece",
                stock=3,
            )
    # a township officer is no resident of the village
    with pytest.raises(NotFound):
        services.product_create(
            acting_user=cast.township1_officer,
            unit=cast.village1a,
            title="奶皮子",
            category="dairy",
            price="20",
            sale_unit="piece",
            stock=3,
        )
    assert not Product.objects.exists()


def test_an_order_above_stock_is_refused_with_what_is_left(cast):
    item = product(cast, stock=3)
    with pytest.raises(ValidationError) as e:
        order(cast, item, buyer(), quantity=4)
    assert "3" in e.value.message_dict["quantity"][0]
    item.refresh_from_db()
    assert item.stock == 3
    assert not Order.objects.exists()


@pytest.mark.parametrize("quantity", [0, -2, "x"])
def test_a_quantity_below_one_is_refused(cast, quantity):
    item = product(cast)
    with pytest.raises(ValidationError):
        order(cast, item, buyer(), quantity=quantity)
    item.refresh_from_db()
    assert item.stock == 5


def test_the_last_item_goes_to_one_buyer_and_the_other_is_told(cast):
    item = product(cast, stock=1)
    first = order(cast, item, buyer("b1"))
    with pytest.raises(ValidationError) as e:
        order(cast, item, buyer("b2"))
    told = gettext("Sorry, it is sold out: someone else took the last one.")
    assert e.value.message_dict["quantity"] == [told]
    item.refresh_from_db()
    assert item.stock == 0
    assert list(Order.objects.all()) == [first]


def test_the_seller_cannot_order_their_own_product_nor_anyone_a_withdrawn_one(cast):
    item = product(cast)
    with pytest.raises(ValidationError):
        order(cast, item, cast.resident)
    services.product_withdraw(acting_user=cast.resident, product=item)
    with pytest.raises(ValidationError):
        order(cast, item, buyer())
    assert not Order.objects.exists()


def test_wrong_people_cannot_confirm(cast):
    item = product(cast)
    placed = order(cast, item, buyer("b1"))
    other = buyer("b2", unit=cast.village1a)
    for user in (other, cast.volunteer, cast.village2a_secretary):
        with pytest.raises(NotFound):
            services.order_move(acting_user=user, order=placed, to=OrderState.CONFIRMED)
    # the buyer cannot confirm their own order; an officer reads it but cannot confirm
    for user in (placed.buyer, cast.village1a_secretary):
        with pytest.raises(NotFound):
            services.order_move(acting_user=user, order=placed, to=OrderState.CONFIRMED)
    placed.refresh_from_db()
    assert placed.state == OrderState.REQUESTED


def test_the_buyer_cannot_rate_before_completion_nor_twice(cast):
    item = product(cast)
    placed = order(cast, item, buyer("b1"))
    with pytest.raises(ValidationError):
        services.order_rate(acting_user=placed.buyer, order=placed, rating=5)
    for to in (OrderState.CONFIRMED, OrderState.SHIPPED, OrderState.COMPLETED):
        placed = services.order_move(acting_user=cast.resident, order=placed, to=to)
    with pytest.raises(NotFound):
        services.order_rate(acting_user=cast.resident, order=placed, rating=5)  # the seller
    with pytest.raises(ValidationError):
        services.order_rate(acting_user=placed.buyer, order=placed, rating=6)
    services.order_rate(acting_user=placed.buyer, order=placed, rating=4, comment="好吃")
    with pytest.raises(ValidationError):
        services.order_rate(acting_user=placed.buyer, order=placed, rating=5)
    placed.refresh_from_db()
    assert placed.rating == 4


def test_a_step_from_the_wrong_state_is_refused(cast):
    item = product(cast)
    placed = order(cast, item, buyer("b1"))
    with pytest.raises(ValidationError):
        services.order_move(acting_user=cast.resident, order=placed, to=OrderState.COMPLETED)
    services.order_move(acting_user=cast.resident, order=placed, to=OrderState.DECLINED)
    with pytest.raises(ValidationError):
        services.order_move(acting_user=cast.resident, order=placed, to=OrderState.CONFIRMED)
    placed.refresh_from_db()
    assert placed.state == OrderState.DECLINED


def test_payment_is_recorded_by_the_seller_once_confirmed(cast):
    item = product(cast)
    placed = order(cast, item, buyer("b1"), quantity=2)
    with pytest.raises(ValidationError):
        services.order_record_payment(
            acting_user=cast.resident, order=placed, amount=70, how="现金"
        )
    placed = services.order_move(acting_user=cast.resident, order=placed, to=OrderState.CONFIRMED)
    with pytest.raises(NotFound):
        services.order_record_payment(acting_user=placed.buyer, order=placed, amount=70, how="现金")
    with pytest.raises(ValidationError) as e:
        services.order_record_payment(acting_user=cast.resident, order=placed, amount=-3, how="")
    assert set(e.value.message_dict) == {"amount", "how"}
    paid = services.order_record_payment(
        acting_user=cast.resident, order=placed, amount="70", how="微信转账"
    )
    assert paid.paid_amount == Decimal("70.00") and paid.paid_how == "微信转账"


# --- Positives ------------------------------------------------------------------------------


def test_an_order_reserves_stock_and_a_decline_or_cancel_gives_it_back(cast):
    item = product(cast, stock=5)
    a = order(cast, item, buyer("b1"), quantity=2)
    b = order(cast, item, buyer("b2"), quantity=3)
    item.refresh_from_db()
    assert item.stock == 0
    services.order_move(acting_user=cast.resident, order=a, to=OrderState.DECLINED, reason="不够")
    services.order_move(acting_user=b.buyer, order=b, to=OrderState.CANCELLED)
    item.refresh_from_db()
    assert item.stock == 5


def test_the_whole_workflow_notifies_the_other_party_and_audits(cast):
    user = buyer("b1", unit=cast.village1b)
    item = product(cast)
    placed = order(cast, item, user)
    seller_person = item.person
    assert Notification.objects.filter(recipient=seller_person, kind=Kind.ORDER_REQUESTED).exists()
    for to in (OrderState.CONFIRMED, OrderState.SHIPPED, OrderState.COMPLETED):
        placed = services.order_move(acting_user=cast.resident, order=placed, to=to)
    kinds = set(Notification.objects.filter(recipient__user=user).values_list("kind", flat=True))
    assert kinds == {Kind.ORDER_CONFIRMED, Kind.ORDER_SHIPPED, Kind.ORDER_COMPLETED}
    services.order_rate(acting_user=user, order=placed, rating=5)
    assert AuditEntry.objects.filter(object_type="market.order", object_id=placed.pk).count() == 5
    assert placed.completed_at is not None


def test_the_same_idempotency_key_returns_the_first_order(cast):
    item = product(cast, stock=5)
    user = buyer()
    first = services.order_request(acting_user=user, product=item, quantity=2, request_key="k-1")
    again = services.order_request(acting_user=user, product=item, quantity=2, request_key="k-1")
    assert first.created and not again.created
    assert again.order.pk == first.order.pk
    item.refresh_from_db()
    assert item.stock == 3


def test_an_officer_withdraws_an_abusive_listing_with_the_reason(cast):
    item = product(cast)
    for user in (cast.volunteer, cast.village2a_secretary, buyer()):
        with pytest.raises(NotFound):
            services.product_withdraw(acting_user=user, product=item)
    services.product_withdraw(acting_user=cast.township1_officer, product=item, reason="假货")
    item.refresh_from_db()
    assert item.status == ProductStatus.WITHDRAWN
    assert AuditEntry.objects.filter(object_type="market.product", note__contains="假货").exists()


def test_the_seller_changes_price_and_stock(cast):
    item = product(cast)
    with pytest.raises(NotFound):
        services.product_update(
            acting_user=cast.village1a_secretary,
            product=item,
            title="奶豆腐",
            category="dairy",
            price="40",
            sale_unit="jin",
            stock=9,
            pickup=True,
            delivery=True,
        )
    done = services.product_update(
        acting_user=cast.resident,
        product=item,
        title="奶豆腐",
        category="dairy",
        price="40",
        sale_unit="jin",
        stock=9,
        pickup=True,
        delivery=True,
    )
    assert done.price == Decimal("40.00") and done.stock == 9


def test_the_system_lists_and_orders_for_named_people(cast):
    item = services.product_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        seller=cast.resident,
        title="黄油",
        category="dairy",
        price="60",
        sale_unit="jin",
        stock=4,
    )
    done = services.order_request(acting_user=SYSTEM, product=item, quantity=1, buyer=buyer())
    assert done.order.state == OrderState.REQUESTED
