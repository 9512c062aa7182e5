"""The JSON API: shapes, rights (404 for not yours), bad input, fixed query counts."""

import json

import pytest
from django.test import Client, override_settings

from nutag.assess.models import AssessmentStatus
from nutag.factories import PersonFactory, make_care_worker, make_concern, make_unit
from nutag.orgs.models import Position, Unit, UnitKind
from nutag.people.models import Person
from nutag.stats.tests.work import assess, assessment_round

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, data: dict) -> object:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_unknown_unit_is_404(client):
    assert client.get("/api/v1/units/999999/stats").status_code == 404
    assert client.get("/api/v1/units/999999").status_code == 404


def test_stats_shape_and_values(cast, client):
    make_care_worker(
        person=PersonFactory(unit=cast.village2a), unit=cast.village2a, elder_category="veteran"
    )
    data = client.get(f"/api/v1/units/{cast.banner.code}/stats").json()
    assert data["unit"] == {"code": cast.banner.code, "name": cast.banner.name, "kind": "banner"}
    assert set(data["committees"]["by_kind"]) == {k.value for k in UnitKind}
    assert len(UnitKind) == 9
    assert data["committees"]["total"] == Unit.objects.count() == 7
    assert data["committees"]["by_kind"]["village"] == 3
    assert data["participants"] == 2  # the cast's volunteer and the one above
    assert data["five_elders"] == 2
    township = client.get(f"/api/v1/units/{cast.township2.code}/stats").json()
    assert township["committees"]["total"] == 2
    assert township["participants"] == 1


@override_settings(NUTAG_PUBLIC_STATS=False)
def test_private_stats_need_a_right(cast, client):
    assert client.get(f"/api/v1/units/{cast.banner.code}/stats").status_code == 404
    client.force_login(cast.township1_officer)
    assert client.get(f"/api/v1/units/{cast.banner.code}/stats").status_code == 404
    assert client.get(f"/api/v1/units/{cast.township1.code}/stats").status_code == 200


def test_stats_query_count_does_not_grow(cast, client, django_assert_num_queries):
    # the unit's path (kept by the worker), the unit, its subtree tallies (committees by kind
    # and the care sums, one row of each), five-good committees by year; voice: concerns by
    # category and state, one aggregate row, the answer times, the polls held, aid posts,
    # emergencies; the study app's fixed reads; youth care's seven (records, by circumstance,
    # pairs, visits by month, needs, deeds, activities); a kept answer costs none
    # (stats/tests/test_caching.py)
    from nutag.disclosure.selectors.figures import DISCLOSURE_FIGURE_QUERIES
    from nutag.grid.selectors.figures import GRID_FIGURE_QUERIES
    from nutag.market.selectors.figures import MARKET_FIGURE_QUERIES
    from nutag.revival.selectors.figures import REVIVAL_FIGURE_QUERIES
    from nutag.study.selectors.figures import STUDY_FIGURE_QUERIES
    from nutag.tourism.selectors.figures import TOURISM_FIGURE_QUERIES
    from nutag.voice.selectors.figures import VOICE_FIGURE_QUERIES
    from nutag.youth.selectors.figures import YOUTH_FIGURE_QUERIES

    expected = (
        4
        + VOICE_FIGURE_QUERIES
        + STUDY_FIGURE_QUERIES
        + YOUTH_FIGURE_QUERIES
        + DISCLOSURE_FIGURE_QUERIES
    )
    expected += MARKET_FIGURE_QUERIES  # the shop's two (nutag/market/selectors/figures.py)
    expected += TOURISM_FIGURE_QUERIES
    expected += REVIVAL_FIGURE_QUERIES
    expected += GRID_FIGURE_QUERIES
    with django_assert_num_queries(expected):
        client.get(f"/api/v1/units/{cast.banner.code}/stats")
    rnd = assessment_round(unit=cast.banner, year=2025)
    for i in range(20):
        unit = make_unit(parent=cast.village1a, kind="school", name=f"学校{i}")
        make_care_worker(person=PersonFactory(unit=unit), unit=unit)
        assess(rnd, unit, passed=i % 2 == 0)
        make_concern(unit=unit)
    with django_assert_num_queries(expected):  # new units: the path is read again
        data = client.get(f"/api/v1/units/{cast.banner.code}/stats").json()
    assert data["five_good"]["count"] == 10


