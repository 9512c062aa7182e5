"""Reads of disclosures: one (404 for missing and not yours), lists, tables, changes."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.disclosure.models import (
    Direction,
    Disclosure,
    DisclosureStatus,
    FinanceLine,
    LineKind,
    ProjectLine,
)
from nutag.disclosure.periods import mask_household, rules_for
from nutag.disclosure.permissions import can_read_disclosure
from nutag.orgs.models import Unit


def _pk(pk: Any) -> int:
    try:
        value = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound from exc
    if value <= 0 or value > 2**63 - 1:
        raise NotFound
    return value


def access_disclosure(*, user: AnyUser, pk: Any, unit: Unit | None = None) -> Disclosure:
    """The disclosure if ``user`` may read it (signed off: anyone; a draft or a submitted one:
    its writers and the committee); 404 for missing and for not theirs alike."""
    disclosure = Disclosure.objects.select_related("unit", "supersedes").filter(pk=_pk(pk)).first()
    if disclosure is None or (unit is not None and disclosure.unit_id != unit.pk):
        raise NotFound
    if not can_read_disclosure(user, disclosure):
        raise NotFound
    return disclosure


def access_public_disclosure(*, unit: Unit, pk: Any) -> Disclosure:
    """A signed-off disclosure of ``unit`` (public pages)."""
    disclosure = (
        Disclosure.objects.select_related("unit", "supersedes")
        .filter(pk=_pk(pk), unit=unit, status=DisclosureStatus.SIGNED_OFF)
        .first()
    )
    if disclosure is None:
        raise NotFound
    return disclosure


def unit_disclosures(*, unit: Unit) -> QuerySet[Disclosure]:
    """Every version of ``unit``'s own disclosures, newest period first (the writers' list)."""
    return Disclosure.objects.filter(unit=unit).order_by("-period_start", "kind", "-version")


def public_disclosures(*, unit: Unit) -> QuerySet[Disclosure]:
    """``unit``'s signed-off disclosures, newest first, each in its latest signed-off version."""
    newer = Disclosure.objects.filter(supersedes=OuterRef("pk"), status=DisclosureStatus.SIGNED_OFF)
    return (
        Disclosure.objects.filter(unit=unit, status=DisclosureStatus.SIGNED_OFF)
        .exclude(Exists(newer))
        .order_by("-period_start", "kind")
    )


@dataclasses.dataclass
class Tables:
    income: list[FinanceLine]
    spending: list[FinanceLine]
    projects: list[ProjectLine]
    subsidies: list[dict[str, Any]]  # {"id", "household" (masked unless asked), "kind", "amount"}
    income_sum: Decimal
    spending_sum: Decimal
    subsidies_sum: Decimal


def tables_of(disclosure: Disclosure, *, unmasked: bool = False) -> Tables:
    """The disclosure's tables. Household names are masked by the banner's rule unless
    ``unmasked`` (the writers and the committee, on the workbench)."""
    finance = list(disclosure.finance.all())
    rule = rules_for(disclosure.unit).mask_rule
    subsidies: list[dict[str, Any]] = [
        {
            "id": s.pk,
            "household": s.household if unmasked else mask_household(s.household, rule),
            "kind": s.kind,
            "amount": s.amount,
        }
        for s in disclosure.subsidies.all()
    ]
    income = [x for x in finance if x.direction == Direction.INCOME]
    spending = [x for x in finance if x.direction == Direction.SPENDING]
    return Tables(
        income=income,
        spending=spending,
        projects=list(disclosure.projects.all()),
        subsidies=subsidies,
        income_sum=sum((x.amount for x in income), Decimal("0")),
        spending_sum=sum((x.amount for x in spending), Decimal("0")),
        subsidies_sum=sum((s["amount"] for s in subsidies), Decimal("0")),
    )


@dataclasses.dataclass(frozen=True)
class Change:
    table: str  # LineKind
    what: str  # "added", "removed", "changed"
    label: str  # the item, project or subsidy (a household's name masked)
    before: str
    after: str


def _lines(disclosure: Disclosure, rule: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, key) → (label, value) of every line."""
    rows: dict[tuple[str, str], tuple[str, str]] = {}
    for f in disclosure.finance.all():
        label = f"{Direction(f.direction).label}: {f.item}"
        rows[(LineKind.FINANCE, f.key)] = (label, str(f.amount))
    for p in disclosure.projects.all():
        rows[(LineKind.PROJECT, p.key)] = (p.name, f"{p.budget} / {p.contractor} / {p.progress}%")
    for s in disclosure.subsidies.all():
        label = f"{s.kind}: {mask_household(s.household, rule)}"
        rows[(LineKind.SUBSIDY, s.key)] = (label, str(s.amount))
    return rows


def changes_since_previous(disclosure: Disclosure) -> list[Change]:
    """What this version changed against the one it corrects: lines added, removed, and
    amounts (budgets, progress) changed. Empty for a first version."""
    previous = disclosure.supersedes
    if previous is None:
        return []
    rule = rules_for(disclosure.unit).mask_rule
    old, new = _lines(previous, rule), _lines(disclosure, rule)
    changes: list[Change] = []
    for key, (label, value) in new.items():
        if key not in old:
            changes.append(Change(key[0], "added", label, "", value))
        elif old[key][1] != value:
            changes.append(Change(key[0], "changed", label, old[key][1], value))
    for key, (label, value) in old.items():
        if key not in new:
            changes.append(Change(key[0], "removed", label, value, ""))
    for field in ("income_total", "spending_total"):
        before, after = getattr(previous, field), getattr(disclosure, field)
        if before != after:
            label = str(getattr(Disclosure._meta.get_field(field), "verbose_name", field))
            changes.append(Change(LineKind.FINANCE, "changed", label, str(before), str(after)))
    return changes


def question_counts(*, disclosure: Disclosure) -> dict[tuple[str, int], int]:
    rows = (
        disclosure.questions.values("line_kind", "line_id")
        .annotate(n=Count("id"))
        .values_list("line_kind", "line_id", "n")
    )
    return {(k, i): n for k, i, n in rows}
