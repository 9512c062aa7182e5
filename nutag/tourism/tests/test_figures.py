"""The tourism figures: a fixed number of queries, counts over the subtree only."""

from __future__ import annotations

import datetime as dt

import pytest

from nutag.core.actors import SYSTEM
from nutag.factories import make_place
from nutag.tourism import services
from nutag.tourism.models import Place, PlaceKind
from nutag.tourism.selectors import TOURISM_FIGURE_QUERIES, tourism_figures

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _book(place, user, party, first=TODAY):  # type: ignore[no-untyped-def]
    return services.booking_request(
        acting_user=user, place=place, first_day=first, last_day=first, party=party, today=TODAY
    ).booking


def test_figures_count_the_subtree_only(cast, django_assert_num_queries):
    stay = make_place(unit=cast.village1a, capacity=10)
    make_place(unit=cast.village1a, kind=PlaceKind.SIGHT, name="河")
    other = make_place(unit=cast.village2a, capacity=10)  # another township
    hidden = make_place(unit=cast.village1a, kind=PlaceKind.SIGHT, name="下架")
    Place.objects.filter(pk=hidden.pk).update(listed=False)
    services.booking_confirm(acting_user=SYSTEM, booking=_book(stay, cast.resident, 3))
    services.booking_decline(acting_user=SYSTEM, booking=_book(stay, cast.volunteer, 2))
    _book(stay, cast.village1a_officer, 1)
    _book(other, cast.resident, 5)
    with django_assert_num_queries(TOURISM_FIGURE_QUERIES):
        f = tourism_figures(unit=cast.township1, today=TODAY)
    assert f.places == 2
    assert f.places_by_kind == {"sight": 1, "stay": 1, "event": 0}
    assert f.bookings_by_state == {"requested": 1, "confirmed": 1, "declined": 1, "cancelled": 0}
    assert f.guests_confirmed == 3
    assert tourism_figures(unit=cast.village1b, today=TODAY).places == 0
    banner = tourism_figures(unit=cast.banner, today=TODAY)
    assert banner.places == 3 and banner.bookings_by_state["requested"] == 2
    assert (
        tourism_figures(unit=cast.banner, today=dt.date(2027, 1, 1)).bookings_by_state["confirmed"]
        == 0
    )


def test_bookings_made_for_next_season_count_from_this_year_on(cast):
    stay = make_place(unit=cast.village1a, capacity=10)
    services.booking_confirm(acting_user=SYSTEM, booking=_book(stay, cast.resident, 4))
    ahead = dt.date(2027, 5, 20)  # booked in 2026 for next season
    services.booking_confirm(acting_user=SYSTEM, booking=_book(stay, cast.volunteer, 2, ahead))
    december = tourism_figures(unit=cast.banner, today=dt.date(2026, 12, 5))
    assert december.bookings_by_state["confirmed"] == 2
    assert december.guests_confirmed == 6
    next_year = tourism_figures(unit=cast.banner, today=dt.date(2027, 1, 1))
    assert next_year.bookings_by_state["confirmed"] == 1  # last summer's stay no longer counts
    assert next_year.guests_confirmed == 2


def test_dashboard_shows_the_tourism_block(cast):
    from django.test import Client

    make_place(unit=cast.village1a, kind=PlaceKind.SIGHT, name="河")
    client = Client()
    client.force_login(cast.village1a_secretary)
    body = client.get(f"/u/{cast.village1a.code}/figures/").content.decode()
    assert 'id="tourism"' in body
