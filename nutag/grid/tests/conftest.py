from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory, UserFactory
from nutag.grid import services


@pytest.fixture
def worker(cast):  # type: ignore[no-untyped-def]
    """A herder of village 1a with a login, the grid worker of ``grid``."""
    return PersonFactory(unit=cast.village1a, name="网格员巴特", user=UserFactory(username="gridw"))


@pytest.fixture
def grid(cast, worker):  # type: ignore[no-untyped-def]
    return services.grid_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        name="第一网格",
        area="东草场 12 户",
        worker=worker,
        public_phone="13900001111",
    )


@pytest.fixture
def incident(grid):  # type: ignore[no-untyped-def]
    return services.incident_log(
        acting_user=SYSTEM,
        grid=grid,
        kind="boundary",
        summary="两户草场边界争议",
        parties="巴特尔、其木格",
        reported_on=timezone.localdate() - dt.timedelta(days=10),
    )
