"""Workbench unit pages, the figures page and the scoped admin."""

import pytest
from django.test import Client
from django.utils.translation import gettext as _

from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory
from nutag.orgs import services
from nutag.orgs.models import Unit

pytestmark = pytest.mark.django_db


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_desk_needs_login(client):
    r = client.get("/desk/")
    assert r.status_code == 302 and "/desk/login/" in r["Location"]


def test_desk_home_lists_my_top_units(cast):
    html = login(cast.township1_secretary).get("/desk/").content.decode()
    assert cast.township1.name in html and cast.banner.name not in html


def test_unit_page_hides_actions_without_rights(cast):
    html = login(cast.village1a_officer).get(f"/desk/u/{cast.village1a.code}/").content.decode()
    assert f"/desk/u/{cast.village1a.code}/history/" not in html
    html = login(cast.village1a_secretary).get(f"/desk/u/{cast.village1a.code}/").content.decode()
    assert f"/desk/u/{cast.village1a.code}/history/" in html


def test_delete_unit_with_people_is_refused_with_reason(cast):
    client = login(cast.township1_secretary)
    PersonFactory(unit=cast.village1b)
    r = client.post(f"/desk/u/{cast.village1b.code}/delete/")
    assert r.status_code == 200
    assert "people" in r.content.decode() or "人员" in r.content.decode()
    assert Unit.objects.filter(pk=cast.village1b.pk).exists()


def test_move_to_a_unit_out_of_reach_is_refused(cast):
    client = login(cast.township1_secretary)
    r = client.post(f"/desk/u/{cast.village1b.code}/move/", {"target": cast.township2.code})
    assert r.status_code == 200  # not offered: a field error, nothing moved
    cast.village1b.refresh_from_db()
    assert cast.village1b.path.startswith(cast.township1.path)


def test_figures_page_public_and_fixed_queries(cast, client, django_assert_num_queries):
    # the unit, then the dashboard's reads: the units shown (ancestors, children, siblings),
    # committees with care tallies, rounds, task reports (and the rounds' assessments, when
    # there are rounds; the cast has none); the residents' voice: its fixed reads
    # (nutag/voice/selectors/figures.py); the study app's fixed reads; youth care's counts;
    # the revitalisation ledger's counts; first of all the unit's path, which each worker
    # then keeps for the page cache's key (nutag/stats/caching.py)
    from django.core.cache import cache

    from nutag.disclosure.selectors.figures import DISCLOSURE_DASHBOARD_QUERIES
    from nutag.grid.selectors.figures import GRID_FIGURE_QUERIES
    from nutag.market.selectors.figures import MARKET_FIGURE_QUERIES
    from nutag.revival.selectors.figures import REVIVAL_FIGURE_QUERIES
    from nutag.stats.caching import unit_path_for_code
    from nutag.study.selectors.figures import STUDY_FIGURE_QUERIES
    from nutag.tourism.selectors.figures import TOURISM_FIGURE_QUERIES
    from nutag.voice.selectors.figures import VOICE_FIGURE_QUERIES
    from nutag.youth.selectors.figures import YOUTH_FIGURE_QUERIES

    with django_assert_num_queries(
        6
        + VOICE_FIGURE_QUERIES
        + STUDY_FIGURE_QUERIES
        + YOUTH_FIGURE_QUERIES
        + DISCLOSURE_DASHBOARD_QUERIES  # the units from the seed table
        + MARKET_FIGURE_QUERIES
        + TOURISM_FIGURE_QUERIES
        + REVIVAL_FIGURE_QUERIES  # the revitalisation ledger's four
        + GRID_FIGURE_QUERIES
    ):
        r = client.get(f"/u/{cast.banner.code}/figures/")
    for i in range(10):
        PersonFactory(unit=cast.village2a, name=f"人{i}")
    cache.clear()  # rendered again, not served from the page cache
    # the unit's path is kept by the worker (with Redis the clear forgets its generation:
    # read it again outside the count)
    unit_path_for_code(cast.banner.code)
    with django_assert_num_queries(
        5
        + VOICE_FIGURE_QUERIES
        + STUDY_FIGURE_QUERIES
        + YOUTH_FIGURE_QUERIES
        + DISCLOSURE_DASHBOARD_QUERIES  # the units from the seed table
        + MARKET_FIGURE_QUERIES
        + TOURISM_FIGURE_QUERIES
        + REVIVAL_FIGURE_QUERIES  # the revitalisation ledger's four
        + GRID_FIGURE_QUERIES
    ):
        client.get(f"/u/{cast.banner.code}/figures/")
    assert r.status_code == 200
    assert client.get("/u/000000/figures/").status_code == 404
    assert client.get("/").status_code == 200  # "/" is the root unit's public site


