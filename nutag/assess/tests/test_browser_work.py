"""The work cycle in a real Chromium on a 360 x 740 phone.

a. A village officer self-assesses from the phone: a score above the item's points is
   refused next to the item with everything typed kept; a photo is attached to the item that
   asks for one; the assessment is submitted; the township secretary accepts it from the phone.
b. A village reports on a township task: a figure that is not a number is refused next to
   the field with the text kept; fixed, the report is sent; the township accepts it.
c. The banner's dashboard fits the phone, chart first.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from nutag.assess.models import AssessmentStatus, Evidence, EvidenceKind, ReportStatus
from nutag.assess.tests import rounds_helpers as rh
from nutag.assess.tests import taskdata as td
from nutag.core.actors import SYSTEM
from nutag.core.tests.test_browser_desk import fits_the_phone
from nutag.factories import TEST_PASSWORD
from nutag.sites.tests.test_browser_sites import jpeg_bytes

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/desk/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/desk/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_village_self_assesses_from_a_phone_and_the_township_accepts(
    live_server: Any, phone_page: Page, cast: Any, tmp_path: Path
) -> None:
    round_ = rh.open_round(cast.banner)
    assessment = rh.assessment_of(round_, cast.village1a)
    rows = rh.items_of(assessment)
    with_photo = next(r for r in rows if EvidenceKind.PHOTO in (r.item.accepts or []))
    page = phone_page
    _login(page, live_server.url, "v1a-officer")
    page.goto(f"{live_server.url}/desk/u/{cast.village1a.code}/rounds/")
    fits_the_phone(page)
    page.goto(f"{live_server.url}/desk/assessments/{assessment.pk}/")
    fits_the_phone(page)
    assert page.get_attribute(f"input[name=score_{rows[0].pk}]", "max") == "20"

    page.fill("textarea[name=summary]", "全年开展活动十二次。")
    for row in rows:
        page.fill(f"input[name=score_{row.pk}]", "18")
        page.fill(f"textarea[name=note_{row.pk}]", f"{row.item.title}：已落实")
    page.fill(f"input[name=score_{rows[0].pk}]", "25")  # above the item's 20 points
    page.click("main button[name=save]")
    page.wait_for_selector(".field.invalid")  # the answer, not the page before it
    bad = page.locator(".field.invalid")
    assert bad.count() == 1 and f"score_{rows[0].pk}" in bad.inner_html()
    assert page.input_value("textarea[name=summary]") == "全年开展活动十二次。"
    assert page.input_value(f"textarea[name=note_{rows[1].pk}]") == f"{rows[1].item.title}：已落实"
    assessment.refresh_from_db()
    assert assessment.summary == ""  # nothing half-saved

    page.fill(f"input[name=score_{rows[0].pk}]", "19")
    photo = tmp_path / "IMG_20261120_093000.jpg"
    photo.write_bytes(jpeg_bytes())
    page.set_input_files(f"input[name=photo_{with_photo.pk}]", str(photo))
    page.click("main button[name=submit]")
    page.wait_for_load_state()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED, page.inner_text("main")
    assert assessment.self_total == 19 + 18 * (len(rows) - 1)
    assert Evidence.objects.filter(assessment_item=with_photo, kind=EvidenceKind.PHOTO).exists()
    fits_the_phone(page)

    # A sibling village's secretary cannot open it; the township secretary reviews it.
    _login(page, live_server.url, "v2a-secretary")
    assert page.goto(f"{live_server.url}/desk/assessments/{assessment.pk}/").status == 404
    _login(page, live_server.url, "t1-secretary")
    page.goto(f"{live_server.url}/desk/assessments/{assessment.pk}/review/")
    fits_the_phone(page)
    for row in rows:
        page.fill(f"input[name=review_score_{row.pk}]", "17")
    page.click("main button[value=accept]")
    page.wait_for_load_state()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ACCEPTED
    assert assessment.score == 17 * len(rows) and assessment.passed is True


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_village_reports_on_a_task_from_a_phone(
    live_server: Any, phone_page: Page, cast: Any
) -> None:
    task = td.issue(by=SYSTEM, unit=cast.township1)
    report = td.report_of(task, cast.village1a)
    first, second = task.figures.order_by("position")
    page = phone_page
    _login(page, live_server.url, "v1a-officer")
    page.goto(f"{live_server.url}/desk/u/{cast.village1a.code}/tasks/")
    fits_the_phone(page)
    page.goto(f"{live_server.url}/desk/reports/{report.pk}/")
    fits_the_phone(page)
    page.fill("textarea[name=text]", "走访了五名留守儿童。")
    page.fill(f"input[name=figure_{first.pk}]", "五")
    page.fill(f"input[name=figure_{second.pk}]", "2")
    page.click("main button[name=and_submit]")
    page.wait_for_selector(".field.invalid")  # the answer, not the page before it (under load)
    bad = page.locator(".field.invalid")
    assert bad.count() == 1 and f"figure_{first.pk}" in bad.inner_html()
    assert page.input_value("textarea[name=text]") == "走访了五名留守儿童。"
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING

    page.fill(f"input[name=figure_{first.pk}]", "5")
    page.click("main button[name=and_submit]")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED, page.inner_text("main")
    assert report.figures == {str(first.pk): 5, str(second.pk): 2}

    _login(page, live_server.url, "t1-secretary")
    page.goto(f"{live_server.url}/desk/tasks/{task.pk}/")
    fits_the_phone(page)
    page.goto(f"{live_server.url}/desk/reports/{report.pk}/")
    page.check("input[name=decision][value=accept]")
    page.click("main form button:has-text('验收')")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_fits_a_phone_chart_first(live_server: Any, phone_page: Page, cast: Any) -> None:
    round_ = rh.open_round(cast.banner)
    rh.review(rh.submitted(rh.assessment_of(round_, cast.village1a)))
    page = phone_page
    page.goto(f"{live_server.url}/u/{cast.banner.code}/figures/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    chart = page.locator("main svg").first
    assert chart.is_visible()
    table = page.locator("main table").first
    assert chart.bounding_box()["y"] < table.bounding_box()["y"]  # pictures first
    assert "五好" in page.inner_text("main")
