"""The card on a resident's own page (``/desk/me/``): raise a concern at their village and
follow the ones they raised (registered from ``VoiceConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from nutag.people.home import HomeCard
from nutag.people.models import Person
from nutag.voice.models import OPEN_STATES
from nutag.voice.selectors import my_concerns


def my_concerns_card(request: HttpRequest) -> Iterable[HomeCard]:
    if not request.user.is_authenticated:
        return
    person = Person.objects.filter(user_id=request.user.pk).select_related("unit").first()
    if person is None:
        return
    waiting = my_concerns(user=request.user).filter(state__in=OPEN_STATES).count()
    yield HomeCard(
        title=_("Concerns"),
        text=_("%(n)d of yours waiting for an answer.") % {"n": waiting}
        if waiting
        else _("Tell your village what you need; follow the answer here."),
        url=reverse("voice-concerns", args=[person.unit.code]),
        link_text=_("Raise or follow a concern"),
        order=20,
    )
