"""Cards on a person's own page (``/desk/me/``) for the secretary's inbox and comments
(registered from ``VoiceConfig.ready``): a resident's way to write to the secretary (with the
answers not yet read); for the officers of the person's own unit, the residents' unread
messages and the comments waiting for moderation."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.utils.translation import gettext as _

from nutag.people.home import HomeCard
from nutag.people.models import Person
from nutag.voice.models import CommentState
from nutag.voice.permissions import can_answer_inbox, can_moderate_comments
from nutag.voice.selectors.comments import moderation_queue
from nutag.voice.selectors.inbox import my_threads, unit_threads


def talk_cards(request: HttpRequest) -> Iterable[HomeCard]:
    if not request.user.is_authenticated:
        return
    person = Person.objects.filter(user_id=request.user.pk).select_related("unit").first()
    if person is None:
        return
    unit = person.unit
    if can_answer_inbox(request.user, unit):
        unread = unit_threads(user=request.user, unit=unit, unread=True).count()
        yield HomeCard(
            title=_("Residents' messages"),
            text=_("%(n)d unread.") % {"n": unread} if unread else _("Nothing here."),
            url=f"/desk/u/{unit.code}/inbox/",
            link_text=_("Residents' messages"),
            order=21,
            tone="warn" if unread else "",
        )
        if can_moderate_comments(request.user, unit):
            held = moderation_queue(user=request.user, unit=unit, state=CommentState.HELD).count()
            if held:
                yield HomeCard(
                    title=_("Comments"),
                    text=_("%(n)d waiting for moderation.") % {"n": held},
                    url=f"/desk/u/{unit.code}/comments/",
                    link_text=_("Moderation"),
                    order=22,
                    tone="warn",
                )
        return
    answers = sum(1 for t in my_threads(user=request.user, unit=unit) if t.unread_by_resident)
    yield HomeCard(
        title=_("Write to the secretary"),
        text=_("%(n)d new answers.") % {"n": answers}
        if answers
        else _("Only you and the unit's officers read these messages."),
        url=f"/u/{unit.code}/inbox/",
        link_text=_("Write to the secretary"),
        order=21,
    )
