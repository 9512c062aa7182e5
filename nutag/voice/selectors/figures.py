"""The voice figures of a unit's subtree: concerns by category and state, the median time
to answer, the share answered within the category's limit, satisfaction, those overdue, and
the village polls held.

Three statements of fixed SQL whatever the subtree's size, each over a ``unit_path`` range
(a concern counts where it is handled now): a grouped count by category and state; one row
of aggregates (ratings, overdue, answered within the limit) with the closed polls, mutual
aid (requests made and met, offers, by the post's unit, hidden ones left out) and the
emergencies (published with the top of their area in the subtree) as scalar subqueries; and
the answer times of the answered ones (for the median).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from typing import Any

from django.db import connections
from django.utils import timezone

from nutag.core.db import read_alias
from nutag.orgs.models import Unit
from nutag.orgs.paths import range_sql
from nutag.voice.models import (
    OPEN_STATES,
    AidKind,
    AidPost,
    AidStatus,
    Category,
    Concern,
    ConcernState,
    Emergency,
    Poll,
)

VOICE_FIGURE_QUERIES = 3  # the fixed number of reads of ``voice_figures`` (tests count them)

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


def _sql(path: str, now: Any) -> tuple[str, str, list[Any], str, list[Any]]:
    """The three statements of ``voice_figures`` and their parameters (fixed SQL: built by
    string formatting of table names and placeholders only, no queryset to compile)."""
    concern, category = Concern._meta.db_table, Category._meta.db_table
    aid, emergency, poll = AidPost._meta.db_table, Emergency._meta.db_table, Poll._meta.db_table
    c_range, bounds = range_sql('c."unit_path"', path)
    in_range, _ = range_sql('"unit_path"', path)
    open_marks = ", ".join("%s" for _ in OPEN_STATES)
    grouped = (
        f'SELECT k."key", c."state", COUNT(*) FROM {concern} c '  # noqa: S608
        f'INNER JOIN {category} k ON k."id" = c."category_id" WHERE {c_range} '
        'GROUP BY k."key", c."state"'
    )
    # One row: the concerns' aggregates, then the polls, mutual aid and emergencies as
    # scalar subqueries, each over its own table's path range.
    scalars = (
        'SELECT COUNT(c."answered_at"), '  # noqa: S608
        'COUNT(CASE WHEN c."answered_at" <= c."limit_at" THEN 1 END), '
        'COUNT(c."rating"), AVG(c."rating"), '
        f'COUNT(CASE WHEN c."state" IN ({open_marks}) AND c."due_at" < %s THEN 1 END), '
        f'(SELECT COUNT(*) FROM {poll} WHERE {in_range} AND "closes_at" <= %s), '
        f'(SELECT COUNT(CASE WHEN "kind" = %s THEN 1 END) FROM {aid} '
        f'WHERE {in_range} AND "status" <> %s), '
        f'(SELECT COUNT(CASE WHEN "kind" = %s AND "status" = %s THEN 1 END) FROM {aid} '
        f'WHERE {in_range} AND "status" <> %s), '
        f'(SELECT COUNT(CASE WHEN "kind" = %s THEN 1 END) FROM {aid} '
        f'WHERE {in_range} AND "status" <> %s), '
        f"(SELECT COUNT(*) FROM {emergency} WHERE {in_range}) "
        f"FROM {concern} c WHERE {c_range}"
    )
    hidden = AidStatus.HIDDEN.value
    params: list[Any] = [*(s.value for s in OPEN_STATES), now]
    params += [*bounds, now]
    params += [AidKind.REQUEST.value, *bounds, hidden]
    params += [AidKind.REQUEST.value, AidStatus.MET.value, *bounds, hidden]
    params += [AidKind.OFFER.value, *bounds, hidden]
    params += [*bounds, *bounds]
    times = (
        f'SELECT c."created_at", c."answered_at" FROM {concern} c '  # noqa: S608
        f'WHERE {c_range} AND c."answered_at" IS NOT NULL'
    )
    return grouped, scalars, params, times, bounds


def voice_figures(*, unit: Unit) -> VoiceFigures:
    """Three statements of fixed SQL over the subtree's path ranges (issue 17: building six
    querysets cost more than running them). ``tests/test_figures_recount.py`` checks the figures
    against a recount through the ORM."""
    alias = read_alias()
    now = connections[alias].ops.adapt_datetimefield_value(timezone.now())
    grouped, scalars, params, times, bounds = _sql(unit.path, now)
    by_state: dict[str, int] = {}
    by_category: dict[str, int] = {}
    with connections[alias].cursor() as cursor:
        cursor.execute(grouped, bounds)
        for key, state, n in cursor.fetchall():
            by_state[state] = by_state.get(state, 0) + n
            by_category[key] = by_category.get(key, 0) + n
        cursor.execute(scalars, params)
        (answered, in_time, rated, rating, overdue, polls, requests, met, offers, emergencies) = (
            cursor.fetchone()
        )
        # The median needs no order: no sort of the subtree's concerns.
        cursor.execute(times, bounds)
        hours = [
            (_moment(answered_at) - _moment(created)).total_seconds() / 3600
            for created, answered_at in cursor.fetchall()
        ]
    return VoiceFigures(
        total=sum(by_state.values()),
        by_state=by_state,
        by_category=by_category,
        answered=answered,
        answered_in_time=in_time,
        in_time_rate=round(in_time / answered, 3) if answered else None,
        median_hours_to_answer=round(statistics.median(hours), 1) if hours else None,
        rated=rated,
        satisfaction=round(float(rating), 2) if rating is not None else None,
        overdue=overdue,
        polls_held=polls,
        aid_requests=requests,
        aid_requests_met=met,
        aid_offers=offers,
        emergencies=emergencies,
    )


def _moment(value: Any) -> dt.datetime:
    """A timestamp as the database returns it from raw SQL (SQLite: text, unless the
    column's declared type converts it)."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value
