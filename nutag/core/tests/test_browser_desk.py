"""The workbench in a real Chromium on a 360 x 740 phone: log in, find, add, fix, save."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from nutag.factories import TEST_PASSWORD
from nutag.people.models import Person
from nutag.people.services import PersonInput, person_create

if TYPE_CHECKING:
    from playwright.sync_api import Page

PHONE_WIDTH = 360


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide"
    # a checkbox's tap target is its whole label
    small = page.evaluate(
        """() => [...document.querySelectorAll(
            'main .btn, main .list a, main .rowlink, main input:not([type=hidden]), main select')]
              .filter(e => e.offsetParent !== null)
              .map(e => [e, e.type === 'checkbox' ? e.closest('label') : e])
              .map(([e, target]) => [
                  e.textContent.trim() || e.name, target.getBoundingClientRect().height])
              .filter(([, h]) => h < 44)"""
    )
    assert not small, f"tap targets under 44px on {page.url}: {small}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_township_secretary_finds_and_adds_people_on_a_phone(
    live_server: Any, phone_page: Page, cast: Any
) -> None:
    person_create(acting_user=None, unit=cast.village1a, data=PersonInput(name="巴特尔"))
    page = phone_page
    page.goto(f"{live_server.url}/desk/")
    page.fill("input[name=username]", "t1-secretary")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/")
    fits_the_phone(page)

    page.click(f"text={cast.township1.name}")
    fits_the_phone(page)
    assert page.locator(f"text={cast.township2.name}").count() == 0

    page.click("main .actions a[href$='/people/']")
    page.fill("input[name=q]", "bte")
    page.click("main form button[type=submit]")
    assert page.locator("main .list").inner_text().count("巴特尔") == 1
    fits_the_phone(page)

    # Add a person with a wrong ID number: the error shows next to the field, nothing is lost.
    page.goto(f"{live_server.url}/desk/u/{cast.village1a.code}/people/add/")
    fits_the_phone(page)
    page.fill("input[name=name]", "其其格")
    page.fill("input[name=phone]", "13912345678")
    page.fill("input[name=id_number]", "150725196005010010")
    page.check("input[name=is_care]")
    page.select_option("select[name=elder_category]", "teacher")
    page.click("main form button[type=submit]")
    field = page.locator(".field.invalid")
    assert field.count() == 1
    assert "input" in field.inner_html() and "id_number" in field.inner_html()
    assert page.input_value("input[name=name]") == "其其格"
    assert page.input_value("input[name=phone]") == "13912345678"
    assert page.is_checked("input[name=is_care]")
    assert not Person.objects.filter(name="其其格").exists()

    page.fill("input[name=id_number]", "")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/desk/people/*/")
    assert "其其格" in page.inner_text("h1")
    fits_the_phone(page)
    person = Person.objects.get(name="其其格")
    assert person.care.elder_category == "teacher"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_larger_text_switch_persists(live_server: Any, phone_page: Page, cast: Any) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/u/{cast.banner.code}/figures/")
    before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert before >= 17
    page.click("footer form[action$='/text-size/'] button")
    page.goto(f"{live_server.url}/u/{cast.township1.code}/figures/")
    after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert after > before
