"""Share cards in a real Chromium under the enforced Content-Security-Policy: inside the chat
app (its user agent) ``wechat/share.js`` loads the JS-SDK and sets the card from the page's
share tags with the server's signature; in any other browser it downloads nothing. The
JS-SDK is a stand-in served by the browser's router (no network), the platform a fake one on
127.0.0.1. The page is polled through ``page.evaluate`` (see core's test_browser_csp)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia
from nutag.wechat.tests.fake_platform import FakePlatform
from nutag.wechat.tests.test_share import connect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHAT_APP = (
    "Mozilla/5.0 (Linux; Android 10; V1) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/86.0 Mobile Safari/537.36 MicroMessenger/8.0.40"
)
# A stand-in for jweixin-1.6.0.js: records what the page configures and shares.
FAKE_SDK = """
window.wx = {
  config: function (c) { window.__wx = {config: c}; },
  ready: function (f) { f(); },
  updateAppMessageShareData: function (card) { window.__wx.card = card; },
  updateTimelineShareData: function (card) { window.__wx.timeline = card; }
};
"""
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _until(page: Any, expression: str, tries: int = 150) -> Any:
    for _ in range(tries):
        value = page.evaluate(expression)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"never true: {expression}")


def _page(browser: Any, user_agent: str | None, sdk_requests: list[str]) -> Any:
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        locale="zh-CN",
        **({"user_agent": user_agent} if user_agent else {}),
    )
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)

    def sdk(route: Any) -> None:
        sdk_requests.append(route.request.url)
        route.fulfill(status=200, content_type="application/javascript", body=FAKE_SDK)

    context.route("https://res.wx.qq.com/**", sdk)
    return context


@pytest.fixture
def fake(settings: Any) -> Any:
    server = FakePlatform()
    settings.NUTAG_WECHAT_API_BASE = server.url
    yield server
    server.stop()


def test_the_card_is_set_inside_the_chat_app_only(
    live_server: Any, nutag_browser: Any, cast: Any, fake: Any
) -> None:
    village = cast.village1a
    connect(village)
    article = Article.objects.create(
        unit=village,
        title="牧区冬季防灾须知",
        summary="储备草料，检修棚圈",
        body="<p>储备草料，检修棚圈。</p>",
        status=ArticleStatus.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    Placement.objects.create(article=article, unit=village, via=PlacementVia.OWN)
    url = f"{live_server.url}/u/{village.code}/a/{article.pk}/"

    with override_settings(NUTAG_CSP_REPORT_ONLY=False):
        elsewhere: list[str] = []
        context = _page(nutag_browser, None, elsewhere)
        try:
            page = context.new_page()
            page.goto(url)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__wx === undefined && window.wx === undefined")
            assert elsewhere == [] and page.evaluate("window.__csp") == []
        finally:
            context.close()

        inside: list[str] = []
        context = _page(nutag_browser, CHAT_APP, inside)
        try:
            page = context.new_page()
            response = page.goto(url)
            assert response is not None
            assert "https://res.wx.qq.com" in response.headers["content-security-policy"]
            shared = _until(page, "window.__wx && window.__wx.card && window.__wx")
            assert inside == ["https://res.wx.qq.com/open/js/jweixin-1.6.0.js"]
            assert shared["config"]["appId"] and len(shared["config"]["signature"]) == 40
            assert shared["card"]["title"] == "牧区冬季防灾须知"
            assert shared["card"]["desc"] == "储备草料，检修棚圈"
            assert shared["card"]["link"] == url and shared["timeline"] == shared["card"]
            assert page.evaluate("window.__csp") == []
        finally:
            context.close()
    assert fake.calls["/cgi-bin/ticket/getticket"] == 1
