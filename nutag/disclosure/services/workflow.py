"""A disclosure's way: submitted (totals checked), signed off by the supervisory committee
(or returned), and corrected by a new version once signed off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record, user_or_none
from nutag.core.models import AuditAction
from nutag.disclosure.models import (
    Direction,
    Disclosure,
    DisclosureKind,
    DisclosureStatus,
    FinanceLine,
    ProjectLine,
    SubsidyLine,
)
from nutag.disclosure.permissions import can_edit, can_sign_off
from nutag.disclosure.services.drafts import refuse_unless_draft
from nutag.orgs.permissions import require
from nutag.sites.events import announce_site_change

ZERO = Decimal("0")


def _money(value: Decimal) -> str:
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def totals_problems(disclosure: Disclosure) -> dict[str, str]:
    """What does not add up: ``{field: message}`` with the difference, empty when all do."""
    if disclosure.kind != DisclosureKind.FINANCE:
        return {}
    sums = dict(
        FinanceLine.objects.filter(disclosure=disclosure)
        .values_list("direction")
        .annotate(total=Sum("amount"))
        .values_list("direction", "total")
    )
    problems: dict[str, str] = {}
    for direction, field, declared in (
        (Direction.INCOME, "income_total", disclosure.income_total),
        (Direction.SPENDING, "spending_total", disclosure.spending_total),
    ):
        total = sums.get(direction) or ZERO
        if declared is None:
            problems[field] = _("Enter the declared total (the lines add up to %(sum)s).") % {
                "sum": _money(total)
            }
        elif total != declared:
            problems[field] = _(
                "The %(direction)s lines add up to %(sum)s, not the declared %(declared)s: "
                "a difference of %(difference)s."
            ) % {
                "direction": Direction(direction).label,
                "sum": _money(total),
                "declared": _money(declared),
                "difference": _money(total - declared),
            }
    return problems


def _fresh(disclosure: Disclosure) -> Disclosure:
    return Disclosure.objects.select_for_update().select_related("unit").get(pk=disclosure.pk)


def _audit(
    actor: Actor, disclosure: Disclosure, changes: dict[str, list[str]], note: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=disclosure,
        unit=disclosure.unit,
        changes=changes,
        note=note,
    )


@transaction.atomic
def disclosure_submit(
    *, acting_user: Actor, disclosure: Disclosure, now: dt.datetime | None = None
) -> Disclosure:
    """Send a draft to the supervisory committee. A finance disclosure's lines must add up to
    its declared totals (refused with the difference)."""
    require(acting_user, can_edit, disclosure)
    disclosure = _fresh(disclosure)
    refuse_unless_draft(disclosure)
    problems = totals_problems(disclosure)
    if problems:
        raise ValidationError({k: [v] for k, v in problems.items()}, code="totals")
    disclosure.status = DisclosureStatus.SUBMITTED
    disclosure.submitted_by = user_or_none(acting_user)
    disclosure.submitted_at = moment = now or timezone.now()
    disclosure.returned_note = ""
    disclosure.full_clean()
    disclosure.save()
    _audit(acting_user, disclosure, {"status": [DisclosureStatus.DRAFT, disclosure.status]})
    _tell_signers(acting_user, disclosure, moment)
    return disclosure


def _desk_link(disclosure: Disclosure) -> str:
    return f"/desk/u/{disclosure.unit.code}/disclosure/{disclosure.pk}/"


def _persons_of(user_id: int | None) -> set[int]:
    from nutag.people.models import Person

    if user_id is None:
        return set()
    return set(Person.objects.filter(user_id=user_id).values_list("pk", flat=True))


def _tell_signers(acting_user: Actor, disclosure: Disclosure, moment: dt.datetime) -> None:
    """Tell the supervisory committee a disclosure waits for its sign-off: the holders of
    the right at the disclosure's unit, or, if the submitter is its only one, at the nearest
    unit above (whose right covers it). Never the submitter, who may not sign it off."""
    from nutag.notify.selectors import holders_of
    from nutag.notify.services import notify_people
    from nutag.orgs.models import Unit
    from nutag.orgs.permissions import Perm

    unit = disclosure.unit
    submitter = _persons_of(disclosure.submitted_by_id)
    step = Unit.steplen
    paths = [unit.path[:end] for end in range(len(unit.path), 0, -step)]  # here, then up
    by_path = {u.path: u for u in Unit.objects.filter(path__in=paths)}
    for path in paths:
        holders = {
            person
            for person, _unit in holders_of(units=[by_path[path]], perm=Perm.SIGN_OFF_DISCLOSURE)
        } - submitter
        if holders:
            break
    else:
        return
    notify_people(
        acting_user=acting_user,
        kind="disclosure_submitted",
        person_ids=sorted(holders),
        params={"unit": unit.name, "title": disclosure.title},
        event_key=f"disclosure:{disclosure.pk}:submitted:{moment.timestamp()}",
        link=_desk_link(disclosure),
    )


def _submitted(acting_user: Actor, disclosure: Disclosure) -> Disclosure:
    fresh = _fresh(disclosure)
    require(acting_user, can_sign_off, fresh)
    if fresh.status != DisclosureStatus.SUBMITTED:
        if fresh.status == DisclosureStatus.SIGNED_OFF:
            raise ValidationError(_("This disclosure was already signed off."), code="signed_off")
        raise ValidationError(_("Only a submitted disclosure is signed off or returned."))
    return fresh


@transaction.atomic
def disclosure_sign_off(
    *, acting_user: Actor, disclosure: Disclosure, now: dt.datetime | None = None
) -> Disclosure:
    """The supervisory committee's sign-off: the disclosure is public and never changes.
    ``now``: the moment recorded (the demo loader back-dates a season's sign-offs)."""
    disclosure = _submitted(acting_user, disclosure)
    problems = totals_problems(disclosure)  # checked again: nothing unbalanced goes public
    if problems:
        raise ValidationError({k: [v] for k, v in problems.items()}, code="totals")
    disclosure.status = DisclosureStatus.SIGNED_OFF
    disclosure.signed_off_by = user_or_none(acting_user)
    disclosure.signed_off_at = now or timezone.now()
    disclosure.full_clean()
    disclosure.save()
    _audit(acting_user, disclosure, {"status": [DisclosureStatus.SUBMITTED, disclosure.status]})
    announce_site_change(unit_ids=[disclosure.unit_id])  # sent once this commits
    return disclosure


@transaction.atomic
def disclosure_return(*, acting_user: Actor, disclosure: Disclosure, note: str) -> Disclosure:
    """The committee sends a submitted disclosure back to its writers, saying why."""
    disclosure = _submitted(acting_user, disclosure)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say what must be changed.")]})
    disclosure.status = DisclosureStatus.DRAFT
    disclosure.returned_note = note[:300]
    disclosure.full_clean()
    disclosure.save()
    _audit(
        acting_user,
        disclosure,
        {"status": [DisclosureStatus.SUBMITTED, disclosure.status]},
        note=note[:255],
    )
    writers = _persons_of(disclosure.submitted_by_id)
    if writers:
        from nutag.notify.services import notify_people

        notify_people(
            acting_user=acting_user,
            kind="disclosure_returned",
            person_ids=sorted(writers),
            params={"title": disclosure.title, "note": note[:200]},
            event_key=f"disclosure:{disclosure.pk}:returned:{timezone.now().timestamp()}",
            link=_desk_link(disclosure),
        )
    return disclosure


@transaction.atomic
def disclosure_correct(*, acting_user: Actor, disclosure: Disclosure, note: str) -> Disclosure:
    """A new draft version of a signed-off disclosure, with its lines copied, to be edited,
    submitted and signed off like the first; its page shows what changed."""
    require(acting_user, can_edit, disclosure)
    disclosure = _fresh(disclosure)
    if disclosure.status != DisclosureStatus.SIGNED_OFF:
        raise ValidationError(
            _("Only a signed-off disclosure is corrected; edit this draft instead.")
        )
    if Disclosure.objects.filter(supersedes=disclosure).exists():
        raise ValidationError(
            _("A correction of this version already exists: open the newest version."),
            code="changed",
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say what this version corrects.")]})
    copy = Disclosure(
        unit=disclosure.unit,
        unit_path=disclosure.unit.path,
        kind=disclosure.kind,
        period_start=disclosure.period_start,
        period_end=disclosure.period_end,
        title=disclosure.title,
        body=disclosure.body,
        version=disclosure.version + 1,
        supersedes=disclosure,
        correction_note=note[:300],
        income_total=disclosure.income_total,
        spending_total=disclosure.spending_total,
        attachments=list(disclosure.attachments),
        created_by=user_or_none(acting_user),
    )
    copy.full_clean()
    copy.save()
    FinanceLine.objects.bulk_create(
        FinanceLine(
            disclosure=copy, direction=x.direction, item=x.item, amount=x.amount, note=x.note
        )
        for x in disclosure.finance.all()
    )
    ProjectLine.objects.bulk_create(
        ProjectLine(
            disclosure=copy,
            name=x.name,
            budget=x.budget,
            contractor=x.contractor,
            progress=x.progress,
        )
        for x in disclosure.projects.all()
    )
    SubsidyLine.objects.bulk_create(
        SubsidyLine(disclosure=copy, household=x.household, kind=x.kind, amount=x.amount)
        for x in disclosure.subsidies.all()
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=copy,
        unit=copy.unit,
        note=f"correction of v{disclosure.version}: {note}"[:255],
    )
    return copy
