"""Getting people in, in a real Chromium on a 360 x 740 phone.

An officer invites a person; the invitee opens the link in a fresh browser, chooses a password
(with "show password"), lands on their own page, logs out and logs in again. A visitor asks
to join the village from its site; the secretary approves, linking the roster person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from nutag.browser_fixtures import PHONE_VIEWPORT
from nutag.core.tests.test_browser_desk import fits_the_phone
from nutag.factories import TEST_PASSWORD, PersonFactory
from nutag.people.models import JoinRequest, Person

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSPHRASE = "草原上的骏马2026"


def _fresh_phone(browser: Browser) -> Page:
    context = browser.new_context(
        viewport=PHONE_VIEWPORT,  # type: ignore[arg-type]
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def _log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/desk/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_invites_and_the_invitee_logs_in_on_a_phone(
    live_server: Any, phone_page: Page, nutag_browser: Browser, cast: Any
) -> None:
    base = live_server.url
    person = PersonFactory(unit=cast.village1a, name="乌云其其格", phone="13812340001")
    officer = phone_page
    _log_in(officer, base, "v1a-officer", TEST_PASSWORD)
    officer.wait_for_url(f"{base}/desk/")
    officer.goto(f"{base}/desk/people/{person.pk}/")
    fits_the_phone(officer)
    officer.click("form[action$='/invite/'] button")
    officer.wait_for_url("**/desk/invitations/*/")
    assert officer.locator("main svg").count() == 1  # the QR code
    fits_the_phone(officer)
    link = officer.locator("main a[href*='/desk/invite/']").get_attribute("href")
    assert link

    invitee = _fresh_phone(nutag_browser)
    try:
        invitee.goto(link)
        assert "乌云其其格" in invitee.inner_text("h1")
        fits_the_phone(invitee)
        assert invitee.input_value("input[name=username]") == "13812340001"
        invitee.fill("input[name=password]", PASSPHRASE)
        assert invitee.get_attribute("input[name=password]", "type") == "password"
        invitee.check("label.pw-show input")
        assert invitee.get_attribute("input[name=password]", "type") == "text"
        invitee.click("main form button[type=submit]")
        invitee.wait_for_url(f"{base}/desk/me/")
        assert cast.village1a.name in invitee.inner_text("main")
        fits_the_phone(invitee)
        invitee.click("header form button[type=submit]")  # log out
        _log_in(invitee, base, "13812340001", PASSPHRASE)
        invitee.wait_for_url(f"{base}/desk/me/")
        assert "乌云其其格" in invitee.inner_text("main")
        # The link is used up.
        invitee.goto(link)
        assert "已经用过" in invitee.inner_text("main")
    finally:
        invitee.context.close()
    assert Person.objects.get(pk=person.pk).user.username == "13812340001"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_resident_asks_to_join_and_the_secretary_approves_on_a_phone(
    live_server: Any, phone_page: Page, nutag_browser: Browser, cast: Any
) -> None:
    base = live_server.url
    roster = PersonFactory(unit=cast.village1a, name="巴特尔", phone="13812340002")
    visitor = phone_page
    visitor.goto(f"{base}/u/{cast.village1a.code}/")
    visitor.click("text=加入本村")
    visitor.wait_for_url(f"**/desk/join/{cast.village1a.code}/")
    fits_the_phone(visitor)
    visitor.fill("input[name=name]", "巴特尔")
    visitor.fill("input[name=phone]", "138 1234 0002")
    visitor.fill("input[name=household]", "第三牧业组")
    visitor.fill("input[name=password]", "123")  # too short: said next to the field, rest kept
    visitor.click("main form button[type=submit]")
    # the answer, not the page before it: a click does not wait for the page it asks for
    visitor.wait_for_selector(".field.invalid input[name=password]")
    assert visitor.locator(".field.invalid input[name=password]").count() == 1
    assert visitor.input_value("input[name=household]") == "第三牧业组"
    visitor.fill("input[name=password]", PASSPHRASE)
    visitor.click("main form button[type=submit]")
    visitor.wait_for_url(f"{base}/desk/me/")
    assert "等待书记审核" in visitor.inner_text("main")
    join = JoinRequest.objects.get()

    secretary = _fresh_phone(nutag_browser)
    try:
        _log_in(secretary, base, "v1a-secretary", TEST_PASSWORD)
        secretary.wait_for_url(f"{base}/desk/")
        secretary.goto(f"{base}/desk/u/{cast.village1a.code}/people/")
        secretary.click("text=加入申请")
        secretary.click("main .list a")
        secretary.wait_for_url(f"**/desk/join-requests/{join.pk}/")
        fits_the_phone(secretary)
        assert secretary.is_checked(f"input[name=person][value='{roster.pk}']")
        secretary.click("form:has(input[value=approve]) button[type=submit]")
        secretary.wait_for_url(f"**/desk/u/{cast.village1a.code}/join-requests/")
        assert "没有待审核的申请" in secretary.inner_text("main")
    finally:
        secretary.context.close()
    assert Person.objects.get(pk=roster.pk).user == join.user
    visitor.goto(f"{base}/desk/me/")
    assert "巴特尔" in visitor.inner_text("main") and "等待书记审核" not in visitor.inner_text(
        "main"
    )
