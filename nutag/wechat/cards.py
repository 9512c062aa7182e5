"""Cards on the person's own page (``people.home``): "My chat app" for everyone, and the
official account of each unit where the login may connect one (its secretary)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, granted_paths
from nutag.people.home import HomeCard, register_home_cards

MAX_UNIT_CARDS = 3


@register_home_cards
def _my_chat_app(request: HttpRequest) -> Iterable[HomeCard]:
    yield HomeCard(
        title=_("My chat app"),
        text=_("Official accounts that log you in and bring your notices."),
        url=reverse("wechat-my-bindings"),
        link_text=_("My chat app"),
        order=905,
    )


@register_home_cards
def _accounts_to_configure(request: HttpRequest) -> Iterable[HomeCard]:
    paths = granted_paths(user=request.user, perm=Perm.CHANGE_UNIT)[:MAX_UNIT_CARDS]
    for unit in Unit.objects.filter(path__in=paths).order_by("path"):
        yield HomeCard(
            title=_("Official account") + " · " + unit.name,
            text=_("Connect the unit's official account in the chat app, its menu and replies."),
            url=reverse("wechat-account", kwargs={"code": unit.code}),
            link_text=_("Official account"),
            order=60,
        )