def test_stats_five_good(cast, client):
    data = client.get(f"/api/v1/units/{cast.banner.code}/stats").json()
    # grassroots: the 3 villages and the school; not the banner, not the 2 townships
    assert data["five_good"] == {"count": 0, "base": 4, "rate": 0.0, "year": None}
    rnd = assessment_round(unit=cast.banner, year=2025)
    assess(rnd, cast.village1a)
    assess(rnd, cast.village1b, passed=False)
    assess(rnd, cast.village2a, status=AssessmentStatus.RETURNED)
    assess(rnd, cast.township1)  # a township's committee is not grassroots
    assess(assessment_round(unit=cast.banner, year=2024), cast.school1)  # an older year
    data = client.get(f"/api/v1/units/{cast.banner.code}/stats").json()
    assert data["five_good"] == {"count": 1, "base": 4, "rate": 0.25, "year": 2025}
    assess(rnd, cast.school1)
    data = client.get(f"/api/v1/units/{cast.banner.code}/stats").json()
    assert data["five_good"] == {"count": 2, "base": 4, "rate": 0.5, "year": 2025}
    township = client.get(f"/api/v1/units/{cast.township1.code}/stats").json()
    assert township["five_good"] == {"count": 2, "base": 3, "rate": 0.667, "year": 2025}
    village = client.get(f"/api/v1/units/{cast.village2a.code}/stats").json()
    assert village["five_good"] == {"count": 0, "base": 1, "rate": 0.0, "year": None}


def test_people_need_login_and_reach(cast, client):
    assert client.get(f"/api/v1/units/{cast.village1a.code}/people").status_code == 401
    client.force_login(cast.village1a_officer)
    assert client.get(f"/api/v1/units/{cast.village1b.code}/people").status_code == 404
    assert client.get(f"/api/v1/units/{cast.township1.code}/people").status_code == 404
    people = client.get(f"/api/v1/units/{cast.village1a.code}/people").json()
    assert {p["name"] for p in people["items"]} >= {"志愿者", "牧民"}
    assert people["count"] == len(people["items"]) and people["offset"] == 0


def test_person_outside_reach_is_404_like_missing(cast, client):
    outsider = PersonFactory(unit=cast.village2a, name="外人")
    client.force_login(cast.township1_secretary)
    missing = client.get("/api/v1/people/99999999")
    hidden = client.get(f"/api/v1/people/{outsider.pk}")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json() == hidden.json()
    r = client.put(
        f"/api/v1/people/{outsider.pk}", json.dumps({"name": "改"}), content_type="application/json"
    )
    assert r.status_code == 404
    assert Person.objects.get(pk=outsider.pk).name == "外人"


def test_create_person_bad_input_then_good(cast, client):
    client.force_login(cast.village1a_officer)
    r = post(
        client,
        f"/api/v1/units/{cast.village1a.code}/people",
        {"name": "甲", "id_number": "150725196005010019"},
    )
    assert r.status_code == 400
    assert "id_number" in r.json()["errors"]
    r = post(
        client,
        f"/api/v1/units/{cast.village1a.code}/people",
        {"name": "甲", "phone": "13800001234"},
    )
    assert r.status_code == 201
    body = r.json()
    assert body["phone"] == "13800001234"  # an officer may read phones
    # moving them to a unit of another township through the API is refused
    r = client.put(
        f"/api/v1/people/{body['id']}?unit={cast.village2a.code}",
        json.dumps({"name": "甲"}),
        content_type="application/json",
    )
    assert r.status_code == 404
    assert Person.objects.get(pk=body["id"]).unit == cast.village1a