def test_admin_is_scoped_to_the_subtree(cast):
    for user in (cast.township1_secretary,):
        user.is_staff = True
        user.save()
    client = login(cast.township1_secretary)
    html = client.get("/admin/orgs/unit/").content.decode()
    assert cast.village1a.name in html
    assert cast.village2a.name not in html
    assert client.get(f"/admin/orgs/unit/{cast.village2a.pk}/change/").status_code in (302, 404)
    html = client.get("/admin/people/person/").content.decode()
    assert "志愿者" in html
    assert login(cast.admin).get(f"/admin/orgs/unit/{cast.village2a.pk}/change/").status_code == 200


def test_unit_pages_run_fixed_queries(
    cast, django_assert_num_queries, django_assert_max_num_queries
):
    from nutag.orgs import services
    from nutag.orgs.models import PositionTitle

    client = login(cast.township1_secretary)
    pages = [
        f"/desk/u/{cast.township1.code}/",
        f"/desk/u/{cast.township1.code}/history/",
        f"/desk/u/{cast.township1.code}/check/",
    ]
    counts = {}
    for url in pages:
        client.get(url)
        with django_assert_max_num_queries(50) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    for i in range(15):
        person = PersonFactory(unit=cast.village1b, name=f"委员{i}")
        services.position_assign(
            acting_user=cast.township1_secretary,
            unit=cast.township1,
            person_id=person.pk,
            title=PositionTitle.MEMBER,
        )
        if i < 9:
            services.unit_create(
                acting_user=SYSTEM,
                parent=cast.township1,
                code=f"15079910030{i}",
                kind="village",
                name=f"村{i}",
            )
    for url in pages:
        with django_assert_num_queries(counts[url]):
            client.get(url)


def test_history_shows_translated_labels_and_choices(cast):
    from django.utils import translation

    from nutag.orgs import services

    services.unit_update(acting_user=cast.township1_secretary, unit=cast.village1a, name="新名字")
    client = login(cast.township1_secretary)
    with translation.override("zh-hans"):
        html = client.get(f"/desk/u/{cast.township1.code}/history/").content.decode()
    assert "一甲嘎查 → 新名字" in html
    assert "名称" in html  # the field's label, not "name"
    assert "village" not in html.split("<main", 1)[1]  # kinds shown by their label
    # an officer may not read the history, and another township's secretary neither
    assert (
        login(cast.township1_officer).get(f"/desk/u/{cast.township1.code}/history/").status_code
        == 404
    )
    assert (
        login(cast.village2a_secretary).get(f"/desk/u/{cast.township1.code}/history/").status_code
        == 404
    )


def test_ending_a_term_asks_first(cast):
    from nutag.orgs.models import Position

    position = Position.objects.get(person__user=cast.village1a_officer)
    client = login(cast.township1_secretary)
    r = client.get(f"/desk/positions/{position.pk}/end/")
    assert r.status_code == 200
    position.refresh_from_db()
    assert position.ended_on is None  # a GET (a stray tap) changes nothing
    assert client.post(f"/desk/positions/{position.pk}/end/").status_code == 302
    position.refresh_from_db()
    assert position.ended_on is not None
    # a sibling township's secretary gets 404 on both
    other = Position.objects.get(person__user=cast.village2a_secretary)
    assert client.get(f"/desk/positions/{other.pk}/end/").status_code == 404
    assert client.post(f"/desk/positions/{other.pk}/end/").status_code == 404


def test_admin_shows_a_services_refusal_on_the_form_not_a_500(cast):
    """A unit added under a closed unit: the service refuses; the form comes back with the
    reason and everything typed, and nothing is created."""
    closed = services.unit_create(
        acting_user=SYSTEM, parent=cast.banner, code="150725999", kind="township", name="旧镇"
    )
    services.unit_close(acting_user=SYSTEM, unit=closed)
    client = login(cast.admin)
    r = client.post(
        "/admin/orgs/unit/add/",
        {"parent": closed.code, "code": "150725999201", "kind": "village", "name": "新嘎查"},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "errornote" in html or "errorlist" in html
    assert str(_("A closed unit cannot receive new units.")) in html
    assert 'value="新嘎查"' in html
    assert not Unit.objects.filter(code="150725999201").exists()
