"""The personal home (/desk/me/): what a resident, an elder or a Party member can do.

Each app adds its own cards: ``register_home_cards(provider)`` with a function that takes the
request and returns the cards for that login (or none), usually from its ``AppConfig.ready``.
The study app adds "my study", youth "my pairings", voice "my concerns" — without this module
knowing them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from nutag.people.accounts.selectors import my_join_requests, my_person
from nutag.people.models.accounts import JoinStatus


@dataclasses.dataclass(frozen=True)
class HomeCard:
    title: str
    text: str = ""
    url: str = ""
    link_text: str = ""
    order: int = 100  # smaller first
    tone: str = ""  # "" or "warn"


CardProvider = Callable[[HttpRequest], Iterable[HomeCard]]
_providers: list[CardProvider] = []


def register_home_cards(provider: CardProvider) -> CardProvider:
    """Add a card provider (idempotent: registering the same function twice keeps one)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def home_cards(request: HttpRequest) -> list[HomeCard]:
    cards = [card for provider in _providers for card in provider(request)]
    return sorted(cards, key=lambda c: c.order)


@register_home_cards
def _who_i_am(request: HttpRequest) -> Iterable[HomeCard]:
    person = my_person(user=request.user)
    if person is None:
        return
    roles = []
    if getattr(person, "party", None) is not None:
        roles.append(_("Mobile Party member") if person.party.is_mobile else _("Party member"))
    care = getattr(person, "care", None)
    if care is not None:
        roles.append(
            _("Five elder") + f" ({care.get_elder_category_display()})"
            if care.elder_category
            else _("Care-work volunteer")
        )
    if person.is_resident:
        roles.append(_("Resident"))
    yield HomeCard(
        title=person.name,
        text=" · ".join([person.unit.name, *roles]),
        url=reverse("site-home", args=[person.unit.code]),
        link_text=_("Open %(unit)s's site") % {"unit": person.unit.name},
        order=10,
    )


@register_home_cards
def _my_requests(request: HttpRequest) -> Iterable[HomeCard]:
    for join in my_join_requests(user=request.user):
        if join.status == JoinStatus.PENDING:
            yield HomeCard(
                title=_("Your request to join %(unit)s") % {"unit": join.unit.name},
                text=_("Waiting for the secretary. You will find the answer here."),
                url=reverse("site-home", args=[join.unit.code]),
                link_text=_("Open the unit's site"),
                order=5,
                tone="warn",
            )
        elif join.status == JoinStatus.DECLINED and my_person(user=request.user) is None:
            yield HomeCard(
                title=_("Your request to join %(unit)s was declined") % {"unit": join.unit.name},
                text=join.reason,
                url=reverse("join-unit", args=[join.unit.code]),
                link_text=_("Ask again"),
                order=5,
                tone="warn",
            )
            break


@register_home_cards
def _nothing_yet(request: HttpRequest) -> Iterable[HomeCard]:
    if my_person(user=request.user) is None and not my_join_requests(user=request.user):
        yield HomeCard(
            title=_("Your login is not linked to a unit yet"),
            text=_(
                "Open your village's site and tap “Join this village”; the secretary will "
                "confirm you. Or ask your secretary for an invitation."
            ),
            url="/",
            link_text=_("Find your village's site"),
            order=5,
        )


@register_home_cards
def _my_login(request: HttpRequest) -> Iterable[HomeCard]:
    from nutag.people.accounts.second_factor import is_enrolled, second_factor_required

    yield HomeCard(
        title=_("My login"),
        text=_("Log in as %(name)s.") % {"name": request.user.get_username()},
        url=reverse("password-change"),
        link_text=_("Change my password"),
        order=900,
    )
    if second_factor_required(request.user) or is_enrolled(request.user):
        yield HomeCard(
            title=_("Second factor"),
            text=_("A code from an authenticator app, asked after your password."),
            url=reverse("second-factor-setup"),
            link_text=_("Second factor"),
            order=901,
        )
    yield HomeCard(
        title=_("Delete my login"),
        text=_("Your login goes; what you raised stays with your village, without your name."),
        url=reverse("desk-me-delete"),
        link_text=_("Delete my login"),
        order=990,
    )
