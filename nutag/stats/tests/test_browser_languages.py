"""Every public page, the dashboard and the login in the four languages, in a real Chromium on a
360 x 740 phone:

- the page never overflows in the wrong direction: horizontal pages are never wider than the
  phone; vertical (Mongolian) pages neither, and not taller either: their main column scrolls
  along the line direction inside itself;
- on ``mn-mong``: no Cyrillic anywhere (Django's own ``mn`` catalogue is Khalkha), and no
  interface string left untranslated (a text that is a simplified-Chinese or English string
  of our catalogue), apart from user content (names, article text);
- the dashboard's chart keeps horizontal text in a vertical page, with no two labels on top
  of each other;
- a Chinese-only article on a Mongolian page is set horizontally, with a note;
- the language and text-size switches sit at the top, the unit's latest news on the first
  screen.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polib
import pytest
from django.conf import settings
from django.utils import translation

from nutag.browser_fixtures import axe_problems
from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.sites.models import ArticleKind, Column
from nutag.sites.tests.test_public import publish

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
LANGUAGES = ["zh-hans", "zh-hant", "en", "mn-mong"]
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# words that stay as they are in every language (file kinds, each language named in itself)
KEPT = {"Excel", "PDF", "QR", "SVG", "WPS", "Word"} | {"English", "简体中文", "繁體中文"}

TEXTS_JS = """() => {
  const out = [document.title];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script,style,template,[hidden],svg desc')) continue;
    const text = node.data.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  for (const e of document.querySelectorAll('[aria-label],[placeholder],[title],[alt]'))
    for (const a of ['aria-label', 'placeholder', 'title', 'alt'])
      if (e.getAttribute(a)) out.push(e.getAttribute(a).trim());
  return out;
}"""

OVERFLOW_JS = """() => ({
  width: document.documentElement.scrollWidth,
  height: document.documentElement.scrollHeight,
  viewHeight: window.innerHeight,
})"""

CHART_JS = """() => [...document.querySelectorAll('svg.chart')].map(svg => ({
  mode: getComputedStyle(svg).writingMode,
  width: svg.getBoundingClientRect().width,
  boxes: [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return [t.textContent, r.left, r.top, r.right, r.bottom];
  }),
}))"""


@functools.cache
def interface_strings() -> frozenset[str]:
    """Simplified-Chinese and English strings of our catalogue that a Mongolian page must not
    show (those that read the same in Mongolian, like file kinds, excepted)."""
    locale = Path(settings.BASE_DIR) / "locale"
    zh = polib.pofile(str(locale / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    found = set()
    for entry in zh:
        for text in (entry.msgid, entry.msgstr):
            text = " ".join(text.split())
            if "%" in text or "{" in text or "<" in text or text in KEPT:
                continue
            if re.search(r"[A-Za-z]{3}|[\u4e00-\u9fff]", text):
                found.add(text)
    return frozenset(found)


def untranslated(texts: list[str], user_content: set[str]) -> list[str]:
    strings = interface_strings()
    return [t for t in texts if t in strings and t not in user_content]


def setup_site(cast: Any) -> dict[str, str]:
    """Mongolian names, a column with articles in it, a Mongolian and a Chinese-only article,
    a notice from the banner and the figures of a dashboard. Returns the pages to visit."""
    from nutag.sites.services import columns_ensure
    from nutag.stats.tests.test_views import _work

    names = {
        cast.banner: "ᠲᠤᠷᠰᠢᠯᠲᠠ ᠬᠤᠰᠢᠭᠤ",
        cast.township1: "ᠨᠢᠭᠡᠳᠦᠭᠡᠷ ᠪᠠᠯᠭᠠᠰᠤ",
        cast.township2: "ᠬᠣᠶᠠᠳᠤᠭᠠᠷ ᠰᠤᠮᠤ",
        cast.village1a: "ᠨᠢᠭᠡ ᠭᠠᠴᠠᠭ᠎ᠠ",
    }
    for unit, name_mn in names.items():
        Unit.objects.filter(pk=unit.pk).update(name_mn=name_mn)
    with translation.override("zh-hans"):
        columns_ensure(acting_user=SYSTEM, unit=cast.village1a)
    news = Column.objects.get(unit=cast.village1a, key="news")
    mongolian = publish(
        cast.village1a,
        title="冬季走访",
        title_mn="ᠡᠪᠦᠯ ᠦᠨ ᠡᠷᠭᠢᠨ ᠲᠤᠭᠠᠯᠲᠠ",
        summary="走访留守儿童",
        summary_mn="ᠬᠡᠦᠬᠡᠳ ᠢ ᠡᠷᠭᠢᠨ ᠲᠤᠭᠠᠪᠠ",
        body="<p>中文正文</p>",
        body_mn="<p>ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ ᠦᠨ ᠠᠭᠤᠯᠭ᠎ᠠ</p>",
        column=news,
    )
    chinese = publish(
        cast.village1a,
        title="只有中文的文章",
        body="<p>这篇文章还没有蒙古文版。“引号”也应横排。</p>" * 3,
        column=news,
    )
    publish(
        cast.banner,
        title="全旗通知",
        title_mn="ᠬᠣᠰᠢᠭᠤ ᠶᠢᠨ ᠮᠡᠳᠡᠭᠳᠡᠯ",
        kind=ArticleKind.NOTICE,
        on=(cast.township1, cast.village1a),
    )
    _work(cast)
    code = cast.village1a.code
    return {
        "banner home": f"/u/{cast.banner.code}/",
        "township home": f"/u/{cast.township1.code}/",
        "village home": f"/u/{code}/",
        "column": f"/u/{code}/c/news/",
        "article (Mongolian)": f"/u/{code}/a/{mongolian.pk}/",
        "article (Chinese only)": f"/u/{code}/a/{chinese.pk}/",
        "search": f"/u/{code}/search/?q=走访",
        "poster": f"/u/{code}/poster/",
        "dashboard": f"/u/{cast.banner.code}/figures/",
        "dashboard (township)": f"/u/{cast.township1.code}/figures/",
        "login": "/desk/login/",
    }


def user_content(cast: Any) -> set[str]:
    """Texts that come from the data, not from the interface."""
    from nutag.people.models import Person

    units = Unit.objects.all()
    people = set(Person.objects.values_list("name", flat=True))  # the cast has one "志愿者"
    return (
        {u.name for u in units}
        | people
        | {
            "冬季走访",
            "走访留守儿童",
            "中文正文",
            "只有中文的文章",
            "全旗通知",
        }
    )


def open_in(page: Page, base: str, lang: str, path: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": base}])
    response = page.goto(base + path)
    assert response is not None and response.status == 200, (lang, path)


def check_direction(page: Page, lang: str, name: str) -> None:
    size = page.evaluate(OVERFLOW_JS)
    assert size["width"] <= PHONE["width"], f"{name} ({lang}) is {size['width']}px wide"
    if lang == "mn-mong":
        assert size["height"] <= size["viewHeight"] + 1, (
            f"{name} ({lang}) is {size['height']}px tall: a vertical page scrolls sideways"
        )


def check_chart(page: Page, name: str) -> None:
    for chart in page.evaluate(CHART_JS):
        assert chart["mode"] == "horizontal-tb", f"{name}: the chart's text runs vertically"
        assert chart["width"] <= PHONE["width"]
        boxes = [b for b in chart["boxes"] if b[3] > b[1] and b[4] > b[2]]
        for i, (text_a, *a) in enumerate(boxes):
            for text_b, *b in boxes[i + 1 :]:
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                overlap_y = min(a[3], b[3]) - max(a[1], b[1])
                assert overlap_x <= 1 or overlap_y <= 1, (
                    f"{name}: chart labels {text_a!r} and {text_b!r} overlap"
                )


def test_every_page_in_every_language_on_a_phone(
    live_server: Any, nutag_browser: Any, cast: Any
) -> None:
    pages = setup_site(cast)
    content = user_content(cast)
    for lang in LANGUAGES:
        context = nutag_browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            for name, path in pages.items():
                open_in(page, live_server.url, lang, path)
                check_direction(page, lang, name)
                check_chart(page, f"{name} ({lang})")
                axe = axe_problems(page)
                assert not axe, f"{name} ({lang}): axe-core: {axe}"
                if lang != "mn-mong":
                    continue
                texts = page.evaluate(TEXTS_JS)
                cyrillic = [t for t in texts if CYRILLIC.search(t)]
                assert not cyrillic, f"{name}: Cyrillic on a Mongolian page: {cyrillic}"
                left = untranslated(texts, content)
                assert not left, f"{name}: untranslated on a Mongolian page: {left}"
        finally:
            context.close()


def test_mongolian_pages_read_as_they_should(
    live_server: Any, phone_page: Page, cast: Any, tmp_path: Path
) -> None:
    pages = setup_site(cast)
    page = phone_page
    open_in(page, live_server.url, "mn-mong", pages["village home"])
    # the switches at the top, laid out horizontally
    bar = page.locator("nav.prefs").bounding_box()
    assert bar is not None and bar["y"] < 120 and bar["width"] >= 300
    assert page.title() == "ᠨᠢᠭᠡ ᠭᠠᠴᠠᠭ᠎ᠠ"  # what the chat app shows in its top bar
    # a Chinese-only article: horizontal, in Chinese, with a short note
    open_in(page, live_server.url, "mn-mong", pages["article (Chinese only)"])
    mode = page.evaluate("getComputedStyle(document.getElementById('article')).writingMode")
    assert mode == "horizontal-tb"
    assert page.locator("main .zh-note").count() == 1
    # listening: the phone reads aloud (showing its progress) or says it has no voice
    page.click("#listen")
    page.wait_for_function("document.getElementById('listen-state').textContent !== ''")
    said = page.inner_text("#listen-state")
    if page.evaluate("speechSynthesis.getVoices().length") == 0:
        assert said == page.get_attribute("#listen", "data-novoice")
    else:
        assert re.fullmatch(r"\d+ / \d+", said)
    # the Mongolian article: vertical
    open_in(page, live_server.url, "mn-mong", pages["article (Mongolian)"])
    mode = page.evaluate("getComputedStyle(document.getElementById('article')).writingMode")
    assert mode == "vertical-lr"
    # the dashboard (NUTAG_SCREENSHOTS=1 keeps its picture for the README)
    open_in(page, live_server.url, "mn-mong", pages["dashboard"])
    page.wait_for_load_state("networkidle")
    shot = tmp_path / "mongolian.png"
    page.screenshot(path=str(shot))
    if os.environ.get("NUTAG_SCREENSHOTS", "").strip() == "1":
        (Path(settings.BASE_DIR) / "docs" / "img" / "mongolian.png").write_bytes(shot.read_bytes())


def test_latest_news_on_the_first_screen(live_server: Any, phone_page: Page, cast: Any):
    pages = setup_site(cast)
    for lang in ("zh-hans", "en"):
        open_in(phone_page, live_server.url, lang, pages["village home"])
        first = phone_page.locator("main .list a").first.bounding_box()
        assert first is not None and first["y"] + first["height"] <= PHONE["height"], lang
        prefs = phone_page.locator("nav.prefs a[hreflang=mn-mong]").bounding_box()
        assert prefs is not None and prefs["y"] < 120, lang


SMALL_TARGETS_JS = """() => [...document.querySelectorAll(
    'header.bar a, nav.prefs a, .crumbs a, summary, main .btn')]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.textContent.trim(), e.getBoundingClientRect()])
  .filter(([, r]) => Math.min(r.width, r.height) < 44)
  .map(([text, r]) => [text, Math.round(r.width), Math.round(r.height)])"""


def test_tap_targets_focus_and_skip_link(live_server: Any, phone_page: Page, cast: Any) -> None:
    pages = setup_site(cast)
    page = phone_page
    for lang in ("zh-hans", "mn-mong"):
        for name in ("village home", "column", "article (Mongolian)", "dashboard"):
            open_in(page, live_server.url, lang, pages[name])
            small = page.evaluate(SMALL_TARGETS_JS)
            assert not small, f"{name} ({lang}): tap targets under 44 px: {small}"
        # the first Tab shows a skip link, with a visible focus ring
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                 return [e.className, e.getBoundingClientRect().left >= 0, s.outlineStyle]; }"""
        )
        assert focused == ["skip", True, "solid"], (lang, focused)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"


