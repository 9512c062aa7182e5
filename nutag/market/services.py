"""Every write of the local products shop (特产 / 电商).

Products: a resident lists one at their own unit (``product_create``), changes it
(``product_update``) and withdraws it (``product_withdraw``, also an officer of the unit or
above, for an abusive listing; audited with the reason).

Orders: ``order_request`` reserves the stock at once, in the same transaction as the order:
the product row is locked (``select_for_update``, on PostgreSQL) and the stock taken by a
conditional ``UPDATE … SET stock = stock - q WHERE stock >= q``, so two buyers of the last
item never both get it: the second is told how many are left. The stock comes back on a
decline (seller) or a cancellation (buyer). Every state change is a compare-and-set on the
state it leaves, writes an audit row and tells the other party (``nutag.notify``). An
``Idempotency-Key`` (``request_key``) from the same login returns the first order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import SYSTEM, Actor, SystemActor
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.media import image_files, saving, store_image
from nutag.core.models import AuditAction
from nutag.market.models import (
    Order,
    OrderState,
    Product,
    ProductCategory,
    ProductStatus,
    SaleUnit,
)
from nutag.market.permissions import (
    can_edit_product,
    can_handle_order,
    can_order,
    can_rate_order,
    can_read_order,
    can_sell,
    can_withdraw_product,
    is_buyer,
)
from nutag.notify.models import Kind
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.people.models import Person

MAX_PHOTOS = 4
MAX_PRICE = Decimal("99999999.99")
MAX_STOCK = 1_000_000
MAX_QUANTITY = 10_000


def _announce(unit: Unit) -> None:
    """Purge the cached site pages of the unit and the units above it (the banner's market
    page lists every product under it)."""
    from nutag.sites.caching import purge_units
    from nutag.sites.events import announce_site_change

    purge_units(unit_ids=[unit.pk])  # at once (and on commit): the writer sees the change
    announce_site_change(unit_ids=[unit.pk])


def _price(value: Any, errors: dict[str, list[str]]) -> Decimal:
    try:
        price = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors["price"] = [_("Write the price as a number, e.g. 35 or 12.50.")]
        return Decimal(0)
    if not price.is_finite() or price <= 0:
        errors["price"] = [_("The price must be more than zero.")]
    elif price > MAX_PRICE:
        errors["price"] = [_("The price is too large.")]
    return price


def _stock(value: Any, errors: dict[str, list[str]]) -> int:
    try:
        stock = int(value)
    except (TypeError, ValueError):
        errors["stock"] = [_("Write how many are in stock as a whole number.")]
        return 0
    if stock < 0:
        errors["stock"] = [_("The stock cannot be below zero.")]
    elif stock > MAX_STOCK:
        errors["stock"] = [_("The stock is too large.")]
    return stock


def _check_product(
    *,
    title: str,
    category: str,
    price: Any,
    sale_unit: str,
    stock: Any,
    pickup: bool,
    delivery: bool,
) -> tuple[str, Decimal, int]:
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = [_("Give the product a name.")]
    if category not in ProductCategory.values:
        errors["category"] = [_("Choose a category.")]
    if sale_unit not in SaleUnit.values:
        errors["sale_unit"] = [_("Choose how it is sold (jin, kg, piece, head).")]
    checked_price = _price(price, errors)
    checked_stock = _stock(stock, errors)
    if not pickup and not delivery:
        errors["pickup"] = [_("Offer pick-up, delivery or both.")]
    if errors:
        raise ValidationError(errors)
    return title[:120], checked_price, checked_stock


def product_create(
    *,
    acting_user: Actor,
    unit: Unit,
    title: str,
    category: str,
    price: Any,
    sale_unit: str,
    stock: Any,
    pickup: bool = True,
    delivery: bool = False,
    description: str = "",
    contact: str = "",
    photos: Sequence[Any] = (),
    seller: Any = None,
) -> Product:
    """A product listed at ``unit`` by a resident of it (``SYSTEM`` names the ``seller``)."""
    if isinstance(acting_user, SystemActor):
        if seller is None:
            raise ValueError("the system lists a product for a named seller")
    else:
        require(acting_user, can_sell, unit)
        seller = acting_user
    title, checked_price, checked_stock = _check_product(
        title=title,
        category=category,
        price=price,
        sale_unit=sale_unit,
        stock=stock,
        pickup=pickup,
        delivery=delivery,
    )
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": [_("At most %(n)d photos.") % {"n": MAX_PHOTOS}]})
    person = Person.objects.filter(user_id=seller.pk).first()

    def run(written: list[str]) -> Product:
        stored = []
        for upload in photos:
            image = store_image(upload, folder="market")
            written.extend(image_files(image.as_dict()))
            stored.append(image.as_dict())
        product = Product(
            unit=unit,
            unit_path=unit.path,
            seller=seller,
            person=person,
            title=title,
            category=category,
            description=(description or "").strip()[:2000],
            price=checked_price,
            sale_unit=sale_unit,
            stock=checked_stock,
            pickup=pickup,
            delivery=delivery,
            contact=(contact or "").strip()[:60],
            photos=stored,
        )
        product.full_clean()
        product.save()
        audit_record(actor=acting_user, action=AuditAction.CREATE, obj=product, unit=unit)
        _announce(unit)
        return product

    return saving(run)


@transaction.atomic
def product_update(
    *,
    acting_user: Actor,
    product: Product,
    title: str,
    category: str,
    price: Any,
    sale_unit: str,
    stock: Any,
    pickup: bool,
    delivery: bool,
    description: str = "",
    contact: str = "",
) -> Product:
    """The seller changes the details and the stock (what is left to sell)."""
    require(acting_user, can_edit_product, product)
    title, checked_price, checked_stock = _check_product(
        title=title,
        category=category,
        price=price,
        sale_unit=sale_unit,
        stock=stock,
        pickup=pickup,
        delivery=delivery,
    )
    locked = Product.objects.select_for_update().get(pk=product.pk)
    before = {
        "title": locked.title,
        "price": str(locked.price),
        "stock": locked.stock,
        "status": locked.status,
    }
    locked.title = title
    locked.category = category
    locked.price = checked_price
    locked.sale_unit = sale_unit
    locked.stock = checked_stock
    locked.pickup = pickup
    locked.delivery = delivery
    locked.description = (description or "").strip()[:2000]
    locked.contact = (contact or "").strip()[:60]
    locked.full_clean()
    locked.save()
    after = {
        "title": locked.title,
        "price": str(locked.price),
        "stock": locked.stock,
        "status": locked.status,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, obj=locked, unit=locked.unit, changes=changes
    )
    _announce(locked.unit)
    return locked


@transaction.atomic
def product_withdraw(*, acting_user: Actor, product: Product, reason: str = "") -> Product:
    """Take a product off the shop (its seller, or an officer for an abusive listing).
    Open orders keep their course."""
    require(acting_user, can_withdraw_product, product)
    Product.objects.filter(pk=product.pk).update(
        status=ProductStatus.WITHDRAWN, updated_at=timezone.now()
    )
    product.refresh_from_db()
    reason = " ".join((reason or "").split())[:200]
    audit_record(
        actor=acting_user,
        action=AuditAction.CLOSE,
        obj=product,
        unit=product.unit,
        note=f"withdrawn: {reason}" if reason else "withdrawn",
    )
    _announce(product.unit)
    return product


# --- Orders ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Requested:
    order: Order
    created: bool  # False: the idempotency key had already made it


def _tell(*, acting_user: Actor, order: Order, kind: str, to_seller: bool) -> None:
    user_id = order.product.seller_id if to_seller else order.buyer_id
    if user_id is None:  # the login was deleted
        return
    person_ids = list(Person.objects.filter(user_id=user_id).values_list("pk", flat=True))
    if not person_ids:
        return
    from nutag.notify.services import notify_people

    notify_people(
        acting_user=acting_user,
        kind=kind,
        person_ids=person_ids,
        params={"number": order.number, "title": order.product.title, "qty": order.quantity},
        event_key=f"market:{order.pk}:{kind}",
        link=f"/market/orders/{order.pk}/",
    )


def order_request(
    *,
    acting_user: Actor,
    product: Product,
    quantity: Any,
    note: str = "",
    contact: str = "",
    request_key: str = "",
    buyer: Any = None,
) -> Requested:
    """A buyer asks for ``quantity`` of ``product``; its stock is reserved at once."""
    if isinstance(acting_user, SystemActor):
        if buyer is None:
            raise ValueError("the system orders for a named buyer")
    else:
        buyer = acting_user
        if not can_order(acting_user, product):
            if product.status != ProductStatus.LISTED or product.seller_id == acting_user.pk:
                raise ValidationError(
                    {"quantity": [_("This product cannot be ordered (withdrawn or your own).")]}
                )
            raise NotFound
    try:
        qty = int(quantity)
    except (TypeError, ValueError):
        qty = 0
    if qty < 1 or qty > MAX_QUANTITY:
        raise ValidationError({"quantity": [_("Order at least one.")]})
    request_key = (request_key or "").strip()[:100]
    if request_key:
        done = Order.objects.filter(buyer=buyer, request_key=request_key).first()
        if done is not None:
            return Requested(order=done, created=False)
    try:
        order = _order_request(
            acting_user=acting_user,
            product=product,
            buyer=buyer,
            qty=qty,
            note=note,
            contact=contact,
            request_key=request_key,
        )
    except IntegrityError:
        # A racing request with the same key won; ours was rolled back, stock included.
        done = Order.objects.filter(buyer=buyer, request_key=request_key).first()
        if done is None or not request_key:
            raise
        return Requested(order=done, created=False)
    return Requested(order=order, created=True)


@transaction.atomic
def _order_request(
    *,
    acting_user: Actor,
    product: Product,
    buyer: Any,
    qty: int,
    note: str,
    contact: str,
    request_key: str,
) -> Order:
    locked = Product.objects.select_for_update().get(pk=product.pk)
    if locked.status != ProductStatus.LISTED:
        raise ValidationError({"quantity": [_("This product is no longer listed.")]})
    taken = Product.objects.filter(
        pk=locked.pk, status=ProductStatus.LISTED, stock__gte=qty
    ).update(stock=F("stock") - qty, updated_at=timezone.now())
    if not taken:
        left = Product.objects.filter(pk=locked.pk).values_list("stock", flat=True).first() or 0
        if left == 0:
            message = _("Sorry, it is sold out: someone else took the last one.")
        else:
            message = _("Only %(left)d left: order %(left)d or fewer.") % {"left": left}
        raise ValidationError({"quantity": [message]}, code="stock")
    order = Order(
        product=locked,
        unit_path=locked.unit_path,
        buyer=buyer,
        quantity=qty,
        unit_price=locked.price,
        note=(note or "").strip()[:300],
        contact=(contact or "").strip()[:60],
        request_key=request_key,
    )
    order.full_clean(validate_constraints=False)
    order.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=order,
        unit=locked.unit,
        note=f"quantity {qty}",
    )
    _tell(acting_user=acting_user, order=order, kind=Kind.ORDER_REQUESTED, to_seller=True)
    _announce(locked.unit)
    return order


# state → (states it may leave from, notice kind, notice to the seller?)
_STEPS: dict[str, tuple[tuple[str, ...], str, bool]] = {
    OrderState.CONFIRMED: ((OrderState.REQUESTED,), Kind.ORDER_CONFIRMED, False),
    OrderState.DECLINED: (
        (OrderState.REQUESTED, OrderState.CONFIRMED),
        Kind.ORDER_DECLINED,
        False,
    ),
    OrderState.SHIPPED: ((OrderState.CONFIRMED,), Kind.ORDER_SHIPPED, False),
    OrderState.COMPLETED: ((OrderState.SHIPPED,), Kind.ORDER_COMPLETED, False),
    OrderState.CANCELLED: (
        (OrderState.REQUESTED, OrderState.CONFIRMED),
        Kind.ORDER_CANCELLED,
        True,
    ),
}


@transaction.atomic
def order_move(*, acting_user: Actor, order: Order, to: str, reason: str = "") -> Order:
    """Move an order to state ``to``: the seller confirms, declines, ships, completes; the
    buyer cancels. A decline or a cancellation gives the stock back. Moving from a state the
    order has already left is refused with what it is now."""
    if to not in _STEPS:
        raise ValidationError({"state": [_("Unknown step.")]})
    sources, kind, to_seller = _STEPS[to]
    if not isinstance(acting_user, SystemActor):
        if not can_read_order(acting_user, order):
            raise NotFound
        if to == OrderState.CANCELLED:
            allowed = is_buyer(acting_user, order)
        else:
            allowed = can_handle_order(acting_user, order)
        if not allowed:
            raise NotFound
    now = timezone.now()
    fields: dict[str, Any] = {"state": to, "updated_at": now}
    if to in (OrderState.DECLINED, OrderState.CANCELLED):
        fields["reason"] = " ".join((reason or "").split())[:200]
    if to == OrderState.COMPLETED:
        fields["completed_at"] = now
    moved = Order.objects.filter(pk=order.pk, state__in=sources).update(**fields)
    if not moved:
        current = Order.objects.get(pk=order.pk)
        raise ValidationError(
            _("This order is already “%(state)s”.") % {"state": current.get_state_display()},
            code="state",
        )
    if to in (OrderState.DECLINED, OrderState.CANCELLED):
        Product.objects.filter(pk=order.product_id).update(
            stock=F("stock") + order.quantity, updated_at=now
        )
    before = order.state
    order.refresh_from_db()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=order,
        unit=order.product.unit,
        changes={"state": [before, to]},
        note=fields.get("reason", ""),
    )
    _tell(acting_user=acting_user, order=order, kind=kind, to_seller=to_seller)
    _announce(order.product.unit)
    return order


@transaction.atomic
def order_record_payment(
    *, acting_user: Actor, order: Order, amount: Any, how: str, paid_on: dt.date | None = None
) -> Order:
    """The seller records the payment arranged with the buyer (cash, transfer …)."""
    require(acting_user, can_handle_order, order)
    if order.state not in (OrderState.CONFIRMED, OrderState.SHIPPED, OrderState.COMPLETED):
        raise ValidationError({"amount": [_("A payment is recorded once the order is confirmed.")]})
    errors: dict[str, list[str]] = {}
    paid = _price(amount, errors)
    if "price" in errors:
        errors["amount"] = [_("The amount must be more than zero.")]
        del errors["price"]
    how = " ".join((how or "").split())[:60]
    if not how:
        errors["how"] = [_("Say how it was paid (cash, transfer …).")]
    day = paid_on or timezone.localdate()
    if day > timezone.localdate():
        errors["paid_on"] = [_("The day of payment cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    before = str(order.paid_amount) if order.paid_amount is not None else None
    Order.objects.filter(pk=order.pk).update(
        paid_amount=paid, paid_how=how, paid_on=day, updated_at=timezone.now()
    )
    order.refresh_from_db()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=order,
        unit=order.product.unit,
        changes={"paid_amount": [before, str(paid)]},
    )
    return order


@transaction.atomic
def order_rate(*, acting_user: Actor, order: Order, rating: Any, comment: str = "") -> Order:
    """The buyer rates a completed order once (1–5) with a comment."""
    if not isinstance(acting_user, SystemActor):
        if not is_buyer(acting_user, order):
            raise NotFound
        if not can_rate_order(acting_user, order) and order.state == OrderState.COMPLETED:
            raise ValidationError({"rating": [_("This order is already rated.")]})
    if order.state != OrderState.COMPLETED:
        raise ValidationError({"rating": [_("An order is rated once it is completed.")]})
    if order.rating is not None:
        raise ValidationError({"rating": [_("This order is already rated.")]})
    try:
        stars = int(rating)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ValidationError({"rating": [_("Choose from 1 to 5 stars.")]})
    done = Order.objects.filter(
        pk=order.pk, state=OrderState.COMPLETED, rating__isnull=True
    ).update(
        rating=stars,
        rating_comment=" ".join((comment or "").split())[:300],
        updated_at=timezone.now(),
    )
    if not done:
        raise ValidationError({"rating": [_("This order is already rated.")]})
    order.refresh_from_db()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=order,
        unit=order.product.unit,
        changes={"rating": [None, stars]},
    )
    return order


@transaction.atomic
def market_forget_login(*, acting_user: Actor, user: Any, person: Person | None) -> None:
    """When a login is deleted (``nutag.people.accounts.deletion`` hook): its listed products
    are withdrawn and lose their contact; its orders stay in the sellers' records without
    the buyer's contact or note. The rows lose the login by ``SET_NULL``."""
    for product in Product.objects.filter(seller=user, status=ProductStatus.LISTED):
        product_withdraw(acting_user=SYSTEM, product=product, reason="login deleted")
    Product.objects.filter(seller=user).update(contact="")
    Order.objects.filter(buyer=user).update(contact="", note="")
