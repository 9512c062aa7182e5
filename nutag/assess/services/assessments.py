"""One committee's assessment in a round: fill in, submit, review, accept or return, reopen.
Opening and finishing rounds is in ``services.rounds``.

Workflow of one committee's ``Assessment``::

    draft ──submit──▶ submitted ──accept──▶ accepted (final: score and pass)
      ▲                   │                    │
      └──── returned ◀─return──────────────reopen (an error found)

- The committee (``SELF_ASSESS`` at its unit) saves and submits while the assessment is a
  draft or returned. A first submission after the round's due date is refused (the draft is
  kept); a returned one may be sent again after it, since the reviewer asked for it.
- The reviewer needs ``REVIEW`` at a unit strictly *above* the committee; anyone else gets
  ``NotFound``. Accepting fixes the score (the sum of the reviewed points) and whether it
  passes (score ≥ the round's pass mark); returning needs a comment and keeps the scores.
- Once its round is finished (``round_finish``) an assessment can no longer change.

Every change is a compare-and-set on ``Assessment.version``: the caller passes the version
it showed the user, the row is updated only if it still has that version (and an allowed
status), and otherwise the change is refused with who changed it and when. So two
reviewers accepting at once end in one result, and the second is told to reload.

Errors per item are keyed ``score_<item pk>`` / ``note_<item pk>`` (self-assessment) and
``review_score_<item pk>`` / ``review_comment_<item pk>`` (review), the names of the form
fields, so each message shows next to its item.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from nutag.assess import autofill, notices
from nutag.assess.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Evidence,
    EvidenceKind,
    Round,
    RoundStatus,
    StandardItem,
    StandardKind,
)
from nutag.assess.permissions import can_review, can_self_assess
from nutag.assess.services._common import actor, require
from nutag.assess.tallies import assessment_changing, five_good_tally_refresh
from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction, AuditEntry
from nutag.core.sanitize import clean_text

EDITABLE = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
NOTE_MAX = 5000
SUMMARY_MAX = 10000
ItemInput = Mapping[int, tuple[int | None, str]]  # {assessment item pk: (score, text)}
ACCEPT, RETURN = "accept", "return"


# --- helpers ------------------------------------------------------------------------------


def _who(entry: AuditEntry | None) -> str:
    if entry is None or entry.actor is None:
        return _("the system")
    person = getattr(entry.actor, "person", None)
    return person.name if person is not None else entry.actor.get_username()


def changed_meanwhile(assessment: Assessment) -> ValidationError:
    """The refusal when the assessment changed since the user's page was made."""
    last = (
        AuditEntry.objects.filter(
            object_type=Assessment._meta.label_lower, object_id=str(assessment.pk)
        )
        .select_related("actor__person")
        .order_by("-created_at", "-id")
        .first()
    )
    when = formats.date_format(timezone.localtime(last.created_at), "Y-m-d H:i") if last else ""
    return ValidationError(
        _(
            "This assessment was changed by someone else meanwhile (by %(who)s at %(when)s). "
            "Reload the page to see the change; what you typed is still shown below."
        )
        % {"who": _who(last), "when": when},
        code="changed",
    )


def _fresh(assessment: Assessment, version: int) -> Assessment:
    """The assessment as stored now; refused if it changed since ``version``."""
    current = (
        Assessment.objects.select_related("round", "round__unit", "round__standard", "unit")
        .filter(pk=assessment.pk)
        .first()
    )
    if current is None:
        raise NotFound
    if current.version != version:
        raise changed_meanwhile(current)
    return current


def _compare_and_set(
    assessment: Assessment, version: int, statuses: tuple[str, ...], **fields: object
) -> None:
    """Write ``fields`` only if the row still has ``version`` and one of ``statuses``."""
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.full_clean(validate_unique=False, validate_constraints=False)
    now = timezone.now()
    rows = Assessment.objects.filter(pk=assessment.pk, version=version, status__in=statuses)
    # A new status or result: the round's subtree tally follows.
    counted = assessment_changing(assessment) if {"status", "passed"} & set(fields) else None
    with counted or nullcontext():
        done = rows.update(version=version + 1, updated_at=now, **fields)
    if not done:
        raise changed_meanwhile(assessment)
    assessment.version = version + 1
    assessment.updated_at = now


