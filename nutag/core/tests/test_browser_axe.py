"""The axe-core helper of the browser tests really finds what it should (so a clean page
means something): a nameless button, an unlabelled input, an image without text, pale text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from nutag.browser_fixtures import axe_problems

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

BAD = """<!doctype html><html lang="zh-hans"><head><title>坏页面</title></head><body><main>
<h1>坏页面</h1><button></button><input type="text"><img src="x.png">
<p style="color:#bbb;background:#fff">浅色的字</p></main></body></html>"""

GOOD = """<!doctype html><html lang="zh-hans"><head><title>好页面</title></head><body><main>
<h1>好页面</h1><button>保存</button><label for="n">姓名</label><input id="n" type="text">
<img src="x.png" alt="草原"><p>深色的字</p></main></body></html>"""


def test_axe_reports_serious_and_critical_problems(phone_page: Page) -> None:
    phone_page.set_content(BAD)
    found = {line.split(" ")[0] for line in axe_problems(phone_page)}
    assert {"button-name", "label", "image-alt", "color-contrast"} <= found


def test_axe_passes_a_clean_page(phone_page: Page) -> None:
    phone_page.set_content(GOOD)
    assert axe_problems(phone_page) == []
