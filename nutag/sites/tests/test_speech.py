"""The server reads a published article aloud, once per version, for phones with no voice.

Tests that run the real engine need Debian's ``espeak-ng`` and ``opus-tools``; they are
skipped where those are missing, except in CI (``CI=true``, which ``.ci/run`` sets and where
it installs both): there a missing engine fails.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.core.tests.uploads import media_root  # noqa: F401  (fixture)
from nutag.sites import speech
from nutag.sites.models import Article, ArticleStatus
from nutag.sites.services import article_publish, article_withdraw
from nutag.sites.services.speech import article_speech_render, speech_render, speech_sweep
from nutag.sites.tests.test_desk import make

pytestmark = pytest.mark.django_db

needs_engine = pytest.mark.skipif(
    not speech.engine_available() and not os.environ.get("CI"),
    reason="needs espeak-ng and opusenc (apt-get install espeak-ng opus-tools)",
)
FAKE_OPUS = b"OggS\x00fake opus"


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The engine replaced by a recorder: what it was asked to read."""
    read: list[str] = []

    def synthesise(text: str) -> bytes:
        read.append(text)
        return FAKE_OPUS

    monkeypatch.setattr(speech, "synthesise", synthesise)
    monkeypatch.setattr(speech, "engine_available", lambda: True)
    return read


# --- negatives first ------------------------------------------------------------------------


def test_someone_out_of_reach_cannot_have_an_article_read(cast: Any, fake_engine, media_root):  # noqa: F811
    article = make(cast.village1a, status=ArticleStatus.PUBLISHED)
    for user in (cast.village2a_secretary, cast.resident, cast.village1a_officer):
        with pytest.raises(NotFound):
            article_speech_render(acting_user=user, article=article)
    assert fake_engine == []
    assert not Article.objects.get(pk=article.pk).speech


def test_drafts_and_withdrawn_articles_are_not_read(cast: Any, fake_engine, media_root):  # noqa: F811
    draft = make(cast.village1a)
    assert article_speech_render(acting_user=SYSTEM, article=draft) is False
    gone = make(cast.village1a, status=ArticleStatus.PUBLISHED)
    article_withdraw(acting_user=SYSTEM, article=gone)
    gone.refresh_from_db()
    assert article_speech_render(acting_user=SYSTEM, article=gone) is False
    assert fake_engine == []


def test_a_missing_engine_is_logged_not_raised(cast: Any, monkeypatch, media_root):  # noqa: F811
    article = make(cast.village1a, status=ArticleStatus.PUBLISHED)
    monkeypatch.setattr(speech, "engine_available", lambda: False)
    assert speech_render(article_id=article.pk) is False
    assert speech_sweep() == 0
    assert not Article.objects.get(pk=article.pk).speech
    assert speech_render(article_id=10**9) is False  # gone meanwhile


def test_the_text_read_is_the_article_not_its_meta_line() -> None:
    text = speech.article_speech_text(
        title="冬季走访",
        summary="走访留守儿童",
        body_html="<p>第一段。</p><p>第二段<b>重点</b>。</p>",
    )
    assert text.splitlines() == ["冬季走访", "走访留守儿童", "第一段。", "第二段重点。"]
    long = speech.article_speech_text(title="长", summary="", body_html="<p>" + "句子。" * 5000)
    assert len(long) <= speech.MAX_CHARS and long.endswith("。")
    assert speech.speech_key("一") != speech.speech_key("二")


# --- once per version -----------------------------------------------------------------------


