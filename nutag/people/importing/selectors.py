"""Import reads: access to a batch, a unit's batches, and the report the pages show."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.permissions import AnyUser, Perm, has_unit_perm
from nutag.people.models import ImportBatch

SHOWN_ERRORS = 500  # problems listed on the preview and result pages


# --------------------------------------------------------------------------- reads


def access_import_batch(*, user: AnyUser, pk: int | str) -> ImportBatch:
    """The batch if ``user`` may change people of its unit; 404 for missing and not yours."""
    try:
        batch = ImportBatch.objects.select_related("unit").get(pk=int(pk))
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=batch.unit):
        raise NotFound
    return batch


def import_batches_of_unit(*, user: AnyUser, unit: Unit, limit: int = 10) -> QuerySet[ImportBatch]:
    if not has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=unit):
        raise NotFound
    return ImportBatch.objects.filter(unit=unit).defer("rows", "errors")[:limit]


@dataclasses.dataclass
class BatchReport:
    """What the preview and result pages show about a batch."""

    notices: list[str]
    problems: list[str]  # the first SHOWN_ERRORS messages
    problem_count: int
    bad_rows: int
    good_rows: int
    expected: dict[str, int]  # 'created' / 'updated' / 'unchanged' → rows, as previewed

    @property
    def more(self) -> int:
        """Problems not listed on the page."""
        return self.problem_count - len(self.problems)


def problem_text(problem: dict[str, Any]) -> str:
    """One stored problem as a sentence in the current language."""
    if problem.get("notice"):
        if not problem.get("column"):
            return str(problem["message"])
        return _("Column %(column)s: %(message)s") % problem
    if problem.get("column"):
        return _("Row %(row)d, column %(column)s: %(message)s") % problem
    return _("Row %(row)d: %(message)s") % problem


def batch_report(*, batch: ImportBatch) -> BatchReport:
    notices = [problem_text(p) for p in batch.errors if p.get("notice")]
    problems = [p for p in batch.errors if not p.get("notice")]
    return BatchReport(
        notices=notices,
        problems=[problem_text(p) for p in problems[:SHOWN_ERRORS]],
        problem_count=len(problems),
        bad_rows=len({p["row"] for p in problems}),
        good_rows=batch.total,
        expected={
            outcome: sum(1 for r in batch.rows if r.get("expect") == outcome)
            for outcome in ("created", "updated", "unchanged")
        },
    )
