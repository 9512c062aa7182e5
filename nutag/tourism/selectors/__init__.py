"""Reads of tourism: ``places`` (access to a place or a booking, the lists of a unit's
subtree, the host's bookings), ``map`` (the SVG map of a subtree drawn from the units'
coordinates) and ``figures`` (the counts of the dashboard and the stats API)."""

from nutag.tourism.selectors.figures import (
    TOURISM_FIGURE_QUERIES,
    tourism_dashboard,
    tourism_figures,
)
from nutag.tourism.selectors.map import draw_map
from nutag.tourism.selectors.places import (
    access_booking,
    access_place,
    bookings_to_answer,
    has_confirmed_booking,
    my_bookings,
    places_by_kind,
    places_of_subtree,
)

__all__ = [
    "TOURISM_FIGURE_QUERIES",
    "access_booking",
    "access_place",
    "bookings_to_answer",
    "draw_map",
    "has_confirmed_booking",
    "my_bookings",
    "places_by_kind",
    "places_of_subtree",
    "tourism_dashboard",
    "tourism_figures",
]
