"""The local products shop through the API (``nutag.market``): the listed products of a
unit's subtree (paged; search and category), one product, list one (a resident of the unit),
withdraw one (its seller or the unit's officers); order requests (``POST
/products/{id}/orders`` with an ``Idempotency-Key``: the same key from the same login
returns the first order), my orders, one order, its steps (the seller confirms, declines,
ships, completes; the buyer cancels), the payment and the rating. Same selectors, rules and
services as the pages: 404 for missing and for not yours, 400 with the message for a
refusal (not enough in stock, a step from the wrong state)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import SessionAuth

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import (
    ErrorOut,
    JsonInt,
    UnitRef,
    ValidationErrorOut,
    bounds,
    one_of,
    text,
    unit_ref,
)
from nutag.core.errors import NotFound
from nutag.market import services
from nutag.market.models import Order, OrderState, Product, ProductCategory, SaleUnit
from nutag.market.permissions import can_sell, can_withdraw_product
from nutag.market.selectors.shop import (
    access_order,
    access_product,
    my_purchases,
    my_sales,
    products_under,
)
from nutag.orgs.selectors import get_unit_by_code

session = SessionAuth()
market = Router(tags=["local products shop"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ValidationErrorOut, 401: ErrorOut, 404: ErrorOut}

Price = Annotated[float, Field(ge=0.01, le=99999999.99)]  # yuan, rounded to the fen
Stock = Annotated[JsonInt, bounds(0, services.MAX_STOCK)]
Quantity = Annotated[JsonInt, bounds(1, services.MAX_QUANTITY)]
Stars = Annotated[JsonInt, bounds(1, 5)]
Title = Annotated[str, text(120, required=True)]
Description = Annotated[str, text(2000)]
Contact = Annotated[str, text(60)]
Note = Annotated[str, text(300)]
Reason = Annotated[str, text(200)]
How = Annotated[str, text(60, required=True)]


class ProductOut(Schema):
    id: int
    unit: UnitRef
    title: str
    category: str
    description: str
    price: str  # yuan, two decimals
    sale_unit: str
    stock: int
    pickup: bool
    delivery: bool
    contact: str
    photos: list[str]
    status: str
    seller_id: int
    created_at: dt.datetime


class ProductIn(Schema):
    title: Title
    category: Annotated[str, one_of(ProductCategory.values)]
    price: Price
    sale_unit: Annotated[str, one_of(SaleUnit.values)]
    stock: Stock
    pickup: bool = True
    delivery: bool = False
    description: Description = ""
    contact: Contact = ""


class WithdrawIn(Schema):
    reason: Reason = ""


class OrderIn(Schema):
    quantity: Quantity
    note: Note = ""
    contact: Contact = ""


class OrderOut(Schema):
    id: int
    number: str
    product: ProductOut
    quantity: int
    unit_price: str
    total: str
    note: str
    contact: str
    state: str
    reason: str
    paid_amount: str | None
    paid_how: str
    paid_on: dt.date | None
    rating: int | None
    rating_comment: str
    created_at: dt.datetime
    completed_at: dt.datetime | None
    mine_as: str  # "buyer", "seller" or "officer"


class StepIn(Schema):
    state: Annotated[
        str,
        one_of(
            [
                OrderState.CONFIRMED,
                OrderState.DECLINED,
                OrderState.SHIPPED,
                OrderState.COMPLETED,
                OrderState.CANCELLED,
            ]
        ),
    ]
    reason: Reason = ""


class PaymentIn(Schema):
    amount: Price
    how: How


class RatingIn(Schema):
    rating: Stars
    comment: Note = ""


def _photo_urls(photos: list[dict[str, Any]]) -> list[str]:
    from django.core.files.storage import default_storage

    return [default_storage.url(p["name"]) for p in photos if p.get("name")]


def product_out(product: Product) -> dict[str, Any]:
    return {
        "id": product.pk,
        "unit": unit_ref(product.unit),
        "title": product.title,
        "category": product.category,
        "description": product.description,
        "price": str(product.price),
        "sale_unit": product.sale_unit,
        "stock": product.stock,
        "pickup": product.pickup,
        "delivery": product.delivery,
        "contact": product.contact,
        "photos": _photo_urls(product.photos),
        "status": product.status,
        "seller_id": product.seller_id,
        "created_at": product.created_at,
    }


def order_out(request: HttpRequest, order: Order) -> dict[str, Any]:
    if order.buyer_id == request.user.pk:
        mine_as = "buyer"
    elif order.product.seller_id == request.user.pk:
        mine_as = "seller"
    else:
        mine_as = "officer"
    return {
        "id": order.pk,
        "number": order.number,
        "product": product_out(order.product),
        "quantity": order.quantity,
        "unit_price": str(order.unit_price),
        "total": str(order.total),
        "note": order.note,
        "contact": order.contact,
        "state": order.state,
        "reason": order.reason,
        "paid_amount": str(order.paid_amount) if order.paid_amount is not None else None,
        "paid_how": order.paid_how,
        "paid_on": order.paid_on,
        "rating": order.rating,
        "rating_comment": order.rating_comment,
        "created_at": order.created_at,
        "completed_at": order.completed_at,
        "mine_as": mine_as,
    }


@market.get("/units/{code}/products", response={200: Page[ProductOut], 404: ErrorOut})
def unit_products(
    request: HttpRequest,
    code: str,
    q: Annotated[str, text(60)] = "",
    category: Annotated[str, one_of(["", *ProductCategory.values])] = "",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The listed products of the unit and every unit below it (the banner's: the market)."""
    unit = get_unit_by_code(code=code)
    rows = products_under(unit=unit, q=q.strip(), category=category)
    return page(rows, offset=offset, limit=limit, out=product_out)