def _five_good_changed(assessment: Assessment) -> None:
    """An acceptance given or taken back: the committee's five-good tally is recounted in
    this transaction (``nutag.assess.tallies``)."""
    if assessment.round.standard.kind == StandardKind.FIVE_GOOD:
        five_good_tally_refresh(unit_ids=[assessment.unit_id])


def _require_open(round_: Round) -> None:
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(
            _("The round “%(round)s” is finished: nothing in it can be changed any more.")
            % {"round": round_.title},
            code="finished",
        )


def _require_editable(assessment: Assessment) -> None:
    _require_open(assessment.round)
    if assessment.status not in EDITABLE:
        raise ValidationError(
            _("This self-assessment is %(status)s: it can no longer be changed.")
            % {"status": assessment.get_status_display()},
            code="status",
        )


def _items(assessment: Assessment) -> list[AssessmentItem]:
    return list(
        AssessmentItem.objects.filter(assessment=assessment)
        .select_related("item")
        .order_by("item__position", "item_id")
    )


def _score_error(item: StandardItem) -> str:
    return _("“%(item)s”: give a whole number of points from 0 to %(points)d.") % {
        "item": item.title,
        "points": item.points,
    }


def _check_scores(
    items: list[AssessmentItem], given: ItemInput, prefix: str, *, text_max: int
) -> dict[int, tuple[int | None, str]]:
    """Validate ``{item pk: (score, text)}`` against the items' points; errors per item."""
    by_pk = {i.pk: i for i in items}
    unknown = [pk for pk in given if pk not in by_pk]
    if unknown:
        raise ValidationError(_("Some items do not belong to this assessment: reload the page."))
    errors: dict[str, str] = {}
    result: dict[int, tuple[int | None, str]] = {}
    for pk, (score, text) in given.items():
        item = by_pk[pk].item
        if score is not None and (
            isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= item.points
        ):
            errors[f"{prefix}score_{pk}"] = _score_error(item)
        result[pk] = (score, (text or "").strip()[:text_max])
    if errors:
        raise ValidationError(errors)
    return result


def _audit(
    acting_user: Actor,
    assessment: Assessment,
    changes: dict[str, list[object]],
    note: str = "",
    action: AuditAction = AuditAction.UPDATE,
) -> None:
    audit_record(
        actor=acting_user,
        action=action,
        obj=assessment,
        unit=assessment.unit,
        changes=changes,
        note=note,
    )


# --- the committee's self-assessment --------------------------------------------------------


@transaction.atomic
def assessment_save(
    *,
    acting_user: Actor,
    assessment: Assessment,
    summary: str,
    items: ItemInput,
    version: int,
) -> Assessment:
    """Save the committee's summary, scores and notes (a draft: nothing is checked for
    completeness until it is submitted). A score outside 0..points refuses the whole save,
    with a message next to each wrong item."""
    require(acting_user, can_self_assess, assessment)
    fresh = _fresh(assessment, version)
    _require_editable(fresh)
    rows = _items(fresh)
    given = _check_scores(rows, items, "", text_max=NOTE_MAX)
    changes: dict[str, list[object]] = {}
    changed: list[AssessmentItem] = []
    for row in rows:
        if row.pk not in given:
            continue
        score, note = given[row.pk]
        if (score, note) != (row.self_score, row.note):
            if score != row.self_score:
                changes[f"{row.item.title}"] = [row.self_score, score]
            row.self_score, row.note = score, note
            row.full_clean(validate_unique=False, validate_constraints=False)
            changed.append(row)
    summary = (summary or "").strip()[:SUMMARY_MAX]
    total = sum(r.self_score or 0 for r in rows)
    if summary != fresh.summary:
        changes["summary"] = [len(fresh.summary), len(summary)]
    if total != fresh.self_total:
        changes["self_total"] = [fresh.self_total, total]
    _compare_and_set(fresh, version, EDITABLE, summary=summary, self_total=total)
    if changed:
        AssessmentItem.objects.bulk_update(changed, ["self_score", "note"])
    _audit(acting_user, fresh, changes)
    _copy(fresh, assessment)
    return assessment


def _copy(source: Assessment, target: Assessment) -> None:
    """Bring the caller's object up to date with what was written."""
    if source is not target:
        for field in Assessment._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))


