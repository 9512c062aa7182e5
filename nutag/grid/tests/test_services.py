"""Grid services: negatives first (wrong user, wrong unit, bad input), then what they write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.factories import PersonFactory, make_concern
from nutag.grid import services
from nutag.grid.models import Incident, IncidentState, Mediation
from nutag.grid.reminders import send_follow_up_reminders
from nutag.notify.models import Kind, Notification

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


# --- wrong user, wrong unit -------------------------------------------------------------


def test_grids_are_made_by_the_units_secretaries_only(cast):
    for user in (cast.village1a_officer, cast.resident, cast.volunteer, cast.village2a_secretary):
        with pytest.raises(NotFound):
            services.grid_create(acting_user=user, unit=cast.village1a, name="网格")
    with pytest.raises(NotFound):  # a sibling village
        services.grid_create(acting_user=cast.village1a_secretary, unit=cast.village1b, name="网")
    assert (
        services.grid_create(
            acting_user=cast.township1_secretary, unit=cast.village1a, name="网格"
        ).unit_path
        == cast.village1a.path
    )


def test_incidents_are_refused_outside_the_subtree_and_to_residents(cast, grid, incident):
    for user in (cast.resident, cast.volunteer, cast.village2a_secretary):
        with pytest.raises(NotFound):
            services.incident_log(acting_user=user, grid=grid, kind="other", summary="x")
        with pytest.raises(NotFound):
            services.incident_resolve(acting_user=user, incident=incident, outcome="好")
    assert Incident.objects.count() == 1
    assert Incident.objects.get().state == IncidentState.LOGGED


def test_a_worker_from_another_unit_is_refused(cast):
    stranger = PersonFactory(unit=cast.village2a, name="外人")
    with pytest.raises(ValidationError) as exc:
        services.grid_create(acting_user=SYSTEM, unit=cast.village1a, name="网", worker=stranger)
    assert "worker" in exc.value.message_dict


# --- bad input ------------------------------------------------------------------------------


def test_parties_never_hold_an_id_number(grid):
    with pytest.raises(ValidationError) as exc:
        services.incident_log(
            acting_user=SYSTEM,
            grid=grid,
            kind="family",
            summary="家庭纠纷",
            parties="张三 15072519800101001X",
        )
    assert "parties" in exc.value.message_dict
    assert not Incident.objects.exists()


def test_a_report_in_the_future_is_refused(grid):
    with pytest.raises(ValidationError) as exc:
        services.incident_log(
            acting_user=SYSTEM,
            grid=grid,
            kind="other",
            summary="x",
            reported_on=TODAY() + dt.timedelta(days=1),
        )
    assert "reported_on" in exc.value.message_dict


def test_resolve_without_an_outcome_is_refused(incident):
    with pytest.raises(ValidationError) as exc:
        services.incident_resolve(acting_user=SYSTEM, incident=incident, outcome="  ")
    assert "outcome" in exc.value.message_dict
    incident.refresh_from_db()
    assert incident.state == IncidentState.LOGGED


def test_follow_up_before_the_incident_is_refused(incident):
    with pytest.raises(ValidationError) as exc:
        services.incident_resolve(
            acting_user=SYSTEM,
            incident=incident,
            outcome="双方同意",
            follow_up_on=incident.reported_on - dt.timedelta(days=1),
        )
    assert "follow_up_on" in exc.value.message_dict


def test_mediation_before_the_report_is_refused(incident):
    with pytest.raises(ValidationError) as exc:
        services.incident_mediate(
            acting_user=SYSTEM,
            incident=incident,
            held_on=incident.reported_on - dt.timedelta(days=1),
            mediator="村调解员",
            agreed="x",
        )
    assert "held_on" in exc.value.message_dict
    assert not Mediation.objects.exists()


def test_a_closed_incident_takes_no_more_actions(incident):
    services.incident_close(acting_user=SYSTEM, incident=incident, reason="当事人撤回")
    with pytest.raises(ValidationError):
        services.incident_resolve(acting_user=SYSTEM, incident=incident, outcome="好")
    with pytest.raises(ValidationError):
        services.incident_follow_up(acting_user=SYSTEM, incident=incident, notes="x")


def test_the_banner_cannot_refer_up(cast, worker):
    grid = services.grid_create(acting_user=SYSTEM, unit=cast.banner, name="旗网格")
    incident = services.incident_log(acting_user=SYSTEM, grid=grid, kind="other", summary="x")
    with pytest.raises(ValidationError):
        services.incident_refer_up(acting_user=SYSTEM, incident=incident, reason="太大")


def test_a_concern_out_of_reach_or_used_twice_is_refused(cast, grid):
    concern = make_concern(unit=cast.village2a)
    with pytest.raises(NotFound):
        services.incident_log(
            acting_user=cast.village1a_officer,
            grid=grid,
            kind="boundary",
            summary="x",
            concern=concern,
        )
    own = make_concern(unit=cast.village1a)
    services.incident_log(acting_user=SYSTEM, grid=grid, kind="boundary", summary="x", concern=own)
    with pytest.raises(ValidationError) as exc:
        services.incident_log(
            acting_user=SYSTEM, grid=grid, kind="boundary", summary="y", concern=own
        )
    assert "concern" in exc.value.message_dict


# --- what they write ------------------------------------------------------------------------


def test_the_whole_way_mediate_resolve_follow_up(cast, incident, worker):
    user = worker.user  # the grid worker through their own login
    services.incident_mediate(
        acting_user=user,
        incident=incident,
        held_on=TODAY(),
        mediator="网格员和村调解委员会",
        agreed="按 2015 年确权图重新立桩",
    )
    incident.refresh_from_db()
    assert incident.state == IncidentState.MEDIATING
    services.incident_resolve(
        acting_user=cast.village1a_officer,
        incident=incident,
        outcome="双方签字认可新界桩",
        follow_up_on=TODAY(),
    )
    incident.refresh_from_db()
    assert (incident.state, incident.days_to_resolve) == (IncidentState.RESOLVED, 10)
    assert send_follow_up_reminders() == 1
    assert send_follow_up_reminders() == 0  # once
    assert Notification.objects.filter(recipient=worker, kind=Kind.GRID_FOLLOW_UP_DUE).exists()
    services.incident_follow_up(acting_user=user, incident=incident, notes="界桩未被移动")
    incident.refresh_from_db()
    assert incident.followed_up_on == TODAY()
    states = AuditEntry.objects.filter(object_type="grid.incident").values_list(
        "changes", flat=True
    )
    assert not any("巴特尔" in str(c) for c in states)  # never the parties' names


def test_refer_up_tells_the_township(cast, incident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_refer_up(
            acting_user=cast.village1a_secretary, incident=incident, reason="涉及两个嘎查"
        )
    incident.refresh_from_db()
    assert (incident.state, incident.referred_to) == (IncidentState.REFERRED, cast.township1)
    told = Notification.objects.filter(kind=Kind.GRID_REFERRED)
    assert told.exists()
    assert {n.recipient.unit_id for n in told} == {cast.township1.pk}


def test_logging_tells_the_grid_worker(cast, grid, worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_log(
            acting_user=cast.village1a_officer,
            grid=grid,
            kind="livestock",
            summary="羊吃了邻居的草",
        )
    assert Notification.objects.filter(recipient=worker, kind=Kind.GRID_INCIDENT).count() == 1


def test_an_incident_from_a_concern(cast, grid):
    concern = make_concern(unit=cast.village1a)
    incident = services.incident_log(
        acting_user=cast.village1a_officer,
        grid=grid,
        kind="environment",
        summary=concern.text,
        concern=concern,
    )
    assert incident.concern == concern
