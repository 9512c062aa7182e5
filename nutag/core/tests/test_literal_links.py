"""Links written out as paths ("/u/…/inbox/") instead of ``{% url %}`` or ``reverse``.

Three of them once led to ``/login/``, a page that does not exist (the login page is
``LOGIN_URL``): an anonymous buyer's "log in to order" and a herder's "log in to say you are
safe" on an emergency ended on "not found". Every such path must reach one of our views,
whatever the variables inside it print (each stands for a word or a number: "1").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

NUTAG = Path(settings.BASE_DIR) / "nutag"
IN_TEMPLATES = re.compile(r'(?:href|action|src)="(/[^"]*)"')
IN_CODE = re.compile(r'redirect\(f?"(/[^"]*)"')
TEMPLATE_PARTS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
FSTRING_PARTS = re.compile(r"\{[^}]*\}")


def _path(written: str, parts: re.Pattern[str]) -> str:
    return parts.sub("1", written).split("#")[0].split("?")[0]


def _written_paths() -> list[tuple[Path, str, str]]:
    found = []
    for template in NUTAG.rglob("templates/**/*.html"):
        for match in IN_TEMPLATES.finditer(template.read_text(encoding="utf-8")):
            found.append((template, match.group(1), _path(match.group(1), TEMPLATE_PARTS)))
    for module in NUTAG.rglob("*.py"):
        if "tests" in module.parts:
            continue
        for match in IN_CODE.finditer(module.read_text(encoding="utf-8")):
            found.append((module, match.group(1), _path(match.group(1), FSTRING_PARTS)))
    return [
        (where, written, path)
        for where, written, path in found
        if not path.startswith((settings.STATIC_URL, settings.MEDIA_URL))
    ]


def test_the_check_finds_a_wrong_path() -> None:
    assert _path("/login/?next={{ request.path|urlencode }}", TEMPLATE_PARTS) == "/login/"
    assert _path("/u/{code}/market/{pk}/", FSTRING_PARTS) == "/u/1/market/1/"
    with pytest.raises(Resolver404):  # the wrong path those three links had
        resolve("/login/")


def test_every_path_written_out_reaches_a_view() -> None:
    written = _written_paths()
    assert len(written) >= 15, "the search no longer finds the paths written out"
    wrong = []
    for where, text, path in written:
        try:
            resolve(path)
        except Resolver404:
            wrong.append(f"{where.relative_to(NUTAG)}: {text}")
    assert not wrong, "paths that reach no page (use {% url %} or reverse):\n" + "\n".join(wrong)
