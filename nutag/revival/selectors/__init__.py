from nutag.revival.selectors.figures import REVIVAL_FIGURE_QUERIES, RevivalFigures, revival_figures
from nutag.revival.selectors.households import (
    access_household,
    household_details,
    households_of_unit,
    log_list_read,
)

__all__ = [
    "REVIVAL_FIGURE_QUERIES",
    "RevivalFigures",
    "access_household",
    "household_details",
    "households_of_unit",
    "log_list_read",
    "revival_figures",
]
