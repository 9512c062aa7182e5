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


def _poll(unit: Any, question: str, opens: dt.timedelta, closes: dt.timedelta, now: Any) -> Any:
    """A poll created through the service, then moved to the moments wanted (the service
    takes no poll that has closed already)."""
    from nutag.voice.models import Poll

    poll = poll_create(
        acting_user=SYSTEM,
        unit=unit,
        question=question,
        options=["是", "否"],
        opens_at=now + dt.timedelta(days=100),
        closes_at=now + dt.timedelta(days=101),
    )
    Poll.objects.filter(pk=poll.pk).update(opens_at=now + opens, closes_at=now + closes)
    poll.refresh_from_db()
    return poll


def test_the_kept_poll_block_goes_when_the_poll_closes_and_a_scheduled_one_shows_when_it_opens(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The block is kept under the unit's page generation, but a poll opens and closes with
    time alone (no write, no announcement): the kept block holds until that moment only.
    The page cache is off (what a cache miss renders); the answers are kept."""
    from unittest import mock

    from django.test import override_settings

    village = cast.village1a
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _poll(village, "现在的投票", dt.timedelta(minutes=-1), dt.timedelta(hours=1), now)
        _poll(village, "明天的投票", dt.timedelta(days=1), dt.timedelta(days=2), now)
    off = override_settings(NUTAG_PAGE_CACHE_SECONDS=0, NUTAG_SITE_MEMO_SECONDS=300)
    with off:
        page = _home(village)
        assert "现在的投票" in page and "明天的投票" not in page
        assert "现在的投票" in _home(village)  # kept
        later = now + dt.timedelta(hours=2)  # the first closed, the second not yet open
        with mock.patch("django.utils.timezone.now", return_value=later):
            page = _home(village)
        assert "现在的投票" not in page and "明天的投票" not in page
        later = now + dt.timedelta(days=1, minutes=1)  # the scheduled one opened
        with mock.patch("django.utils.timezone.now", return_value=later):
            page = _home(village)
        assert "明天的投票" in page and "现在的投票" not in page
        assert "明天的投票" not in _home(cast.village1b)


def test_open_poll_until_answers_as_open_poll_at_every_moment(cast: Any) -> None:
    """The block's one query finds the poll ``open_poll`` finds (field by field), whatever
    the moment, with overlapping, past, future and same-start polls, and the next moment
    the answer changes."""
    from unittest import mock

    from nutag.voice.selectors.polls import open_poll, open_poll_until

    village = cast.village1a
    now = timezone.now().replace(microsecond=0)
    h = dt.timedelta(hours=1)
    polls = [
        _poll(village, "过去", -10 * h, -5 * h, now),
        _poll(village, "长的", -4 * h, 20 * h, now),
        _poll(village, "短的", -2 * h, 2 * h, now),
        _poll(village, "同时开始甲", 3 * h, 6 * h, now),
        _poll(village, "同时开始乙", 3 * h, 5 * h, now),
        _poll(village, "以后", 8 * h, 9 * h, now),
    ]
    _poll(cast.village1b, "邻村", -1 * h, 30 * h, now)  # never the village's
    starts = sorted({p.opens_at for p in polls} | {p.closes_at for p in polls})
    moments = [now - 11 * h, *starts, *(m + dt.timedelta(seconds=1) for m in starts)]
    for moment in moments:
        with mock.patch("django.utils.timezone.now", return_value=moment):
            expected = open_poll(unit=village)
        found, until = open_poll_until(unit=village, now=moment)
        if expected is None:
            assert found is None, moment
        else:
            assert found is not None, moment
            assert (found.pk, found.question, found.closes_at) == (
                expected.pk,
                expected.question,
                expected.closes_at,
            )
        # the answer holds until ``until`` and no longer: just before it, the same poll;
        # at it, another answer (or none)
        if until is not None:
            assert until > moment
            before, _ = open_poll_until(unit=village, now=until - dt.timedelta(seconds=1))
            at, _ = open_poll_until(unit=village, now=until)
            assert getattr(before, "pk", None) == getattr(found, "pk", None)
            assert getattr(at, "pk", None) != getattr(found, "pk", None)
