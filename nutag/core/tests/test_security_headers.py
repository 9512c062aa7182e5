"""Security headers and cookies: a Content-Security-Policy without inline script on every
response, Permissions-Policy and Referrer-Policy; no template holds an inline script or an
inline event handler; the preference cookies are Secure where production says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client, override_settings

from nutag.core.tests.test_settings import load_settings

ROOT = Path(__file__).resolve().parents[3]
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")", re.I
)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
@override_settings(NUTAG_CSP_REPORT_ONLY=False)
@pytest.mark.parametrize("url", ["/", "/desk/login/", "/api/v1/units/150725", "/sw.js"])
def test_every_response_carries_the_policies(client: Client, url: str) -> None:
    response = client.get(url)
    policy = _directives(response["Content-Security-Policy"])
    # our origin and the chat app's JS-SDK (share cards); no 'unsafe-inline', no 'unsafe-eval'
    assert policy["script-src"] == ["'self'", "https://res.wx.qq.com"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert "worker-src" in policy  # the service worker, from our origin
    assert "payment=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@override_settings(NUTAG_CSP_REPORT_ONLY=True)
def test_report_only_mode(client: Client) -> None:
    response = client.get("/desk/login/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_no_template_has_an_inline_script_or_handler() -> None:
    found = []
    for path in sorted((ROOT / "nutag").rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)[:60]}")
    assert not found, "inline script (CSP): move it to a static file\n" + "\n".join(found)


def test_the_template_check_catches_what_it_should() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="x">{}</script>')
    assert INLINE_HANDLER.search('<button type="button" onclick="print()">')
    assert not INLINE_HANDLER.search('<button type="button" data-print>')


@pytest.mark.django_db
@pytest.mark.parametrize("secure", [False, True])
def test_preference_cookies_follow_the_secure_setting(client: Client, secure: bool) -> None:
    with override_settings(LANGUAGE_COOKIE_SECURE=secure):
        lang = client.get("/lang/mn-mong/").cookies["nutag_lang"]
        size = client.post("/text-size/", {"large": "1"}).cookies
    assert bool(lang["secure"]) is secure
    [cookie] = [c for name, c in size.items() if name != "csrftoken"]
    assert bool(cookie["secure"]) is secure


def test_production_makes_the_preference_cookies_secure() -> None:
    from nutag.core.tests import test_settings

    code = test_settings.DUMP_SETTINGS.replace(
        '"debug": settings.DEBUG,',
        '"debug": settings.DEBUG, "lang_secure": settings.LANGUAGE_COOKIE_SECURE,',
    )
    original = test_settings.DUMP_SETTINGS
    test_settings.DUMP_SETTINGS = code
    try:
        loaded = load_settings("config.settings.prod")
    finally:
        test_settings.DUMP_SETTINGS = original
    assert loaded["lang_secure"] is True


@pytest.mark.django_db
def test_the_api_docs_need_no_cdn_and_no_inline_script(client: Client) -> None:
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in html
    assert not INLINE_SCRIPT.search(html)
