"""Catalogues: simplified Chinese is complete, compiled files match their sources."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


def _po(loc: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / loc / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("loc", ["zh_Hans", "zh_Hant", "mn_Mong"])
def test_catalogues_are_complete(loc):
    po = _po(loc)
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert not missing, (
        f"{loc} lacks {len(missing)} translations (or has fuzzy ones), e.g. {missing[:5]}"
    )


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


PLACEHOLDER = re.compile(
    r"%\([A-Za-z_0-9]+\)[-+ 0#]*\d*(?:\.\d+)?[sdif]|%[sd%]|\{[A-Za-z_0-9]*\}|<[^>]+>"
)
NAMED = re.compile(r"%\(([A-Za-z_0-9]+)\)[-+ 0#]*\d*(?:\.\d+)?([sdif])")


def _placeholders(text: str) -> tuple[set[tuple[str, str]], list[str]]:
    """Named placeholders as a set of (name, conversion) — a translation may repeat one or
    pad it differently (``%(month)02d`` → ``%(month)d``) — and the others (positional ones,
    tags) as a sorted list, since their count matters."""
    named = set(NAMED.findall(text))
    others = sorted(p for p in PLACEHOLDER.findall(text) if not NAMED.fullmatch(p))
    return named, others


CYRILLIC = re.compile(r"[\u0400-\u04ff]")
MONGOLIAN = re.compile(r"[\u1820-\u1878]")


@pytest.mark.parametrize("loc", ["zh_Hans", "zh_Hant", "mn_Mong"])
def test_translations_keep_every_placeholder_and_tag(loc):
    for entry in _po(loc).translated_entries():
        if not entry.msgid_plural:
            assert _placeholders(entry.msgstr) == _placeholders(entry.msgid), (loc, entry.msgid)
            continue
        # a plural's forms may leave out the count, never add or lose anything else
        allowed = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        for text in entry.msgstr_plural.values():
            assert set(PLACEHOLDER.findall(text)) <= allowed, (loc, entry.msgid, text)


def test_mongolian_catalogue_is_in_the_traditional_script():
    for entry in _po("mn_Mong").translated_entries():
        texts = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in texts:
            assert not CYRILLIC.search(text), (entry.msgid, text)
            if re.search(r"[a-z]{3}", PLACEHOLDER.sub("", entry.msgid)):
                assert MONGOLIAN.search(text), (entry.msgid, text)


def _django_mn_msgids() -> list[tuple[str | None, str]]:
    import django

    root = Path(django.__file__).parent
    ids = []
    for mo in root.glob("**/locale/mn/LC_MESSAGES/django.mo"):
        ids += [
            (e.msgctxt, e.msgid) for e in polib.mofile(str(mo)) if e.msgid and not e.msgid_plural
        ]
    assert len(ids) > 500  # Django ships a large Cyrillic catalogue: the guard is needed
    return ids


def test_djangos_cyrillic_mongolian_is_never_used_for_mn_mong():
    with translation.override("mn-mong"):
        for context, msgid in _django_mn_msgids():
            text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            assert not CYRILLIC.search(text), (msgid, text)
    with translation.override("mn-mong"):  # our own translations of Django's strings
        assert translation.gettext("This field is required.").startswith("ᠡᠨᠡ ᠬᠡᠰᠢᠭ")
        assert translation.gettext("History") == "ᠲᠡᠦᠬᠡ"
        assert MONGOLIAN.search(translation.gettext("January"))


def test_the_guard_leaves_other_languages_alone():
    # a Django string we do not ship: Django's own catalogue still answers (kept in a variable
    # so the extractor does not copy it into ours)
    slug = "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."
    with translation.override("zh-hans"):
        assert "“" in translation.gettext(slug) != slug


@pytest.mark.django_db
def test_login_page_in_mongolian_has_no_cyrillic_and_no_english(client: Client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "mn-mong"
    for response in (
        client.get("/desk/login/"),
        client.post("/desk/login/", {"username": "nobody", "password": "wrong"}),
        client.post("/desk/login/", {"username": "", "password": ""}),
    ):
        html = response.content.decode()
        assert 'lang="mn-mong"' in html
        assert not CYRILLIC.search(html)
        for english in ("Username", "Password", "This field is required", "Please enter"):
            assert english not in html
        assert MONGOLIAN.search(html)


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
    bar = html.split('<nav class="prefs"', 1)[1].split("</nav>", 1)[0]
    assert "/lang/mn-mong/" in bar and "/text-size/" in bar
    assert "csrfmiddlewaretoken" not in bar and "<form" not in bar
