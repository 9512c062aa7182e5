"""Assessment rounds: open and finish them. What happens to one committee's assessment in a
round (fill in, submit, review, accept or return, reopen) is in ``services.assessments``.

- ``round_open`` (``MANAGE_STANDARDS`` at the issuer) creates an assessment for every
  active unit strictly below the issuer, with one item per standard item, the values the
  system knows already and a suggested self score (``nutag.assess.autofill``). A fixed
  number of queries, whatever the number of units.
- ``round_finish`` stops every change in the round. Assessments not accepted by then keep
  their status and count as not assessed (``passed`` stays empty).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.assess import autofill
from nutag.assess.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Round,
    RoundStatus,
    Standard,
    StandardItem,
)
from nutag.assess.permissions import can_manage_standards
from nutag.assess.services._common import actor, require
from nutag.assess.tallies import round_tally_build
from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.core.sanitize import clean_text
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.paths import is_within, subtree_q

# --- helpers ------------------------------------------------------------------------------


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
    acting_user: Actor,
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
    require(acting_user, can_manage_standards, unit)
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
    round_tally_build(round_)  # the dashboard's counts of the round, per subtree
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
def round_finish(*, acting_user: Actor, round: Round) -> Round:
    """Close the round: no more changes. Assessments not accepted keep their status."""
    require(acting_user, can_manage_standards, round.unit)
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
