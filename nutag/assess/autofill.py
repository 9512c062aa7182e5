"""What the system already knows about a unit, to fill assessment items (with the source shown).

``known_values`` answers, for a set of units, the value of each ``AutoSource`` asked for, in
one query per source (two sources of the care tally share one query), whatever the number
of units:

- ``POSITIONS``: how many of the four key posts are filled now at the unit (branch
  secretary, committee chair, executive vice-chair, committee office officer; several
  officers count once);
- ``CARE_WORKERS`` / ``FIVE_ELDERS``: people working in the unit's care committee, and the
  five elders among them (``people.CareTally``, kept exact by the people services);
- ``ARTICLES``: articles (not notices) the unit published on its own site in the year
  (Asia/Shanghai calendar year, only those already public);
- ``TASK_REPORTS``: task reports the unit submitted on time in the year (not late, waiting
  for inspection or accepted);
- ``MEETINGS``: the branch's 三会一课 recorded in the year (``nutag.study``).

The suggested self score of an item is ``round(points × min(1, value / target))``, rounded
half up; the committee may change it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nutag.assess.models import AutoSource, ReportStatus, StandardItem, TaskReport
from nutag.orgs.models import Position, PositionTitle, Unit
from nutag.orgs.paths import subtree_q
from nutag.people.models import CareTally
from nutag.people.tallies import CATEGORY_FIELDS
from nutag.sites.models import Article, ArticleKind, ArticleStatus
from nutag.study.selectors.records import meetings_held

KEY_POSITION_TITLES = (
    PositionTitle.BRANCH_SECRETARY,
    PositionTitle.CHAIR,
    PositionTitle.EXEC_VICE_CHAIR,
    PositionTitle.OFFICER,
)
Values = dict[str, dict[int, int]]  # {source: {unit id: value}}


def year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The calendar year in the site's time zone, as aware datetimes [start, end)."""
    zone = timezone.get_default_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=zone),
        dt.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _scope(qs: QuerySet[Any], ids: list[int], within: Unit | None) -> QuerySet[Any]:
    """Rows of the given units: by the subtree's path range when all of them lie under
    ``within`` (a round's issuer: no long ``IN`` list), else by their ids."""
    if within is not None:
        return qs.filter(subtree_q(within.path, "unit__path"))
    return qs.filter(unit_id__in=ids)


def known_values(
    *,
    units: Sequence[Unit],
    sources: Iterable[str],
    year: int,
    within: Unit | None = None,
) -> Values:
    """``{source: {unit id: value}}`` for ``units`` (units the system knows nothing of get 0).

    ``within``: a unit whose subtree holds every unit of ``units``; the queries then filter
    by path range instead of a list of ids. At most one query per source.
    """
    ids = [u.pk for u in units]
    wanted = {s for s in sources if s and s in AutoSource.values}
    values: Values = {s: dict.fromkeys(ids, 0) for s in wanted}
    if not ids or not wanted:
        return values
    keep = set(ids)

    def put(source: str, rows: Iterable[tuple[int, int]]) -> None:
        for unit_id, n in rows:
            if unit_id in keep:
                values[source][unit_id] = int(n or 0)

    if AutoSource.POSITIONS in wanted:
        rows = (
            _scope(Position.objects.all(), ids, within)
            .filter(ended_on__isnull=True, title__in=KEY_POSITION_TITLES)
            .values("unit_id")
            .annotate(n=Count("title", distinct=True))
            .values_list("unit_id", "n")
            .order_by()
        )
        put(AutoSource.POSITIONS, rows)
    if wanted & {AutoSource.CARE_WORKERS, AutoSource.FIVE_ELDERS}:
        tallies = _scope(CareTally.objects.all(), ids, within).values_list(
            "unit_id", "participants", *CATEGORY_FIELDS
        )
        for unit_id, participants, *categories in tallies:
            if unit_id not in keep:
                continue
            if AutoSource.CARE_WORKERS in wanted:
                values[AutoSource.CARE_WORKERS][unit_id] = int(participants)
            if AutoSource.FIVE_ELDERS in wanted:
                values[AutoSource.FIVE_ELDERS][unit_id] = int(sum(categories))
    start, end = year_range(year)
    if AutoSource.ARTICLES in wanted:
        now = timezone.now()
        rows = (
            _scope(Article.objects.all(), ids, within)
            .filter(
                status=ArticleStatus.PUBLISHED,
                kind=ArticleKind.ARTICLE,
                published_at__gte=start,
                published_at__lt=end,
                published_at__lte=now,  # publishing sets it to the scheduled time
            )
            .values("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
            .order_by()
        )
        put(AutoSource.ARTICLES, rows)
    if AutoSource.TASK_REPORTS in wanted:
        rows = (
            _scope(TaskReport.objects.all(), ids, within)
            .filter(
                late=False,
                submitted_at__gte=start,
                submitted_at__lt=end,
                status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
            )
            .values("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
            .order_by()
        )
        put(AutoSource.TASK_REPORTS, rows)
    if AutoSource.MEETINGS in wanted:
        put(AutoSource.MEETINGS, meetings_held(unit_ids=ids, year=year, within=within))
    return values


def suggested_score(*, points: int, value: int | None, target: int) -> int:
    """``round(points × min(1, value / target))``, rounded half up, in whole numbers."""
    target = max(1, target)
    value = max(0, min(value or 0, target))
    return (2 * points * value + target) // (2 * target)


def source_note(*, source: str, value: int, target: int, year: int) -> str:
    """What the known value means and where it comes from, in the current language."""
    args = {"value": value, "target": target, "year": year}
    if source == AutoSource.POSITIONS:
        return _("%(value)d of %(target)d key positions filled — from the unit's positions") % args
    if source == AutoSource.CARE_WORKERS:
        return (
            _(
                "%(value)d people work in the care committee (full points from %(target)d) "
                "— from the unit's people"
            )
            % args
        )
    if source == AutoSource.FIVE_ELDERS:
        return (
            _(
                "%(value)d five elders work in the care committee (full points from "
                "%(target)d) — from the unit's people"
            )
            % args
        )
    if source == AutoSource.ARTICLES:
        return (
            _(
                "%(value)d activities published on the unit's site in %(year)d (full points "
                "from %(target)d) — from the unit's site"
            )
            % args
        )
    if source == AutoSource.TASK_REPORTS:
        return (
            _(
                "%(value)d tasks reported on time in %(year)d (full points from %(target)d) "
                "— from the unit's task reports"
            )
            % args
        )
    if source == AutoSource.MEETINGS:
        return (
            _(
                "%(value)d branch meetings and Party lessons held in %(year)d (full points "
                "from %(target)d) — from the branch's meeting records"
            )
            % args
        )
    return ""


def stored_note(*, item: StandardItem, value: int, year: int) -> str:
    """The note kept with the item, in the platform's default language (the page shows it
    again in the reader's language, from the value)."""
    with translation.override(settings.LANGUAGE_CODE):
        return source_note(
            source=item.auto_source, value=value, target=item.auto_target, year=year
        )[:200]
