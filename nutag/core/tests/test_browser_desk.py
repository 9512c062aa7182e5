"""The workbench in a real Chromium on a 360 x 740 phone: log in, find, add, fix, save."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from nutag.core.actors import SYSTEM
from nutag.factories import TEST_PASSWORD
from nutag.people.models import Person
from nutag.people.services import PersonInput, person_create

if TYPE_CHECKING:
    from playwright.sync_api import Page

PHONE_WIDTH = 360


def fits_the_phone(page: Page) -> None:
    # A click may have started a navigation: measure the page that arrives, not the one
    # being left (whose document can be gone mid-way).
    page.wait_for_load_state()
    page.wait_for_function("document.documentElement !== null && document.readyState !== 'loading'")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide"
    # a checkbox's (or radio button's) tap target is its whole label
    small = page.evaluate(
        """() => [...document.querySelectorAll(
            'main .btn, main .list a, main .rowlink, main input:not([type=hidden]), main select')]
              .filter(e => e.offsetParent !== null)
              .map(e => [e, ['checkbox', 'radio'].includes(e.type) ? e.closest('label') : e])
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
    person_create(acting_user=SYSTEM, unit=cast.village1a, data=PersonInput(name="巴特尔"))
    page = phone_page
    page.goto(f"{live_server.url}/desk/")
    page.fill("input[name=username]", "t1-secretary")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/")
    fits_the_phone(page)

    with page.expect_navigation():  # the township's page, not the desk before it
        page.click(f"text={cast.township1.name}")
    fits_the_phone(page)
    assert page.locator(f"text={cast.township2.name}").count() == 0

    page.click("main .actions a[href$='/people/']")
    page.fill("input[name=q]", "bte")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "q=bte" in url)  # the answer, not the list before it
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
    page.wait_for_selector(".field.invalid")  # the answer, not the form before it
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
    with page.expect_navigation():  # the switch's answer (its cookie) before the next page
        page.click("nav.prefs a[href*='/text-size/']")
    page.goto(f"{live_server.url}/u/{cast.township1.code}/figures/")
    after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert after > before


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_village_officer_imports_a_roster_from_a_phone(
    live_server: Any, phone_page: Page, cast: Any, tmp_path: Any
) -> None:
    import openpyxl

    from nutag.people.idcard import checksum_char

    first = "15072519580301001"
    good_id = first + checksum_char(first)
    bad_id = first[:16] + "2" + ("0" if checksum_char(first[:16] + "2") != "0" else "1")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["一甲嘎查花名册"])  # a title row above the header
    sheet.append(["姓名", "性别", "民族", "身份证号", "联系电话", "五老类别"])
    sheet.append(["朝鲁", "男", "蒙古族", good_id, "13800001111", "老教师"])
    sheet.append(["萨仁", "女", "蒙古族", bad_id, "13800002222", ""])
    sheet.append([])
    sheet.append(["娜仁", "女", "鄂温克族", "", "１３８００００３３３３", ""])
    path = tmp_path / "roster.xlsx"
    book.save(path)

    page = phone_page
    page.goto(f"{live_server.url}/desk/login/")
    page.fill("input[name=username]", "v1a-officer")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/")
    page.goto(f"{live_server.url}/desk/u/{cast.village1a.code}/import/")
    fits_the_phone(page)
    page.set_input_files("input[type=file]", str(path))
    page.click("main form[enctype] button[type=submit]")
    # the preview: two good rows, one bad row named with its row and column
    fits_the_phone(page)
    text = page.inner_text("main")
    assert "4" in text and "身份证号" in text
    assert not Person.objects.filter(name__in=["朝鲁", "娜仁"]).exists()  # nothing saved yet
    page.click("main form[action$='/confirm/'] button")
    page.wait_for_selector("main .progress")
    fits_the_phone(page)
    assert set(Person.objects.filter(unit=cast.village1a).values_list("name", flat=True)) >= {
        "朝鲁",
        "娜仁",
    }
    assert not Person.objects.filter(name="萨仁").exists()
    assert Person.objects.get(name="娜仁").phone == "13800003333"
    assert Person.objects.get(name="朝鲁").care.elder_category == "teacher"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_form_with_errors_takes_the_reader_to_the_summary_then_the_field(
    live_server: Any, phone_page: Page, cast: Any
) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/desk/login/")
    page.fill("input[name=username]", "t1-secretary")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/")
    page.goto(f"{live_server.url}/desk/u/{cast.township1.code}/articles/new/")
    page.click("button[name=save]")
    page.wait_for_selector("#error-summary")
    page.wait_for_function("document.activeElement?.id === 'error-summary'")
    assert page.title().startswith("错误：")
    page.click("#error-summary a[href='#id_title']")
    assert page.evaluate("document.activeElement.id") == "id_title"
    described = page.get_attribute("#id_title", "aria-describedby") or ""
    for ref in described.split():
        assert page.locator(f"#{ref}").count() == 1, ref
    # the show-password switch works without inline script
    page.goto(f"{live_server.url}/desk/account/password/")
    page.check("label.pw-show input")
    assert page.get_attribute("input[name=new_password1]", "type") == "text"