def missing_for_submit(assessment: Assessment) -> dict[str, str]:
    """What a submission still lacks, keyed by form field: a score for every item, and for
    every item asking for evidence, something to show for it.

    Evidence rule: an item whose standard item asks for photos, files or links is shown by
    at least one piece of evidence *or* a note (e.g. "the minutes are kept at the office");
    an item asking only for a written account needs the note. A value the system knows
    (greater than 0) counts as evidence for items filled automatically. Items asking for
    nothing need only the score.
    """
    rows = _items(assessment)
    with_evidence = set(
        Evidence.objects.filter(assessment_item__assessment=assessment)
        .values_list("assessment_item_id", flat=True)
        .distinct()
    )
    missing: dict[str, str] = {}
    for row in rows:
        item = row.item
        if row.self_score is None:
            missing[f"score_{row.pk}"] = _score_error(item)
        accepts = [k for k in (item.accepts or []) if k in EvidenceKind.values]
        if not accepts or row.note.strip():
            continue
        if item.auto_source and (row.auto_value or 0) > 0:
            continue
        if accepts == [EvidenceKind.TEXT]:
            missing[f"note_{row.pk}"] = _("“%(item)s” asks for a written account.") % {
                "item": item.title
            }
        elif row.pk not in with_evidence:
            wanted = "、".join(str(EvidenceKind(k).label) for k in accepts)
            missing[f"note_{row.pk}"] = _(
                "“%(item)s” asks for evidence (%(wanted)s): add at least one, or explain in "
                "the note."
            ) % {"item": item.title, "wanted": wanted}
    return missing


@transaction.atomic
def assessment_submit(*, acting_user: Actor, assessment: Assessment, version: int) -> Assessment:
    """Send the self-assessment to the unit above for review."""
    require(acting_user, can_self_assess, assessment)
    fresh = _fresh(assessment, version)
    _require_editable(fresh)
    today = timezone.localdate()
    if fresh.status == AssessmentStatus.DRAFT and today > fresh.round.self_due:
        raise ValidationError(
            _(
                "Self-assessments were due on %(date)s: it can no longer be submitted. "
                "The draft is kept; ask %(issuer)s."
            )
            % {"date": fresh.round.self_due.isoformat(), "issuer": fresh.round.unit.name},
            code="late",
        )
    missing = missing_for_submit(fresh)
    if missing:
        raise ValidationError(missing)
    total = int(
        AssessmentItem.objects.filter(assessment=fresh).aggregate(t=Sum("self_score"))["t"] or 0
    )
    before = fresh.status
    _compare_and_set(
        fresh,
        version,
        EDITABLE,
        status=AssessmentStatus.SUBMITTED,
        self_total=total,
        submitted_at=timezone.now(),
        submitted_by=actor(acting_user),
    )
    _audit(acting_user, fresh, {"status": [before, fresh.status], "self_total": [None, total]})
    notices.assessment_submitted(acting_user, fresh)
    _copy(fresh, assessment)
    return assessment


@transaction.atomic
def assessment_refresh_known(
    *, acting_user: Actor, assessment: Assessment, version: int
) -> Assessment:
    """Recompute the values the system knows (while the assessment is editable). A self
    score the committee left as suggested follows the new suggestion; one it changed stays."""
    require(acting_user, can_self_assess, assessment)
    fresh = _fresh(assessment, version)
    _require_editable(fresh)
    rows = [r for r in _items(fresh) if r.item.auto_source]
    year = fresh.round.year
    known = autofill.known_values(
        units=[fresh.unit], sources={r.item.auto_source for r in rows}, year=year
    )
    changes: dict[str, list[object]] = {}
    for row in rows:
        item = row.item
        value = known.get(item.auto_source, {}).get(fresh.unit_id, 0)
        old = autofill.suggested_score(
            points=item.points, value=row.auto_value, target=item.auto_target
        )
        if row.self_score is None or (row.auto_value is not None and row.self_score == old):
            row.self_score = autofill.suggested_score(
                points=item.points, value=value, target=item.auto_target
            )
        if value != row.auto_value:
            changes[f"{item.title}"] = [row.auto_value, value]
        row.auto_value = value
        row.auto_note = autofill.stored_note(item=item, value=value, year=year)
    if rows:
        AssessmentItem.objects.bulk_update(rows, ["auto_value", "auto_note", "self_score"])
    total = int(
        AssessmentItem.objects.filter(assessment=fresh).aggregate(t=Sum("self_score"))["t"] or 0
    )
    _compare_and_set(fresh, version, EDITABLE, self_total=total)
    _audit(acting_user, fresh, changes, note=_("known values refreshed"))
    _copy(fresh, assessment)
    return assessment


