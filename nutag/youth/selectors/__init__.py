"""Youth reads: ``records`` (records, every opening audited) and ``figures`` (counts only)."""

from nutag.youth.selectors.figures import YouthFigures, youth_dashboard, youth_figures
from nutag.youth.selectors.records import (
    access_record,
    pairs_of_user,
    record_details,
    records_of_unit,
)

__all__ = [
    "YouthFigures",
    "access_record",
    "pairs_of_user",
    "record_details",
    "records_of_unit",
    "youth_dashboard",
    "youth_figures",
]
