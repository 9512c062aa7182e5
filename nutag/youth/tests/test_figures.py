"""Youth figures: counts over the subtree, small circumstances left out, fixed queries."""

from __future__ import annotations

import datetime as dt

import pytest

from nutag.core.actors import SYSTEM
from nutag.factories import make_elder, make_youth_record
from nutag.youth import services
from nutag.youth.models import Circumstance
from nutag.youth.selectors import youth_figures
from nutag.youth.selectors.figures import YOUTH_FIGURE_QUERIES


@pytest.mark.django_db
def test_figures_roll_up_and_name_nobody(cast, django_assert_num_queries):
    left_behind = Circumstance.objects.filter(code="left_behind")
    law = Circumstance.objects.filter(code="law")
    records = [
        make_youth_record(unit=cast.village1a, name=f"甲{i}", circumstances=left_behind)
        for i in range(3)
    ]
    make_youth_record(unit=cast.village1b, name="乙", circumstances=law)
    make_youth_record(unit=cast.village2a, name="丙", circumstances=left_behind)
    elder = make_elder(unit=cast.village1a, username="elder")
    pair = services.pairing_create(
        acting_user=SYSTEM, record=records[0], elders=[elder], started_on=dt.date(2026, 1, 1)
    )
    for day in (dt.date(2026, 5, 31), dt.date(2026, 6, 1), dt.date(2026, 6, 30)):
        services.visit_create(acting_user=SYSTEM, pairing=pair, visited_on=day, kind="home")
    services.visit_create(
        acting_user=SYSTEM, pairing=pair, visited_on=dt.date(2026, 1, 31), kind="phone"
    )  # before the six months
    with django_assert_num_queries(YOUTH_FIGURE_QUERIES):
        town = youth_figures(unit=cast.township1, today=dt.date(2026, 7, 15))
    assert town.young_people == 4
    assert town.by_circumstance == {"left_behind": 3}  # the one "law" case is left out
    assert town.pairs == 1
    assert town.visits_by_month == {"2026-05": 1, "2026-06": 2}
    assert youth_figures(unit=cast.village2a).by_circumstance == {}
    assert youth_figures(unit=cast.banner, today=dt.date(2026, 7, 15)).young_people == 5


@pytest.mark.django_db
def test_figures_read_the_records_path_range_first(cast):
    """Every query starts from its table's ``unit_path`` index range; the circumstances are
    reached from the subtree's records, never the other way round (issue 17)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    several = Circumstance.objects.filter(code__in=["left_behind", "law"])
    for i in range(3):
        make_youth_record(unit=cast.village1a, name=f"甲{i}", circumstances=several)
    with CaptureQueriesContext(connection) as ctx:
        figures = youth_figures(unit=cast.township1, today=dt.date(2026, 7, 15))
    assert figures.by_circumstance == {"law": 3, "left_behind": 3}
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert not any(" LIKE " in sql for sql in sqls)
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            first = str(cursor.fetchall()[0][-1])
            if first.startswith("USE TEMP B-TREE"):  # count(DISTINCT) is listed first
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                first = str(cursor.fetchall()[1][-1])
            assert "unit_path>? AND unit_path<?" in first, (sql, first)
