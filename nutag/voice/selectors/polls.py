"""Reads of village polls: one poll (404 unless the reader may vote in it or runs polls at
its unit), what a reader sees of it (results after closing, or live when the secretary chose),
the unit's open poll for the site's home block (and, by its address, for a login that is not
on its list), and the polls held in a subtree (figures)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet
from django.utils import timezone

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.people.models import Person
from nutag.voice.models import Poll, PollOption, PollVoter
from nutag.voice.permissions import can_run_polls


def voter_of(*, user: AnyUser, poll: Poll) -> PollVoter | None:
    """The reader's place on the poll's list of voters, if any."""
    if not isinstance(user, User):
        return None
    return PollVoter.objects.filter(poll=poll, person__user_id=user.pk).first()


@dataclasses.dataclass(frozen=True)
class PollView:
    poll: Poll
    options: list[PollOption]
    may_vote: bool  # eligible, not voted, open
    has_voted: bool
    show_results: bool
    eligible: int
    voted: int


def access_poll(*, user: AnyUser, pk: int) -> Poll:
    """A poll is read by its electorate and by those who may run polls at its unit."""
    poll = Poll.objects.select_related("unit").filter(pk=pk).first()
    if poll is None or not (
        can_run_polls(user, poll.unit) or voter_of(user=user, poll=poll) is not None
    ):
        raise NotFound
    return poll


def poll_view(*, user: AnyUser, poll: Poll) -> PollView:
    voter = voter_of(user=user, poll=poll)
    closed = timezone.now() >= poll.closes_at
    counts = PollVoter.objects.filter(poll=poll).aggregate(
        eligible=Count("id"), voted=Count("voted_at")
    )
    return PollView(
        poll=poll,
        options=list(poll.options.all()),
        may_vote=voter is not None and voter.voted_at is None and poll.is_open,
        has_voted=voter is not None and voter.voted_at is not None,
        show_results=closed or poll.live_results,
        eligible=counts["eligible"],
        voted=counts["voted"],
    )


def open_poll(*, unit: Unit) -> Poll | None:
    """The unit's newest open poll (the site's home block)."""
    now = timezone.now()
    return (
        Poll.objects.filter(unit=unit, opens_at__lte=now, closes_at__gt=now)
        .order_by("-opens_at", "-id")
        .first()
    )


def shown_poll(*, code: str, pk: int) -> Poll:
    """The poll at this address if it is the one the unit's home shows every reader now (its
    newest open poll), else NotFound. Its page may tell a login that is not on its list why it
    cannot vote: the question and the closing day are on the home already, nothing more is
    said (not the options, not the count of votes)."""
    poll = Poll.objects.select_related("unit").filter(pk=pk, unit__code=code).first()
    if poll is None or open_poll(unit=poll.unit) != poll:
        raise NotFound
    return poll


def open_poll_until(
    *, unit: Unit, now: dt.datetime | None = None
) -> tuple[Poll | None, dt.datetime | None]:
    """``open_poll(unit)`` and the moment that answer changes with time alone (the poll
    closes or a later one opens; None: not before a write). One query over the unit's polls
    not yet closed, only the columns the home block prints (the block is kept under the
    unit's page generation until that moment: ``voice.views.render_open_poll``)."""
    now = now or timezone.now()
    rows = list(
        Poll.objects.filter(unit=unit, closes_at__gt=now)
        .only("id", "unit_id", "question", "opens_at", "closes_at")
        .order_by()
    )
    open_now = [p for p in rows if p.opens_at <= now]
    poll = max(open_now, key=lambda p: (p.opens_at, p.pk), default=None)
    moments = [p.opens_at for p in rows if p.opens_at > now]
    if poll is not None:
        moments.append(poll.closes_at)
    return poll, min(moments, default=None)


def polls_of_unit(*, user: AnyUser, unit: Unit) -> QuerySet[Poll]:
    """The unit's polls, newest first, for those who run them there and its residents."""
    member = isinstance(user, User) and Person.objects.filter(unit=unit, user_id=user.pk).exists()
    if not (can_run_polls(user, unit) or member):
        raise NotFound
    return Poll.objects.filter(unit=unit).select_related("unit").order_by("-opens_at", "-id")


def polls_held(*, unit: Unit) -> int:
    """Polls closed in the subtree (the figures)."""
    return Poll.objects.filter(
        subtree_q(unit.path, "unit_path"), closes_at__lte=timezone.now()
    ).count()
