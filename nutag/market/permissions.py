"""Who may do what in the local products shop: one rule per action.

Selling is not a right that flows down the tree but a place: a resident of the unit itself
(a person of it with a login) lists products there and is their seller. Buying is open to
any login but the seller. An order is read by its buyer, its seller and those who may
moderate the product's unit (``moderate_products``: the officers who handle residents'
concerns at the unit or above), who may also withdraw an abusive listing.
``SYSTEM`` passes every rule in the services.
"""

from __future__ import annotations

from typing import Any, cast

from nutag.core.actors import AnyUser
from nutag.market.models import Order, OrderState, Product, ProductStatus
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_unit_perm
from nutag.people.models import Person


def person_of(user: AnyUser) -> Person | None:
    """The login's person (cached on the user object for the request)."""
    if not user.is_authenticated:
        return None
    cached: Any = getattr(user, "_nutag_market_person", False)
    if cached is not False:
        return cast(Person | None, cached)
    person = Person.objects.filter(user_id=user.pk).only("id", "unit_id", "unit_path").first()
    setattr(user, "_nutag_market_person", person)  # noqa: B010 - cached per request
    return person


def can_sell(user: AnyUser, unit: Unit) -> bool:
    """List a product at ``unit``: a resident of the unit itself with a login."""
    person = person_of(user)
    return person is not None and person.unit_id == unit.pk


def can_moderate_products(user: AnyUser, unit: Unit) -> bool:
    """Withdraw any listing at ``unit`` and read its orders: its officers and those above."""
    return has_unit_perm(user=user, perm=Perm.HANDLE_CONCERNS, unit=unit)


def is_seller(user: AnyUser, product: Product) -> bool:
    return user.is_authenticated and product.seller_id == user.pk


def can_edit_product(user: AnyUser, product: Product) -> bool:
    """Change a product's details and stock: its seller."""
    return is_seller(user, product)


def can_withdraw_product(user: AnyUser, product: Product) -> bool:
    return is_seller(user, product) or can_moderate_products(user, product.unit)


def can_order(user: AnyUser, product: Product) -> bool:
    """Ask for a listed product: any login but its seller."""
    return (
        user.is_authenticated
        and product.status == ProductStatus.LISTED
        and product.seller_id != user.pk
    )


def is_buyer(user: AnyUser, order: Order) -> bool:
    return user.is_authenticated and order.buyer_id == user.pk


def can_read_order(user: AnyUser, order: Order) -> bool:
    return (
        is_buyer(user, order)
        or is_seller(user, order.product)
        or can_moderate_products(user, order.product.unit)
    )


def can_handle_order(user: AnyUser, order: Order) -> bool:
    """Confirm, decline, ship, complete and record the payment: the seller alone."""
    return is_seller(user, order.product)


def can_cancel_order(user: AnyUser, order: Order) -> bool:
    """Cancel before it is shipped: the buyer alone."""
    return is_buyer(user, order) and order.state in (OrderState.REQUESTED, OrderState.CONFIRMED)


def can_rate_order(user: AnyUser, order: Order) -> bool:
    """Rate once, after completion: the buyer alone."""
    return is_buyer(user, order) and order.state == OrderState.COMPLETED and order.rating is None
