"""The work endpoints (rounds, assessments, tasks, reports): the same rights as the pages.

Negatives first: no login, a sibling, a unit of another township, the unit above reading
down is fine but never a sibling's self-assessment or report.
"""

from __future__ import annotations

import pytest

from nutag.assess.models import Assessment, TaskReport
from nutag.assess.tests import rounds_helpers as rh
from nutag.assess.tests import taskdata as td
from nutag.core.actors import SYSTEM


@pytest.fixture
def work(cast):  # type: ignore[no-untyped-def]
    """A five-good round of the banner (village1a accepted, village2a submitted) and a task
    from township1 to its units (village1a reported)."""
    round_ = rh.open_round(cast.banner)
    a1 = rh.review(rh.submitted(rh.assessment_of(round_, cast.village1a)))
    a2 = rh.submitted(rh.assessment_of(round_, cast.village2a))
    task = td.issue(by=SYSTEM, unit=cast.township1)
    r1 = td.fill_and_submit(td.report_of(task, cast.village1a), by=SYSTEM)
    r1b = td.report_of(task, cast.village1b)
    return {"round": round_, "a1": a1, "a2": a2, "task": task, "r1": r1, "r1b": r1b}


def test_anonymous_gets_401_everywhere(cast, client, work):
    urls = [
        f"/api/v1/units/{cast.banner.code}/rounds",
        f"/api/v1/rounds/{work['round'].pk}",
        f"/api/v1/rounds/{work['round'].pk}/assessments",
        f"/api/v1/assessments/{work['a1'].pk}",
        f"/api/v1/units/{cast.township1.code}/tasks",
        f"/api/v1/tasks/{work['task'].pk}",
        f"/api/v1/tasks/{work['task'].pk}/reports",
        f"/api/v1/reports/{work['r1'].pk}",
    ]
    for url in urls:
        assert client.get(url).status_code == 401, url