@market.post("/units/{code}/products", auth=session, response={201: ProductOut, **WRITE_ERRORS})
def product_create(request: HttpRequest, code: str, payload: ProductIn) -> Any:
    unit = get_unit_by_code(code=code)
    if not can_sell(request.user, unit):
        raise NotFound
    product = services.product_create(
        acting_user=request.user,
        unit=unit,
        title=payload.title,
        category=payload.category,
        price=payload.price,
        sale_unit=payload.sale_unit,
        stock=payload.stock,
        pickup=payload.pickup,
        delivery=payload.delivery,
        description=payload.description,
        contact=payload.contact,
    )
    return Status(201, product_out(product))


@market.get("/products/{product_id}", response={200: ProductOut, 404: ErrorOut})
def product_get(request: HttpRequest, product_id: int) -> dict[str, Any]:
    return product_out(access_product(user=request.user, pk=product_id))


@market.post(
    "/products/{product_id}/withdraw",
    auth=session,
    response={200: ProductOut, **WRITE_ERRORS},
)
def product_withdraw(request: HttpRequest, product_id: int, payload: WithdrawIn) -> Any:
    product = access_product(user=request.user, pk=product_id)
    if not can_withdraw_product(request.user, product):
        raise NotFound
    done = services.product_withdraw(
        acting_user=request.user, product=product, reason=payload.reason
    )
    return product_out(done)


ORDER_HEADERS = {
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 100},
            "description": "The same key from the same login returns the first order.",
        }
    ]
}


@market.post(
    "/products/{product_id}/orders",
    auth=session,
    response={200: OrderOut, 201: OrderOut, **WRITE_ERRORS},
    openapi_extra=ORDER_HEADERS,
)
def order_request(request: HttpRequest, product_id: int, payload: OrderIn) -> Any:
    """Ask for a quantity of a product; its stock is reserved at once. More than is left is
    refused with how many are left (400 on ``quantity``)."""
    product = access_product(user=request.user, pk=product_id)
    done = services.order_request(
        acting_user=request.user,
        product=product,
        quantity=payload.quantity,
        note=payload.note,
        contact=payload.contact,
        request_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(201 if done.created else 200, order_out(request, done.order))


@market.get("/orders", auth=session, response={200: Page[OrderOut], 401: ErrorOut})
def my_orders(
    request: HttpRequest,
    role: Annotated[str, one_of(["buyer", "seller"])] = "buyer",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """My orders as a buyer (default) or as a seller, newest first."""
    rows = my_sales(user=request.user) if role == "seller" else my_purchases(user=request.user)
    rows = rows.select_related("product__unit")
    return page(rows, offset=offset, limit=limit, out=lambda o: order_out(request, o))


@market.get("/orders/{order_id}", auth=session, response={200: OrderOut, **READ_ERRORS})
def order_get(request: HttpRequest, order_id: int) -> dict[str, Any]:
    return order_out(request, access_order(user=request.user, pk=order_id))


@market.post("/orders/{order_id}/state", auth=session, response={200: OrderOut, **WRITE_ERRORS})
def order_step(request: HttpRequest, order_id: int, payload: StepIn) -> dict[str, Any]:
    """The seller confirms, declines, ships, completes; the buyer cancels."""
    order = access_order(user=request.user, pk=order_id)
    moved = services.order_move(
        acting_user=request.user, order=order, to=payload.state, reason=payload.reason
    )
    return order_out(request, moved)


@market.post("/orders/{order_id}/payment", auth=session, response={200: OrderOut, **WRITE_ERRORS})
def order_payment(request: HttpRequest, order_id: int, payload: PaymentIn) -> dict[str, Any]:
    order = access_order(user=request.user, pk=order_id)
    paid = services.order_record_payment(
        acting_user=request.user, order=order, amount=payload.amount, how=payload.how
    )
    return order_out(request, paid)


@market.post("/orders/{order_id}/rating", auth=session, response={200: OrderOut, **WRITE_ERRORS})
def order_rating(request: HttpRequest, order_id: int, payload: RatingIn) -> dict[str, Any]:
    order = access_order(user=request.user, pk=order_id)
    rated = services.order_rate(
        acting_user=request.user, order=order, rating=payload.rating, comment=payload.comment
    )
    return order_out(request, rated)
