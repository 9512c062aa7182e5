"""What other apps keep of the unit tree, declared to the tree so that it never names them.

The tree (``orgs``) imports no other app of ours. An app whose rows depend on where a unit
sits in the tree declares those models here, from its ``AppConfig.ready()``:

- ``register_path_copy(Model, field="unit_path")``: the rows carry a copy of their unit's
  path (for subtree counts over an index range). ``unit_create`` and ``unit_move`` rewrite
  every registered copy when paths change (a move, or siblings shifted by a new unit).
- ``register_unit_members(*models, after_merge=...)``: the rows *belong* to a unit (people
  and their roles): ``unit_merge`` moves them to the unit merged into (and their path copy,
  when the model has one), then calls ``after_merge(unit_ids)`` once for derived data
  (e.g. the care tallies); ``unit_close`` and ``unit_delete`` refuse while a unit has any.

- ``register_subtree_sums(Model, fields)``: per unit, sums over its subtree (see
  ``nutag.orgs.tallies``): ``unit_create`` adds the new unit's row, ``unit_move`` moves the
  subtree's sums from its old ancestors to its new ones. Register the path copy too.
- ``register_keyed_subtree_sums(Model, key=..., fields=..., own=...)``: the same, one row per
  unit and key (e.g. per assessment round): ``unit_move`` and ``unit_delete`` move or take
  the sums key by key, and ``unit_update`` (a new kind), ``unit_close`` and ``unit_merge``
  recount the unit's own counts through ``own`` (they may depend on its kind and status).

History (audit rows, assessments) registers only its path copy: it stays with the closed
unit on a merge, and moves with it on a move.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence

from django.db import models

MergeHook = Callable[[Sequence[int]], None]


@dataclasses.dataclass(frozen=True)
class PathCopy:
    model: type[models.Model]
    field: str = "unit_path"


@dataclasses.dataclass(frozen=True)
class MemberGroup:
    models: tuple[type[models.Model], ...]
    unit_field: str = "unit"
    path_field: str | None = "unit_path"
    after_merge: MergeHook | None = None


_path_copies: list[PathCopy] = []
_member_groups: list[MemberGroup] = []


def register_path_copy(model: type[models.Model], *, field: str = "unit_path") -> None:
    """Declare that ``model.<field>`` copies its unit's path (idempotent)."""
    entry = PathCopy(model=model, field=field)
    if entry not in _path_copies:
        _path_copies.append(entry)


def unregister_path_copy(model: type[models.Model], *, field: str = "unit_path") -> None:
    """Take a declaration back (tests that register a throwaway model)."""
    entry = PathCopy(model=model, field=field)
    if entry in _path_copies:
        _path_copies.remove(entry)


def register_unit_members(
    *member_models: type[models.Model],
    unit_field: str = "unit",
    path_field: str | None = "unit_path",
    after_merge: MergeHook | None = None,
) -> None:
    """Declare models whose rows belong to a unit and move with it on a merge."""
    group = MemberGroup(
        models=tuple(member_models),
        unit_field=unit_field,
        path_field=path_field,
        after_merge=after_merge,
    )
    if group not in _member_groups:
        _member_groups.append(group)


def unregister_unit_members(*member_models: type[models.Model]) -> None:
    for group in [g for g in _member_groups if g.models == tuple(member_models)]:
        _member_groups.remove(group)


def path_copies() -> tuple[PathCopy, ...]:
    return tuple(_path_copies)


def member_groups() -> tuple[MemberGroup, ...]:
    return tuple(_member_groups)


def member_models() -> Iterator[tuple[MemberGroup, type[models.Model]]]:
    for group in _member_groups:
        for model in group.models:
            yield group, model


# Per-unit tallies other apps keep (derived counts, e.g. people's care tallies and assess's
# five-good tallies): ``manage.py rebuild_tallies`` recounts each registered one.
TallyRebuild = Callable[[], int]
_tally_rebuilds: dict[str, TallyRebuild] = {}


def register_tally_rebuild(name: str, rebuild: TallyRebuild) -> None:
    """Declare a tally and the function that recounts all of it (returns rows or units)."""
    _tally_rebuilds[name] = rebuild


def tally_rebuilds() -> dict[str, TallyRebuild]:
    return dict(_tally_rebuilds)


# Per-unit sums over the subtree (``nutag.orgs.tallies``): rows keyed by ``unit``, with a
# ``unit_path`` copy and the summed integer ``fields``.
@dataclasses.dataclass(frozen=True)
class SubtreeSums:
    model: type[models.Model]
    fields: tuple[str, ...]


_subtree_sums: list[SubtreeSums] = []


def register_subtree_sums(model: type[models.Model], fields: Sequence[str]) -> None:
    """Declare a subtree tally model and its summed fields (idempotent)."""
    entry = SubtreeSums(model=model, fields=tuple(fields))
    if entry not in _subtree_sums:
        _subtree_sums.append(entry)


def subtree_sums() -> tuple[SubtreeSums, ...]:
    return tuple(_subtree_sums)


# Per-unit sums over the subtree, one row per unit *and key* (e.g. per assessment round):
# rows keyed by ``unit`` and ``key`` (a foreign key's name), with a ``unit_path`` copy and the
# summed integer ``fields``. ``own(unit_ids, key_ids)`` gives each unit's own counts as they
# should be counted now, from the app's rows and the units' current state:
# ``{(unit_id, key_id): {field: n}}`` (``unit_ids`` or ``key_ids`` None: every one). See
# ``nutag.orgs.tallies``, "Keyed subtree tallies".
OwnCounts = Callable[
    [Sequence[int] | None, Sequence[int] | None], dict[tuple[int, int], dict[str, int]]
]


@dataclasses.dataclass(frozen=True)
class KeyedSubtreeSums:
    model: type[models.Model]
    key: str
    fields: tuple[str, ...]
    own: OwnCounts

    @property
    def key_id(self) -> str:
        return f"{self.key}_id"


_keyed_subtree_sums: list[KeyedSubtreeSums] = []


def register_keyed_subtree_sums(
    model: type[models.Model], *, key: str, fields: Sequence[str], own: OwnCounts
) -> None:
    """Declare a keyed subtree tally model, its key, its summed fields and how a unit's own
    counts are found (idempotent)."""
    entry = KeyedSubtreeSums(model=model, key=key, fields=tuple(fields), own=own)
    if entry not in _keyed_subtree_sums:
        _keyed_subtree_sums.append(entry)


def keyed_subtree_sums() -> tuple[KeyedSubtreeSums, ...]:
    return tuple(_keyed_subtree_sums)
