"""The demo's tourism: the coordinates of the banner's units (for the map), three sights
(莫日格勒河, 巴尔虎蒙古部落, 呼和诺尔), the Naadam (那达慕) in July at the banner's seat, and two
herding-family stays (牧家乐) with bookings in every state (requested, confirmed, declined,
cancelled) in their next season.

Through the services with ``SYSTEM`` (the visitors' requests by their own demo logins).
Idempotent: nothing is made when the banner already has places; the coordinates are set
only where a unit has none. The coordinates are approximate (the township seats of 陈巴尔虎旗
near Hailar); villages sit at a fixed small offset from their township's seat.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit, UnitKind
from nutag.orgs.paths import subtree_q
from nutag.tourism import services
from nutag.tourism.models import Place, PlaceKind, UnitPoint
from nutag.tourism.services import PlaceInput as Input

from .data import BANNER_CODE
from .site import OTHER_VILLAGE, VILLAGE

# (latitude, longitude) of the banner's seat and of each township's or subdistrict's seat.
SEATS: dict[str, tuple[str, str]] = {
    BANNER_CODE: ("49.3280", "119.4240"),
    "150725100": ("49.3280", "119.4240"),  # 巴彦库仁镇 (the banner's seat)
    "150725101": ("49.3570", "119.7380"),  # 宝日希勒镇
    "150725102": ("49.4560", "119.0380"),  # 呼和诺尔镇
    "150725103": ("49.8700", "120.0600"),  # 鄂温克民族苏木
    "150725104": ("49.5600", "119.9000"),  # 东乌珠尔苏木
    "150725105": ("49.7200", "118.8000"),  # 西乌珠尔苏木
    "150725106": ("50.0500", "119.3500"),  # 巴彦哈达苏木
    "150725001": ("49.3200", "119.4100"),  # 呼伦街道
    "150725002": ("49.3350", "119.4400"),  # 巴尔虎街道
}
MAPPED_KINDS = {UnitKind.VILLAGE, UnitKind.COMMUNITY}
SPREAD = 0.16  # degrees: how far a village may sit from its township's seat


def _offset(code: str, salt: str) -> Decimal:
    digest = hashlib.sha256(f"{code}:{salt}".encode()).digest()
    return Decimal(round((digest[0] / 255 - 0.5) * 2 * SPREAD, 4)).quantize(Decimal("0.0001"))


def ensure_points(units: dict[str, Unit]) -> int:
    have = set(UnitPoint.objects.values_list("unit_id", flat=True))
    made = 0
    for code, unit in sorted(units.items()):
        if unit.pk in have:
            continue
        if code in SEATS:
            lat, lon = (Decimal(v) for v in SEATS[code])
        elif unit.kind in MAPPED_KINDS and code[:9] in SEATS:
            base_lat, base_lon = (Decimal(v) for v in SEATS[code[:9]])
            lat = base_lat + _offset(code, "lat") / 2
            lon = base_lon + _offset(code, "lon")
        else:
            continue
        services.unit_point_set(acting_user=SYSTEM, unit=unit, lat=lat, lon=lon)
        made += 1
    return made


def _login(username: str):  # type: ignore[no-untyped-def]
    return get_user_model().objects.filter(username=username).first()


def _next_summer(today: dt.date) -> dt.date:
    """A day in the coming summer season (mid-July if still ahead, else next year's)."""
    this = dt.date(today.year, 7, 15)
    return this if this >= today + dt.timedelta(days=7) else dt.date(today.year + 1, 7, 15)


def _village_of(units: dict[str, Unit], township: str) -> Unit | None:
    codes = sorted(
        c for c, u in units.items() if c.startswith(township) and u.kind == UnitKind.VILLAGE
    )
    return units[codes[0]] if codes else None


def ensure_tourism(units: dict[str, Unit]) -> int:
    """Points, places and bookings; the number of places made."""
    ensure_points(units)
    banner = units.get(BANNER_CODE)
    if banner is None or Place.objects.filter(subtree_q(banner.path, "unit_path")).exists():
        return 0
    today = timezone.localdate()
    seat = units.get("150725100") or banner
    summer = [6, 7, 8, 9]
    sights = [
        (
            _village_of(units, "150725106") or banner,
            Input(
                kind=PlaceKind.SIGHT,
                name="莫日格勒河",
                description="被誉为“天下第一曲水”的莫日格勒河在草原上九曲回环，夏季河畔有牧民"
                "转场的蒙古包和成群的牛羊。",
                months=summer,
                lat=Decimal("49.9600"),
                lon=Decimal("119.5600"),
                phone="04706123456",
            ),
        ),
        (
            units.get("150725101") or banner,
            Input(
                kind=PlaceKind.SIGHT,
                name="巴尔虎蒙古部落",
                description="巴尔虎蒙古族的民俗文化景区：蒙古包、马术表演、传统手工艺和奶食品。",
                months=[5, 6, 7, 8, 9, 10],
                lat=Decimal("49.2700"),
                lon=Decimal("119.7200"),
                phone="04706123457",
            ),
        ),
        (
            units.get("150725102") or banner,
            Input(
                kind=PlaceKind.SIGHT,
                name="呼和诺尔",
                description="呼和诺尔湖及周边草原，夏季可观鸟、骑马，冬季有冰雪那达慕。",
                lat=Decimal("49.4700"),
                lon=Decimal("119.0100"),
                phone="04706123458",
            ),
        ),
    ]
    naadam_year = today.year if dt.date(today.year, 7, 13) >= today else today.year + 1
    made = [
        services.place_create(acting_user=SYSTEM, unit=unit, data=data) for unit, data in sights
    ]
    made.append(
        services.place_create(
            acting_user=SYSTEM,
            unit=seat,
            data=Input(
                kind=PlaceKind.EVENT,
                name="陈巴尔虎旗那达慕大会",
                description="一年一度的那达慕：搏克（摔跤）、赛马、射箭，还有牧民的奶食品和手工艺展卖。",
                starts_on=dt.date(naadam_year, 7, 11),
                ends_on=dt.date(naadam_year, 7, 13),
                phone="04706120000",
            ),
        )
    )
    village, other = units.get(VILLAGE), units.get(OTHER_VILLAGE)
    host1 = _login("demo-resident")
    host2 = _login("demo-village2")
    stays = []
    for unit, name, host, capacity, shown in (
        (village, "其其格牧家乐", host1, 8, "logged_in"),
        (other, "巴特尔牧家乐", host2, 6, "booked"),
    ):
        if unit is None or host is None:
            continue
        stays.append(
            services.place_create(
                acting_user=SYSTEM,
                unit=unit,
                data=Input(
                    kind=PlaceKind.STAY,
                    name=name,
                    description="住蒙古包，喝奶茶，吃手把肉；可以跟着牧民放羊、挤牛奶。",
                    months=summer,
                    phone="13904701234" if name.startswith("其") else "13904705678",
                    contact_shown=shown,
                    capacity=capacity,
                    host=host,
                ),
            )
        )
    made += stays
    _bookings(stays, _next_summer(today), today)
    return len(made)


def _bookings(stays: list[Place], start: dt.date, today: dt.date) -> None:
    visitors = [_login(u) for u in ("demo-elder", "demo-township", "demo-banner", "demo-village")]
    visitors = [v for v in visitors if v is not None]
    if not stays or len(visitors) < 4:
        return
    for n, stay in enumerate(stays):
        asks = []
        for i, visitor in enumerate(visitors):
            if visitor.pk == stay.host_id:
                continue
            first = start + dt.timedelta(days=3 * i + n)
            asks.append(
                services.booking_request(
                    acting_user=visitor,
                    place=stay,
                    first_day=first,
                    last_day=first + dt.timedelta(days=1),
                    party=2 + i % 3,
                    note="我们一家人，想体验挤牛奶。" if i == 0 else "",
                    today=today,
                ).booking
            )
        # one left requested, one confirmed, one declined, one cancelled (after confirming)
        if len(asks) >= 2:
            services.booking_confirm(
                acting_user=SYSTEM, booking=asks[1], answer="欢迎，到了打电话。"
            )
        if len(asks) >= 3:
            services.booking_decline(acting_user=SYSTEM, booking=asks[2], answer="那几天家里有事。")
        if len(asks) >= 4:
            services.booking_confirm(acting_user=SYSTEM, booking=asks[3])
            services.booking_cancel(acting_user=SYSTEM, booking=asks[3])
