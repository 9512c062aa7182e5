"""A member's lesson in a real Chromium on a phone: opened once with a signal, it is read
again with the network cut off (the service worker keeps it), and the progress made offline
waits on the phone and reaches the server once when the signal is back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from nutag.factories import TEST_PASSWORD
from nutag.study.models import LessonProgress, ProgressEvent
from nutag.study.tests.helpers import course_with_lessons, member

if TYPE_CHECKING:
    from playwright.sync_api import Page

QUEUE = "JSON.parse(localStorage.getItem('nutag-study-queue') || '[]').length"
IDS = "JSON.parse(localStorage.getItem('nutag-study-queue') || '[]').map(x => x.id)"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lesson_opened_once_is_read_offline_and_its_progress_synced_once(
    live_server: Any, phone_page: Page, cast: Any
) -> None:
    _c, lesson, _q = course_with_lessons(cast.village1a)
    member(cast.village1a, "读者", "reader")
    page, base = phone_page, live_server.url
    page.goto(f"{base}/desk/login/")
    page.fill("input[name=username]", "reader")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    url = f"{base}/u/{cast.village1a.code}/study/lessons/{lesson.pk}/"
    page.goto(f"{base}/u/{cast.village1a.code}/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.goto(url)
    page.wait_for_function(
        "href => caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
        ".then(c => c.match(href))))).then(found => found.some(Boolean))",
        arg=url,
    )
    page.wait_for_function(f"{QUEUE} === 0")  # the opening was sent

    page.context.set_offline(True)
    try:
        page.goto(url)
        assert "正文" in page.inner_text("main")
        assert page.locator("[data-nutag-offline]").is_visible()
        page.wait_for_function(f"{QUEUE} >= 1")  # the offline opening waits on the phone
        waiting = page.evaluate(IDS)
    finally:
        page.context.set_offline(False)
    # back online, the offline copy reloads itself and the page sends what waited
    page.wait_for_function("!document.querySelector('[data-nutag-offline]:not([hidden])')")
    page.wait_for_function(f"{QUEUE} === 0")
    # (the test reads the database only now: the live server shares its connection)
    assert ProgressEvent.objects.filter(client_id__in=waiting).count() == len(waiting)
    assert LessonProgress.objects.count() == 1
