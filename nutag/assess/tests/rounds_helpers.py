"""Shared helpers of the standards and rounds tests (not fixtures: plain functions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from nutag.assess.models import Assessment, AssessmentItem, Round, Standard, StandardKind
from nutag.assess.services import assessments as assessment_services
from nutag.assess.services import rounds as services
from nutag.assess.services.standards import standards_install_defaults
from nutag.core.actors import SYSTEM
from nutag.factories import person_with_position
from nutag.orgs.models import PositionTitle
from nutag.orgs.permissions import forget_grants


def this_year() -> int:
    return timezone.localdate().year


def banner_secretary(cast: Any) -> Any:
    """The cast has no secretary at the banner: the one who opens rounds there."""
    user = person_with_position(
        unit=cast.banner,
        title=PositionTitle.BRANCH_SECRETARY,
        username="banner-secretary",
        name="旗书记",
    ).user
    forget_grants(user)
    return user


def defaults(unit: Any) -> dict[str, Standard]:
    return {s.kind: s for s in standards_install_defaults(acting_user=SYSTEM, unit=unit)}


def five_good(unit: Any) -> Standard:
    return defaults(unit)[StandardKind.FIVE_GOOD]


def open_round(
    unit: Any,
    standard: Standard | None = None,
    *,
    year: int | None = None,
    due: dt.date | None = None,
    user: Any = SYSTEM,
) -> Round:
    return services.round_open(
        acting_user=user,
        unit=unit,
        standard=standard or five_good(unit),
        year=year or this_year(),
        title="",
        self_due=due or timezone.localdate() + dt.timedelta(days=10),
    )


def assessment_of(round_: Round, unit: Any) -> Assessment:
    return Assessment.objects.select_related("round", "unit").get(round=round_, unit=unit)


def items_of(assessment: Assessment) -> list[AssessmentItem]:
    return list(
        AssessmentItem.objects.filter(assessment=assessment)
        .select_related("item")
        .order_by("item__position")
    )


def fill(
    assessment: Assessment, *, user: Any = SYSTEM, score: Any = None, note: str = "已落实"
) -> Assessment:
    """Save a score (default: full points) and a note for every item."""
    items = {
        row.pk: (row.item.points if score is None else score(row.item), note)
        for row in items_of(assessment)
    }
    return assessment_services.assessment_save(
        acting_user=user,
        assessment=assessment,
        summary="全年工作总结",
        items=items,
        version=assessment.version,
    )


def submitted(assessment: Assessment, **kwargs: Any) -> Assessment:
    fill(assessment, **kwargs)
    return assessment_services.assessment_submit(
        acting_user=SYSTEM, assessment=assessment, version=assessment.version
    )


def review(
    assessment: Assessment,
    *,
    user: Any = SYSTEM,
    decision: str = "accept",
    score: Any = None,
    comment: str = "",
) -> Assessment:
    scores = {
        row.pk: (row.item.points if score is None else score(row.item), "")
        for row in items_of(assessment)
    }
    return assessment_services.assessment_review(
        acting_user=user,
        assessment=assessment,
        scores=scores,
        comment=comment,
        decision=decision,
        version=assessment.version,
    )
