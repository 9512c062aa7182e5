"""The area an emergency reaches, from the unit it is published at and its radius.

- ``unit``: that unit alone;
- ``neighbours``: that unit and its siblings (the villages under the same township);
- ``township``: the township it belongs to, with every unit under it;
- ``banner``: the whole banner.

``area_top`` is the unit at the head of the area: a right held there covers every unit of
the area (rights flow down), so it is where the publishing right is checked. A village
secretary therefore publishes to their own village only; the township's officers to
neighbouring villages or the whole township; the banner's to anything.
"""

from __future__ import annotations

from django.db.models import QuerySet

from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.voice.models import Radius

TOWNSHIP_DEPTH = 2


def _ancestor(unit: Unit, depth: int) -> Unit:
    if unit.depth <= depth:
        return unit
    return Unit.objects.get(path=unit.path[: Unit.steplen * depth])


def area_top(unit: Unit, radius: str) -> Unit:
    if radius == Radius.NEIGHBOURS:
        return _ancestor(unit, unit.depth - 1) if unit.depth > 1 else unit
    if radius == Radius.TOWNSHIP:
        return _ancestor(unit, TOWNSHIP_DEPTH)
    if radius == Radius.BANNER:
        return _ancestor(unit, 1)
    return unit


def area_units(unit: Unit, radius: str) -> QuerySet[Unit]:
    """The units an emergency at ``unit`` with ``radius`` reaches."""
    top = area_top(unit, radius)
    if radius == Radius.UNIT:
        return Unit.objects.filter(pk=unit.pk)
    if radius == Radius.NEIGHBOURS and top.pk != unit.pk:
        return Unit.objects.filter(path__startswith=top.path, depth=unit.depth).order_by("path")
    return Unit.objects.filter(subtree_q(top.path)).order_by("path")
