"""Import reads: access to a batch, a unit's batches, and the report the pages show."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.permissions import AnyUser, Perm, has_unit_perm
from nutag.people import columns as cols
from nutag.people.models import IMPORT_PREVIEW_HOURS, ImportBatch, ImportStatus

SHOWN_ERRORS = 500  # problems listed on the preview and result pages


# --------------------------------------------------------------------------- reads


def access_import_batch(*, user: AnyUser, pk: int | str) -> ImportBatch:
    """The batch if ``user`` may change people of its unit; 404 for missing and not yours."""
    try:
        batch = ImportBatch.objects.select_related("unit").defer("upload").get(pk=int(pk))
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=batch.unit):
        raise NotFound
    return batch


def import_batches_of_unit(*, user: AnyUser, unit: Unit, limit: int = 10) -> QuerySet[ImportBatch]:
    """The unit's recent imports, without previews past their day (they are about to be
    deleted by ``expire_import_previews``)."""
    if not has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=unit):
        raise NotFound
    cutoff = timezone.now() - dt.timedelta(hours=IMPORT_PREVIEW_HOURS)
    return (
        ImportBatch.objects.filter(unit=unit)
        .exclude(status=ImportStatus.PREVIEW, created_at__lt=cutoff)
        .defer("rows", "errors", "source", "upload")[:limit]
    )


@dataclasses.dataclass
class ProblemCard:
    """The problems of one row, shown together: "第12行 王宝山" and a line per problem."""

    row: int
    heading: str
    lines: list[str]


@dataclasses.dataclass
class RowSummary:
    """A good row in the preview's lists of who is added and who changes."""

    row: int
    name: str
    unit: str
    changes: list[str]


@dataclasses.dataclass
class BatchReport:
    """What the preview and result pages show about a batch."""

    notices: list[str]
    problems: list[str]  # the first SHOWN_ERRORS messages, each a sentence
    cards: list[ProblemCard]  # the same problems, one card per row
    problem_count: int
    bad_rows: int
    good_rows: int
    expected: dict[str, int]  # 'created' / 'updated' / 'unchanged' → rows, as previewed
    added: list[RowSummary]  # the first SHOWN_ERRORS rows that add a person
    changed: list[RowSummary]  # the first SHOWN_ERRORS rows that change one
    extra_columns: list[str]

    @property
    def more(self) -> int:
        """Problems not listed on the page."""
        return self.problem_count - len(self.problems)


def _heading(problem: dict[str, Any]) -> str:
    if problem.get("name"):
        return _("Row %(row)d %(name)s") % problem
    return _("Row %(row)d") % problem


def _line(problem: dict[str, Any]) -> str:
    """A problem without its row and name, as a line of its row's card."""
    if problem.get("named") or not problem.get("column"):
        return str(problem["message"])
    if problem.get("value"):
        return _("%(column)s (“%(value)s”): %(message)s") % problem
    return _("%(column)s: %(message)s") % problem


def problem_text(problem: dict[str, Any]) -> str:
    """One stored problem as a sentence in the current language: row, name, column, the
    value read, and what is wrong or expected."""
    if problem.get("notice"):
        if not problem.get("column"):
            return str(problem["message"])
        return _("Column %(column)s: %(message)s") % problem
    named = problem.get("name")
    if problem.get("named") or not problem.get("column"):
        if named:
            return _("Row %(row)d %(name)s: %(message)s") % problem
        return _("Row %(row)d: %(message)s") % problem
    if problem.get("value"):
        if named:
            return _("Row %(row)d %(name)s, column %(column)s (“%(value)s”): %(message)s") % problem
        return _("Row %(row)d, column %(column)s (“%(value)s”): %(message)s") % problem
    if named:
        return _("Row %(row)d %(name)s, column %(column)s: %(message)s") % problem
    return _("Row %(row)d, column %(column)s: %(message)s") % problem


def problems_of_rows(*, batch: ImportBatch) -> dict[int, list[str]]:
    """Row number → its problems as card lines (for the copy with a 问题 column)."""
    out: dict[int, list[str]] = {}
    for problem in batch.errors:
        if not problem.get("notice"):
            out.setdefault(problem["row"], []).append(_line(problem))
    return out


def _column_label(key: str) -> str:
    if key == "extra":
        return str(_("Other information"))
    return str(cols.COLUMN_LABELS.get(key, key))


def batch_report(*, batch: ImportBatch) -> BatchReport:
    notices = [problem_text(p) for p in batch.errors if p.get("notice")]
    problems = [p for p in batch.errors if not p.get("notice")]
    shown = problems[:SHOWN_ERRORS]
    cards: list[ProblemCard] = []
    for problem in shown:
        if not cards or cards[-1].row != problem["row"]:
            cards.append(ProblemCard(row=problem["row"], heading=_heading(problem), lines=[]))
        cards[-1].lines.append(_line(problem))
    codes = {r.get("unit_code") for r in batch.rows if r.get("expect") in ("created", "updated")}
    units = dict(Unit.objects.filter(code__in=codes - {None}).values_list("code", "name"))

    def summaries(outcome: str) -> list[RowSummary]:
        return [
            RowSummary(
                row=r["row"],
                name=r["name"],
                unit=units.get(r.get("unit_code", ""), batch.unit.name),
                changes=[_column_label(k) for k in r.get("changes", [])],
            )
            for r in batch.rows
            if r.get("expect") == outcome
        ][:SHOWN_ERRORS]

    return BatchReport(
        notices=notices,
        problems=[problem_text(p) for p in shown],
        cards=cards,
        problem_count=len(problems),
        bad_rows=len({p["row"] for p in problems}),
        good_rows=batch.total,
        expected={
            outcome: sum(1 for r in batch.rows if r.get("expect") == outcome)
            for outcome in ("created", "updated", "unchanged")
        },
        added=summaries("created"),
        changed=summaries("updated"),
        extra_columns=list(batch.extra_columns),
    )
