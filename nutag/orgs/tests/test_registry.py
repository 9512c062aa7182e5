"""The tree rewrites and moves what other apps register, without knowing them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import isolate_apps

from nutag.core.actors import SYSTEM
from nutag.orgs import services
from nutag.orgs.models import Unit, UnitKind
from nutag.orgs.registry import (
    path_copies,
    register_path_copy,
    register_unit_members,
    unregister_path_copy,
    unregister_unit_members,
)

merged: list[Sequence[int]] = []


def make_probe_model() -> type[models.Model]:
    """A throwaway model of a would-be app: it copies its unit's path and belongs to it.
    Built in an isolated app registry, so no other test's delete or flush ever sees it."""

    class PathProbe(models.Model):
        unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
        unit_path = models.CharField(max_length=255)
        label = models.CharField(max_length=20)

        class Meta:
            app_label = "orgs"

        def __str__(self) -> str:
            return self.label

    return PathProbe


Probe: Any = None


@pytest.fixture
def probe_table(transactional_db: None) -> Iterator[None]:
    global Probe
    with isolate_apps("nutag.orgs"):
        Probe = make_probe_model()
        with connection.schema_editor() as editor:
            editor.create_model(Probe)
        register_path_copy(Probe)
        register_unit_members(Probe, after_merge=merged.append)
        try:
            yield
        finally:
            unregister_path_copy(Probe)
            unregister_unit_members(Probe)
            merged.clear()
            with connection.schema_editor() as editor:
                editor.delete_model(Probe)


def probe(unit: Unit, label: str) -> Any:
    return Probe.objects.create(unit=unit, unit_path=unit.path, label=label)


def tree() -> tuple[Unit, Unit, Unit, Unit]:
    banner = services.unit_create(
        acting_user=SYSTEM, parent=None, code="150725", kind=UnitKind.BANNER, name="陈巴尔虎旗"
    )
    north = services.unit_create(
        acting_user=SYSTEM, parent=banner, code="150725200", kind=UnitKind.TOWNSHIP, name="北镇"
    )
    south = services.unit_create(
        acting_user=SYSTEM, parent=banner, code="150725300", kind=UnitKind.TOWNSHIP, name="南镇"
    )
    village = services.unit_create(
        acting_user=SYSTEM, parent=north, code="150725200201", kind=UnitKind.VILLAGE, name="一村"
    )
    return banner, north, south, village


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def test_the_apps_register_their_path_copies() -> None:
    registered = {(c.model._meta.label, c.field) for c in path_copies()}
    assert {
        ("people.Person", "unit_path"),
        ("people.CareWorker", "unit_path"),
        ("core.AuditEntry", "unit_path"),
        ("assess.Assessment", "unit_path"),
    } <= registered


def test_every_model_with_a_path_copy_is_registered() -> None:
    """A model with a ``unit_path`` column that nobody registered would go stale on a move."""
    registered = {c.model for c in path_copies()}
    copying = {m for m in apps.get_models() if any(f.name == "unit_path" for f in m._meta.fields)}
    assert copying, "no model copies a unit's path?"
    assert copying - registered == set()


def test_a_move_rewrites_a_registered_copy(probe_table: None) -> None:
    _banner, _north, south, village = tree()
    row = probe(village, "v")
    services.unit_move(acting_user=SYSTEM, unit=village, new_parent=south)
    row.refresh_from_db()
    assert row.unit_path == fresh(village).path
    assert row.unit_path.startswith(fresh(south).path)


def test_siblings_shifted_by_a_new_unit_keep_their_copies_right(probe_table: None) -> None:
    banner, north, south, village = tree()
    rows = [probe(north, "n"), probe(south, "s"), probe(village, "v")]
    # A code sorting before both townships shifts them (and their subtrees) one step right.
    services.unit_create(
        acting_user=SYSTEM, parent=banner, code="150725100", kind=UnitKind.TOWNSHIP, name="新镇"
    )
    for row in rows:
        row.refresh_from_db()
        assert row.unit_path == fresh(row.unit).path


def test_a_merge_moves_registered_members_and_calls_the_hook_once(probe_table: None) -> None:
    _banner, _north, south, village = tree()
    row = probe(village, "v")
    services.unit_merge(acting_user=SYSTEM, unit=village, into=south)
    row.refresh_from_db()
    assert row.unit_id == south.pk
    assert row.unit_path == fresh(south).path
    assert merged == [[village.pk, south.pk]]


def test_a_unit_with_registered_members_cannot_be_closed_or_deleted(probe_table: None) -> None:
    _banner, _north, _south, village = tree()
    probe(village, "v")
    with pytest.raises(ValidationError):
        services.unit_close(acting_user=SYSTEM, unit=village)
    with pytest.raises(ValidationError):
        services.unit_delete(acting_user=SYSTEM, unit=village)
    assert fresh(village).is_active


def test_an_unregistered_model_is_left_alone(probe_table: None) -> None:
    _banner, _north, south, village = tree()
    row = probe(village, "v")
    unregister_path_copy(Probe)
    unregister_unit_members(Probe)
    old = row.unit_path
    services.unit_move(acting_user=SYSTEM, unit=village, new_parent=south)
    row.refresh_from_db()
    assert row.unit_path == old != fresh(village).path
