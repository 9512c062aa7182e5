"""Login panels dropped into existing people pages without touching their views."""

from __future__ import annotations

from typing import Any

from django import template

from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_unit_perm
from nutag.people.accounts.selectors import login_state
from nutag.people.models import Person
from nutag.people.permissions import can_invite, can_manage_login

register = template.Library()


@register.inclusion_tag("people/accounts/_login_card.html", takes_context=True)
def login_card(context: dict[str, Any], person: Person) -> dict[str, Any]:
    """The person page's "Login" section: state, and the buttons the viewer may press."""
    user = context["request"].user
    invite = can_invite(user, person)
    manage = can_manage_login(user, person)
    return {
        "person": person,
        "show": invite or manage,
        "state": login_state(person=person) if (invite or manage) else None,
        "can_invite": invite,
        "can_manage": manage,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("people/accounts/_unit_links.html", takes_context=True)
def account_links(context: dict[str, Any], unit: Unit) -> dict[str, Any]:
    user = context["request"].user
    return {
        "unit": unit,
        "can_invite": has_unit_perm(user=user, perm=Perm.INVITE_PEOPLE, unit=unit),
        "can_review": has_unit_perm(user=user, perm=Perm.MANAGE_LOGINS, unit=unit),
    }


@register.inclusion_tag("people/accounts/_import_invite.html", takes_context=True)
def import_invite_button(context: dict[str, Any], batch: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "batch": batch,
        "show": batch.status == "done"
        and has_unit_perm(user=user, perm=Perm.INVITE_PEOPLE, unit=batch.unit),
        "csrf_token": context.get("csrf_token"),
    }
