"""Pages fit the narrowest phone (320 CSS px), in normal and large text, in a real Chromium:
nothing makes the reader scroll sideways. Found by a walk through the demo as its users: a
textarea (the browser's 40 columns), a file input and a long address were wider than the
screen on the forms residents fill in (a concern, a comment) and on the desk's pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client

from nutag.browser_fixtures import axe_problems
from nutag.core.views import LARGE_TEXT_COOKIE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROWEST = {"width": 320, "height": 640}

# What sticks out of the screen: the widest element's tag and right edge (for the message).
# Measured against the phone's width, not ``innerWidth``: a mobile browser zooms out to
# show a page wider than the screen, and its inner width grows with it.
WIDER = """(width) => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !e.closest('.scroll')
        && getComputedStyle(e).position !== 'absolute')
      out.push(e.tagName + ' ' + Math.round(r.right));
  }
  return {scroll: document.scrollingElement.scrollWidth, wider: out.slice(0, 4)};
}"""


@pytest.fixture
def narrow(nutag_browser: Browser, live_server: Any) -> Iterator[Any]:
    """``open(user, path, large, language)``: the page as ``user`` (None: anonymous) sees it
    on a 320-px phone, in large text or not, in ``language`` (else Chinese)."""
    contexts = []

    def open_page(user: Any, path: str, *, large: bool, language: str = "") -> Page:
        context = nutag_browser.new_context(
            viewport=NARROWEST,  # type: ignore[arg-type]
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        )
        contexts.append(context)
        context.set_default_timeout(15_000)
        cookies = [
            {"name": LARGE_TEXT_COOKIE, "value": "1" if large else "0", "url": live_server.url}
        ]
        if language:
            cookie = settings.LANGUAGE_COOKIE_NAME
            cookies.append({"name": cookie, "value": language, "url": live_server.url})
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
            )
        context.add_cookies(cookies)  # type: ignore[arg-type]
        page = context.new_page()
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _fits(page: Page) -> None:
    seen = page.evaluate(WIDER, NARROWEST["width"])
    assert seen["scroll"] <= NARROWEST["width"], f"{page.url}: wider than the screen: {seen}"


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_the_concern_form_fits_the_narrowest_phone(narrow: Any, cast: Any, large: bool) -> None:
    page = narrow(cast.resident, f"/u/{cast.village1a.code}/concerns/new/", large=large)
    # the form is there: a text to write, photos and a voice note to choose
    assert page.locator("textarea[name=text]").count() == 1
    assert page.locator("input[type=file]").count() >= 1
    _fits(page)
    main = page.evaluate("document.querySelector('main').getBoundingClientRect().right")
    for selector in ("textarea[name=text]", "input[type=file]"):
        right = page.evaluate(
            "s => Math.max(...[...document.querySelectorAll(s)]"
            ".map(e => e.getBoundingClientRect().right))",
            selector,
        )
        assert right <= main, (selector, right, main)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_the_qr_poster_fits_the_narrowest_phone(narrow: Any, cast: Any, large: bool) -> None:
    """The poster prints the site's whole address, one long word."""
    page = narrow(None, f"/u/{cast.village1a.code}/poster/", large=large)
    assert page.locator(".poster p.muted").inner_text().startswith("http")
    _fits(page)


def test_the_official_account_page_fits_the_narrowest_phone(narrow: Any, cast: Any) -> None:
    """The address to give the official account's settings is one long word in ``<code>``."""
    page = narrow(cast.village1a_secretary, f"/desk/u/{cast.village1a.code}/wechat/", large=True)
    assert "/wechat/" in page.locator("main code").first.inner_text()
    _fits(page)


def test_the_month_bars_of_the_figures_fit_in_large_text(nutag_browser: Browser) -> None:
    """The figures page's "visits per month" bars (``<progress>``, 7em wide by default)
    beside their month, in a card, at 320 px and large text: with the styles the page has
    (the workbench's and the dashboard's)."""
    from django.template.loader import render_to_string

    rows = "".join(
        f'<tr><th>2026-{m:02d}</th><td><progress max="100" value="{w}">{n}</progress> {n}</td></tr>'
        for m, n, w in ((9, 12, 100), (10, 6, 50), (11, 120, 100))
    )
    page_html = (
        '<!doctype html><html lang="zh-hans" class="large"><head>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        + render_to_string("core/_css.html")
        + render_to_string("stats/_dashboard_css.html")
        + f'</head><body><main><div class="card"><h3>每月走访次数</h3><table>{rows}</table>'
        "</div></main></body></html>"
    )
    context = nutag_browser.new_context(
        viewport=NARROWEST,  # type: ignore[arg-type]
        device_scale_factor=2,
        is_mobile=True,
    )
    try:
        page = context.new_page()
        page.set_content(page_html)
        _fits(page)
    finally:
        context.close()


def test_in_mongolian_a_page_with_nothing_to_focus_still_scrolls_by_keyboard(
    narrow: Any, cast: Any
) -> None:
    """In Mongolian the text runs in columns and the page's main part scrolls sideways; a
    page with no link or field in it (a resident's orders, none yet) left keyboard readers
    unable to scroll it (axe-core ``scrollable-region-focusable``): the main part takes the
    focus itself, on the workbench's pages as on the sites'."""
    page = narrow(cast.resident, "/market/orders/", large=True, language="mn-mong")
    assert page.get_attribute("html", "lang") == "mn-mong"
    assert page.get_attribute("main", "tabindex") == "0"
    assert axe_problems(page) == []
    site = narrow(None, f"/u/{cast.village1a.code}/", large=False, language="mn-mong")
    assert site.get_attribute("main", "tabindex") == "0"
    chinese = narrow(None, f"/u/{cast.village1a.code}/", large=False)
    assert chinese.get_attribute("main", "tabindex") == "-1"
