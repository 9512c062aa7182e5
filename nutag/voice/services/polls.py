"""Village polls (议事): writes and reads.

- ``poll_create``: the secretary puts a question with 2–10 options, open and close times, to
  the unit's verified residents (people of the unit with a login) or its Party members; who
  may vote is fixed at that moment (``PollVoter`` rows), so the record says who could vote
  and whether they did.
- ``poll_vote``: one vote per voter, between the open and close times. The voter's row is
  marked with a compare-and-set (``voted_at IS NULL``) and the option's count raised in the
  same transaction; *which* option is never stored with the person. A second vote, a vote
  before opening or after closing is refused with a message; someone who may not vote gets
  404 (the poll is not theirs).
Reads (results, the open poll of a unit) are in ``nutag.voice.selectors.polls``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, SystemActor
from nutag.core.audit import audit_record, user_or_none
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.people.models import Person
from nutag.voice.models import Electorate, Poll, PollOption, PollVoter
from nutag.voice.permissions import can_run_polls
from nutag.voice.selectors.polls import voter_of


def _eligible(unit: Unit, electorate: str) -> list[int]:
    people = Person.objects.filter(unit=unit)
    if electorate == Electorate.PARTY:
        people = people.filter(party__isnull=False)
    else:
        people = people.filter(user__isnull=False, user__is_active=True)
    return list(people.values_list("pk", flat=True))


@transaction.atomic
def poll_create(
    *,
    acting_user: Actor,
    unit: Unit,
    question: str,
    options: Sequence[str],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    electorate: str = Electorate.RESIDENTS,
    live_results: bool = False,
) -> Poll:
    if not isinstance(acting_user, SystemActor):
        require(acting_user, can_run_polls, unit)
    errors: dict[str, list[str]] = {}
    question = (question or "").strip()
    texts = [t.strip() for t in options if t and t.strip()]
    if not question:
        errors["question"] = [_("Write the question.")]
    if not 2 <= len(texts) <= 10 or len(set(texts)) != len(texts):
        errors["options"] = [_("Give from 2 to 10 different options.")]
    if closes_at <= opens_at or closes_at <= timezone.now():
        errors["closes_at"] = [_("The poll must close after it opens, and in the future.")]
    if electorate not in Electorate.values:
        errors["electorate"] = [_("Choose who may vote.")]
    if errors:
        raise ValidationError(errors)
    poll = Poll(
        unit=unit,
        unit_path=unit.path,
        question=question[:300],
        opens_at=opens_at,
        closes_at=closes_at,
        electorate=electorate,
        live_results=live_results,
        created_by=user_or_none(acting_user),
    )
    poll.full_clean()
    poll.save()
    PollOption.objects.bulk_create(
        [PollOption(poll=poll, text=t[:200], order=i) for i, t in enumerate(texts)]
    )
    PollVoter.objects.bulk_create(
        [PollVoter(poll=poll, person_id=pk) for pk in _eligible(unit, electorate)]
    )
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=poll, unit=unit)
    from nutag.sites.events import announce_site_change

    announce_site_change(unit_ids=[unit.pk])
    return poll


@transaction.atomic
def poll_vote(
    *, acting_user: Actor, poll: Poll, option_id: int, now: dt.datetime | None = None
) -> None:
    """One vote. Refused with a message when the poll is not open or the vote was cast."""
    voter = voter_of(user=acting_user, poll=poll) if isinstance(acting_user, User) else None
    if voter is None:
        raise NotFound
    option = PollOption.objects.filter(poll=poll, pk=option_id).first()
    if option is None:
        raise ValidationError({"option": [_("Choose one of the options.")]})
    now = now or timezone.now()
    if now < poll.opens_at:
        raise ValidationError(_("This poll is not open yet."), code="not_open")
    if now >= poll.closes_at:
        raise ValidationError(_("This poll has closed: votes are no longer taken."), code="closed")
    marked = PollVoter.objects.filter(pk=voter.pk, voted_at__isnull=True).update(voted_at=now)
    if not marked:
        raise ValidationError(_("You have already voted in this poll."), code="voted")
    PollOption.objects.filter(pk=option.pk).update(votes=F("votes") + 1)
