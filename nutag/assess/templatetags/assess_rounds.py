"""Template helpers of the assessment pages."""

from __future__ import annotations

from django import template

from nutag.assess.models import AssessmentStatus

register = template.Library()


@register.filter
def assessment_status_label(value: str | None) -> str:
    """The translated label of an assessment status value (e.g. from an annotation)."""
    try:
        return str(AssessmentStatus(value or "").label)
    except ValueError:
        return ""
