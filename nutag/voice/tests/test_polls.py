"""Village polls: who may put one and vote, one vote each, no vote outside the open times,
results only when allowed, and no record of who voted what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.factories import PersonFactory, UserFactory
from nutag.voice import services
from nutag.voice.models import Poll, PollOption, PollVoter
from nutag.voice.selectors.polls import access_poll, open_poll, poll_view, polls_held


def _poll(unit, **kw):  # type: ignore[no-untyped-def]
    now = timezone.now()
    kw.setdefault("opens_at", now - dt.timedelta(hours=1))
    kw.setdefault("closes_at", now + dt.timedelta(days=3))
    kw.setdefault("options", ["修在东边", "修在西边"])
    return services.poll_create(acting_user=SYSTEM, unit=unit, question="新水井修在哪里？", **kw)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.mark.django_db
def test_only_secretaries_at_or_above_put_a_poll(cast):
    now = timezone.now()
    for user in (cast.village1a_officer, cast.resident, cast.village2a_secretary):
        with pytest.raises(NotFound):
            services.poll_create(
                acting_user=user,
                unit=cast.village1a,
                question="问",
                options=["甲", "乙"],
                opens_at=now,
                closes_at=now + dt.timedelta(days=1),
            )
    assert not Poll.objects.exists()
    poll = services.poll_create(
        acting_user=cast.township1_secretary,
        unit=cast.village1a,
        question="问",
        options=["甲", "乙"],
        opens_at=now,
        closes_at=now + dt.timedelta(days=1),
    )
    assert poll.unit == cast.village1a


@pytest.mark.django_db
def test_bad_polls_are_refused(cast):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        _poll(cast.village1a, options=["只有一个"])
    assert "options" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _poll(cast.village1a, closes_at=now - dt.timedelta(days=1))
    assert "closes_at" in exc.value.message_dict


@pytest.mark.django_db
def test_the_electorate_is_the_units_verified_residents(cast):
    poll = _poll(cast.village1a)
    PersonFactory(unit=cast.village1a, name="没有账号的人")  # no login: not verified
    voters = set(PollVoter.objects.filter(poll=poll).values_list("person__user", flat=True))
    assert cast.resident.pk in voters and cast.volunteer.pk in voters
    assert None not in voters
    with pytest.raises(NotFound):  # another village's secretary
        access_poll(user=cast.village2a_secretary, pk=poll.pk)
    stranger = UserFactory()
    PersonFactory(unit=cast.village1b, user=stranger)
    with pytest.raises(NotFound):
        services.poll_vote(acting_user=stranger, poll=poll, option_id=poll.options.first().pk)


@pytest.mark.django_db
def test_one_vote_each_and_no_record_of_the_choice(cast):
    poll = _poll(cast.village1a)
    east, west = poll.options.all()
    services.poll_vote(acting_user=cast.resident, poll=poll, option_id=east.pk)
    with pytest.raises(ValidationError) as exc:
        services.poll_vote(acting_user=cast.resident, poll=poll, option_id=west.pk)
    assert exc.value.code == "voted"
    assert PollOption.objects.get(pk=east.pk).votes == 1
    assert PollOption.objects.get(pk=west.pk).votes == 0
    voter = PollVoter.objects.get(poll=poll, person__user=cast.resident)
    assert voter.voted_at is not None
    # the voter row has no field that could say which option
    assert {f.name for f in PollVoter._meta.get_fields()} == {"id", "poll", "person", "voted_at"}


@pytest.mark.django_db
def test_no_vote_before_opening_or_after_closing(cast):
    poll = _poll(cast.village1a)
    option = poll.options.first().pk
    with pytest.raises(ValidationError) as exc:
        services.poll_vote(
            acting_user=cast.resident,
            poll=poll,
            option_id=option,
            now=poll.closes_at + dt.timedelta(seconds=1),
        )
    assert exc.value.code == "closed"
    with pytest.raises(ValidationError) as exc:
        services.poll_vote(
            acting_user=cast.resident,
            poll=poll,
            option_id=option,
            now=poll.opens_at - dt.timedelta(seconds=1),
        )
    assert exc.value.code == "not_open"
    assert not PollVoter.objects.filter(voted_at__isnull=False).exists()


@pytest.mark.django_db
def test_results_only_after_closing_unless_live(cast):
    poll = _poll(cast.village1a)
    assert not poll_view(user=cast.resident, poll=poll).show_results
    live = _poll(cast.village1a, live_results=True)
    assert poll_view(user=cast.resident, poll=live).show_results
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    poll.refresh_from_db()
    assert poll_view(user=cast.resident, poll=poll).show_results
    assert polls_held(unit=cast.banner) == 1


@pytest.mark.django_db
def test_the_page_and_the_home_block(cast):
    poll = _poll(cast.village1a)
    assert open_poll(unit=cast.village1a) == poll
    home = _client(None).get(f"/u/{cast.village1a.code}/").content.decode()
    assert "新水井修在哪里？" in home
    url = f"/u/{cast.village1a.code}/polls/{poll.pk}/"
    assert _client(None).get(url).status_code == 302  # to the login: they may be a voter
    resident = _client(cast.resident)
    option = poll.options.first().pk
    assert resident.post(url, {"option": option}).status_code == 302
    again = resident.post(url, {"option": option})
    assert again.status_code == 200 and "已经投过票" in again.content.decode()


@pytest.mark.django_db
def test_the_api(cast):
    now = timezone.now()
    body = {
        "question": "议事：草场轮牧",
        "options": ["同意", "不同意"],
        "opens_at": now.isoformat(),
        "closes_at": (now + dt.timedelta(days=1)).isoformat(),
    }
    url = f"/api/v1/units/{cast.village1a.code}/polls"
    assert _client(cast.village1a_officer).post(url, body, "application/json").status_code == 404
    created = _client(cast.village1a_secretary).post(url, body, "application/json")
    assert created.status_code == 201
    poll_id = created.json()["id"]
    resident = _client(cast.resident)
    data = resident.get(f"/api/v1/polls/{poll_id}").json()
    assert data["may_vote"] and all(o["votes"] is None for o in data["options"])
    vote = {"option": data["options"][0]["id"]}
    voted = resident.post(f"/api/v1/polls/{poll_id}/vote", vote, "application/json")
    assert voted.status_code == 200 and voted.json()["has_voted"]
    again = resident.post(f"/api/v1/polls/{poll_id}/vote", vote, "application/json")
    assert again.status_code == 400


@pytest.mark.django_db
def test_a_login_not_on_the_list_is_told_why_only_for_the_poll_the_home_shows(cast):
    """The home's "Vote" button is shown to every reader: a login that is not on the list
    (another village's secretary, an officer above) gets a 403 that says why, with only what
    the home shows; every other poll (an older one still open, a closed one, under another
    unit's address) stays a 404 for them, and nothing they send is counted."""
    older = _poll(cast.village1a, opens_at=timezone.now() - dt.timedelta(hours=2))
    poll = _poll(cast.village1a, options=["修在东边", "修在西边", "不修"])
    closed = _poll(cast.village1a, opens_at=timezone.now() - dt.timedelta(days=3))
    Poll.objects.filter(pk=closed.pk).update(closes_at=timezone.now() - dt.timedelta(hours=1))
    outsider = _client(cast.village2a_secretary)
    code = cast.village1a.code
    assert outsider.get(f"/u/{code}/polls/{older.pk}/").status_code == 404
    assert outsider.get(f"/u/{code}/polls/{closed.pk}/").status_code == 404
    assert outsider.get(f"/u/{cast.village2a.code}/polls/{poll.pk}/").status_code == 404
    assert outsider.get(f"/u/{code}/polls/{poll.pk + 1000}/").status_code == 404
    page = outsider.get(f"/u/{code}/polls/{poll.pk}/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "新水井修在哪里？" in html and "您不在本次议事的投票人名单上" in html
    assert "本单位已核实的居民" in html  # who votes
    assert "不修" not in html and "人中已有" not in html  # no option, no count
    sent = outsider.post(f"/u/{code}/polls/{poll.pk}/", {"option": poll.options.first().pk})
    assert sent.status_code == 403
    assert not PollOption.objects.filter(poll=poll, votes__gt=0).exists()
    assert not PollVoter.objects.filter(poll=poll, voted_at__isnull=False).exists()
    mongolian = Client(HTTP_ACCEPT_LANGUAGE="mn-mong")
    mongolian.force_login(cast.village2a_secretary)
    words = mongolian.get(f"/u/{code}/polls/{poll.pk}/").content.decode()
    assert "ᠨᠡᠷᠡ ᠶᠢᠨ ᠪᠦᠷᠲᠭᠡᠯ" in words and "You are not" not in words
    # a voter still votes, and a secretary of the unit still reads it whole
    assert _client(cast.resident).get(f"/u/{code}/polls/{poll.pk}/").status_code == 200
