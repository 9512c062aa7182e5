"""The 三会一课 tallies (``MeetingTally``): one row per unit and year with each kind's count.

``meeting_tally_add`` is called by every service that creates a meeting, in its transaction;
``meeting_tally_rebuild`` recounts every row from the meetings (``manage.py rebuild_tallies``
and the migration that made the table).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import ExtractYear

from nutag.study.models import Meeting, MeetingKind, MeetingTally

KIND_FIELDS = {kind.value: kind.value for kind in MeetingKind}  # kind → tally column


def meeting_tally_add(*, meeting: Meeting) -> None:
    """Count ``meeting`` in its unit's tally of its year (a row made when missing)."""
    year = meeting.held_on.year
    MeetingTally.objects.get_or_create(
        unit_id=meeting.unit_id, year=year, defaults={"unit_path": meeting.unit_path}
    )
    field = KIND_FIELDS[meeting.kind]
    MeetingTally.objects.filter(unit_id=meeting.unit_id, year=year).update(**{field: F(field) + 1})


@transaction.atomic
def meeting_tally_rebuild() -> int:
    """Recount every tally from the meetings; returns the rows written."""
    MeetingTally.objects.all().delete()
    rows: dict[tuple[int, int], MeetingTally] = {}
    for unit_id, path, year, kind, n in (
        Meeting.objects.annotate(year=ExtractYear("held_on"))
        .values("unit_id", "unit_path", "year", "kind")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit_id", "unit_path", "year", "kind", "n")
    ):
        row = rows.setdefault(
            (unit_id, year), MeetingTally(unit_id=unit_id, unit_path=path, year=year)
        )
        setattr(row, KIND_FIELDS[kind], n)
    MeetingTally.objects.bulk_create(rows.values(), batch_size=1000)
    return len(rows)
