"""Assessment rounds: open and finish them; fill in, submit, review, accept or return.

Workflow of one committee's ``Assessment``::

    draft ──submit──▶ submitted ──accept──▶ accepted (final: score and pass)
      ▲                   │                    │
      └──── returned ◀─return──────────────reopen (an error found)

- ``round_open`` (``MANAGE_STANDARDS`` at the issuer) creates an assessment for every
  active unit strictly below the issuer, with one item per standard item, the values the
  system knows already and a suggested self score (``nutag.assess.autofill``). A fixed
  number of queries, whatever the number of units.
- The committee (``SELF_ASSESS`` at its unit) saves and submits while the assessment is a
  draft or returned. A first submission after the round's due date is refused (the draft is
  kept); a returned one may be sent again after it, since the reviewer asked for it.
- The reviewer needs ``REVIEW`` at a unit strictly *above* the committee; anyone else gets
  ``NotFound``. Accepting fixes the score (the sum of the reviewed points) and whether it
  passes (score ≥ the round's pass mark); returning needs a comment and keeps the scores.
- ``round_finish`` stops every change in the round. Assessments not accepted by then keep
  their status and count as not assessed (``passed`` stays empty).

Every change is a compare-and-set on ``Assessment.version``: the caller passes the version
it showed the user, the row is updated only if it still has that version (and an allowed
status), and otherwise the change is refused with who changed it and when. So two
reviewers accepting at once end in one result, and the second is told to reload.

Errors per item are keyed ``score_<item pk>`` / ``note_<item pk>`` (self-assessment) and
``review_score_<item pk>`` / ``review_comment_<item pk>`` (review), the names of the form
fields, so each message shows next to its item.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from nutag.assess import autofill
from nutag.assess.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Evidence,
    EvidenceKind,
    Round,
    RoundStatus,
    Standard,
    StandardItem,
)
from nutag.assess.services._common import actor, require, require_above
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction, AuditEntry
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.paths import is_within, subtree_q
from nutag.orgs.permissions import AnyUser, Perm
from nutag.sites.sanitize import clean_text

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
        Assessment.objects.select_related("round", "round__unit", "unit")
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
    done = Assessment.objects.filter(pk=assessment.pk, version=version, status__in=statuses).update(
        version=version + 1, updated_at=now, **fields
    )
    if not done:
        raise changed_meanwhile(assessment)
    assessment.version = version + 1
    assessment.updated_at = now


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
    acting_user: AnyUser | None,
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


@contextlib.contextmanager
def _whole_statements() -> Iterator[None]:
    """Let bulk inserts use the database's real parameter limit.

    Django 5.2 assumes SQLite's old limit of 999 parameters per statement and splits a bulk
    insert into ~120-row statements; SQLite since 3.32 allows 32,766 (read at run time
    here), so a round of a whole banner is inserted in one statement per table. Only this
    connection's features object is touched, and only for the duration of the block.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if raw is not None else 999
    features = connection.features
    had_own = "max_query_params" in vars(features)
    previous = features.max_query_params
    features.max_query_params = max(previous or 0, limit)
    try:
        yield
    finally:
        if had_own:
            features.max_query_params = previous
        else:
            del features.max_query_params


