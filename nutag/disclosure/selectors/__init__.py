"""Every reused read of the disclosure app.

- ``records``: one disclosure (``access_disclosure``), a unit's list, the public list, a
  disclosure's tables with names masked, and what a version changed against the previous;
- ``calendar``: which periods are due, late or published for each village and community of
  a subtree;
- ``figures``: the rolled-up figures (``disclosure_figures``) for the dashboard and the API.
"""

from nutag.disclosure.selectors.calendar import CalendarRow, unit_calendar
from nutag.disclosure.selectors.records import (
    Change,
    Tables,
    access_disclosure,
    access_public_disclosure,
    changes_since_previous,
    public_disclosures,
    tables_of,
    unit_disclosures,
)

__all__ = [
    "CalendarRow",
    "Change",
    "Tables",
    "access_disclosure",
    "access_public_disclosure",
    "changes_since_previous",
    "public_disclosures",
    "tables_of",
    "unit_calendar",
    "unit_disclosures",
]
