"""The voice figures: counted over the subtree, a fixed number of queries, and the
dashboard shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.factories import make_concern, make_unit
from nutag.voice import services
from nutag.voice.selectors.figures import VOICE_FIGURE_QUERIES, voice_figures


@pytest.mark.django_db
def test_figures_count_the_subtree_only(cast):
    a = make_concern(unit=cast.village1a, category_key="water")
    b = make_concern(unit=cast.village1b, category_key="roads")
    make_concern(unit=cast.village2a)
    services.concern_answer(acting_user=SYSTEM, concern=a, version=1, answer="好")
    services.concern_answer(
        acting_user=SYSTEM,
        concern=b,
        version=1,
        answer="晚了",
        now=b.limit_at + dt.timedelta(hours=1),
    )
    services.concern_close(acting_user=SYSTEM, concern=a, version=2, rating=4)
    f = voice_figures(unit=cast.township1)
    assert f.total == 2 and f.by_category == {"water": 1, "roads": 1}
    assert f.by_state == {"closed": 1, "answered": 1}
    assert (f.answered, f.answered_in_time, f.in_time_rate) == (2, 1, 0.5)
    assert (f.rated, f.satisfaction) == (1, 4.0)
    assert f.overdue == 0
    assert voice_figures(unit=cast.village2a).total == 1
    assert voice_figures(unit=cast.banner).total == 3


@pytest.mark.django_db
def test_overdue_counts_open_concerns_past_their_deadline(cast):
    concern = make_concern(unit=cast.village1a)
    services.escalate_overdue(now=concern.due_at - dt.timedelta(days=1))
    from nutag.voice.models import Concern

    Concern.objects.filter(pk=concern.pk).update(due_at=concern.created_at)
    assert voice_figures(unit=cast.banner).overdue == 1
    assert voice_figures(unit=cast.township2).overdue == 0


@pytest.mark.django_db
def test_four_queries_whatever_the_size(cast, django_assert_num_queries):
    with django_assert_num_queries(VOICE_FIGURE_QUERIES):
        voice_figures(unit=cast.banner)
    for i in range(15):
        unit = make_unit(parent=cast.village1a, kind="school", name=f"学校{i}")
        concern = make_concern(unit=unit)
        services.concern_answer(acting_user=SYSTEM, concern=concern, version=1, answer="好")
    with django_assert_num_queries(VOICE_FIGURE_QUERIES):
        assert voice_figures(unit=cast.banner).answered == 15


@pytest.mark.django_db
def test_the_dashboard_shows_the_concerns(cast):
    make_concern(unit=cast.village1a)
    page = Client().get(f"/u/{cast.township1.code}/figures/").content.decode()
    assert "1" in page and "svg" in page
    empty = Client().get(f"/u/{cast.township2.code}/figures/")
    assert empty.status_code == 200


@pytest.mark.django_db
def test_figures_read_path_ranges_and_sort_nothing(cast):
    """Each query reads its table's ``unit_path`` range; none sorts the subtree's rows (the
    median's answer times came sorted by the concerns' default order: issue 17)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    concern = make_concern(unit=cast.village1a)
    services.concern_answer(acting_user=SYSTEM, concern=concern, version=1, answer="好")
    with CaptureQueriesContext(connection) as ctx:
        figures = voice_figures(unit=cast.township1)
    assert figures.answered == 1
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len(sqls) == VOICE_FIGURE_QUERIES
    assert not any(" ORDER BY " in sql or " LIKE " in sql for sql in sqls), sqls
    assert all('"unit_path" >= ' in sql for sql in sqls), sqls