# --- review ---------------------------------------------------------------------------------


def _decide(
    acting_user: Actor,
    assessment: Assessment,
    version: int,
    from_status: str,
    to_status: str,
    comment: str,
    **fields: object,
) -> None:
    """A reviewer's decision: ``from_status`` → ``to_status`` with the comment, who and when
    (compare-and-set on ``version``), and any other ``fields`` (the score and result)."""
    _compare_and_set(
        assessment,
        version,
        (from_status,),
        status=to_status,
        **fields,
        review_comment=comment,
        reviewed_at=timezone.now(),
        reviewed_by=actor(acting_user),
    )


@transaction.atomic
def assessment_review(
    *,
    acting_user: Actor,
    assessment: Assessment,
    scores: ItemInput,
    comment: str,
    decision: str,
    version: int,
) -> Assessment:
    """Score a submitted self-assessment and accept it (final) or return it (with a comment).

    Only someone holding ``REVIEW`` strictly above the committee's unit; anyone else gets
    ``NotFound``, as if the assessment did not exist.
    """
    require(acting_user, can_review, assessment)
    if decision not in (ACCEPT, RETURN):
        raise ValidationError({"decision": _("Choose to accept or to return.")})
    fresh = _fresh(assessment, version)
    _require_open(fresh.round)
    if fresh.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(
            _("This assessment is %(status)s: only a submitted one can be reviewed.")
            % {"status": fresh.get_status_display()},
            code="status",
        )
    rows = _items(fresh)
    given = _check_scores(rows, scores, "review_", text_max=500)
    comment = (comment or "").strip()[:SUMMARY_MAX]
    for row in rows:
        if row.pk in given:
            row.review_score, row.review_comment = given[row.pk]
            row.review_comment = clean_text(row.review_comment, max_length=500)
            row.full_clean(validate_unique=False, validate_constraints=False)
    errors: dict[str, str] = {}
    if decision == ACCEPT:
        for row in rows:
            if row.review_score is None:
                errors[f"review_score_{row.pk}"] = _score_error(row.item)
    elif not comment:
        errors["comment"] = _("Say what is to be corrected: the committee reads this.")
    if errors:
        raise ValidationError(errors)
    before = fresh.status
    if decision == ACCEPT:
        score = sum(r.review_score or 0 for r in rows)
        passed = score >= fresh.round.pass_mark
        _decide(
            acting_user,
            fresh,
            version,
            AssessmentStatus.SUBMITTED,
            AssessmentStatus.ACCEPTED,
            comment,
            score=score,
            passed=passed,
        )
        changes: dict[str, list[object]] = {
            "status": [before, fresh.status],
            "score": [None, score],
            "passed": [None, passed],
        }
        _five_good_changed(fresh)
    else:
        _decide(
            acting_user,
            fresh,
            version,
            AssessmentStatus.SUBMITTED,
            AssessmentStatus.RETURNED,
            comment,
        )
        changes = {"status": [before, fresh.status], "review_comment": [None, comment[:200]]}
    AssessmentItem.objects.bulk_update(rows, ["review_score", "review_comment"])
    _audit(acting_user, fresh, changes)
    _copy(fresh, assessment)
    return assessment


@transaction.atomic
def assessment_reopen(
    *, acting_user: Actor, assessment: Assessment, comment: str, version: int
) -> Assessment:
    """Take back an acceptance (an error was found): the assessment is returned to the
    committee with a comment, its score and result cleared; the reviewed points are kept."""
    require(acting_user, can_review, assessment)
    fresh = _fresh(assessment, version)
    _require_open(fresh.round)
    if fresh.status != AssessmentStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted assessment can be reopened."), code="status")
    comment = (comment or "").strip()[:SUMMARY_MAX]
    if not comment:
        raise ValidationError(
            {"comment": _("Say what is to be corrected: the committee reads this.")}
        )
    before = (fresh.status, fresh.score, fresh.passed)
    _decide(
        acting_user,
        fresh,
        version,
        AssessmentStatus.ACCEPTED,
        AssessmentStatus.RETURNED,
        comment,
        score=None,
        passed=None,
    )
    _audit(
        acting_user,
        fresh,
        {
            "status": [before[0], fresh.status],
            "score": [before[1], None],
            "passed": [before[2], None],
        },
        action=AuditAction.REOPEN,
    )
    _five_good_changed(fresh)
    _copy(fresh, assessment)
    return assessment
