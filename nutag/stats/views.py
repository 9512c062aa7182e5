"""The dashboard of a unit (``/u/<code>/figures/``), its workbook and its printable report.

All three read the same ``selectors.dashboard`` under the same rights: the figures of a unit
(``can_view_figures``), and its siblings' only for whoever may read the parent's.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import pgettext

from nutag.assess.models import AssessmentStatus
from nutag.core.downloads import xlsx_response
from nutag.core.errors import NotFound
from nutag.disclosure.selectors.figures import disclosure_figures
from nutag.grid.selectors.figures import grid_dashboard
from nutag.market.selectors.figures import market_figures
from nutag.orgs.selectors import get_unit_by_code
from nutag.revival.selectors.figures import revival_figures
from nutag.sites.caching import public_page
from nutag.stats.caching import figures_page_version, year_param
from nutag.stats.exporting import dashboard_to_xlsx
from nutag.stats.permissions import can_compare_with_siblings, can_view_figures
from nutag.stats.selectors import Dashboard, dashboard
from nutag.study.selectors import StudyFigures, study_figures
from nutag.tourism.selectors import tourism_dashboard
from nutag.voice.selectors.figures import voice_figures
from nutag.youth.selectors import youth_dashboard

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(request: HttpRequest) -> int | None:
    """``?year=2025``; anything else (missing, not a year) means "the latest"."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    return None


def _board(request: HttpRequest, code: str) -> Dashboard:
    unit = get_unit_by_code(code=code)
    if not can_view_figures(user=request.user, unit=unit):
        raise NotFound
    return dashboard(
        unit=unit,
        year=_year(request),
        siblings=can_compare_with_siblings(user=request.user, unit=unit),
    )


GREEN, AMBER, ORANGE, GREY, BLUE = "#1a7f4b", "#e0a800", "#a65000", "#9e9e9e", "#1a5fb4"


def _study(board: Dashboard) -> StudyFigures:
    """The study app's figures for the dashboard's year (to its last day when it is past)."""
    today = timezone.localdate()
    if board.year and board.year < today.year:
        today = dt.date(board.year, 12, 31)
    # The branches are the seed table's grassroots units: not counted a second time.
    return study_figures(
        unit=board.unit, today=today, units_by_kind=board.figures.committees_by_kind
    )


def _context(request: HttpRequest, board: Dashboard) -> dict[str, object]:
    tasks, progress = board.tasks, board.progress
    children_chart = board.children_chart()
    areas = [r for r in board.children if r.unit.numchild]
    return {
        "unit": board.unit,
        "board": board,
        "ancestors": board.ancestors,
        "year": board.year,
        "today": timezone.localdate(),
        "children_chart": children_chart,
        "siblings_chart": board.siblings_chart(),
        # Children with units below them first, one by one; the rest folded away when both.
        "areas": areas if areas and len(areas) < len(board.children) else board.children,
        "others": [r for r in board.children if not r.unit.numchild] if areas else [],
        "query": f"?year={board.year}" if board.year else "",
        "study": _study(board),
        "youth": youth_dashboard(unit=board.unit),
        "tourism": tourism_dashboard(unit=board.unit),
        "grid": SimpleLazyObject(lambda: grid_dashboard(unit=board.unit)),  # dashboard only
        "tasks_segments": [
            (pgettext("task report outcome", "On time"), tasks.on_time, GREEN),
            (pgettext("task report outcome", "Late"), tasks.late, AMBER),
            (pgettext("task report outcome", "Overdue, not reported"), tasks.overdue, ORANGE),
            (pgettext("task report outcome", "Not yet due"), tasks.waiting, GREY),
        ],
        # residents' concerns and polls (four reads, only where the page shows them)
        "voice": SimpleLazyObject(lambda: voice_figures(unit=board.unit)),
        "disclosure": SimpleLazyObject(
            lambda: disclosure_figures(
                unit=board.unit, units_by_kind=board.figures.committees_by_kind
            )
        ),
        "market": SimpleLazyObject(lambda: market_figures(unit=board.unit)),
        # households under watch (four reads: nutag/revival/selectors/figures.py)
        "revival": SimpleLazyObject(lambda: revival_figures(unit=board.unit)),
        "progress_segments": [
            (AssessmentStatus.DRAFT.label, progress.draft, GREY),
            (AssessmentStatus.SUBMITTED.label, progress.submitted, BLUE),
            (AssessmentStatus.RETURNED.label, progress.returned, ORANGE),
            (AssessmentStatus.ACCEPTED.label, progress.accepted, GREEN),
        ],
    }


# Anonymous visitors are served from the page cache, purged by the unit's figure generations
# (nutag/stats/caching.py); logged-in officers always get a fresh page.
cached_dashboard = public_page(params={"year": year_param}, version=figures_page_version)


@cached_dashboard
def unit_figures_page(request: HttpRequest, code: str) -> HttpResponse:
    board = _board(request, code)
    return render(request, "stats/unit_figures.html", _context(request, board))


@cached_dashboard
def unit_figures_print(request: HttpRequest, code: str) -> HttpResponse:
    board = _board(request, code)
    return render(request, "stats/unit_figures_print.html", _context(request, board))


def unit_figures_export(request: HttpRequest, code: str) -> HttpResponse:
    board = _board(request, code)
    today = timezone.localdate()
    content = dashboard_to_xlsx(board=board, today=today)
    return xlsx_response(content, f"统计-{board.unit.name}-{today:%Y%m%d}.xlsx")
