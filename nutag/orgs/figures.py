"""When a unit's rolled-up figures change: the one hook every app calls or registers with.

The dashboard (``/u/<code>/figures/``) and the stats API (``/api/v1/units/{code}/stats``)
are cached per unit (``nutag.stats.caching``) under *figure generations* (shared by every
worker, ``nutag.core.generations``). A change of what they count bumps them:

- ``figures_changed(unit_paths=[...])``: something at these units changed (a person joined
  a committee, an assessment was accepted, a report came in). Every unit *above* them
  counts it too, so the "up" generation of each path and of every ancestor is bumped.
- ``figures_changed(unit_paths=[...], subtree=True)``: something that counts at every unit
  *below* them too (a round opened at the banner creates an assessment for each committee,
  a task issued to every village): also the "down" generation of these paths, which every
  dashboard below reads.
- ``figures_changed_everywhere()``: units renamed, moved, added or closed (names and the
  committee counts show everywhere).

Apps need not call these by hand: ``register_figure_source(Model)`` (from
``AppConfig.ready``) makes every save or delete of a row of that model, and every audit row
written for it (``audit_record``, which every service writes, so compare-and-set
``update()`` calls are covered), call ``figures_changed`` for the row's unit — with
``subtree=True`` for models whose one row counts at every unit below (rounds, tasks).
Writes that send no signal and write no audit row for the model (``bulk_create``,
``update()`` outside services, the care tallies) call ``figures_changed`` themselves.

A dashboard of unit U is keyed by: the "everywhere" generation, the "up" generation of U
(or of its parent when siblings are shown, since they are part of the parent's figures),
and the "down" generation of U and each of its ancestors. So a change reaches exactly the
dashboards that count it, in every worker, at their next request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from nutag.core import generations
from nutag.core.audit import register_audit_listener
from nutag.core.models import AuditEntry

STEP = 4  # the unit tree's path step (orgs.Unit.steplen)
EVERYWHERE = "fig:all"

# audit object types (``app_label.modelname``) → subtree-wide or not
_sources: dict[str, bool] = {}


def _up(path: str) -> str:
    return f"fig:up:{path}"


def _down(path: str) -> str:
    return f"fig:down:{path}"


def _prefixes(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def figures_changed(*, unit_paths: Iterable[str], subtree: bool = False) -> None:
    """The figures counted at these units changed (see the module docstring)."""
    names: set[str] = set()
    for path in unit_paths:
        if not path:
            continue
        names.update(_up(p) for p in _prefixes(path))
        if subtree:
            names.add(_down(path))
    generations.bump_now_and_on_commit(names)


def figures_changed_for_units(*, unit_ids: Iterable[int | None]) -> None:
    """``figures_changed`` for units given by id (one query)."""
    from nutag.orgs.models import Unit

    ids = {i for i in unit_ids if i is not None}
    if ids:
        paths = Unit.objects.filter(pk__in=ids).values_list("path", flat=True)
        figures_changed(unit_paths=list(paths))


def figures_changed_everywhere() -> None:
    """Every unit's figures may have changed (units renamed, moved, added, closed)."""
    generations.bump_now_and_on_commit({EVERYWHERE})


def figures_version(*, path: str, with_parent: bool = False) -> str:
    """The part of a cache key that changes whenever the figures of the unit at ``path``
    change (with its siblings' too when ``with_parent``)."""
    prefixes = _prefixes(path)
    up = prefixes[-2] if with_parent and len(prefixes) > 1 else path
    names = [EVERYWHERE, _up(up), *(_down(p) for p in prefixes)]
    return ".".join(str(g) for g in generations.read(names))


def _path_of(obj: Any) -> str:
    path = getattr(obj, "unit_path", "") or ""
    if not path and getattr(obj, "unit_id", None) is not None:
        path = obj.unit.path
    return str(path)


def register_figure_source(model: type[Model], *, subtree: bool = False) -> None:
    """Writes of ``model`` (a model with a ``unit``) change the figures of its unit (and, with
    ``subtree``, of every unit below it). Covered: every save and delete of a row (signals,
    for cache purging only, as CONVENTIONS allow) and every audit row written for the model
    (``audit_record``), which covers the services' ``update()`` and bulk writes that send no
    signal. Call it from ``AppConfig.ready``."""
    _sources[model._meta.label_lower] = subtree

    def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return
        figures_changed(unit_paths=[_path_of(instance)], subtree=subtree)

    uid = f"figures:{model._meta.label_lower}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def _unit_changed(sender: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        figures_changed_everywhere()


def _on_audit(entry: AuditEntry) -> None:
    if entry.object_type == "orgs.unit":
        figures_changed_everywhere()
        return
    subtree = _sources.get(entry.object_type)
    if subtree is not None:
        figures_changed(unit_paths=[entry.unit_path], subtree=subtree)


def connect() -> None:
    """Called once from ``OrgsConfig.ready``: audited writes of figure sources, and any
    unit saved or deleted (names, kinds, statuses show on every dashboard above it)."""
    from nutag.orgs.models import Unit

    register_audit_listener(_on_audit)
    post_save.connect(_unit_changed, sender=Unit, dispatch_uid="figures:unit")
    post_delete.connect(_unit_changed, sender=Unit, dispatch_uid="figures:unit")
