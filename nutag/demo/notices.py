"""The demo's notifications: so a first look at the bell shows it working.

- demo-township's inbox holds the banner's task: written by ``task_issue`` itself when the
  demo issues it (``work``), like any task;
- demo-village's holds a returned article: an article the village secretary wrote and sent
  for approval, returned by the township with a reason (``article_returned``);
- the banner's notification policy: the daily digest at 08:00.

Idempotent: the article is found by title; the policy by unit.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from nutag.core.actors import SYSTEM
from nutag.notify.models import NotifyPolicy
from nutag.notify.services import notify_policy_update
from nutag.orgs.models import Unit
from nutag.sites import services
from nutag.sites.models import Article

from .data import BANNER_CODE
from .site import VILLAGE

RETURNED_TITLE = "嘎查春季防疫通知（草稿）"


def ensure_notifications(units: dict[str, Unit]) -> int:
    """What is missing of the above; how many things were made."""
    made = 0
    banner = units[BANNER_CODE]
    if not NotifyPolicy.objects.filter(unit=banner).exists():
        notify_policy_update(acting_user=SYSTEM, unit=banner, digest_hour=8, officer_defaults={})
        made += 1
    writer = get_user_model().objects.filter(username="demo-village").first()
    village = units.get(VILLAGE)
    if writer is None or village is None:
        return made
    if Article.objects.filter(unit=village, title=RETURNED_TITLE).exists():
        return made
    article = services.article_create(
        acting_user=writer,
        unit=village,
        data=services.ArticleInput(
            title=RETURNED_TITLE,
            column_key="governance",
            body="请各户在三月底前完成牲畜春季防疫登记。",
            # "the village's spring notice on preventing livestock disease" (docs/mongolian.md)
            title_mn="ᠭᠠᠴᠠᠭ᠎ᠠ ᠶᠢᠨ ᠬᠠᠪᠤᠷ ᠤᠨ ᠮᠠᠯ ᠤᠨ ᠡᠪᠡᠴᠢᠨ ᠡᠴᠡ ᠰᠡᠷᠭᠡᠶᠢᠯᠡᠬᠦ ᠮᠡᠳᠡᠭᠳᠡᠯ",
            body_mn=(
                "ᠠᠢᠯ ᠪᠦᠷᠢ ᠭᠤᠷᠪᠠᠨ ᠰᠠᠷ᠎ᠠ ᠶᠢᠨ ᠡᠴᠦᠰ ᠡᠴᠡ ᠤᠷᠢᠳ ᠮᠠᠯ ᠤᠨ ᠬᠠᠪᠤᠷ ᠤᠨ ᠰᠡᠷᠭᠡᠶᠢᠯᠡᠯᠲᠡ ᠶᠢᠨ "
                "ᠪᠦᠷᠲᠭᠡᠯ ᠢ ᠳᠤᠤᠰᠭᠠᠬᠤ ᠥᠭᠬᠦᠶ᠎ᠡ᠃"
            ),
        ),
    )
    services.article_submit(acting_user=writer, article=article)
    services.article_return(
        acting_user=SYSTEM,
        article=article,
        reason="请写明防疫登记的地点和联系人，再提交。",
    )
    return made + 1
