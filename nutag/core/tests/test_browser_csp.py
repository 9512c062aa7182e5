"""The Content-Security-Policy, enforced in a real Chromium: the service worker registers,
the listen button answers, the "show password" switch works, and no
page reports a violation. (The rest of the suite runs with the policy reported only, see
``config/settings/test.py``; this test enforces it.) No ``wait_for_function``: playwright
evaluates its predicate as a string, which the policy refuses; the page is polled instead
through ``page.evaluate`` (a DevTools call the policy does not govern;
``browser_fixtures.until``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from nutag.browser_fixtures import until
from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def enforced_page(nutag_browser: Any) -> Any:
    context = nutag_browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    try:
        with override_settings(NUTAG_CSP_REPORT_ONLY=False):
            yield page
    finally:
        context.close()


def test_pages_work_under_the_enforced_policy(live_server: Any, enforced_page: Any, cast: Any):
    page = enforced_page
    village = cast.village1a
    article = Article.objects.create(
        unit=village,
        title="牧区冬季防灾须知",
        summary="防灾",
        body="<p>储备草料，检修棚圈。</p>",
        status=ArticleStatus.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    Placement.objects.create(article=article, unit=village, via=PlacementVia.OWN)

    # a header the browser cannot read is a warning on every page of every phone's console
    header_warnings: list[str] = []
    page.on("console", lambda m: "header" in m.text.lower() and header_warnings.append(m.text))
    response = page.goto(f"{live_server.url}/u/{village.code}/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # the service worker registers from sites/offline.js
    until(page, "navigator.serviceWorker.getRegistration().then(r => !!r)")
    assert page.evaluate("window.__csp") == []

    # the listen button (sites/listen.js) answers: it reads aloud or says there is no voice
    page.goto(f"{live_server.url}/u/{village.code}/a/{article.pk}/")
    page.click("#listen")
    said = until(page, "document.getElementById('listen-state').textContent")
    assert said
    assert page.evaluate("window.__csp") == []

    # the "show password" switch (core/enhance.js, no inline handler)
    page.goto(f"{live_server.url}/desk/login/")
    assert page.get_attribute("input[name=password]", "type") == "password"
    page.check("input[data-show-password]")
    assert page.get_attribute("input[name=password]", "type") == "text"
    assert page.evaluate("window.__csp") == []
    assert header_warnings == []

    # an inline script, were one left, would be refused and reported
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.__ran === undefined")
    until(page, "window.__csp.length > 0")