@pytest.mark.parametrize("user", ["volunteer", "resident"])
def test_people_without_a_position_get_404(cast, client, work, user):
    client.force_login(getattr(cast, user))
    for url in [
        f"/api/v1/units/{cast.village1a.code}/rounds",
        f"/api/v1/assessments/{work['a1'].pk}",
        f"/api/v1/reports/{work['r1'].pk}",
        f"/api/v1/tasks/{work['task'].pk}",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_sibling_never_reads_another_units_assessment_or_report(cast, client, work):
    client.force_login(cast.village2a_secretary)
    assert client.get(f"/api/v1/assessments/{work['a1'].pk}").status_code == 404
    assert client.get(f"/api/v1/reports/{work['r1'].pk}").status_code == 404
    assert client.get(f"/api/v1/tasks/{work['task'].pk}").status_code == 404  # not a target
    assert client.get(f"/api/v1/units/{cast.village1a.code}/rounds").status_code == 404
    # the round itself is visible (village2a takes part), but lists only its own assessment
    rows = client.get(f"/api/v1/rounds/{work['round'].pk}/assessments").json()["items"]
    assert [r["unit"]["code"] for r in rows] == [cast.village2a.code]
    # missing answers like out of reach
    assert client.get("/api/v1/assessments/999999").status_code == 404


def test_a_village_sees_its_task_but_only_its_own_report(cast, client, work):
    client.force_login(cast.village1a_secretary)
    assert client.get(f"/api/v1/reports/{work['r1b'].pk}").status_code == 404
    rows = client.get(f"/api/v1/tasks/{work['task'].pk}/reports").json()["items"]
    assert [r["unit"]["code"] for r in rows] == [cast.village1a.code]
    detail = client.get(f"/api/v1/tasks/{work['task'].pk}").json()
    assert detail["progress"]["reports"] == 1
    received = client.get(f"/api/v1/units/{cast.village1a.code}/tasks").json()
    assert [t["id"] for t in received["items"]] == [work["task"].pk]
    issued = client.get(f"/api/v1/units/{cast.village1a.code}/tasks?side=issued").json()
    assert issued == {"count": 0, "offset": 0, "limit": 50, "items": []}
    assert client.get(f"/api/v1/units/{cast.village1a.code}/tasks?side=x").status_code == 400


def test_township2_cannot_read_township1s_task(cast, client, work):
    client.force_login(cast.township1_secretary)
    assert client.get(f"/api/v1/assessments/{work['a2'].pk}").status_code == 404
    client.force_login(cast.village2a_secretary)
    assert client.get(f"/api/v1/tasks/{work['task'].pk}/reports").status_code == 404


def test_the_unit_above_reads_down(cast, client, work):
    client.force_login(cast.township1_officer)
    a1 = client.get(f"/api/v1/assessments/{work['a1'].pk}").json()
    assert a1["status"] == "accepted"
    assert a1["passed"] is True
    assert a1["score"] == 100
    assert len(a1["items"]) == 5
    assert {i["points"] for i in a1["items"]} == {20}
    board = client.get(f"/api/v1/tasks/{work['task'].pk}").json()
    assert board["progress"] == {
        "reports": TaskReport.objects.filter(task=work["task"]).count(),
        "accepted": 0,
        "waiting": 1,
        "returned": 0,
        "missing": TaskReport.objects.filter(task=work["task"]).count() - 1,
        "late": 0,
    }
    reports = client.get(f"/api/v1/tasks/{work['task'].pk}/reports").json()["items"]
    mine = next(r for r in reports if r["unit"]["code"] == cast.village1a.code)
    assert mine["figures"] == {"走访青少年": 5, "开展活动": 2}


def test_banner_officer_reads_the_whole_round(cast, client, work):
    client.force_login(cast.banner_officer)
    detail = client.get(f"/api/v1/rounds/{work['round'].pk}").json()
    total = Assessment.objects.filter(round=work["round"]).count()
    assert detail["progress"]["assessments"] == total
    assert detail["progress"]["by_status"]["accepted"] == 1
    assert detail["progress"]["by_status"]["submitted"] == 1
    assert detail["progress"]["passed"] == 1
    waiting = client.get(f"/api/v1/rounds/{work['round'].pk}/assessments?status=submitted")
    assert [r["unit"]["code"] for r in waiting.json()["items"]] == [cast.village2a.code]
    assert waiting.json()["count"] == 1
    rounds = client.get(f"/api/v1/units/{cast.banner.code}/rounds?side=issued").json()
    assert [r["id"] for r in rounds["items"]] == [work["round"].pk]
    assert rounds["items"][0]["standard_kind"] == "five_good"
    taking_part = client.get(f"/api/v1/units/{cast.village2a.code}/rounds").json()
    assert [r["id"] for r in taking_part["items"]] == [work["round"].pk]


def test_standards_are_read_where_they_are_usable(cast, client, work):
    standard = work["round"].standard  # the banner's five-good standard
    client.force_login(cast.volunteer)  # no position: nothing
    assert client.get(f"/api/v1/standards/{standard.pk}").status_code == 404
    assert client.get(f"/api/v1/units/{cast.village1a.code}/standards").status_code == 404
    client.force_login(cast.village2a_secretary)
    assert client.get(f"/api/v1/units/{cast.village1a.code}/standards").status_code == 404
    assert client.get("/api/v1/standards/999999").status_code == 404
    listed = client.get(f"/api/v1/units/{cast.village2a.code}/standards").json()
    assert standard.pk in [s["id"] for s in listed["items"]] and listed["count"] >= 1
    detail = client.get(f"/api/v1/standards/{standard.pk}").json()
    assert detail["item_count"] == len(detail["items"]) > 0
    assert detail["total"] == sum(i["points"] for i in detail["items"])
    row = next(s for s in listed["items"] if s["id"] == standard.pk)
    assert (row["total"], row["item_count"]) == (detail["total"], detail["item_count"])
