"""Notices for events announced by the apps below notify, which may not import it
(``nutag.people.events``). Registered in ``NotifyConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse

from nutag.core.actors import SYSTEM
from nutag.notify.models import Kind
from nutag.notify.services import notify_units
from nutag.orgs.permissions import Perm
from nutag.people.models import JoinRequest


def join_requested(join_request: JoinRequest) -> None:
    """Those who decide on requests to join, held at the request's unit itself."""
    notify_units(
        acting_user=SYSTEM,
        kind=Kind.JOIN_REQUESTED,
        units=[join_request.unit],
        perm=Perm.MANAGE_LOGINS,
        params={"name": join_request.name, "unit": join_request.unit.name},
        event_key=f"join-requested:{join_request.pk}",
        link=reverse("desk-join-request", args=[join_request.pk]),
    )
