"""The voice app's slots on a unit's site stay right although sites keeps their answers under
the unit's page generation (``sites.selectors.memo``, issue 17): an aid post opened or met,
a poll opened, show or hide on the next request, at that unit only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.voice.models import AidKind, AidTopic
from nutag.voice.services.aid import aid_post_close, aid_post_create
from nutag.voice.services.polls import poll_create

pytestmark = pytest.mark.django_db


def _home(unit: Any) -> str:
    response = Client().get(reverse("site-home", args=[unit.code]))
    assert response.status_code == 200
    return response.content.decode()


def _aid_link(unit: Any) -> str:
    return reverse("site-column", args=[unit.code, "mutual_aid"])


def test_an_aid_post_opens_and_closes_the_column_at_its_unit_only(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    village, sibling = cast.village1a, cast.village1b
    assert _aid_link(village) not in _home(village)
    assert _aid_link(sibling) not in _home(sibling)
    with django_capture_on_commit_callbacks(execute=True):
        post = aid_post_create(
            acting_user=SYSTEM,
            unit=village,
            kind=AidKind.REQUEST,
            topic=AidTopic.TRANSPORT,
            title="需要一辆车",
        )
    assert _aid_link(sibling) not in _home(sibling)  # the sibling's answer is its own
    assert _aid_link(village) in _home(village)
    with django_capture_on_commit_callbacks(execute=True):
        aid_post_close(acting_user=SYSTEM, post=post)
    assert _aid_link(village) not in _home(village)


def test_a_new_poll_shows_on_the_next_request(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    village = cast.village1a
    assert "voice-poll" not in _home(village) and "/polls/" not in _home(village)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        poll = poll_create(
            acting_user=SYSTEM,
            unit=village,
            question="修哪条路？",
            options=["东路", "西路"],
            opens_at=now - dt.timedelta(minutes=1),
            closes_at=now + dt.timedelta(days=3),
        )
    page = _home(village)
    assert "修哪条路？" in page
    assert reverse("voice-poll", args=[village.code, poll.pk]) in page
    assert "修哪条路？" not in _home(cast.village1b)


def test_a_public_concern_opens_the_governance_column_at_once(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from nutag.voice import services
    from nutag.voice.tests.test_services import _category

    village = cast.village1a
    board = reverse("site-column", args=[village.code, "governance"])
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_submit(
            acting_user=SYSTEM, unit=village, category=_category(village), text="私下的事"
        )
    assert board not in _home(village)  # a private concern is on no board
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_submit(
            acting_user=SYSTEM,
            unit=village,
            category=_category(village),
            text="路灯坏了",
            is_public=True,
        )
    assert board in _home(village)
