"""The other apps' parts of the dashboard, printed by ``charts`` tags (``app_parts``) instead
of their partials (issue 17): the HTML must be the partial's, byte for byte, in every
language, with large numbers, decimals, missing values, names to escape and empty lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace as NS
from typing import Any

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from nutag.disclosure.selectors.figures import DisclosureFigures, PeriodFigures
from nutag.market.selectors.figures import MarketFigures
from nutag.revival.selectors.figures import RevivalFigures
from nutag.study.selectors import StudyFigures
from nutag.voice.selectors.figures import VoiceFigures

LANGUAGES = ["zh-hans", "zh-hant", "mn-mong", "en", "de"]  # de: a decimal comma


def _voice(full: bool) -> VoiceFigures:
    if not full:
        return VoiceFigures(
            total=0, by_state={}, by_category={}, answered=0, answered_in_time=0,
            in_time_rate=None, median_hours_to_answer=None, rated=0, satisfaction=None,
            overdue=0, polls_held=0,
        )  # fmt: skip
    return VoiceFigures(
        total=1234567, by_state={"received": 1000000, "answered": 234567}, by_category={},
        answered=234567, answered_in_time=1000, in_time_rate=0.437, median_hours_to_answer=12.5,
        rated=3, satisfaction=4.25, overdue=1, polls_held=2, aid_requests=12345,
        aid_requests_met=1, aid_offers=1, emergencies=1,
    )  # fmt: skip


def _study(full: bool) -> StudyFigures:
    n = 1234567 if full else 0
    return StudyFigures(
        year=2026, lessons_completed=n, learners=n // 3, hours=12345.75 if full else 0.0,
        party_members=n * 2, members_studied=n, points=n, column_reads=n, branches=8984,
        branches_on_rhythm=17 if full else 0, meetings_held={}, meetings_expected={},
    )  # fmt: skip


def _youth(full: bool) -> dict[str, Any]:
    n = 123456 if full else 0
    figures = NS(
        young_people=n, pairs=n, needs=n, needs_resolved=n // 2, good_deeds=n, people_helped=7,
        activities=n, participants=1000000,
    )  # fmt: skip
    return {
        "figures": figures,
        "circumstances": [("<留守>", 12345), ("单亲", 3)] if full else [],
        "months": [("2026-07", 12345, 100), ("2026-08", 0, 0)] if full else [],
    }


def _disclosure(full: bool) -> DisclosureFigures:
    def period(code: str, start: dt.date, missing: int, waiting: int) -> PeriodFigures:
        return PeriodFigures(
            period=code, label=f"<{code}>", start=start, end=start + dt.timedelta(days=90),
            due_on=start + dt.timedelta(days=105), units=8055, on_time=1234, late=5,
            missing=missing, not_yet_due=waiting,
        )  # fmt: skip

    periods = [
        period("2026-Q3", dt.date(2026, 7, 1), 0, 6816),
        period("2026-Q2", dt.date(2026, 4, 1), 6816, 0),
    ]
    return DisclosureFigures(kind="finance", due_days=15, periods=periods if full else [])


def _market(full: bool) -> MarketFigures:
    if not full:
        return MarketFigures(
            products_listed=0, orders_by_state={}, orders=0, completed_value=Decimal(0),
            average_rating=None,
        )  # fmt: skip
    return MarketFigures(
        products_listed=1234567, orders_by_state={"completed": 1000000, "placed": 3},
        orders=1000003, completed_value=Decimal("1234567.50"), average_rating=4.67,
    )  # fmt: skip


def _tourism(full: bool) -> dict[str, Any]:
    figures = NS(places=123456 if full else 0, guests_confirmed=1000000 if full else 0, year=2026)
    return {
        "figures": figures,
        "kinds": [("景点", 123456), ("<牧家乐>", 0)],
        "states": [("已申请", 1000000), ("已确认", 0)],
    }


def _revival(case: str) -> RevivalFigures:
    if case == "empty":
        return RevivalFigures(
            households=0, by_category={}, by_status={}, measures_by_kind={}, visits_this_year=0,
            monitoring_line=7000, income_year=None, income_households=0, average_income=None,
            below_line=0,
        )  # fmt: skip
    full = case == "full"
    return RevivalFigures(
        households=123456, by_category={"poverty_risk": 123450} if full else {},
        by_status={"watched": 123456} if full else {},
        measures_by_kind={"industry": 1000000} if full else {}, visits_this_year=1234567,
        monitoring_line=7000, income_year=2025 if full else None,
        income_households=12345 if full else 0, average_income=123456 if full else None,
        below_line=3 if full else 0,
    )  # fmt: skip


def _grid(full: bool) -> dict[str, Any]:
    figures = NS(
        grids=12345, grids_with_worker=1234 if full else 0, incidents=1234567 if full else 0,
        follow_ups_overdue=3 if full else 0,
    )  # fmt: skip
    return {
        "figures": figures,
        "kinds": [("<边界>", 1234567)] if full else [],
        "states": [("已化解", 1000000)] if full else [],
        "share": 43 if full else None,
    }


CASES: dict[str, Any] = {
    "voice": lambda case: _voice(case == "full"),
    "study": lambda case: _study(case == "full"),
    "youth": lambda case: _youth(case == "full"),
    "disclosure": lambda case: _disclosure(case == "full"),
    "market": lambda case: _market(case == "full"),
    "tourism": lambda case: _tourism(case == "full"),
    "revival": _revival,
    "grid": lambda case: _grid(case == "full"),
}


def _both(app: str, value: Any, lang: str) -> tuple[str, str]:
    with translation.override(lang):
        old = get_template(f"{app}/_figures.html").render({app: value})
        new = Template(f"{{% load charts %}}{{% {app}_part {app} %}}").render(Context({app: value}))
    return old, new


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", ["full", "empty", "partial"])
@pytest.mark.parametrize("app", list(CASES))
def test_each_part_is_the_old_partial_byte_for_byte(app, case, lang) -> None:
    old, new = _both(app, CASES[app](case), lang)
    assert new == old


@pytest.mark.parametrize("app", ["youth", "disclosure", "tourism", "grid"])
def test_names_are_escaped(app) -> None:
    _old, new = _both(app, CASES[app]("full"), "zh-hans")
    assert "&lt;" in new and "<留守>" not in new and "<边界>" not in new


def test_large_numbers_and_decimals_are_printed_as_the_page_printed_them() -> None:
    with translation.override("de"):
        _old, study = _both("study", _study(True), "de")
    assert "1234567" in study  # no thousands separator
    assert "12345,75" in study  # the language's decimal mark
    _old, market = _both("market", _market(True), "zh-hans")
    assert "1234567.50" in market and "4.67 ★" in market


def test_a_part_without_its_figures_is_left_out() -> None:
    _old, new = _both("revival", _revival("empty"), "zh-hans")
    assert new == "\n"  # as the partial's `{% if revival.households %}`


def test_the_memoised_words_follow_the_active_language() -> None:
    """``words()`` keeps each catalogue's translations apart: switching back and forth gives
    each language its own words, and with no catalogue active the message itself."""
    from django.utils.translation import gettext

    from nutag.stats.templatetags.app_parts import words

    seen = {}
    for lang in ["zh-hans", "en", "zh-hant", "mn-mong", "zh-hans", "mn-mong", "en"]:
        with translation.override(lang):
            said = words()("Finance disclosure")
            assert said == gettext("Finance disclosure")
            assert seen.setdefault(lang, said) == said
    assert len(set(seen.values())) >= 3  # the languages' words differ
    with translation.override(None):  # deactivate_all
        assert words()("Finance disclosure") == "Finance disclosure"
