"""The import preview in a real Chromium: the lists of who is added are folded away on a
phone and open on a wide screen; the office roster's problems fit the phone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from nutag.factories import TEST_PASSWORD

from .test_importing_office import office_xlsx

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def log_in_and_preview(page: Page, live_server: Any, cast: Any, tmp_path: Any) -> None:
    path = tmp_path / "五老花名册.xlsx"
    path.write_bytes(office_xlsx().read())
    page.goto(f"{live_server.url}/desk/login/")
    page.fill("input[name=username]", "t1-secretary")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/")
    page.goto(f"{live_server.url}/desk/u/{cast.township1.code}/people/")
    page.click("main .actions a[href$='/import/']")  # beside 添加人员 and 导出Excel
    page.set_input_files("input[type=file]", str(path))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_selector("main details.wide-open")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_lists_are_folded_and_the_problems_fit(
    live_server: Any, phone_page: Page, cast: Any, tmp_path: Any
) -> None:
    from nutag.core.tests.test_browser_desk import fits_the_phone

    log_in_and_preview(phone_page, live_server, cast, tmp_path)
    assert phone_page.evaluate("document.querySelector('main details.wide-open').open") is False
    assert not phone_page.is_visible("text=乌云其木格")  # inside the folded list
    assert phone_page.is_visible("text=第11行 王宝林")
    fits_the_phone(phone_page)
    phone_page.click("main details.wide-open summary")
    assert phone_page.is_visible("text=乌云其木格")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_wide_screen_the_lists_are_open(
    live_server: Any, nutag_browser: Browser, cast: Any, tmp_path: Any
) -> None:
    context = nutag_browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        log_in_and_preview(page, live_server, cast, tmp_path)
        # opened by the page's deferred script: wait for it (a slow machine runs it late)
        page.wait_for_function("document.querySelector('main details.wide-open').open === true")
        assert page.is_visible("text=乌云其木格")
    finally:
        context.close()