def test_publishing_reads_the_article_once_per_version(
    cast: Any,
    settings,
    fake_engine,
    media_root,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    settings.NUTAG_SPEECH = True
    article = make(cast.village1a, status=ArticleStatus.SUBMITTED, title="冬季走访")
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(acting_user=cast.village1a_secretary, article=article)
    article.refresh_from_db()
    assert fake_engine == ["冬季走访"]
    assert article.speech.name.endswith(".opus") and article.speech.read() == FAKE_OPUS
    first = article.speech.name
    assert AuditEntry.objects.filter(note="machine reading", object_id=str(article.pk)).exists()
    # the same version is not read again (the sweep neither)
    assert article_speech_render(acting_user=SYSTEM, article=article) is False
    assert speech_sweep() == 0
    assert len(fake_engine) == 1
    # a new version: withdrawn, changed, published again → read again, the old file deleted
    with django_capture_on_commit_callbacks(execute=True):
        article_withdraw(acting_user=SYSTEM, article=article)
    Article.objects.filter(pk=article.pk).update(title="冬季走访（更新）")
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(acting_user=SYSTEM, article=article)
    article.refresh_from_db()
    assert fake_engine[-1] == "冬季走访（更新）"
    assert article.speech.name != first
    assert not (Path(media_root) / first).exists()


def test_the_sweep_reads_what_was_published_while_the_engine_was_away(
    cast: Any,
    fake_engine,
    media_root,  # noqa: F811
) -> None:
    articles = [
        make(cast.village1a, status=ArticleStatus.PUBLISHED, title=f"文{i}") for i in range(3)
    ]
    assert speech_sweep(limit=2) == 2
    assert speech_sweep(limit=2) == 1
    assert speech_sweep() == 0
    assert all(Article.objects.get(pk=a.pk).speech for a in articles)


def test_the_listen_button_offers_the_servers_reading(
    cast: Any,
    fake_engine,
    media_root,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    article = make(cast.village1a, status=ArticleStatus.PUBLISHED, title="冬季走访")
    client = Client()
    url = f"/u/{cast.village1a.code}/a/{article.pk}/"
    assert "data-speech" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        speech_render(article_id=article.pk)
    article.refresh_from_db()
    page = client.get(url).content.decode()  # the cached page was purged
    assert f'data-speech="{article.speech.url}"' in page
    # a Mongolian reader of a Mongolian article: no Chinese reading offered
    Article.objects.filter(pk=article.pk).update(title_mn="ᠡᠪᠦᠯ", body_mn="<p>ᠮᠣᠩᠭᠣᠯ</p>")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "mn-mong"
    assert "data-speech" not in client.get(url + "?mn").content.decode()


# --- the real engine ------------------------------------------------------------------------


@needs_engine
def test_espeak_reads_mandarin_into_a_small_ogg_opus_file() -> None:
    audio = speech.synthesise("陈巴尔虎旗关工委召开会议。五老志愿者走访留守儿童。")
    assert audio[:4] == b"OggS" and b"OpusHead" in audio[:100]
    assert 2_000 < len(audio) < 60_000  # a few seconds of speech at 16 kbit/s


@needs_engine
def test_publishing_makes_a_real_reading(
    cast: Any,
    settings,
    media_root,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    settings.NUTAG_SPEECH = True
    article = make(cast.village1a, status=ArticleStatus.SUBMITTED, title="冬季走访")
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(acting_user=SYSTEM, article=article)
    article.refresh_from_db()
    assert article.speech.read()[:4] == b"OggS"


@needs_engine
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_without_a_voice_plays_the_servers_reading(
    live_server: Any,
    phone_page: Any,
    cast: Any,
    media_root,  # noqa: F811
) -> None:
    article = make(cast.village1a, status=ArticleStatus.PUBLISHED, title="冬季走访")
    speech_render(article_id=article.pk)
    page = phone_page
    page.goto(f"{live_server.url}/u/{cast.village1a.code}/a/{article.pk}/")
    machine = page.get_attribute("#listen", "data-machine")
    assert machine
    page.click("#listen")
    page.wait_for_function("document.getElementById('listen-state').textContent !== ''")
    said = page.inner_text("#listen-state")
    if page.evaluate("speechSynthesis.getVoices().length") == 0:
        assert said.startswith(machine)
        page.wait_for_function(
            "document.getElementById('listen').getAttribute('aria-pressed') === 'true'"
        )
