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


# --- extraction: every message the code looks up reaches the catalogues -------------------

LOOKUPS = {"t", "bt", "look"}  # the dashboard tags' fast lookups (nutag.stats.templatetags)


def _lookups_in(path: Path) -> tuple[set[tuple[str | None, str]], list[str]]:
    """The ``(context, message)`` of each lookup with literal words in ``path``, and the calls
    xgettext cannot read: inside an f-string (gettext 0.21 does not look there) or with
    words that are not a literal."""
    import ast

    found: set[tuple[str | None, str]] = set()
    unreadable: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_fstrings = {
        id(sub)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for sub in ast.walk(node)
    }
    machinery = {  # the lookups themselves pass their caller's words on
        id(sub)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in LOOKUPS | {"words", "lookups"}
        for sub in ast.walk(node)
    }
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in LOOKUPS
            and node.args
            and id(node) not in machinery
        ):
            continue
        where = f"{path.name}:{node.lineno} {ast.unparse(node)[:60]}"
        words = node.args[0]
        if id(node) in in_fstrings or not (
            isinstance(words, ast.Constant) and isinstance(words.value, str)
        ):
            unreadable.append(where)
            continue
        context = None
        if node.func.id != "bt" and len(node.args) > 1:
            if not isinstance(node.args[1], ast.Constant):
                unreadable.append(where)
                continue
            context = node.args[1].value
        found.add((context, words.value))
    return found, unreadable


def test_the_dashboard_lookups_are_found_by_makemessages(tmp_path):
    """``scripts/i18n.py`` rebuilt the catalogues without 34 dashboard messages (looked up
    through ``look``/``t``/``bt``, which xgettext did not know, some inside f-strings): every
    such lookup is a literal outside an f-string, and xgettext given the keywords of our
    ``makemessages`` (``nutag/core/management/commands/makemessages.py``) finds it."""
    import shutil
    import subprocess

    from nutag.core.management.commands.makemessages import Command

    xgettext = shutil.which("xgettext")
    if xgettext is None:
        pytest.skip("GNU gettext is not installed (CI installs it)")
    sources = sorted((Path(settings.BASE_DIR) / "nutag").glob("*/templatetags/*.py"))
    wanted: set[tuple[str | None, str]] = set()
    unreadable: list[str] = []
    for path in sources:
        found, bad = _lookups_in(path)
        wanted |= found
        unreadable += bad
    assert not unreadable, f"lookups xgettext cannot read: {unreadable}"
    assert len(wanted) > 50  # the dashboard's parts are there to check
    pot = tmp_path / "lookups.pot"
    subprocess.run(  # noqa: S603 - fixed arguments
        [xgettext, "--language=Python", "-o", str(pot), *Command.xgettext_options]
        + [str(p) for p in sources],
        check=True,
    )
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(pot))}
    assert not wanted - extracted
    catalogue = {(e.msgctxt, e.msgid) for e in _po("zh_Hans") if not e.obsolete}
    assert not wanted - catalogue
