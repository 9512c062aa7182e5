"""The voice figures' fixed SQL against a straightforward recount through the ORM (issue 17):
a sibling's rows are never counted, a hidden aid post never, and every figure equals the
recount on a small tree with varied data."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from django.db.models import Avg, F
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.factories import make_concern
from nutag.voice import services
from nutag.voice.models import OPEN_STATES, AidPost, AidStatus, Concern, Emergency, Poll
from nutag.voice.selectors.figures import VoiceFigures, voice_figures
from nutag.voice.services import aid, emergencies, polls

pytestmark = pytest.mark.django_db


def recount(unit) -> VoiceFigures:  # type: ignore[no-untyped-def]
    """Row by row through the ORM, ``startswith`` on the path: no range, no SQL of ours."""
    rows = Concern.objects.filter(unit_path__startswith=unit.path)
    by_state: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for c in rows.select_related("category"):
        by_state[c.state] = by_state.get(c.state, 0) + 1
        by_category[c.category.key] = by_category.get(c.category.key, 0) + 1
    answered = rows.filter(answered_at__isnull=False)
    in_time = answered.filter(answered_at__lte=F("limit_at")).count()
    hours = [(c.answered_at - c.created_at).total_seconds() / 3600 for c in answered]
    rating = rows.aggregate(r=Avg("rating"))["r"]
    posts = AidPost.objects.filter(unit_path__startswith=unit.path).exclude(status=AidStatus.HIDDEN)
    return VoiceFigures(
        total=rows.count(),
        by_state=by_state,
        by_category=by_category,
        answered=answered.count(),
        answered_in_time=in_time,
        in_time_rate=round(in_time / len(hours), 3) if hours else None,
        median_hours_to_answer=round(statistics.median(hours), 1) if hours else None,
        rated=rows.filter(rating__isnull=False).count(),
        satisfaction=round(float(rating), 2) if rating is not None else None,
        overdue=rows.filter(state__in=OPEN_STATES, due_at__lt=timezone.now()).count(),
        polls_held=Poll.objects.filter(
            unit_path__startswith=unit.path, closes_at__lte=timezone.now()
        ).count(),
        aid_requests=posts.filter(kind="request").count(),
        aid_requests_met=posts.filter(kind="request", status=AidStatus.MET).count(),
        aid_offers=posts.filter(kind="offer").count(),
        emergencies=Emergency.objects.filter(unit_path__startswith=unit.path).count(),
    )


def _varied(cast):  # type: ignore[no-untyped-def]
    a = make_concern(unit=cast.village1a, category_key="water")
    b = make_concern(unit=cast.village1b, category_key="roads")
    c = make_concern(unit=cast.village1a)
    late = make_concern(unit=cast.township1, category_key="roads")
    make_concern(unit=cast.village2a, category_key="water")  # the sibling township's
    services.concern_answer(acting_user=SYSTEM, concern=a, version=1, answer="好")
    services.concern_answer(
        acting_user=SYSTEM,
        concern=b,
        version=1,
        answer="晚了",
        now=b.limit_at + dt.timedelta(hours=3),
    )
    services.concern_close(acting_user=SYSTEM, concern=a, version=2, rating=5)
    services.concern_close(acting_user=SYSTEM, concern=b, version=2, rating=2)
    Concern.objects.filter(pk=late.pk).update(due_at=late.created_at)  # overdue, open
    Concern.objects.filter(pk=c.pk).update(due_at=timezone.now() + dt.timedelta(days=3))
    post = aid.aid_post_create(
        acting_user=SYSTEM, unit=cast.village1a, kind="request", topic="vet", title="找兽医"
    )
    aid.aid_post_close(acting_user=SYSTEM, post=post)
    aid.aid_post_create(
        acting_user=SYSTEM, unit=cast.village1b, kind="request", topic="vet", title="找兽医"
    )
    aid.aid_post_create(
        acting_user=SYSTEM, unit=cast.village1b, kind="offer", topic="fodder", title="卖草"
    )
    hidden = aid.aid_post_create(
        acting_user=SYSTEM, unit=cast.village1a, kind="request", topic="vet", title="广告"
    )
    aid.aid_post_hide(acting_user=SYSTEM, post=hidden, reason="广告")
    aid.aid_post_create(
        acting_user=SYSTEM, unit=cast.village2a, kind="offer", topic="fodder", title="卖草"
    )
    emergencies.emergency_publish(
        acting_user=SYSTEM, unit=cast.village1a, kind="fire", radius="unit", text="着火"
    )
    now = timezone.now()
    for unit in (cast.village1a, cast.village2a):
        poll = polls.poll_create(
            acting_user=SYSTEM,
            unit=unit,
            question="修路吗",
            options=["修", "不修"],
            opens_at=now - dt.timedelta(days=2),
            closes_at=now + dt.timedelta(hours=1),
        )
        Poll.objects.filter(pk=poll.pk).update(closes_at=now - dt.timedelta(hours=1))
    polls.poll_create(
        acting_user=SYSTEM,
        unit=cast.village1b,
        question="还开着",
        options=["是", "否"],
        opens_at=now,
        closes_at=now + dt.timedelta(days=1),
    )


def test_a_sibling_and_a_hidden_post_are_never_counted(cast):
    _varied(cast)
    town = voice_figures(unit=cast.township1)
    assert town.total == 4  # not the sibling township's concern
    assert (town.aid_requests, town.aid_requests_met, town.aid_offers) == (2, 1, 1)  # no hidden
    assert town.polls_held == 1  # the open poll and the sibling's closed one left out
    other = voice_figures(unit=cast.township2)
    assert (other.total, other.aid_offers, other.emergencies, other.polls_held) == (1, 1, 0, 1)
    assert voice_figures(unit=cast.village1b).aid_requests == 1


def test_the_fixed_sql_equals_the_recount(cast):
    empty = voice_figures(unit=cast.banner)
    assert empty == recount(cast.banner)
    assert empty.median_hours_to_answer is None and empty.satisfaction is None
    _varied(cast)
    for unit in (cast.banner, cast.township1, cast.township2, cast.village1a, cast.village1b):
        figures = voice_figures(unit=unit)
        assert figures == recount(unit), unit.name
    banner = voice_figures(unit=cast.banner)
    assert banner.overdue == 1 and banner.answered == 2 and banner.satisfaction == 3.5
