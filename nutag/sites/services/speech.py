"""The server reads an article aloud, once per published version (``nutag.sites.speech``).

``article_publish`` hands the work to the background (``enqueue``) after commit; the periodic
job ``speech_sweep`` catches what was published while the engine or the broker was away (and
the demo's articles). The file is derived data: made again only when the text (or the recipe)
changes, the old one deleted after commit, the public page purged so the button finds it.
"""

from __future__ import annotations

import logging
import subprocess

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from nutag.core.actors import SYSTEM, Actor
from nutag.core.audit import audit_record
from nutag.core.media import delete_after_commit, saving
from nutag.core.models import AuditAction
from nutag.orgs.permissions import require
from nutag.sites import speech
from nutag.sites.events import announce_site_change
from nutag.sites.models import Article, ArticleStatus, speech_path
from nutag.sites.permissions import can_publish
from nutag.sites.services._common import _shown_on

logger = logging.getLogger(__name__)
SWEEP_BATCH = 10


def _text(article: Article) -> str:
    return speech.article_speech_text(
        title=article.title, summary=article.summary, body_html=article.body
    )


def article_speech_render(*, acting_user: Actor, article: Article) -> bool:
    """Read the published ``article`` aloud into its ``speech`` file, unless the current file
    already reads this text. True when a file was made. The engine runs outside any
    transaction; the row is then locked and checked again, so an article withdrawn or
    changed meanwhile keeps no stale reading."""
    require(acting_user, can_publish, article)
    if article.status != ArticleStatus.PUBLISHED:
        return False
    text = _text(article)
    key = speech.speech_key(text)
    if article.speech and article.speech_key == key:
        return False
    audio = speech.synthesise(text)

    def store(written: list[str]) -> bool:
        current = Article.objects.select_for_update().select_related("unit").get(pk=article.pk)
        if current.status != ArticleStatus.PUBLISHED or speech.speech_key(_text(current)) != key:
            return False
        name = default_storage.save(
            speech_path(current, f"{current.pk}-{key[:12]}.opus"), ContentFile(audio)
        )
        written.append(name)
        old = current.speech.name if current.speech else ""
        Article.objects.filter(pk=current.pk).update(speech=name, speech_key=key)
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=current,
            unit=current.unit,
            changes={"speech": [old, name]},
            note="machine reading",
        )
        delete_after_commit([old] if old else [])
        announce_site_change(unit_ids=_shown_on(current), article_ids=[current.pk], slots=False)
        return True

    return saving(store)


def speech_render(*, article_id: int) -> bool:
    """Background job: read one article aloud as the system. Never raises for a missing
    engine or a failed run (logged); the sweep tries again later."""
    article = Article.objects.select_related("unit").filter(pk=article_id).first()
    if article is None:
        return False
    try:
        return article_speech_render(acting_user=SYSTEM, article=article)
    except speech.SpeechUnavailable as exc:
        logger.info("no machine reading for article %s: %s", article_id, exc)
    except (subprocess.SubprocessError, OSError):
        logger.warning("machine reading of article %s failed", article_id, exc_info=True)
    return False


def speech_sweep(*, limit: int = SWEEP_BATCH) -> int:
    """Periodic job: read aloud up to ``limit`` published articles that have no reading yet.
    Returns how many were made."""
    if not speech.engine_available():
        return 0
    waiting = Article.objects.filter(status=ArticleStatus.PUBLISHED, speech_key="").order_by(
        "-published_at"
    )
    made = 0
    for pk in list(waiting.values_list("pk", flat=True)[:limit]):
        made += speech_render(article_id=pk)
    return made
