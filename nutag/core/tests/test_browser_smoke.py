"""Smoke test in a real Chromium: the officers' login page on a 360 px phone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

PHONE_WIDTH = 360
MIN_TAP_TARGET = 44


@pytest.mark.browser
def test_login_page_fits_a_phone_and_has_a_big_button(live_server: Any, phone_page: Page) -> None:
    response = phone_page.goto(f"{live_server.url}/desk/login/")
    assert response is not None
    assert response.status == 200

    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"page is {scroll_width}px wide: horizontal scrollbar"

    button = phone_page.locator("form:has(input[type=password]) button[type=submit]")
    assert button.count() == 1
    box = button.bounding_box()
    assert box is not None, "login button is not visible"
    assert box["height"] >= MIN_TAP_TARGET, f"login button is {box['height']}px high"
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE_WIDTH
