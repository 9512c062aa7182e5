"""The "My chat app" card on the person's own page (``people.home``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from nutag.people.home import HomeCard, register_home_cards


@register_home_cards
def _my_chat_app(request: HttpRequest) -> Iterable[HomeCard]:
    yield HomeCard(
        title=_("My chat app"),
        text=_("Official accounts that log you in and bring your notices."),
        url=reverse("wechat-my-bindings"),
        link_text=_("My chat app"),
        order=905,
    )
