"""Shop pages: a unit's market (``/u/<code>/market/``: the banner's covers every product
under it, with search and categories), a product with its order form, listing and editing a
product, my orders (bought and sold) with their actions, a seller's record, and the shop in
the unit site's products column. Parse, check, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from nutag.core.errors import NotFound
from nutag.core.forms import run_action, submit_to_service
from nutag.market import services
from nutag.market.forms import OrderForm, PaymentForm, ProductEditForm, ProductForm, RatingForm
from nutag.market.models import OrderState, ProductCategory
from nutag.market.permissions import (
    can_cancel_order,
    can_edit_product,
    can_handle_order,
    can_order,
    can_rate_order,
    can_sell,
    can_withdraw_product,
)
from nutag.market.selectors.shop import (
    access_order,
    access_product,
    my_products,
    my_purchases,
    my_sales,
    products_under,
    seller_record,
    shop_products,
)
from nutag.orgs.models import Unit
from nutag.orgs.selectors import get_unit_by_code
from nutag.people.models import Person
from nutag.sites.caching import public_page

PAGE_SIZE = 30


def _search(raw: str) -> str | None:
    text = " ".join(raw.split())[:60]
    return text or None


def _category(raw: str) -> str | None:
    return raw if raw in ProductCategory.values else None


def render_shop_column(request: HttpRequest, unit: Unit, column: object) -> str:
    """The products column of a unit's site: its shop (the same for every reader: cached)."""
    return render_to_string(
        "market/_column.html",
        {"unit": unit, "products": shop_products(unit=unit)},
        request=request,
    )


