"""The Mongolian web font: a small subset, declared only on mn-mong pages, kept by the
service worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

FONT = Path(settings.BASE_DIR) / "nutag/core/static/core/fonts/NotoSansMongolian-subset.woff2"
SW = Path(settings.BASE_DIR) / "nutag/sites/static/sites/sw.js"


def _page(lang: str, url: str) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(url).content.decode()


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "en"])
def test_no_font_download_outside_mongolian(cast, lang):
    for url in (f"/u/{cast.village1a.code}/", "/desk/login/"):
        assert "NotoSansMongolian-subset" not in _page(lang, url)


def test_mongolian_pages_declare_the_font_to_swap_in(cast):
    for url in (f"/u/{cast.village1a.code}/", "/desk/login/", f"/u/{cast.banner.code}/figures/"):
        html = _page("mn-mong", url)
        face = html.split("@font-face{", 1)[1].split("}", 1)[0]
        assert 'local("Noto Sans Mongolian")' in face  # the phone's own font first
        assert "NotoSansMongolian-subset" in face and 'format("woff2")' in face
        assert "font-display:swap" in face
        assert "unicode-range:U+1800-18AF" in face


def test_the_subset_is_small_and_covers_the_mongolian_letters():
    from fontTools.ttLib import TTFont

    assert FONT.stat().st_size < 60_000
    font = TTFont(str(FONT))
    cmap = font.getBestCmap()
    assert all(code in cmap for code in range(0x1820, 0x1843))  # every letter
    assert 0x180E in cmap and 0x202F in cmap  # the vowel separator, the suffix space
    assert "GSUB" in font  # the positional forms
    assert 0x4E00 not in cmap and ord("A") not in cmap  # nothing else


def test_the_service_worker_keeps_the_font():
    script = SW.read_text()
    assert "nutag-fonts-" in script and "cacheFirst" in script
    assert "core\\/fonts" in script
