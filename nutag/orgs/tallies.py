"""Subtree tallies: per unit, sums over its whole subtree (itself included).

A subtree tally model has one row per unit (``unit`` its primary key), a ``unit_path`` copy
(a registered path copy, see ``nutag.orgs.registry``) and integer fields. When something a
unit counts changes by ``d``, the unit's row and every ancestor's row change by ``d`` — one
``UPDATE … SET f = f + d`` over at most the tree's depth rows, in the caller's transaction
(``subtree_add``; no read-modify-write, so concurrent writers add up). The tree's services
keep the rows in step with the tree itself (``register_subtree_sums``): ``unit_create``
adds a zero row for the new unit, ``unit_move`` takes the moved subtree's sums from its
old ancestors and gives them to the new ones. ``subtree_rebuild`` recomputes every row
from the units' own counts (``manage.py rebuild_tallies``, after a bulk load).

The tree's own subtree tally, ``UnitSubtreeTally`` (active units by kind), is kept here;
other apps keep theirs (e.g. ``people.CareSubtreeTally``) and declare it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import models
from django.db.models import F

from nutag.orgs.models import Unit, UnitKind, UnitStatus, UnitSubtreeTally
from nutag.orgs.registry import subtree_sums

KIND_FIELDS = [k.value for k in UnitKind]
CHUNK = 500


def ancestor_paths(path: str, *, self_too: bool = True) -> list[str]:
    """The paths of the ancestors of the unit at ``path`` (and its own, with ``self_too``)."""
    step = Unit.steplen
    last = len(path) // step + (1 if self_too else 0)
    return [path[: i * step] for i in range(1, last)]


def subtree_add(
    model: type[models.Model], path: str, deltas: Mapping[str, int], *, self_too: bool = True
) -> None:
    """Add ``deltas`` to the rows of the unit at ``path`` and of its ancestors."""
    changes = {f: F(f) + d for f, d in deltas.items() if d}
    if changes:
        paths = ancestor_paths(path, self_too=self_too)
        model._default_manager.filter(unit_path__in=paths).update(**changes)


def subtree_sums_of(
    units: Iterable[tuple[int, str]], own: Mapping[int, Mapping[str, int]], fields: Sequence[str]
) -> dict[int, dict[str, int]]:
    """Every unit's subtree sums, from ``units`` (``(pk, path)``, all of them) and each
    unit's own counts (``own``). Pure: the data migrations use it too."""
    units = list(units)
    by_path = {path: pk for pk, path in units}
    sums: dict[int, dict[str, int]] = {pk: dict.fromkeys(fields, 0) for pk, _path in units}
    step = Unit.steplen
    for pk, path in units:
        counts = own.get(pk)
        if not counts:
            continue
        for i in range(1, len(path) // step + 1):
            above = by_path.get(path[: i * step])
            if above is None:
                continue
            row = sums[above]
            for f in fields:
                row[f] += counts.get(f, 0)
    return sums


def subtree_rebuild(
    model: type[models.Model], own: Mapping[int, Mapping[str, int]], fields: Sequence[str]
) -> int:
    """Recompute every row of ``model`` from each unit's own counts. Returns the units."""
    units = list(Unit.objects.values_list("pk", "path"))
    sums = subtree_sums_of(units, own, fields)
    paths = dict(units)
    rows = [model(unit_id=pk, unit_path=paths[pk], **values) for pk, values in sums.items()]
    model._default_manager.exclude(unit_id__in=list(paths)).delete()
    for start in range(0, len(rows), CHUNK):
        model._default_manager.bulk_create(
            rows[start : start + CHUNK],
            update_conflicts=True,
            unique_fields=["unit"],
            update_fields=["unit_path", *fields],
        )
    return len(rows)


# --- The tree's own: active units by kind -----------------------------------------------------


def unit_counted(unit: Unit, sign: int, *, kind: str | None = None) -> None:
    """Count ``unit`` (``sign`` 1) or stop counting it (-1) as an active unit of its kind
    (or of ``kind``) in its own and its ancestors' subtree tallies."""
    subtree_add(UnitSubtreeTally, unit.path, {kind or unit.kind: sign})


def subtree_rows_created(unit: Unit) -> None:
    """A new unit's rows in every subtree tally, at zero (``unit_create``)."""
    for entry in subtree_sums():
        entry.model._default_manager.create(unit=unit, unit_path=unit.path)


def subtree_taken(unit: Unit) -> list[tuple[type[models.Model], dict[str, int]]]:
    """Before ``unit`` moves: take its subtree's sums from its ancestors (not its own row,
    nor its subtree's, which move with it); returns them for ``subtree_given``."""
    taken = []
    for entry in subtree_sums():
        rows = entry.model._default_manager.select_for_update().filter(unit_id=unit.pk)
        values = rows.values(*entry.fields).first() or {}
        subtree_add(
            entry.model, unit.path, {f: -values.get(f, 0) for f in entry.fields}, self_too=False
        )
        taken.append((entry.model, values))
    return taken


def subtree_given(unit: Unit, taken: list[tuple[type[models.Model], dict[str, int]]]) -> None:
    """After ``unit`` moved (its path and the path copies rewritten): give its subtree's
    sums to its new ancestors."""
    for model, values in taken:
        subtree_add(model, unit.path, values, self_too=False)


def unit_tally_rebuild() -> int:
    """Recount every unit's subtree of active units by kind. Returns the number of units."""
    own = {
        pk: {kind: 1}
        for pk, kind in Unit.objects.filter(status=UnitStatus.ACTIVE).values_list("pk", "kind")
    }
    return subtree_rebuild(UnitSubtreeTally, own, KIND_FIELDS)
