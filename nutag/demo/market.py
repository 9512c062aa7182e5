"""The demo's local products shop (特产): a dozen products across the banner's villages —
Hulunbuir dairy (奶豆腐, 奶皮子, 黄油, 奶茶粉), 手把肉 lamb, a whole sheep, wool, felt and
蒙古族刺绣 crafts — sold by residents with a login, and orders in every state (requested,
confirmed, shipped, completed with the payment and a rating, declined, cancelled).

Through the services with ``SYSTEM`` (which names the seller and the buyer). A village's
resident without a login gets one made directly, as the demo's other logins are (no password:
they cannot log in). Idempotent: nothing is made when the banner already has products.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from nutag.core.actors import SYSTEM
from nutag.market import services
from nutag.market.models import Order, OrderState, Product
from nutag.orgs.models import Unit, UnitKind
from nutag.people.models import Person

from .site import VILLAGE

# (title, category, price, sale unit, stock, pick-up, delivery, description)
PRODUCTS = [
    ("奶豆腐", "dairy", "38", "jin", 40, True, True, "今年夏营地的牛奶手工做的，不加糖。"),
    ("奶皮子", "dairy", "25", "piece", 30, True, False, "一张约二两，冷冻保存。"),
    ("黄油（希日套苏）", "dairy", "80", "jin", 12, True, True, "牛奶熬的黄油，装罐。"),
    ("炒米", "other", "15", "jin", 60, True, True, "糜子炒的，配奶茶。"),
    ("手把肉用羊肉", "meat", "42", "jin", 80, True, True, "当年羯羊，现宰现卖，可分割。"),
    ("整只羯羊", "meat", "1600", "head", 4, True, False, "活羊约50公斤，可代宰。"),
    ("风干牛肉", "meat", "120", "jin", 25, False, True, "自家晾的，真空包装，可快递。"),
    ("白绒山羊绒", "wool", "360", "kg", 15, True, False, "今春抓的绒，干净无杂。"),
    ("羊毛毡垫", "crafts", "180", "piece", 8, True, True, "手工擀的毡子，1.2米×0.8米。"),
    ("蒙古族刺绣挂件", "crafts", "95", "piece", 20, True, True, "传统纹样，手工刺绣。"),
    ("马鬃工艺品", "crafts", "150", "piece", 6, True, False, "马鬃编的小马，送人很好。"),
    ("奶茶粉", "dairy", "30", "jin", 50, False, True, "用砖茶、牛奶熬后烘干，冲着喝。"),
]


def _login_of(person: Person, prefix: str) -> User:
    if person.user_id is not None:
        return person.user  # type: ignore[return-value]
    user, _made = User.objects.get_or_create(username=f"{prefix}-{person.pk}")
    if _made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Person.objects.filter(pk=person.pk).update(user=user)
    return user


def ensure_market(units: dict[str, Unit]) -> int:
    roots = [u for u in units.values() if u.depth == 1]
    if not roots or Product.objects.filter(unit_path__startswith=roots[0].path).exists():
        return 0
    # the demo village first (its products column is the shop page of bench/pages.py)
    first = units.get(VILLAGE)
    others = Unit.objects.filter(path__startswith=roots[0].path, kind=UnitKind.VILLAGE)
    if first is not None:
        others = others.exclude(pk=first.pk)
    villages = ([first] if first is not None else []) + list(others.order_by("path")[:5])
    sellers: list[tuple[Unit, User]] = []
    for village in villages:
        # a resident without a login of the demo's own (demo-*), so that tests deleting
        # those find nothing of the shop's attached to them
        person = Person.objects.filter(unit=village, user__isnull=True).order_by("pk").first()
        if person is not None:
            sellers.append((village, _login_of(person, "seller")))
    if not sellers:
        return 0
    products = []
    for i, (title, category, price, sale_unit, stock, pickup, delivery, text) in enumerate(
        PRODUCTS
    ):
        village, seller = sellers[i % len(sellers)]
        products.append(
            services.product_create(
                acting_user=SYSTEM,
                unit=village,
                seller=seller,
                title=title,
                category=category,
                price=price,
                sale_unit=sale_unit,
                stock=stock,
                pickup=pickup,
                delivery=delivery,
                description=text,
            )
        )
    buyers = [
        _login_of(person, "buyer")
        for person in Person.objects.filter(
            unit__in=villages[1:], user__isnull=True, is_resident=True
        ).order_by("-pk")[:6]
    ]
    if not buyers:
        return len(products)
    _orders(products, buyers)
    return len(products)


def _orders(products: list[Product], buyers: list[User]) -> None:
    def order(n: int, quantity: int, note: str = "") -> Order:
        return services.order_request(
            acting_user=SYSTEM,
            product=products[n],
            quantity=quantity,
            note=note,
            buyer=buyers[n % len(buyers)],
        ).order

    def move(o: Order, *steps: str) -> None:
        for to in steps:
            o = services.order_move(acting_user=SYSTEM, order=o, to=to)

    done = (OrderState.CONFIRMED, OrderState.SHIPPED, OrderState.COMPLETED)
    order(0, 3, "周六来取")  # requested
    move(order(4, 10, "要前腿和肋条"), OrderState.CONFIRMED)
    move(order(6, 2, "寄到海拉尔"), OrderState.CONFIRMED, OrderState.SHIPPED)
    for n, quantity, stars, comment in (
        (1, 4, 5, "很新鲜，孩子爱吃"),
        (9, 1, 5, "绣得很精细"),
        (4, 5, 4, "肉好，就是路远"),
    ):
        o = order(n, quantity)
        move(o, *done)
        services.order_record_payment(
            acting_user=SYSTEM,
            order=o,
            amount=o.total,
            how="微信转账",  # type: ignore[attr-defined]
        )
        services.order_rate(acting_user=SYSTEM, order=o, rating=stars, comment=comment)
    move(order(5, 1, "想要两岁的"), OrderState.DECLINED)
    move(order(2, 2), OrderState.CANCELLED)
