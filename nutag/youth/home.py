"""The elder's card on their own page (/desk/me/): their young people, one tap from a visit."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nutag.people.home import HomeCard, register_home_cards
from nutag.youth.selectors import pairs_of_user


@register_home_cards
def _my_pairs(request: HttpRequest) -> Iterable[HomeCard]:
    count = pairs_of_user(user=request.user).count()
    if count:
        yield HomeCard(
            title=_("Young people I am paired with"),
            text=ngettext(
                "%(n)d young person waits for your visits.",
                "%(n)d young people wait for your visits.",
                count,
            )
            % {"n": count},
            url=reverse("youth-mine"),
            link_text=_("Record a visit"),
            order=20,
        )
