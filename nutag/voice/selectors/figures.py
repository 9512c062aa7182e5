"""The voice figures of a unit's subtree: concerns by category and state, the median time
to answer, the share answered within the category's limit, satisfaction, those overdue, and
the village polls held.

Six queries whatever the subtree's size, each over a ``unit_path`` range (a concern counts
where it is handled now): a grouped count by category and state; one aggregate row (ratings,
overdue, answered within the limit); the answer times of the answered ones (for the median);
the closed polls; and two for mutual aid and emergencies (requests made and met, offers, by
the post's unit; emergencies published with the top of their area in the subtree).
"""

from __future__ import annotations

import dataclasses
import statistics

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.voice.models import (
    OPEN_STATES,
    AidKind,
    AidPost,
    AidStatus,
    Concern,
    ConcernState,
    Emergency,
)
from nutag.voice.selectors.polls import polls_held

VOICE_FIGURE_QUERIES = 6  # the fixed number of reads of ``voice_figures`` (tests count them)

# The dashboard's colours (nutag/stats/views.py): green, amber, orange, grey, blue.
STATE_COLOURS = {
    ConcernState.RECEIVED: "#9e9e9e",
    ConcernState.ACCEPTED: "#1a5fb4",
    ConcernState.IN_PROGRESS: "#e0a800",
    ConcernState.REOPENED: "#a65000",
    ConcernState.ANSWERED: "#1a7f4b",
    ConcernState.CLOSED: "#0d4d2c",
}


@dataclasses.dataclass(frozen=True)
class VoiceFigures:
    total: int
    by_state: dict[str, int]
    by_category: dict[str, int]
    answered: int
    answered_in_time: int
    in_time_rate: float | None  # share of the answered, 3 decimals
    median_hours_to_answer: float | None
    rated: int
    satisfaction: float | None  # mean rating, 1–5, 2 decimals
    overdue: int
    polls_held: int  # village polls closed in the subtree
    aid_requests: int = 0  # mutual-aid requests posted (hidden ones left out)
    aid_requests_met: int = 0  # of them, marked met
    aid_offers: int = 0
    emergencies: int = 0  # emergencies published (open or over)

    def state_segments(self) -> list[tuple[str, int, str]]:
        """``(label, count, colour)`` per state, in the workflow's order (a stacked bar)."""
        return [
            (str(state.label), self.by_state.get(state.value, 0), STATE_COLOURS[state])
            for state in ConcernState
        ]


def voice_figures(*, unit: Unit) -> VoiceFigures:
    rows = Concern.objects.filter(subtree_q(unit.path, "unit_path"))
    by_state: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for key, state, n in (
        rows.values_list("category__key", "state").annotate(n=Count("id")).order_by()
    ):
        by_state[state] = by_state.get(state, 0) + n
        by_category[key] = by_category.get(key, 0) + n
    now = timezone.now()
    agg = rows.aggregate(
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        in_time=Count("id", filter=Q(answered_at__isnull=False, answered_at__lte=F("limit_at"))),
        rated=Count("rating"),
        rating=Avg("rating"),
        overdue=Count("id", filter=Q(state__in=OPEN_STATES, due_at__lt=now)),
    )
    hours = [
        (answered - created).total_seconds() / 3600
        for created, answered in rows.filter(answered_at__isnull=False)
        .order_by()  # the median needs no order: no sort of the subtree's concerns
        .values_list("created_at", "answered_at")
        if answered is not None
    ]
    answered = agg["answered"]
    aid = (
        AidPost.objects.filter(subtree_q(unit.path, "unit_path"))
        .exclude(status=AidStatus.HIDDEN)
        .aggregate(
            requests=Count("id", filter=Q(kind=AidKind.REQUEST)),
            met=Count("id", filter=Q(kind=AidKind.REQUEST, status=AidStatus.MET)),
            offers=Count("id", filter=Q(kind=AidKind.OFFER)),
        )
    )
    emergencies = Emergency.objects.filter(subtree_q(unit.path, "unit_path")).count()
    return VoiceFigures(
        total=sum(by_state.values()),
        by_state=by_state,
        by_category=by_category,
        answered=answered,
        answered_in_time=agg["in_time"],
        in_time_rate=round(agg["in_time"] / answered, 3) if answered else None,
        median_hours_to_answer=round(statistics.median(hours), 1) if hours else None,
        rated=agg["rated"],
        satisfaction=round(float(agg["rating"]), 2) if agg["rating"] is not None else None,
        overdue=agg["overdue"],
        polls_held=polls_held(unit=unit),
        aid_requests=aid["requests"],
        aid_requests_met=aid["met"],
        aid_offers=aid["offers"],
        emergencies=emergencies,
    )
