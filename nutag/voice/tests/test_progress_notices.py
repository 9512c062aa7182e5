"""Everyone involved is notified: the resident hears of accept and of work started, once."""

from __future__ import annotations

import pytest

from nutag.factories import make_concern
from nutag.notify.models import Kind, Notification
from nutag.people.models import Person
from nutag.voice import services


@pytest.mark.django_db
def test_accept_and_start_tell_the_resident_once_each(cast):
    person = Person.objects.get(user=cast.resident)
    concern = make_concern(unit=cast.village1a, person=person)
    accepted = services.concern_accept(
        acting_user=cast.village1a_officer, concern=concern, version=concern.version
    )
    services.concern_start(
        acting_user=cast.village1a_officer, concern=accepted, version=accepted.version
    )
    told = Notification.objects.filter(recipient=person).values_list("kind", flat=True)
    assert sorted(told) == sorted([Kind.CONCERN_ACCEPTED, Kind.CONCERN_STARTED])
    # the officers are not told of their own step
    officer = Person.objects.get(user=cast.village1a_officer)
    assert not Notification.objects.filter(
        recipient=officer, kind__in=[Kind.CONCERN_ACCEPTED, Kind.CONCERN_STARTED]
    ).exists()


@pytest.mark.django_db
def test_a_concern_for_no_one_tells_no_one(cast):
    concern = make_concern(unit=cast.village1a)  # a caller not on the roster
    services.concern_accept(acting_user=cast.village1a_officer, concern=concern, version=1)
    assert not Notification.objects.filter(kind=Kind.CONCERN_ACCEPTED).exists()
