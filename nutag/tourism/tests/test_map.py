"""The SVG map: drawn from the units' coordinates, no unit outside the subtree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nutag.core.actors import SYSTEM
from nutag.factories import make_place
from nutag.tourism import services
from nutag.tourism.models import PlaceKind
from nutag.tourism.selectors import draw_map
from nutag.tourism.selectors.map import MAX_HEIGHT, WIDTH, _hull

pytestmark = pytest.mark.django_db


def test_no_coordinates_no_map(cast):
    assert draw_map(unit=cast.banner) is None


def test_map_fits_and_keeps_north_up(cast):
    for unit, lat, lon in (
        (cast.village1a, "50.0", "119.0"),
        (cast.village1b, "49.0", "120.0"),
        (cast.village2a, "48.0", "118.0"),
        (cast.township2, "48.5", "118.5"),
    ):
        services.unit_point_set(acting_user=SYSTEM, unit=unit, lat=Decimal(lat), lon=Decimal(lon))
    make_place(unit=cast.village1a, kind=PlaceKind.SIGHT, name="北")
    make_place(unit=cast.village2a, kind=PlaceKind.SIGHT, name="南")
    svg = draw_map(unit=cast.banner)
    assert svg is not None
    assert svg.width == WIDTH and svg.height <= MAX_HEIGHT
    assert all(0 <= d.x <= WIDTH and 0 <= d.y <= svg.height for d in svg.dots)
    north = next(m for m in svg.markers if m.name == "北")
    south = next(m for m in svg.markers if m.name == "南")
    assert north.y < south.y  # north is up
    assert svg.outline  # four points: a hull
    township = draw_map(unit=cast.township1)  # its two villages only
    assert township is not None and len(township.dots) == 2
    assert [m.name for m in township.markers] == ["北"]


def test_hull_drops_inner_points():
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (5.0, 5.0)]
    assert sorted(_hull(square)) == sorted(square[:4])
