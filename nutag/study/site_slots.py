"""What the study app shows on the unit sites, through ``nutag.sites.extensions``: the
courses assigned to the unit in the 支部在线学习 (online_study) and 主题教育
(thematic_education) columns, and the monthly check-in in 流动党员微支部 (micro_branch).
Anonymous readers (cached pages) see the public courses only; a logged-in reader also sees
the assigned ones, their own record and the check-in link."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from nutag.orgs.models import Unit
from nutag.sites.extensions import register_column_page
from nutag.study.models import CourseColumn
from nutag.study.selectors.courses import courses_for_unit

SHOWN = 10


def render_courses(request: HttpRequest, unit: Unit, column: object) -> str:
    key = getattr(column, "key", "")
    courses = courses_for_unit(unit=unit, column=key)
    if not request.user.is_authenticated:
        courses = courses.filter(is_public=True)
    shown = list(courses[:SHOWN])
    if not shown:
        return ""
    return render_to_string(
        "study/_column_courses.html", {"unit": unit, "courses": shown}, request=request
    )


def unit_has_public_courses(unit: Unit) -> bool:
    """Whether the unit's site lists its study columns to visitors: one query per page, the
    answer kept on the unit object for the second column asking."""
    known: bool | None = getattr(unit, "_study_public_courses", None)
    if known is None:
        known = courses_for_unit(unit=unit).filter(is_public=True).exists()
        unit._study_public_courses = known  # type: ignore[attr-defined]
    return known


def render_micro_branch(request: HttpRequest, unit: Unit, column: object) -> str:
    """A link to the monthly check-in, for logged-in readers only (anonymous pages unchanged)."""
    if not request.user.is_authenticated:
        return ""
    return render_to_string("study/_column_micro_branch.html", {"unit": unit}, request=request)


def register() -> None:
    for key in (CourseColumn.ONLINE_STUDY, CourseColumn.THEMATIC):
        register_column_page(key, render_courses, has_content=unit_has_public_courses)
    register_column_page("micro_branch", render_micro_branch)
