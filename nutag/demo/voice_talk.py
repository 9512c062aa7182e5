"""The demo's comments and the secretary's inbox (issue 13, item 5), at demo-village:

- the banner's word list (a few phrases of advertising and usury);
- three comments by demo-resident on the two newest articles of demo-village's site, one of
  them containing a phrase of the list, so it waits in the secretary's moderation queue
  (``/desk/u/<demo-village>/comments/``);
- a thread in the secretary's inbox from demo-resident, answered by demo-village's
  secretary, with the resident's side unread.

Through the services, acting as the demo logins (comments and messages are theirs) or as
``SYSTEM`` (the word list). Idempotent: nothing is made when demo-village has comments.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.sites.selectors.public import site_articles
from nutag.voice.models import Comment, InboxThread
from nutag.voice.services import comments as comment_services
from nutag.voice.services import inbox as inbox_services

from .data import BANNER_CODE
from .site import VILLAGE

WORDS = "代开发票\n高利贷\n刷单"
COMMENTS = [
    "这个政策讲得很清楚，转给家里老人看了。",
    "希望冬季转场前再开一次会说明。",
    "需要贷款的找我，高利贷利息低，加微信。",  # held by the word list
]


def ensure_voice_talk(units: dict[str, Unit]) -> int:
    """Returns how many comments and threads were made."""
    village = units.get(VILLAGE)
    banner = units.get(BANNER_CODE)
    users = get_user_model().objects
    resident = users.filter(username="demo-resident").first()
    secretary = users.filter(username="demo-village").first()
    if village is None or banner is None or resident is None or secretary is None:
        return 0
    if Comment.objects.filter(unit=village).exists():
        return 0
    comment_services.word_list_set(acting_user=SYSTEM, banner=banner, words=WORDS)
    articles = list(site_articles(unit=village).order_by("-published_at")[:2])
    made = 0
    for i, text in enumerate(COMMENTS if articles else []):
        comment_services.comment_post(
            acting_user=resident, unit=village, article=articles[i % len(articles)], text=text
        )
        made += 1
    if not InboxThread.objects.filter(unit=village).exists():
        thread = inbox_services.thread_start(
            acting_user=resident,
            unit=village,
            subject="孩子上学的交通补助",
            text="书记您好，孩子在旗里寄宿，听说有交通补助，要准备什么材料？",
        )
        inbox_services.thread_reply(
            acting_user=secretary,
            thread=thread,
            text="您好，带户口本和学校开的在读证明，周三上午来村委会办理。",
        )
        made += 1
    return made
