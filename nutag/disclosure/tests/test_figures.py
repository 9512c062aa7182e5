from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nutag.disclosure.models import DisclosureRules
from nutag.disclosure.selectors.calendar import unit_calendar
from nutag.disclosure.selectors.figures import (
    DISCLOSURE_DASHBOARD_QUERIES,
    DISCLOSURE_FIGURE_QUERIES,
    disclosure_figures,
)
from nutag.disclosure.tests.helpers import signed, signed_on
from nutag.factories import make_unit
from nutag.orgs.models import UnitKind

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 5)  # Q3 (due Oct 15) is the current period, Q2 the last


def test_on_time_late_missing_roll_up(cast):
    signed_on(signed(cast.village1a, code="2026-Q3"), dt.date(2026, 10, 15))  # on time
    signed_on(signed(cast.village1b, code="2026-Q3"), dt.date(2026, 10, 16))  # late
    signed_on(signed(cast.village1a, code="2026-Q2"), dt.date(2026, 7, 3))
    figures = disclosure_figures(unit=cast.banner, today=TODAY)
    current, last = figures.periods
    assert (current.period, current.units) == ("2026-Q3", 3)
    assert (current.on_time, current.late, current.missing, current.not_yet_due) == (1, 1, 1, 0)
    assert (last.on_time, last.late, last.missing) == (1, 0, 2)
    township2 = disclosure_figures(unit=cast.township2, today=TODAY).periods[0]
    assert (township2.units, township2.on_time, township2.missing) == (1, 0, 1)
    # before the due day, nothing is missing yet
    early = disclosure_figures(unit=cast.banner, today=dt.date(2026, 10, 10)).periods[0]
    assert (early.on_time, early.missing, early.not_yet_due) == (1, 0, 1)
    # the banner's rule moves the due day
    DisclosureRules.objects.create(banner=cast.banner, due_days=30)
    assert disclosure_figures(unit=cast.banner, today=TODAY).periods[0].late == 0
    rows = {
        r.unit.pk: [c.state for c in r.cells]
        for r in unit_calendar(unit=cast.township1, today=TODAY).rows
    }
    assert rows == {
        cast.village1a.pk: ["on_time", "on_time"],
        cast.village1b.pk: ["on_time", "missing"],
    }


def test_a_fixed_number_of_queries_whatever_the_size(cast):
    with CaptureQueriesContext(connection) as small:
        disclosure_figures(unit=cast.banner, today=TODAY)
    for i in range(15):
        village = make_unit(parent=cast.township2, kind=UnitKind.VILLAGE, name=f"新村{i}")
        signed(village, code="2026-Q3")
    with CaptureQueriesContext(connection) as big:
        figures = disclosure_figures(unit=cast.banner, today=TODAY)
    assert len(small) == len(big) == DISCLOSURE_FIGURE_QUERIES
    assert figures.periods[0].units == 18
    assert all("LIKE" not in q["sql"].upper() for q in big.captured_queries)


def test_the_due_days_are_the_banners_rules_as_rules_for_reads_them(cast):
    """``due_days_for``'s fixed SQL reads ``rules_for``'s row: the unit's own banner's rules,
    never another banner's, and the default without any."""
    from nutag.disclosure.periods import DEFAULT_DUE_DAYS, due_days_for, rules_for

    other = make_unit(parent=None, kind=UnitKind.BANNER, name="另一旗", code="152799")
    other_village = make_unit(
        parent=make_unit(parent=other, kind=UnitKind.TOWNSHIP, name="另一镇"),
        kind=UnitKind.VILLAGE,
        name="另一村",
    )
    units = [cast.banner, cast.township1, cast.village1a, cast.school1, other, other_village]
    assert {due_days_for(u) for u in units} == {DEFAULT_DUE_DAYS}
    DisclosureRules.objects.create(banner=other, due_days=45)
    for u in units:
        assert due_days_for(u) == rules_for(u).due_days
    assert due_days_for(cast.village1a) == DEFAULT_DUE_DAYS  # the other banner's rule is not read
    assert due_days_for(other_village) == 45
    DisclosureRules.objects.create(banner=cast.banner, due_days=30)
    assert [due_days_for(u) for u in units] == [30, 30, 30, 30, 45, 45]
    assert [due_days_for(u) for u in units] == [rules_for(u).due_days for u in units]


def test_units_counted_by_the_caller_give_the_same_figures_in_one_read_less(cast):
    """The dashboard passes its seed table's active units by kind: the figures are those the
    disclosures' own count gives, closed villages and other kinds left out, in every unit."""
    from nutag.core.actors import SYSTEM
    from nutag.orgs.services import unit_close
    from nutag.stats.selectors import unit_figures

    signed(cast.village1a, code="2026-Q3")
    extra = make_unit(parent=cast.township2, kind=UnitKind.COMMUNITY, name="社区")
    closed = make_unit(parent=cast.township2, kind=UnitKind.VILLAGE, name="撤并村")
    # closed through the service, which keeps the seed table's subtree tallies (a write
    # behind it would need ``rebuild_tallies``)
    unit_close(acting_user=SYSTEM, unit=closed)
    for unit in [cast.banner, cast.township1, cast.township2, cast.village1a, cast.school1, extra]:
        unit.refresh_from_db()
        by_kind = unit_figures(unit=unit).committees_by_kind
        with CaptureQueriesContext(connection) as reads:
            given = disclosure_figures(unit=unit, today=TODAY, units_by_kind=by_kind)
        assert len(reads) == DISCLOSURE_DASHBOARD_QUERIES
        assert given == disclosure_figures(unit=unit, today=TODAY), unit
    township2 = disclosure_figures(
        unit=cast.township2,
        today=TODAY,
        units_by_kind=unit_figures(unit=cast.township2).committees_by_kind,
    )
    assert township2.periods[0].units == 2  # village2a and the community, not the closed one