def test_id_number_masked_for_officer_not_secretary(cast, client):
    from nutag.people.idcard import checksum_char

    first = "15072519600501001"
    number = first + checksum_char(first)
    person = PersonFactory(unit=cast.village1a, name="证", id_number=number)
    client.force_login(cast.village1a_officer)
    assert (
        client.get(f"/api/v1/people/{person.pk}").json()["id_number"]
        == "150725**********" + number[-2:]
    )
    client.force_login(cast.village1a_secretary)
    assert client.get(f"/api/v1/people/{person.pk}").json()["id_number"] == number


def test_positions_and_units_out_of_reach(cast, client):
    mine = PersonFactory(unit=cast.village1a, name="我的人")
    theirs = PersonFactory(unit=cast.village2a, name="别人")
    client.force_login(cast.township1_secretary)
    assert (
        post(
            client,
            f"/api/v1/units/{cast.village2a.code}/positions",
            {"person_id": theirs.pk, "title": "member"},
        ).status_code
        == 404
    )
    assert (
        post(
            client,
            f"/api/v1/units/{cast.village1a.code}/positions",
            {"person_id": theirs.pk, "title": "member"},
        ).status_code
        == 404
    )
    assert (
        post(
            client,
            f"/api/v1/units/{cast.village1a.code}/positions",
            {"person_id": mine.pk, "title": "nope"},
        ).status_code
        == 400
    )
    assert (
        post(
            client,
            f"/api/v1/units/{cast.village1a.code}/positions",
            {"person_id": mine.pk, "title": "member"},
        ).status_code
        == 201
    )
    assert not Position.objects.filter(person=theirs).exists()
    r = post(
        client,
        f"/api/v1/units/{cast.banner.code}/children",
        {"code": "150799300", "kind": "township", "name": "越权"},
    )
    assert r.status_code == 404
    r = post(
        client,
        f"/api/v1/units/{cast.township1.code}/children",
        {"code": "150799100299", "kind": "village", "name": "新村"},
    )
    assert r.status_code == 201
    assert r.json()["parent"]["code"] == cast.township1.code


def test_openapi_schema_declares_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    stats = schema["paths"]["/api/v1/units/{code}/stats"]["get"]["responses"]
    assert "404" in stats
    five_good = schema["components"]["schemas"]["FiveGoodOut"]
    assert set(five_good["required"]) >= {"count", "base", "rate"}
    create = schema["paths"]["/api/v1/units/{code}/people"]["post"]["responses"]
    assert {"201", "400", "404"} <= set(create)


def test_lists_page_the_same_way(cast, client):
    """offset/limit brought into range, never refused; count before paging (pagination.py)."""
    url = f"/api/v1/units/{cast.banner.code}/children"
    whole = client.get(url).json()
    assert whole["count"] == 2 and [u["code"] for u in whole["items"]] == ["150799100", "150799200"]
    second = client.get(url, {"offset": 1, "limit": 1}).json()
    assert second == {**whole, "offset": 1, "limit": 1, "items": whole["items"][1:]}
    odd = client.get(url, {"offset": -5, "limit": 10**6}).json()
    assert (odd["offset"], odd["limit"], odd["count"]) == (0, 200, 2)
    client.force_login(cast.village1a_officer)
    people = client.get(f"/api/v1/units/{cast.village1a.code}/people", {"limit": 1}).json()
    assert people["count"] >= 2 and len(people["items"]) == 1
    only = client.get(f"/api/v1/units/{cast.village1a.code}/people", {"q": "牧民"}).json()
    assert [p["name"] for p in only["items"]] == ["牧民"] and only["count"] == 1


@pytest.mark.django_db
def test_an_id_past_64_bits_is_not_found(cast, client):
    # SQLite refuses to bind such a number (OverflowError): the API answers 404, as for any
    # id that names no row, never 500
    client.force_login(cast.township1_secretary)
    huge = 2**70
    r = client.post(f"/api/v1/activities/{huge}/signups/{huge}/withdraw")
    assert r.status_code == 404
    assert r.json()["detail"]