# --- rounds -------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    acting_user: AnyUser | None,
    unit: Unit,
    standard: Standard,
    year: int,
    title: str,
    self_due: dt.date,
) -> Round:
    """Open a round at ``unit`` and give every active unit strictly below it an assessment.

    Refused (``ValidationError``) for a standard not usable at ``unit``, one without items or
    with a pass mark above its points, a second round of the same standard and year at the
    same unit, or a unit with no active unit below. A fixed number of queries.
    """
    require(acting_user, Perm.MANAGE_STANDARDS, unit)
    if not unit.is_active:
        raise ValidationError(_("This unit is closed."))
    locked = (
        Standard.objects.select_for_update().select_related("unit").filter(pk=standard.pk).first()
    )
    if locked is None:
        raise NotFound
    standard = locked
    errors: dict[str, str] = {}
    if not is_within(unit.path, standard.unit.path):
        errors["standard"] = _(
            "“%(standard)s” belongs to %(owner)s and cannot be used here: choose a standard "
            "of this unit or of a unit above it."
        ) % {"standard": standard.name, "owner": standard.unit.name}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("Give a year such as %(year)d.") % {"year": timezone.localdate().year}
    title = clean_text(title, max_length=120) or (
        _("%(year)d: %(standard)s") % {"year": year, "standard": standard.name}
    )
    if not isinstance(self_due, dt.date):
        errors["self_due"] = _("Give the date self-assessments are due.")
    if errors:
        raise ValidationError(errors)
    items = list(standard.items.order_by("position", "id"))
    total = sum(i.points for i in items)
    if not items:
        raise ValidationError(
            {"standard": _("“%(standard)s” has no items yet.") % {"standard": standard.name}}
        )
    if standard.pass_mark > total:
        raise ValidationError(
            {
                "standard": _(
                    "The pass mark of “%(standard)s” (%(pass_mark)d) is above its total "
                    "points (%(total)d): correct the standard first."
                )
                % {"standard": standard.name, "pass_mark": standard.pass_mark, "total": total}
            }
        )
    if Round.objects.filter(unit=unit, standard=standard, year=year).exists():
        raise ValidationError(
            {
                "year": _(
                    "%(unit)s already opened a round of “%(standard)s” for %(year)d: "
                    "open that round instead, or choose another year."
                )
                % {"unit": unit.name, "standard": standard.name, "year": year}
            }
        )
    units = list(
        Unit.objects.filter(
            subtree_q(unit.path), depth__gt=unit.depth, status=UnitStatus.ACTIVE
        ).order_by("path")
    )
    if not units:
        raise ValidationError(_("There is no active unit below %(unit)s.") % {"unit": unit.name})
    round_ = Round(
        unit=unit,
        standard=standard,
        year=year,
        title=title,
        self_due=self_due,
        pass_mark=standard.pass_mark,
        opened_by=actor(acting_user),
    )
    round_.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError as exc:  # opened by someone else at the same moment
        raise ValidationError(
            {"year": _("This round has just been opened by someone else: reload the page.")}
        ) from exc
    assessments = Assessment.objects.bulk_create(
        [Assessment(round=round_, unit=u, unit_path=u.path) for u in units]
    )
    known = autofill.known_values(
        units=units, sources={i.auto_source for i in items}, year=year, within=unit
    )
    rows: list[AssessmentItem] = []
    totals: dict[int, int] = {}
    for assessment in assessments:
        for item in items:
            rows.append(_new_item(assessment, item, known, year))
            totals[assessment.pk] = totals.get(assessment.pk, 0) + (rows[-1].self_score or 0)
    with _whole_statements():
        AssessmentItem.objects.bulk_create(rows)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=round_,
        unit=unit,
        changes={
            "standard": [None, standard.name],
            "year": [None, year],
            "pass_mark": [None, round_.pass_mark],
            "self_due": [None, self_due.isoformat()],
        },
        note=_("%(count)d units to assess") % {"count": len(assessments)},
    )
    return round_


def _new_item(
    assessment: Assessment, item: StandardItem, known: autofill.Values, year: int
) -> AssessmentItem:
    row = AssessmentItem(assessment=assessment, item=item)
    if item.auto_source and item.auto_source in known:
        value = known[item.auto_source].get(assessment.unit_id, 0)
        row.auto_value = value
        row.auto_note = autofill.stored_note(item=item, value=value, year=year)
        row.self_score = autofill.suggested_score(
            points=item.points, value=value, target=item.auto_target
        )
    return row