def test_workbench_pages_in_every_language(live_server: Any, nutag_browser: Any, cast: Any):
    """Workbench pages of a township secretary, and a form sent back with errors: never wider
    (or, in Mongolian, taller) than the phone, no serious or critical axe-core violation, no
    Cyrillic and no untranslated interface string in Mongolian."""
    from nutag.factories import TEST_PASSWORD

    setup_site(cast)
    code = cast.township1.code
    desk = {
        "my units": "/desk/",
        "unit": f"/desk/u/{code}/",
        "people": f"/desk/u/{code}/people/",
        "add a person": f"/desk/u/{code}/people/add/",
        "articles": f"/desk/u/{code}/articles/",
        "new article": f"/desk/u/{code}/articles/new/",
        "tasks": f"/desk/u/{code}/tasks/",
        "standards": f"/desk/u/{code}/standards/",
        "notification settings": "/desk/notifications/settings/",
        "my page": "/desk/me/",
    }
    content = user_content(cast)
    for lang in LANGUAGES:
        context = nutag_browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        try:
            open_in(page, live_server.url, lang, "/desk/login/")
            page.fill("input[name=username]", "t1-secretary")
            page.fill("input[name=password]", TEST_PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{live_server.url}/desk/")
            for name, path in desk.items():
                open_in(page, live_server.url, lang, path)
                check_direction(page, lang, name)
                axe = axe_problems(page)
                assert not axe, f"{name} ({lang}): axe-core: {axe}"
                if lang == "mn-mong":
                    texts = page.evaluate(TEXTS_JS)
                    assert not [t for t in texts if CYRILLIC.search(t)], name
                    left = untranslated(texts, content)
                    assert not left, f"{name}: untranslated on a Mongolian page: {left}"
            # a form sent back with errors: the summary, the marked fields
            open_in(page, live_server.url, lang, desk["new article"])
            page.click("button[name=save]")
            page.wait_for_selector("#error-summary")
            check_direction(page, lang, "new article (errors)")
            axe = axe_problems(page)
            assert not axe, f"new article with errors ({lang}): axe-core: {axe}"
            if lang == "mn-mong":
                left = untranslated(page.evaluate(TEXTS_JS), content)
                assert not left, f"new article with errors: untranslated: {left}"
        finally:
            context.close()


def test_every_workbench_page_keeps_its_direction_in_mongolian(
    live_server: Any, nutag_browser: Any, cast: Any
) -> None:
    """Every page the workbench crawler reaches (nutag/core/tests/test_form_ids.py), opened in
    Mongolian on a phone: none widens the page (nor, vertical, makes it taller) and none has a
    serious or critical axe-core violation."""
    from django.test import Client

    from nutag.core.tests.test_form_ids import crawl, workbench_data
    from nutag.factories import TEST_PASSWORD

    setup_site(cast)
    workbench_data(cast)
    client = Client()
    client.force_login(cast.township1_secretary)
    paths = sorted(crawl(client))
    assert len(paths) > 20
    context = nutag_browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        open_in(page, live_server.url, "mn-mong", "/desk/login/")
        page.fill("input[name=username]", "t1-secretary")
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/desk/")
        shapes: set[str] = set()
        for path in paths:
            open_in(page, live_server.url, "mn-mong", path)
            check_direction(page, "mn-mong", path)
            shape = re.sub(r"\d+", "N", path)  # axe once per kind of page (it takes a while)
            if shape in shapes:
                continue
            shapes.add(shape)
            axe = axe_problems(page)
            assert not axe, f"{path} (mn-mong): axe-core: {axe}"
    finally:
        context.close()
