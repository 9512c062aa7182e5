"""The demo's disclosure module on the small cast (the whole demo is tested in test_demo.py)."""

from __future__ import annotations

import pytest

from nutag.demo.data import BANNER_CODE
from nutag.demo.disclosure import ensure_disclosure
from nutag.demo.site import VILLAGE
from nutag.disclosure.models import Disclosure
from nutag.disclosure.selectors.figures import disclosure_figures
from nutag.factories import make_unit
from nutag.orgs.models import UnitKind

pytestmark = pytest.mark.django_db


def test_the_demo_module_publishes_late_missing_and_a_correction(cast):
    units = {BANNER_CODE: cast.banner, VILLAGE: cast.village1a}
    for i in range(9):
        v = make_unit(parent=cast.township2, kind=UnitKind.VILLAGE, name=f"演示村{i}")
        units[v.code] = v
    units[cast.village1b.code] = cast.village1b
    made = ensure_disclosure(units)
    assert made >= 9
    assert ensure_disclosure(units) == 0  # idempotent
    assert Disclosure.objects.filter(unit=cast.village1a, version=2, status="signed_off").exists()
    p = disclosure_figures(unit=cast.banner).periods[0]
    assert p.late >= 1 and p.on_time >= 1 and p.missing + p.not_yet_due >= 1
