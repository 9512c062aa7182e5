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

Keyed subtree tallies (``register_keyed_subtree_sums``) hold one row per unit *and key*
(e.g. ``assess.AssessmentSubtreeTally``: per unit and assessment round). Their rows are made
when first needed (``keyed_add`` inserts the missing ones, then adds), or all at once for a
key (``keyed_rebuild``, when a round opens). What a unit counts itself may depend on its kind
and status, so the tree's services recount it around such a change
(``own_counts_changing``), and the apps around theirs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence

from django.db import models
from django.db.models import F

from nutag.orgs.models import Unit, UnitKind, UnitStatus, UnitSubtreeTally
from nutag.orgs.registry import KeyedSubtreeSums, keyed_subtree_sums, subtree_sums

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


Taken = list[tuple[type[models.Model], dict[str, int]]]
KeyedTaken = list[tuple[KeyedSubtreeSums, dict[int, dict[str, int]]]]


def subtree_taken(unit: Unit) -> tuple[Taken, KeyedTaken]:
    """Before ``unit`` moves (or is deleted): take its subtree's sums from its ancestors (not
    its own row, nor its subtree's, which move with it); returns them for ``subtree_given``."""
    taken: Taken = []
    for entry in subtree_sums():
        rows = entry.model._default_manager.select_for_update().filter(unit_id=unit.pk)
        values = rows.values(*entry.fields).first() or {}
        subtree_add(
            entry.model, unit.path, {f: -values.get(f, 0) for f in entry.fields}, self_too=False
        )
        taken.append((entry.model, values))
    keyed: KeyedTaken = []
    for k_entry in keyed_subtree_sums():
        rows = k_entry.model._default_manager.select_for_update().filter(unit_id=unit.pk)
        by_key = {
            row[k_entry.key_id]: {f: row[f] for f in k_entry.fields}
            for row in rows.values(k_entry.key_id, *k_entry.fields)
        }
        for key_id, values in by_key.items():
            keyed_add(
                k_entry, unit.path, key_id, {f: -n for f, n in values.items()}, self_too=False
            )
        keyed.append((k_entry, by_key))
    return taken, keyed


def subtree_given(unit: Unit, taken: tuple[Taken, KeyedTaken]) -> None:
    """After ``unit`` moved (its path and the path copies rewritten): give its subtree's
    sums to its new ancestors."""
    plain, keyed = taken
    for model, values in plain:
        subtree_add(model, unit.path, values, self_too=False)
    for entry, by_key in keyed:
        for key_id, values in by_key.items():
            keyed_add(entry, unit.path, key_id, values, self_too=False)


# --- Keyed subtree tallies (one row per unit and key) -----------------------------------------


def keyed_add(
    entry: KeyedSubtreeSums,
    path: str,
    key_id: int,
    deltas: Mapping[str, int],
    *,
    self_too: bool = True,
) -> None:
    """Add ``deltas`` to the ``key_id`` rows of the unit at ``path`` and of its ancestors,
    making the rows that do not exist yet (at zero, then added to: concurrent writers add
    up, as in ``subtree_add``)."""
    changes = {f: F(f) + d for f, d in deltas.items() if d}
    if not changes:
        return
    paths = ancestor_paths(path, self_too=self_too)
    if not paths:
        return
    manager = entry.model._default_manager
    rows = manager.filter(**{entry.key_id: key_id}, unit_path__in=paths)
    if rows.count() < len(paths):
        units = Unit.objects.filter(path__in=paths).values_list("pk", "path")
        manager.bulk_create(
            [entry.model(unit_id=pk, unit_path=p, **{entry.key_id: key_id}) for pk, p in units],
            ignore_conflicts=True,
        )
    rows.update(**changes)


def _apply_own_change(
    entry: KeyedSubtreeSums,
    paths: Mapping[int, str],
    before: Mapping[tuple[int, int], Mapping[str, int]],
    after: Mapping[tuple[int, int], Mapping[str, int]],
) -> None:
    for unit_id, key_id in sorted({*before, *after}):
        old, new = before.get((unit_id, key_id), {}), after.get((unit_id, key_id), {})
        deltas = {f: new.get(f, 0) - old.get(f, 0) for f in entry.fields}
        keyed_add(entry, paths[unit_id], key_id, deltas)


@contextlib.contextmanager
def own_counts_changing(
    paths: Mapping[int, str],
    *,
    model: type[models.Model] | None = None,
    key_ids: Sequence[int] | None = None,
) -> Iterator[None]:
    """Around a change to what some units count themselves (their kind or status; an app's
    rows of theirs): ``paths`` maps their ids to their paths. Their own counts before and
    after, the difference added to their keyed subtree tallies and their ancestors'.
    ``model``: only that tally; ``key_ids``: only those keys. Used in the caller's
    transaction, with the rows it changes locked."""
    entries = [e for e in keyed_subtree_sums() if model is None or e.model is model]
    ids = list(paths)
    before = [entry.own(ids, key_ids) for entry in entries]
    yield
    for entry, old in zip(entries, before, strict=True):
        _apply_own_change(entry, paths, old, entry.own(ids, key_ids))


def keyed_rebuild(
    entry: KeyedSubtreeSums,
    *,
    key_ids: Sequence[int] | None = None,
    marks: Mapping[int, int] | None = None,
    fresh: bool = False,
) -> int:
    """Recompute the rows of ``key_ids`` (``None``: every key) from each unit's own counts:
    one row for each unit whose subtree counts anything, and one for each ``marks`` entry
    (key id → unit id) even at zero. ``fresh``: the keys are new, with no rows to drop.
    Returns the rows written."""
    units = list(Unit.objects.values_list("pk", "path"))
    own = entry.own(None, key_ids)
    by_key: dict[int, dict[int, dict[str, int]]] = {key_id: {} for key_id in marks or {}}
    for (unit_id, key_id), counts in own.items():
        by_key.setdefault(key_id, {})[unit_id] = dict(counts)
    manager = entry.model._default_manager
    if not fresh:
        stale = (
            manager.all() if key_ids is None else manager.filter(**{f"{entry.key_id}__in": key_ids})
        )
        stale.delete()
    paths = dict(units)
    rows = []
    for key_id, units_own in by_key.items():
        marked = (marks or {}).get(key_id)
        for pk, values in subtree_sums_of(units, units_own, entry.fields).items():
            if pk == marked or any(values.values()):
                key = {entry.key_id: key_id}
                rows.append(entry.model(unit_id=pk, unit_path=paths[pk], **key, **values))
    for start in range(0, len(rows), CHUNK):
        manager.bulk_create(rows[start : start + CHUNK])
    return len(rows)


def unit_tally_rebuild() -> int:
    """Recount every unit's subtree of active units by kind. Returns the number of units."""
    own = {
        pk: {kind: 1}
        for pk, kind in Unit.objects.filter(status=UnitStatus.ACTIVE).values_list("pk", "kind")
    }
    return subtree_rebuild(UnitSubtreeTally, own, KIND_FIELDS)
