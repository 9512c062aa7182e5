"""Reads of rounds and assessments, for a user or a unit.

Who sees what (``VIEW_WORK``, which flows down the tree like every right):

- a round: anyone with ``VIEW_WORK`` at its issuer or at any unit below the issuer (every
  committee taking part needs to see the round it fills in);
- an assessment: ``VIEW_WORK`` at the committee's unit, i.e. the committee itself and every
  unit above it — never a sibling; ``NotFound`` otherwise, as for a missing one;
- a round's list of assessments: only those at or below the units where the viewer holds
  ``VIEW_WORK`` (a village sees its own line, a township its villages, the issuer all).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nutag.assess.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Evidence,
    Round,
    RoundStatus,
    StandardKind,
)
from nutag.assess.permissions import can_review, can_self_assess, can_view_work
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import is_within, minimal_paths, subtree_q, subtrees_q
from nutag.orgs.permissions import (
    AnyUser,
    Perm,
    granted_paths,
    is_platform_admin,
)

STATUS_ORDER = [s.value for s in AssessmentStatus]


def _view_paths(user: AnyUser) -> list[str] | None:
    """Where ``user`` holds ``VIEW_WORK``; ``None`` means everywhere (platform admin)."""
    if is_platform_admin(user):
        return None
    return granted_paths(user=user, perm=Perm.VIEW_WORK)


def can_see_round(*, user: AnyUser, round: Round) -> bool:
    paths = _view_paths(user)
    if paths is None:
        return True
    issuer = round.unit.path
    return any(is_within(issuer, p) or is_within(p, issuer) for p in paths)


def access_round(*, user: AnyUser, pk: int | str) -> Round:
    """The round if ``user`` may see it (see the module docstring); else ``NotFound``."""
    try:
        round_ = Round.objects.select_related("unit", "standard", "standard__unit").get(pk=int(pk))
    except (Round.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not can_see_round(user=user, round=round_):
        raise NotFound
    return round_


def access_assessment(*, user: AnyUser, pk: int | str) -> Assessment:
    """The assessment if ``user`` holds ``VIEW_WORK`` at its unit (the committee or a unit
    above it); ``NotFound`` for missing and for not theirs (a sibling never sees it)."""
    try:
        assessment = Assessment.objects.select_related(
            "unit", "round", "round__unit", "round__standard", "submitted_by", "reviewed_by"
        ).get(pk=int(pk))
    except (Assessment.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not can_view_work(user, assessment.unit):
        raise NotFound
    return assessment


@dataclasses.dataclass
class AssessmentRights:
    fill: bool  # save, add evidence, submit, refresh known values
    review: bool  # score, accept or return
    reopen: bool  # take back an acceptance


def assessment_rights(*, user: AnyUser, assessment: Assessment) -> AssessmentRights:
    round_open = assessment.round.status == RoundStatus.OPEN
    editable = assessment.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
    reviewer = round_open and can_review(user, assessment)
    return AssessmentRights(
        fill=round_open and editable and can_self_assess(user, assessment),
        review=reviewer and assessment.status == AssessmentStatus.SUBMITTED,
        reopen=reviewer and assessment.status == AssessmentStatus.ACCEPTED,
    )


def assessment_items(*, assessment: Assessment) -> list[AssessmentItem]:
    """The items in the standard's order, each with ``shown_evidence`` (its evidence list);
    two queries."""
    items = list(
        AssessmentItem.objects.filter(assessment=assessment)
        .select_related("item")
        .order_by("item__position", "item_id")
    )
    by_item: dict[int, list[Evidence]] = {i.pk: [] for i in items}
    for evidence in Evidence.objects.filter(assessment_item__assessment=assessment).order_by("id"):
        if evidence.assessment_item_id is not None:
            by_item.setdefault(evidence.assessment_item_id, []).append(evidence)
    for item in items:
        item.shown_evidence = by_item.get(item.pk, [])  # type: ignore[attr-defined]
    return items


# --- lists for a unit -------------------------------------------------------------------------


def rounds_issued(*, unit: Unit) -> QuerySet[Round]:
    """Rounds ``unit`` opened, newest first, with ``total``, ``submitted`` (waiting) and
    ``accepted`` counts."""
    return (
        Round.objects.filter(unit=unit)
        .select_related("standard")
        .annotate(
            total=Count("assessments"),
            waiting=Count("assessments", filter=Q(assessments__status=AssessmentStatus.SUBMITTED)),
            accepted=Count("assessments", filter=Q(assessments__status=AssessmentStatus.ACCEPTED)),
        )
        .order_by("-year", "-id")
    )


def rounds_for_unit(*, unit: Unit) -> QuerySet[Round]:
    """Rounds issued at or above ``unit`` that include it, newest first, each with the unit's
    ``my_assessment`` id, ``my_status``, ``my_score`` and ``my_passed``."""
    mine = Assessment.objects.filter(round=OuterRef("pk"), unit=unit)
    return (
        Round.objects.filter(assessments__unit=unit)
        .select_related("unit", "standard")
        .annotate(
            my_assessment=Subquery(mine.values("pk")[:1]),
            my_status=Subquery(mine.values("status")[:1]),
            my_score=Subquery(mine.values("score")[:1]),
            my_passed=Subquery(mine.values("passed")[:1]),
        )
        .order_by("-year", "-id")
    )


@dataclasses.dataclass
class Progress:
    unit: Unit
    total: int
    by_status: dict[str, int]
    passed: int

    @property
    def done(self) -> int:
        """Submitted or further."""
        return self.total - self.by_status.get(AssessmentStatus.DRAFT, 0)

    @property
    def accepted(self) -> int:
        return self.by_status.get(AssessmentStatus.ACCEPTED, 0)

    def percent(self, n: int) -> int:
        return round(100 * n / self.total) if self.total else 0

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """``(status, label, count)`` in workflow order."""
        return [(s.value, str(s.label), self.by_status.get(s.value, 0)) for s in AssessmentStatus]


def round_progress(*, round: Round, unit: Unit) -> Progress:
    """Counts by status (and passes) of the round's assessments in ``unit``'s subtree
    (``unit`` itself included when it takes part). One query."""
    rows = (
        Assessment.objects.filter(subtree_q(unit.path, "unit__path"), round=round)
        .values_list("status")
        .annotate(n=Count("id"), passed=Count("id", filter=Q(passed=True)))
        .order_by()
    )
    by_status = {status: n for status, n, _p in rows}
    return Progress(
        unit=unit,
        total=sum(by_status.values()),
        by_status=by_status,
        passed=sum(p for _s, _n, p in rows),
    )


def viewer_scope(*, user: AnyUser, round: Round) -> list[Unit]:
    """The top units of what ``user`` sees of ``round``: the issuer if they hold
    ``VIEW_WORK`` there (or above), else their own units below it."""
    paths = _view_paths(user)
    issuer = round.unit
    if paths is None or any(is_within(issuer.path, p) for p in paths):
        return [issuer]
    inside = minimal_paths([p for p in paths if is_within(p, issuer.path)])
    return list(Unit.objects.filter(path__in=inside).order_by("path"))


def round_results(*, round: Round, user: AnyUser, status: str = "") -> QuerySet[Assessment]:
    """The round's assessments that ``user`` may see (at or below their units), in tree
    order, optionally of one ``status``; for the round page and its export."""
    qs = Assessment.objects.filter(round=round).select_related("unit")
    paths = _view_paths(user)
    if paths is not None:
        qs = qs.filter(subtrees_q(paths, "unit__path")) if paths else qs.none()
    if status in STATUS_ORDER:
        qs = qs.filter(status=status)
    return qs.order_by("unit__path")


RESULT_HEADERS = [
    "单位",
    "单位代码",
    "单位类型",
    "上级单位",
    "状态",
    "自评分",
    "审核得分",
    "是否达标",
    "提交时间",
    "审核时间",
    "审核意见",
]


def round_results_rows(*, round: Round, assessments: Iterable[Assessment]) -> list[list[Any]]:
    """Export lines for ``RESULT_HEADERS``: Chinese labels, whatever the UI language
    (spreadsheets passed between offices keep Chinese headers and values)."""
    assessments = list(assessments)
    parent_paths = {a.unit.path[: -Unit.steplen] for a in assessments}
    parents = dict(Unit.objects.filter(path__in=parent_paths).values_list("path", "name"))

    def local(value: Any) -> Any:
        return timezone.localtime(value).replace(tzinfo=None) if value else None

    rows: list[list[Any]] = []
    with translation.override("zh-hans"):
        for a in assessments:
            rows.append(
                [
                    a.unit.name,
                    a.unit.code,
                    str(a.unit.get_kind_display()),
                    parents.get(a.unit.path[: -Unit.steplen], ""),
                    str(a.get_status_display()),
                    a.self_total if a.status != AssessmentStatus.DRAFT else None,
                    a.score,
                    "" if a.passed is None else ("是" if a.passed else "否"),
                    local(a.submitted_at),
                    local(a.reviewed_at),
                    a.review_comment,
                ]
            )
    return rows


# --- a unit's history ---------------------------------------------------------------------------


@dataclasses.dataclass
class HistoryRow:
    assessment: Assessment
    change: str  # "rise", "fall", "same" or "" (nothing to compare with)
    previous_score: int | None

    @property
    def round(self) -> Round:
        return self.assessment.round


def assessment_history(*, unit: Unit) -> list[HistoryRow]:
    """The unit's assessments across rounds, newest first: year, standard, status, score and
    pass, and whether the score rose or fell since the previous accepted assessment against
    the same kind of standard (the same standard, for a unit's own ones). One query."""
    assessments = list(
        Assessment.objects.filter(unit=unit)
        .select_related("round", "round__standard", "round__unit")
        .order_by("round__year", "round_id")
    )
    last: dict[tuple[str, int], int] = {}
    rows: list[HistoryRow] = []
    for a in assessments:
        standard = a.round.standard
        key = (standard.kind, standard.pk if standard.kind == StandardKind.CUSTOM else 0)
        previous = last.get(key)
        change = ""
        if a.status == AssessmentStatus.ACCEPTED and a.score is not None:
            if previous is not None:
                change = "rise" if a.score > previous else "fall" if a.score < previous else "same"
            last[key] = a.score
        rows.append(HistoryRow(assessment=a, change=change, previous_score=previous))
    rows.reverse()
    return rows


def status_choices() -> Sequence[tuple[str, str]]:
    return [("", _("All"))] + [(s.value, str(s.label)) for s in AssessmentStatus]