@transaction.atomic
def round_finish(*, acting_user: AnyUser | None, round: Round) -> Round:
    """Close the round: no more changes. Assessments not accepted keep their status."""
    require(acting_user, Perm.MANAGE_STANDARDS, round.unit)
    done = Round.objects.filter(pk=round.pk, status=RoundStatus.OPEN).update(
        status=RoundStatus.FINISHED, finished_at=timezone.now(), updated_at=timezone.now()
    )
    if not done:
        raise ValidationError(_("This round is already finished."))
    round.refresh_from_db()
    counts = dict(
        Assessment.objects.filter(round=round)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CLOSE,
        obj=round,
        unit=round.unit,
        changes={"status": [RoundStatus.OPEN, RoundStatus.FINISHED]},
        note=_("%(accepted)d of %(total)d assessments accepted")
        % {
            "accepted": counts.get(AssessmentStatus.ACCEPTED, 0),
            "total": sum(counts.values()),
        },
    )
    return round


# --- the committee's self-assessment --------------------------------------------------------


@transaction.atomic
def assessment_save(
    *,
    acting_user: AnyUser | None,
    assessment: Assessment,
    summary: str,
    items: ItemInput,
    version: int,
) -> Assessment:
    """Save the committee's summary, scores and notes (a draft: nothing is checked for
    completeness until it is submitted). A score outside 0..points refuses the whole save,
    with a message next to each wrong item."""
    require(acting_user, Perm.SELF_ASSESS, assessment.unit)
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
def assessment_submit(
    *, acting_user: AnyUser | None, assessment: Assessment, version: int
) -> Assessment:
    """Send the self-assessment to the unit above for review."""
    require(acting_user, Perm.SELF_ASSESS, assessment.unit)
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
    _copy(fresh, assessment)
    return assessment


@transaction.atomic
def assessment_refresh_known(
    *, acting_user: AnyUser | None, assessment: Assessment, version: int
) -> Assessment:
    """Recompute the values the system knows (while the assessment is editable). A self
    score the committee left as suggested follows the new suggestion; one it changed stays."""
    require(acting_user, Perm.SELF_ASSESS, assessment.unit)
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


@transaction.atomic
def assessment_review(
    *,
    acting_user: AnyUser | None,
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
    require_above(acting_user, Perm.REVIEW, assessment.unit)
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
        _compare_and_set(
            fresh,
            version,
            (AssessmentStatus.SUBMITTED,),
            status=AssessmentStatus.ACCEPTED,
            score=score,
            passed=passed,
            review_comment=comment,
            reviewed_at=timezone.now(),
            reviewed_by=actor(acting_user),
        )
        changes: dict[str, list[object]] = {
            "status": [before, fresh.status],
            "score": [None, score],
            "passed": [None, passed],
        }
    else:
        _compare_and_set(
            fresh,
            version,
            (AssessmentStatus.SUBMITTED,),
            status=AssessmentStatus.RETURNED,
            review_comment=comment,
            reviewed_at=timezone.now(),
            reviewed_by=actor(acting_user),
        )
        changes = {"status": [before, fresh.status], "review_comment": [None, comment[:200]]}
    AssessmentItem.objects.bulk_update(rows, ["review_score", "review_comment"])
    _audit(acting_user, fresh, changes)
    _copy(fresh, assessment)
    return assessment


@transaction.atomic
def assessment_reopen(
    *, acting_user: AnyUser | None, assessment: Assessment, comment: str, version: int
) -> Assessment:
    """Take back an acceptance (an error was found): the assessment is returned to the
    committee with a comment, its score and result cleared; the reviewed points are kept."""
    require_above(acting_user, Perm.REVIEW, assessment.unit)
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
    _compare_and_set(
        fresh,
        version,
        (AssessmentStatus.ACCEPTED,),
        status=AssessmentStatus.RETURNED,
        score=None,
        passed=None,
        review_comment=comment,
        reviewed_at=timezone.now(),
        reviewed_by=actor(acting_user),
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
    _copy(fresh, assessment)
    return assessment
