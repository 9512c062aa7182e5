"""The map of a unit's subtree, drawn from the units' coordinates (``UnitPoint``): no tiles,
nothing fetched from elsewhere, a few hundred bytes of inline SVG.

An equirectangular projection (longitude scaled by the cosine of the middle latitude, which
keeps a county-sized area true to shape), fitted into ``WIDTH``; the outline is the convex
hull of the units' points (the banner's rough shape); places are numbered markers that link
to their pages (a place without its own coordinates sits at its unit's point). Two queries.
"""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal

from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.tourism.models import Place, UnitPoint

WIDTH = 320
PAD = 14
MAX_HEIGHT = 360


@dataclasses.dataclass(frozen=True)
class Dot:
    x: float
    y: float
    name: str


@dataclasses.dataclass(frozen=True)
class Marker:
    x: float
    y: float
    number: int
    kind: str
    name: str
    pk: int
    unit_code: str


@dataclasses.dataclass(frozen=True)
class SvgMap:
    width: int
    height: int
    outline: str  # "x,y x,y …" for <polygon points>
    dots: list[Dot]
    markers: list[Marker]

    @property
    def numbers(self) -> dict[int, int]:
        """Place pk → its number on the map."""
        return {m.pk: m.number for m in self.markers}


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (Andrew's monotone chain), counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def draw_map(*, unit: Unit, places: list[Place] | None = None) -> SvgMap | None:
    """The map of ``unit``'s subtree with ``places`` (default: its listed places) on it, or
    ``None`` when no unit of the subtree has coordinates."""
    points = list(
        UnitPoint.objects.filter(subtree_q(unit.path, "unit__path")).values_list(
            "unit_id", "unit__name", "lat", "lon"
        )
    )
    if not points:
        return None
    if places is None:
        places = list(
            Place.objects.filter(subtree_q(unit.path, "unit_path"), listed=True)
            .select_related("unit")
            .order_by("kind", "starts_on", "name", "pk")
        )
    at = {uid: (float(lat), float(lon)) for uid, _n, lat, lon in points}
    located: list[tuple[Place, float, float]] = []
    for place in places:
        if place.lat is not None and place.lon is not None:
            located.append((place, float(Decimal(place.lat)), float(Decimal(place.lon))))
        elif place.unit_id in at:
            located.append((place, *at[place.unit_id]))
    lats = [lat for lat, _lon in at.values()] + [lat for _p, lat, _lon in located]
    lons = [lon for _lat, lon in at.values()] + [lon for _p, _lat, lon in located]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * k, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((WIDTH - 2 * PAD) / span_x, (MAX_HEIGHT - 2 * PAD) / span_y)
    height = min(MAX_HEIGHT, round(span_y * scale + 2 * PAD))

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (
            round(PAD + (lon - min(lons)) * k * scale, 1),
            round(PAD + (max(lats) - lat) * scale, 1),
        )

    dots = [Dot(*xy(float(lat), float(lon)), name) for _uid, name, lat, lon in points]
    hull = _hull([(d.x, d.y) for d in dots])
    markers = [
        Marker(*xy(lat, lon), n, p.kind, p.name, p.pk, p.unit.code)
        for n, (p, lat, lon) in enumerate(located, start=1)
    ]
    return SvgMap(
        width=WIDTH,
        height=height,
        outline=" ".join(f"{x},{y}" for x, y in hull) if len(hull) > 2 else "",
        dots=dots,
        markers=markers,
    )
