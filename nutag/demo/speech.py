"""The demo's articles read aloud by the server (``nutag.sites.services.speech``), so the
listen button of a phone without a Chinese voice has something to play at once.

Only the newest few published articles of the demo township and its banner (reading takes a
second or two each); the periodic job ``speech`` reads the rest later when a worker runs
(``manage.py run_worker``). Nothing happens when ``NUTAG_SPEECH`` is off (tests) or the engine
is not installed. Idempotent: an article already read is not read again.
"""

from __future__ import annotations

from django.conf import settings

from nutag.core.actors import SYSTEM
from nutag.demo.data import BANNER_CODE
from nutag.demo.plan import LOGIN_UNITS
from nutag.orgs.models import Unit
from nutag.sites import speech
from nutag.sites.models import Article, ArticleStatus
from nutag.sites.services.speech import article_speech_render

READ_NOW = 6


def ensure_speech(units: dict[str, Unit]) -> int:
    """Read aloud the newest published articles written at the demo township and the banner.
    Returns how many readings were made."""
    if not settings.NUTAG_SPEECH or not speech.engine_available():
        return 0
    codes = (LOGIN_UNITS["demo-township"], BANNER_CODE)
    written_at = [units[code] for code in codes if code in units]
    newest = (
        Article.objects.filter(unit__in=written_at, status=ArticleStatus.PUBLISHED)
        .select_related("unit")
        .order_by("-published_at")[:READ_NOW]
    )
    return sum(article_speech_render(acting_user=SYSTEM, article=a) for a in newest)
