"""A disclosure's draft: made, edited, its lines and attachments. Only a draft changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record, user_or_none
from nutag.core.errors import NotFound
from nutag.core.media import check_attachment, saving, store_file
from nutag.core.models import AuditAction
from nutag.disclosure.models import (
    Disclosure,
    DisclosureStatus,
    FinanceLine,
    LineKind,
    ProjectLine,
    SubsidyLine,
)
from nutag.disclosure.periods import Period
from nutag.disclosure.permissions import can_edit, can_write_disclosure
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require

MAX_ATTACHMENTS = 5
MAX_LINES = 300
LINE_MODELS: dict[str, type[models.Model]] = {
    LineKind.FINANCE: FinanceLine,
    LineKind.PROJECT: ProjectLine,
    LineKind.SUBSIDY: SubsidyLine,
}


def refuse_unless_draft(disclosure: Disclosure) -> None:
    """Only a draft is edited: a submitted one is returned first, a signed-off one corrected."""
    if disclosure.status == DisclosureStatus.SIGNED_OFF:
        raise ValidationError(
            _(
                "This disclosure was signed off and cannot be changed. To correct it, make a "
                "new version (“Correct”): the public page will show what changed."
            ),
            code="signed_off",
        )
    if disclosure.status == DisclosureStatus.SUBMITTED:
        raise ValidationError(
            _(
                "This disclosure is waiting for sign-off and cannot be changed. Ask the "
                "supervisory committee to return it first."
            ),
            code="signed_off",
        )


def _locked(disclosure: Disclosure) -> Disclosure:
    """The row again, locked for this transaction (two edits never cross a sign-off)."""
    return Disclosure.objects.select_for_update().select_related("unit").get(pk=disclosure.pk)


def _editable(acting_user: Actor, disclosure: Disclosure) -> Disclosure:
    require(acting_user, can_edit, disclosure)
    fresh = _locked(disclosure)
    refuse_unless_draft(fresh)
    return fresh


def _audit(actor: Actor, action: AuditAction, disclosure: Disclosure, **kw: Any) -> None:
    audit_record(actor=actor, action=action, obj=disclosure, unit=disclosure.unit, **kw)


@transaction.atomic
def disclosure_create(
    *,
    acting_user: Actor,
    unit: Unit,
    kind: str,
    period: Period,
    title: str,
    body: str = "",
    income_total: Decimal | None = None,
    spending_total: Decimal | None = None,
) -> Disclosure:
    """A new draft of ``unit`` for ``period``. One disclosure of a kind per unit and period:
    a second is refused (correct the first instead)."""
    require(acting_user, can_write_disclosure, unit)
    if Disclosure.objects.filter(unit=unit, kind=kind, period_start=period.start).exists():
        raise ValidationError(
            {
                "period": _(
                    "This unit already has a disclosure of this kind for %(period)s: open it, "
                    "or correct it if it was signed off."
                )
                % {"period": period.label}
            }
        )
    disclosure = Disclosure(
        unit=unit,
        unit_path=unit.path,
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        title=(title or "").strip(),
        body=(body or "").strip(),
        income_total=income_total,
        spending_total=spending_total,
        created_by=user_or_none(acting_user),
    )
    disclosure.full_clean()
    disclosure.save()
    _audit(acting_user, AuditAction.CREATE, disclosure)
    return disclosure


@transaction.atomic
def disclosure_update(
    *,
    acting_user: Actor,
    disclosure: Disclosure,
    title: str,
    body: str = "",
    income_total: Decimal | None = None,
    spending_total: Decimal | None = None,
) -> Disclosure:
    disclosure = _editable(acting_user, disclosure)
    before = {
        "title": disclosure.title,
        "income_total": str(disclosure.income_total),
        "spending_total": str(disclosure.spending_total),
    }
    disclosure.title = (title or "").strip()
    disclosure.body = (body or "").strip()
    disclosure.income_total = income_total
    disclosure.spending_total = spending_total
    disclosure.full_clean()
    disclosure.save()
    after = {
        "title": disclosure.title,
        "income_total": str(disclosure.income_total),
        "spending_total": str(disclosure.spending_total),
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    _audit(acting_user, AuditAction.UPDATE, disclosure, changes=changes)
    return disclosure


def _add_line(acting_user: Actor, disclosure: Disclosure, line: models.Model) -> Any:
    disclosure = _editable(acting_user, disclosure)
    model = type(line)
    if model.objects.filter(disclosure=disclosure).count() >= MAX_LINES:  # type: ignore[attr-defined]
        raise ValidationError(_("At most %(n)d lines in a table.") % {"n": MAX_LINES})
    line.disclosure = disclosure  # type: ignore[attr-defined]
    line.full_clean()
    line.save()
    _audit(acting_user, AuditAction.UPDATE, disclosure, note=f"line added: {line}"[:255])
    return line


@transaction.atomic
def finance_line_add(
    *,
    acting_user: Actor,
    disclosure: Disclosure,
    direction: str,
    item: str,
    amount: Decimal,
    note: str = "",
) -> FinanceLine:
    line = FinanceLine(
        direction=direction, item=(item or "").strip(), amount=amount, note=(note or "").strip()
    )
    return _add_line(acting_user, disclosure, line)  # type: ignore[no-any-return]


@transaction.atomic
def project_line_add(
    *,
    acting_user: Actor,
    disclosure: Disclosure,
    name: str,
    budget: Decimal,
    contractor: str = "",
    progress: int = 0,
) -> ProjectLine:
    line = ProjectLine(
        name=(name or "").strip(),
        budget=budget,
        contractor=(contractor or "").strip(),
        progress=progress,
    )
    return _add_line(acting_user, disclosure, line)  # type: ignore[no-any-return]


@transaction.atomic
def subsidy_line_add(
    *,
    acting_user: Actor,
    disclosure: Disclosure,
    household: str,
    kind: str,
    amount: Decimal,
) -> SubsidyLine:
    line = SubsidyLine(
        household=(household or "").strip(), kind=(kind or "").strip(), amount=amount
    )
    return _add_line(acting_user, disclosure, line)  # type: ignore[no-any-return]


@transaction.atomic
def line_remove(
    *, acting_user: Actor, disclosure: Disclosure, line_kind: str, line_id: int
) -> None:
    disclosure = _editable(acting_user, disclosure)
    model = LINE_MODELS.get(line_kind)
    if model is None:
        raise ValidationError({"line_kind": _("Choose one of the tables shown.")})
    deleted, _rows = model.objects.filter(disclosure=disclosure, pk=line_id).delete()  # type: ignore[attr-defined]
    if not deleted:
        raise NotFound
    _audit(acting_user, AuditAction.UPDATE, disclosure, note=f"line removed: {line_kind} {line_id}")


def attachment_add(
    *, acting_user: Actor, disclosure: Disclosure, upload: Any, name: str = ""
) -> Disclosure:
    """Attach a PDF or Office file (checked by its bytes) to a draft."""

    def run(written: list[str]) -> Disclosure:
        fresh = _editable(acting_user, disclosure)
        if len(fresh.attachments) >= MAX_ATTACHMENTS:
            raise ValidationError(
                {"upload": _("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS}}
            )
        try:
            shown = check_attachment(upload)
        except ValidationError as exc:
            raise ValidationError({"upload": exc.messages}) from exc
        ext = shown.rsplit(".", 1)[-1].lower()
        stored = store_file(upload, folder="disclosure", ext=ext)
        written.append(stored)
        fresh.attachments = [*fresh.attachments, {"file": stored, "name": (name or shown)[:120]}]
        fresh.full_clean()
        fresh.save(update_fields=["attachments"])
        _audit(acting_user, AuditAction.UPDATE, fresh, note=f"attachment: {shown}"[:255])
        return fresh

    return saving(run)
