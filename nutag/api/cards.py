"""The "API tokens" card on the person's own page (``people.home``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from nutag.people.home import HomeCard, register_home_cards


@register_home_cards
def _api_tokens(request: HttpRequest) -> Iterable[HomeCard]:
    yield HomeCard(
        title=_("API tokens"),
        text=_("For programs that use the API as you."),
        url=reverse("api-tokens"),
        link_text=_("API tokens"),
        order=910,
    )
