"""The voice note recorded in the page, in a real Chromium with its fake microphone
(``--use-fake-device-for-media-stream --use-fake-ui-for-media-stream``): record ~2 s, stop,
send; the concern keeps the recording (checked by content on the server like a chosen file).
Without MediaRecorder the recorder stays hidden and the file input is the way, as before."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client

from nutag.browser_fixtures import CHROMIUM_ARGS, PHONE_VIEWPORT
from nutag.voice.models import Concern

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

FAKE_MIC = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture
def mic_browser(
    nutag_browser: Browser, browser_type_launch_args: dict[str, Any]
) -> Iterator[Browser]:
    """A second Chromium from the same Playwright, with the fake microphone switched on."""
    args = dict(browser_type_launch_args)
    args["args"] = list(CHROMIUM_ARGS) + FAKE_MIC
    browser = nutag_browser.browser_type.launch(**args)
    try:
        yield browser
    finally:
        browser.close()


def _logged_in(browser: Browser, base: str, user: Any) -> tuple[BrowserContext, Page]:
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport=PHONE_VIEWPORT,  # type: ignore[arg-type]
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        permissions=["microphone"],
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    return context, context.new_page()


def _fill(page: Page) -> None:
    page.select_option("select[name=category]", index=1)
    page.fill("textarea[name=text]", "井边的水管冻裂了，请看录音。")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_media_recorder_the_file_input_stays_and_no_script_error(
    live_server: Any, nutag_browser: Browser, cast: Any
) -> None:
    context, page = _logged_in(nutag_browser, live_server.url, cast.resident)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script("delete window.MediaRecorder;")
    try:
        page.goto(f"{live_server.url}/u/{cast.village1a.code}/concerns/new/")
        page.wait_for_load_state("load")
        assert page.is_hidden("[data-voice-recorder]")
        assert page.is_visible("input[name=voice_note]")
        assert page.get_attribute("input[name=voice_note]", "accept") == "audio/*"
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_resident_records_two_seconds_and_the_voice_note_is_stored(
    live_server: Any, mic_browser: Browser, cast: Any
) -> None:
    context, page = _logged_in(mic_browser, live_server.url, cast.resident)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{live_server.url}/u/{cast.village1a.code}/concerns/new/")
        _fill(page)
        box = page.locator("[data-voice-recorder]")
        assert box.is_visible()
        box.get_by_role("button", name="录一段语音").click()
        page.wait_for_selector("[data-voice-recorder] .rec-btn.danger:not([hidden])")
        page.wait_for_timeout(2200)
        box.get_by_role("button", name="停止").click()
        page.wait_for_selector("[data-voice-recorder][data-recorded]")
        files = page.evaluate(
            "() => { const f = document.querySelector('#id_voice_note').files;"
            " return f.length ? [f[0].name, f[0].size] : null; }"
        )
        assert files is not None and files[0] == "voice-note.webm" and files[1] > 1000
        assert box.get_by_role("button", name="重新录").is_visible()
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/concerns/\d+/"))
        assert errors == []
    finally:
        context.close()
    concern = Concern.objects.get(text__startswith="井边的水管")
    assert concern.voice_note.endswith(".webm")
