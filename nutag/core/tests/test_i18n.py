"""Catalogues: simplified Chinese is complete, compiled files match their sources."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


def _po(loc: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / loc / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("loc", ["zh_Hans", "zh_Hant"])
def test_chinese_catalogues_are_complete(loc):
    po = _po(loc)
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert not missing, f"{loc} lacks {len(missing)} translations, e.g. {missing[:5]}"


@pytest.mark.parametrize("loc", ["zh_Hans", "zh_Hant", "mn_Mong"])
def test_compiled_catalogue_matches_source(loc):
    po = _po(loc)
    mo = polib.mofile(str(LOCALE / loc / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        if "fuzzy" in entry.flags:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == (entry.msgstr, entry.msgstr_plural), (
            f"{loc}: {entry.msgid!r} is stale in django.mo: run scripts/i18n.py --compile"
        )


def test_default_language_is_simplified_chinese(client: Client):
    html = client.get("/desk/login/").content.decode()
    assert 'lang="zh-hans"' in html
    assert "登录" in html


@pytest.mark.parametrize(
    ("lang", "word"), [("zh-hant", "登錄"), ("en", "Log in"), ("mn-mong", 'lang="mn-mong"')]
)
def test_language_switch_is_remembered(client: Client, lang, word):
    r = client.get(f"/lang/{lang}/", {"next": "/desk/login/"})
    assert r.status_code == 302 and r["Location"] == "/desk/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == lang
    html = client.get("/desk/login/").content.decode()
    assert word in html


def test_mongolian_falls_back_to_chinese_not_english():
    with translation.override("mn-mong"):
        # a string the Mongolian catalogue may lack still reads in Chinese
        assert translation.gettext("Workbench") != "Workbench"


def test_language_links_refuse_unknown_codes_and_foreign_redirects(client: Client):
    assert client.get("/lang/xx/").status_code == 404
    r = client.get("/lang/en/", {"next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_public_and_login_pages_carry_no_csrf_token_for_preferences(client: Client):
    html = client.get("/desk/login/").content.decode()
    footer = html.split("<footer", 1)[1]
    assert "csrfmiddlewaretoken" not in footer
