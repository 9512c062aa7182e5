"""Writes of the ledger: rights first (a sibling township's secretary, an officer without the
right, a resident), then bad input, then what is written and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.factories import PersonFactory, make_household
from nutag.revival import services
from nutag.revival.models import HouseholdStatus, IncomeRecord, StatusChange, Visit


@pytest.fixture
def household(cast):  # type: ignore[no-untyped-def]
    return make_household(unit=cast.village1a)


def test_sibling_township_secretary_cannot_write(cast, household):
    # township2's branch secretary is a secretary, but of the other township
    from nutag.factories import person_with_position
    from nutag.orgs.models import PositionTitle

    other = person_with_position(
        unit=cast.township2,
        title=PositionTitle.BRANCH_SECRETARY,
        username="t2-sec",
        name="二镇书记",
    ).user
    with pytest.raises(NotFound):
        services.visit_add(
            acting_user=other, household=household, visited_on=dt.date(2026, 1, 5), notes="走访"
        )
    assert not Visit.objects.exists()


@pytest.mark.parametrize("who", ["township1_officer", "village1a_officer", "volunteer", "resident"])
def test_without_the_right_nothing_is_written(cast, household, who):
    user = getattr(cast, who)
    with pytest.raises(NotFound):
        services.income_set(
            acting_user=user, household=household, year=2025, per_capita=Decimal(8000)
        )
    with pytest.raises(NotFound):
        services.household_create(
            acting_user=user,
            head=PersonFactory(unit=cast.village1a),
            category="marginal",
            members=2,
            watched_since=dt.date(2026, 1, 1),
        )
    assert not IncomeRecord.objects.exists()


def test_negative_income_is_refused(cast, household):
    with pytest.raises(ValidationError) as exc:
        services.income_set(
            acting_user=cast.township1_secretary,
            household=household,
            year=2025,
            per_capita=Decimal(-1),
        )
    assert "per_capita" in exc.value.message_dict
    assert not IncomeRecord.objects.exists()


def test_future_dates_are_refused(cast, household):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.visit_add(
            acting_user=cast.township1_secretary,
            household=household,
            visited_on=tomorrow,
            notes="x",
        )
    assert "visited_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.income_set(
            acting_user=SYSTEM, household=household, year=tomorrow.year + 1, per_capita=Decimal(1)
        )
    assert "year" in exc.value.message_dict
    assert not Visit.objects.exists()


def test_status_change_needs_a_reason_and_a_new_status(cast, household):
    sec = cast.township1_secretary
    with pytest.raises(ValidationError) as exc:
        services.household_status_change(
            acting_user=sec,
            household=household,
            to_status=HouseholdStatus.REMOVED,
            reason="  ",
            changed_on=dt.date(2026, 6, 1),
        )
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.household_status_change(
            acting_user=sec,
            household=household,
            to_status=HouseholdStatus.WATCHED,
            reason="再次监测",
            changed_on=dt.date(2026, 6, 1),
        )
    assert "to_status" in exc.value.message_dict
    assert not StatusChange.objects.exists()


def test_a_household_is_in_the_ledger_once(cast, household):
    with pytest.raises(ValidationError) as exc:
        services.household_create(
            acting_user=SYSTEM,
            head=household.head,
            category="marginal",
            members=2,
            watched_since=dt.date(2026, 1, 1),
        )
    assert "head" in exc.value.message_dict


def test_only_a_cadre_on_the_households_branch_is_paired(cast, household):
    stranger = PersonFactory(unit=cast.village1a)  # no position
    with pytest.raises(ValidationError):
        services.pairing_add(
            acting_user=SYSTEM, household=household, cadre=stranger, started_on=dt.date(2026, 1, 1)
        )
    other_township = cast.village2a_secretary.person  # a cadre, of another township
    with pytest.raises(ValidationError):
        services.pairing_add(
            acting_user=SYSTEM,
            household=household,
            cadre=other_township,
            started_on=dt.date(2026, 1, 1),
        )


def test_status_change_is_kept_with_its_reason_and_audited(cast, household):
    change = services.household_status_change(
        acting_user=cast.township1_secretary,
        household=household,
        to_status=HouseholdStatus.REMOVED,
        reason="务工收入稳定，两不愁三保障",
        changed_on=dt.date(2026, 6, 1),
    )
    household.refresh_from_db()
    assert household.status == HouseholdStatus.REMOVED
    assert change.from_status == HouseholdStatus.WATCHED
    row = AuditEntry.objects.filter(object_type="revival.watchedhousehold", action="update").get()
    assert row.changes == {"status": ["watched", "removed"]}
    assert "务工" not in str(row.changes)


def test_income_is_corrected_not_duplicated(cast, household):
    sec = cast.village1a_secretary
    services.income_set(acting_user=sec, household=household, year=2025, per_capita=Decimal(6500))
    services.income_set(acting_user=sec, household=household, year=2025, per_capita=Decimal(7200))
    assert IncomeRecord.objects.get(household=household).per_capita == Decimal(7200)
    rows = AuditEntry.objects.filter(object_type="revival.incomerecord")
    assert rows.count() == 2
    assert all("7200" not in str(r.changes) and "6500" not in str(r.changes) for r in rows)


def test_pairing_and_measures(cast, household):
    cadre = cast.village1a_secretary.person
    pairing = services.pairing_add(
        acting_user=cast.township1_secretary,
        household=household,
        cadre=cadre,
        started_on=dt.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.pairing_add(
            acting_user=SYSTEM, household=household, cadre=cadre, started_on=dt.date(2026, 2, 1)
        )
    with pytest.raises(ValidationError):
        services.pairing_end(acting_user=SYSTEM, pairing=pairing, ended_on=dt.date(2025, 12, 1))
    services.pairing_end(acting_user=SYSTEM, pairing=pairing, ended_on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError):
        services.measure_add(
            acting_user=SYSTEM,
            household=household,
            kind="industry",
            description="基础母牛",
            taken_on=dt.date(2026, 1, 1),
            amount=Decimal(-5),
        )
    measure = services.measure_add(
        acting_user=SYSTEM,
        household=household,
        kind="industry",
        description="基础母牛两头",
        taken_on=dt.date(2026, 1, 1),
        amount=Decimal(12000),
    )
    assert measure.unit_path == cast.village1a.path