@public_page(params={"q": _search, "category": _category})
def market(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    q = request.GET.get("q", "")
    category = request.GET.get("category", "")
    rows = list(products_under(unit=unit, q=q, category=category)[:PAGE_SIZE])
    return render(
        request,
        "market/market.html",
        {
            "unit": unit,
            "rows": rows,
            "q": q,
            "category": category,
            "categories": ProductCategory.choices,
            "may_sell": can_sell(request.user, unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    if not can_sell(request.user, unit):
        raise NotFound
    form = ProductForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        product = submit_to_service(
            form,
            lambda: services.product_create(
                acting_user=request.user,
                unit=unit,
                title=data["title"],
                category=data["category"],
                price=data["price"],
                sale_unit=data["sale_unit"],
                stock=data["stock"],
                pickup=data["pickup"],
                delivery=data["delivery"],
                description=data["description"],
                contact=data["contact"],
                photos=data["photos"] or [],
            ),
        )
        if product is not None:
            return redirect(f"/u/{code}/market/{product.pk}/")
    return render(request, "market/product_form.html", {"unit": unit, "form": form})


@public_page
@require_http_methods(["GET", "POST"])
def product_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    product = access_product(user=request.user, pk=pk)
    if product.unit.code != code:
        raise NotFound
    form = OrderForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = OrderForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = submit_to_service(
                form,
                lambda: services.order_request(
                    acting_user=request.user,
                    product=product,
                    quantity=data["quantity"],
                    note=data["note"],
                    contact=data["contact"],
                    request_key=request.POST.get("key", "")[:100],
                ),
            )
            if done is not None:
                return redirect(f"/market/orders/{done.order.pk}/")
            product.refresh_from_db()
    seller_person = product.person
    return render(
        request,
        "market/product.html",
        {
            "unit": product.unit,
            "product": product,
            "form": form,
            "seller_name": seller_person.name if seller_person else "",
            "may_order": can_order(request.user, product) and product.stock > 0,
            "may_edit": can_edit_product(request.user, product),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    product = access_product(user=request.user, pk=pk)
    if product.unit.code != code or not can_withdraw_product(request.user, product):
        raise NotFound
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        run_action(
            request,
            lambda: services.product_withdraw(
                acting_user=request.user, product=product, reason=request.POST.get("reason", "")
            ),
            _("The product is no longer listed."),
        )
        return redirect(f"/u/{code}/market/")
    if not can_edit_product(request.user, product):
        raise NotFound
    initial = {
        "title": product.title,
        "category": product.category,
        "price": product.price,
        "sale_unit": product.sale_unit,
        "stock": product.stock,
        "pickup": product.pickup,
        "delivery": product.delivery,
        "description": product.description,
        "contact": product.contact,
    }
    form = ProductEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit_to_service(
            form,
            lambda: services.product_update(
                acting_user=request.user,
                product=product,
                title=data["title"],
                category=data["category"],
                price=data["price"],
                sale_unit=data["sale_unit"],
                stock=data["stock"],
                pickup=data["pickup"],
                delivery=data["delivery"],
                description=data["description"],
                contact=data["contact"],
            ),
        )
        if done is not None:
            return redirect(f"/u/{code}/market/{product.pk}/")
    return render(
        request,
        "market/product_form.html",
        {"unit": product.unit, "form": form, "product": product},
    )


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "market/my_orders.html",
        {
            "bought": list(my_purchases(user=request.user)[:50]),
            "sold": list(my_sales(user=request.user)[:50]),
            "products": list(my_products(user=request.user)[:50]),
            "unit": None,
        },
    )


_ACTIONS = {
    "confirm": (OrderState.CONFIRMED, can_handle_order),
    "decline": (OrderState.DECLINED, can_handle_order),
    "ship": (OrderState.SHIPPED, can_handle_order),
    "complete": (OrderState.COMPLETED, can_handle_order),
    "cancel": (OrderState.CANCELLED, can_cancel_order),
}


@login_required
@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order(user=request.user, pk=pk)
    payment = PaymentForm(initial={"amount": order.total})
    rating = RatingForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in _ACTIONS:
            to, rule = _ACTIONS[action]
            if not rule(request.user, order) and not can_handle_order(request.user, order):
                raise NotFound
            run_action(
                request,
                lambda: services.order_move(
                    acting_user=request.user,
                    order=order,
                    to=to,
                    reason=request.POST.get("reason", ""),
                ),
                _("Done."),
            )
            return redirect(f"/market/orders/{pk}/")
        if action == "pay":
            if not can_handle_order(request.user, order):
                raise NotFound
            payment = PaymentForm(request.POST)
            if payment.is_valid():
                paid = submit_to_service(
                    payment,
                    lambda: services.order_record_payment(
                        acting_user=request.user,
                        order=order,
                        amount=payment.cleaned_data["amount"],
                        how=payment.cleaned_data["how"],
                    ),
                )
                if paid is not None:
                    return redirect(f"/market/orders/{pk}/")
        if action == "rate":
            rating = RatingForm(request.POST)
            if rating.is_valid():
                rated = submit_to_service(
                    rating,
                    lambda: services.order_rate(
                        acting_user=request.user,
                        order=order,
                        rating=rating.cleaned_data["rating"],
                        comment=rating.cleaned_data["comment"],
                    ),
                )
                if rated is not None:
                    return redirect(f"/market/orders/{pk}/")
    seller = can_handle_order(request.user, order)
    steps: list[tuple[str, Any]] = []
    if seller and order.state == OrderState.REQUESTED:
        steps = [("confirm", _("Confirm")), ("decline", pgettext("order", "Decline"))]
    elif seller and order.state == OrderState.CONFIRMED:
        steps = [("ship", _("Shipped or handed over")), ("decline", pgettext("order", "Decline"))]
    elif seller and order.state == OrderState.SHIPPED:
        steps = [("complete", _("Mark completed"))]
    if can_cancel_order(request.user, order):
        steps.append(("cancel", _("Cancel my order")))
    return render(
        request,
        "market/order.html",
        {
            "order": order,
            "unit": order.product.unit,
            "steps": steps,
            "may_pay": seller
            and order.state in (OrderState.CONFIRMED, OrderState.SHIPPED, OrderState.COMPLETED),
            "payment": payment,
            "may_rate": can_rate_order(request.user, order),
            "rating": rating,
        },
    )


@public_page
def seller_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A seller's record: their listed products, completed orders and average rating."""
    unit = get_unit_by_code(code=code)
    seller = User.objects.filter(pk=pk).first()
    if seller is None:
        raise NotFound
    products = list(products_under(unit=unit, seller=seller)[:PAGE_SIZE])
    person = Person.objects.filter(user_id=seller.pk).first()
    if not products and (person is None or person.unit_id != unit.pk):
        raise NotFound
    return render(
        request,
        "market/seller.html",
        {
            "unit": unit,
            "seller_name": person.name if person else "",
            "products": products,
            "record": seller_record(seller=seller),
        },
    )
