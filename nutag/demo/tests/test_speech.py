"""The demo reads its newest articles aloud when the engine is there, and never in tests."""

from __future__ import annotations

from typing import Any

import pytest

from nutag.core.tests.uploads import media_root  # noqa: F401  (fixture)
from nutag.demo.data import BANNER_CODE
from nutag.demo.plan import LOGIN_UNITS
from nutag.demo.speech import READ_NOW, ensure_speech
from nutag.sites import speech
from nutag.sites.models import Article, ArticleStatus
from nutag.sites.tests.test_desk import make

pytestmark = pytest.mark.django_db


def test_nothing_is_read_when_speech_is_off(cast: Any, settings, monkeypatch) -> None:
    settings.NUTAG_SPEECH = False
    monkeypatch.setattr(speech, "synthesise", lambda text: pytest.fail("read"))
    make(cast.township1, status=ArticleStatus.PUBLISHED)
    assert ensure_speech({LOGIN_UNITS["demo-township"]: cast.township1}) == 0


def test_the_newest_articles_are_read_once(cast: Any, settings, monkeypatch, media_root) -> None:  # noqa: F811
    settings.NUTAG_SPEECH = True
    monkeypatch.setattr(speech, "engine_available", lambda: True)
    monkeypatch.setattr(speech, "synthesise", lambda text: b"OggS demo")
    for i in range(READ_NOW + 2):
        make(cast.township1, status=ArticleStatus.PUBLISHED, title=f"文{i}")
    make(cast.village1a, status=ArticleStatus.PUBLISHED)  # not the demo township's own
    units = {LOGIN_UNITS["demo-township"]: cast.township1, BANNER_CODE: cast.banner}
    assert ensure_speech(units) == READ_NOW
    assert ensure_speech(units) == 0  # a second load changes nothing
    assert Article.objects.exclude(speech="").count() == READ_NOW
