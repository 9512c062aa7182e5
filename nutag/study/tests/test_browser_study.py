"""A member's lesson in a real Chromium on a phone: opened once with a signal, it is read
again with the network cut off (the service worker keeps it, and its PDF), and the progress
made offline waits in the service worker's queue (IndexedDB) and reaches the server once
when the signal is back, even after the page was closed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError

from nutag.browser_fixtures import until
from nutag.core.actors import SYSTEM
from nutag.factories import TEST_PASSWORD
from nutag.study import services
from nutag.study.models import LessonProgress, ProgressEvent
from nutag.study.tests.helpers import course_with_lessons, member

if TYPE_CHECKING:
    from playwright.sync_api import Page

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# The [id, seconds] of the updates waiting in the service worker's queue (the store is made as the
# worker makes it, should the page open the database first).
WAITING = """() => new Promise((ok, ko) => {
  const r = indexedDB.open("nutag-sw", 1);
  r.onupgradeneeded = () =>
    r.result.createObjectStore("progress", { keyPath: "key", autoIncrement: true });
  r.onerror = () => ko(r.error);
  r.onsuccess = () => {
    const q = r.result.transaction("progress").objectStore("progress").getAll();
    q.onsuccess = () => {
      r.result.close();
      ok(q.result.map(x => {
        const body = new URLSearchParams(x.body);
        return [body.get("id"), Number(body.get("seconds"))];
      }));
    };
    q.onerror = () => ko(q.error);
  };
})"""
PAGE_QUEUE = "JSON.parse(localStorage.getItem('nutag-study-queue') || '[]').length"
# A replay sent twice (Background Sync and a page opened at once): every waiting update is
# put in the queue a second time.
TWICE = """() => new Promise((ok, ko) => {
  const r = indexedDB.open("nutag-sw", 1);
  r.onsuccess = () => {
    const tx = r.result.transaction("progress", "readwrite");
    const store = tx.objectStore("progress");
    const q = store.getAll();
    q.onsuccess = () => q.result.forEach(x => {
      const copy = Object.assign({}, x);
      delete copy.key;
      store.add(copy);
    });
    tx.oncomplete = () => { r.result.close(); ok(true); };
    tx.onerror = () => ko(tx.error);
  };
  r.onerror = () => ko(r.error);
})"""
# Progress made offline: half a minute more on the lesson, sent as the page sends it.
MORE = """([href, csrf]) => fetch(href, {
  method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf },
  body: new URLSearchParams({ id: "offline-half-minute", seconds: "30", end: "1" }),
}).then(r => r.status)"""
IN_CACHE = (
    "href => caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
    ".then(c => c.match(href))))).then(found => found.some(Boolean))"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lesson_opened_once_is_read_offline_and_its_progress_synced_once(
    live_server: Any, phone_page: Page, cast: Any
) -> None:
    course, _first, _second = course_with_lessons(cast.village1a)
    lesson = services.lesson_add(
        acting_user=SYSTEM,
        course=course,
        title="带讲稿",
        body="正文",
        pdf=SimpleUploadedFile("讲稿.pdf", PDF, "application/pdf"),
    )
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
    page.goto(url)  # opened once, online: the page and its PDF are kept
    pdf = page.eval_on_selector("a[data-lesson-pdf]", "a => a.href")
    assert f"/study/lessons/{lesson.pk}/pdf?v={lesson.pdf_version}" in pdf
    until(page, IN_CACHE, url)
    until(page, IN_CACHE, pdf)

    context = page.context
    context.set_offline(True)
    try:
        page.goto(url)
        assert "正文" in page.inner_text("main")
        assert page.locator("[data-nutag-offline]").is_visible()
        # the offline opening waits in the worker's queue, not in the page's
        until(page, f"({WAITING})().then(ids => ids.length >= 1)")
        progress_url = page.get_attribute("#lesson", "data-progress")
        csrf = page.get_attribute("#lesson", "data-csrf")
        assert page.evaluate(MORE, [progress_url, csrf]) == 202  # kept by the worker
        assert page.evaluate(PAGE_QUEUE) == 0
        # the PDF opens with no signal
        head = page.evaluate(
            "href => fetch(href).then(r => r.text().then(t => [r.status,"
            " r.headers.get('Content-Type'), t.slice(0, 5)]))",
            pdf,
        )
        assert head == [200, "application/pdf", "%PDF-"]
        page.close()  # the phone's page is closed before the signal is back
        again = context.new_page()
        again.goto(url)  # the kept copy, still offline (its own opening waits too)
        until(again, f"({WAITING})().then(ids => ids.length >= 3)")
        waiting = dict(again.evaluate(WAITING))
        again.evaluate(TWICE)
        assert len(again.evaluate(WAITING)) == 2 * len(waiting)
        again.close()
    finally:
        context.set_offline(False)

    third = context.new_page()
    third.goto(f"{base}/u/{cast.village1a.code}/")  # any page: the worker sends what waited
    # (asked again while polling: the test server's SQLite may answer a concurrent write
    # with a 500, which the worker keeps for its next try, as it would after a server error)
    until(
        third,
        "() => { const w = navigator.serviceWorker.controller; if (w) w.postMessage('nutag-flush');"
        f" return ({WAITING})().then(ids => ids.length === 0); }}",
    )
    # (the test reads the database only now: the live server shares its connection)
    assert waiting["offline-half-minute"] == 30
    events = ProgressEvent.objects.filter(client_id__in=waiting)
    # the worker empties its queue as the answers come; the last answer may still be on its
    # way out of the test server (which shares the test's SQLite connection, so a read may
    # meet its write's lock: "database table is locked"): look a few times
    seen = -1
    for _try in range(50):
        try:
            seen = events.count()
        except OperationalError:
            seen = -1
        if seen == len(waiting):
            break
        third.wait_for_timeout(200)
    assert seen == len(waiting)
    progress = LessonProgress.objects.get(lesson=lesson)
    # each update counted exactly once, though every one was sent twice: the updates sent
    # online (at the opening) hold under the half minute, so a double count shows here
    offline = sum(waiting.values())
    assert offline >= 30
    assert offline <= progress.seconds < 2 * offline
