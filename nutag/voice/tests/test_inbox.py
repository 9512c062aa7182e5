"""The secretary's inbox: who may start, read and answer a thread (negatives first: another
resident, a sibling village's officer, a login with no person → 404), unread state on both
sides, notifications to the other side, the workbench layout of the office's pages."""

from __future__ import annotations

import pytest
from django.test import Client

from nutag.core.errors import NotFound
from nutag.factories import PersonFactory, UserFactory
from nutag.notify.models import Kind, Notification
from nutag.people.models import Person
from nutag.voice.models import InboxMessage, InboxThread
from nutag.voice.services import inbox as svc


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _thread(cast) -> InboxThread:  # type: ignore[no-untyped-def]
    return svc.thread_start(
        acting_user=cast.resident, unit=cast.village1a, subject="低保", text="我想问低保怎么申请"
    )


# --- Negatives first ----------------------------------------------------------------------


@pytest.mark.django_db
def test_only_a_resident_of_the_unit_starts_a_thread(cast):
    url = f"/u/{cast.village1b.code}/inbox/"
    assert _client(cast.resident).get(url).status_code == 404  # not their village
    assert _client(UserFactory(username="nobody")).get(url).status_code == 404
    r = _client(None).get(url)
    assert r.status_code == 302 and "/login/" in r["Location"]
    with pytest.raises(NotFound):
        svc.thread_start(acting_user=cast.resident, unit=cast.village1b, subject="x", text="y")
    assert not InboxThread.objects.exists()


@pytest.mark.django_db
def test_another_resident_and_a_sibling_or_other_township_officer_get_404(cast):
    thread = _thread(cast)
    other = UserFactory(username="neighbour")
    PersonFactory(unit=cast.village1a, name="邻居", user=other, is_resident=True)
    for user in (other, cast.volunteer):
        assert _client(user).get(f"/u/{cast.village1a.code}/inbox/{thread.pk}/").status_code == 404
        r = _client(user).post(f"/u/{cast.village1a.code}/inbox/{thread.pk}/", {"text": "偷看"})
        assert r.status_code == 404
    for user in (cast.village2a_secretary, cast.resident):
        desk = f"/desk/u/{cast.village1a.code}/inbox/{thread.pk}/"
        assert _client(user).get(desk).status_code == 404
    # a sibling village's code in the address does not open it either
    sibling = f"/desk/u/{cast.village1b.code}/inbox/{thread.pk}/"
    assert _client(cast.township1_secretary).get(sibling).status_code == 404
    assert (
        _client(cast.village2a_secretary).get(f"/desk/u/{cast.village1a.code}/inbox/").status_code
        == 404
    )
    assert InboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_an_empty_message_is_refused_and_what_was_typed_kept(cast):
    r = _client(cast.resident).post(
        f"/u/{cast.village1a.code}/inbox/", {"subject": "草场纠纷", "text": " "}
    )
    assert r.status_code == 200 and "草场纠纷" in r.content.decode()
    assert not InboxThread.objects.exists()


# --- The thread ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_thread_with_unread_state_on_both_sides_and_notices(cast):
    c = _client(cast.resident)
    r = c.post(f"/u/{cast.village1a.code}/inbox/", {"subject": "低保", "text": "怎么申请？"})
    assert r.status_code == 302
    thread = InboxThread.objects.get()
    assert thread.unread_by_office and not thread.unread_by_resident
    officer_person = Person.objects.get(user=cast.village1a_officer)
    assert Notification.objects.filter(kind=Kind.INBOX_MESSAGE, recipient=officer_person).exists()
    assert not Notification.objects.filter(
        kind=Kind.INBOX_MESSAGE, recipient__user=cast.resident
    ).exists()
    office = _client(cast.village1a_officer)
    listing = office.get(f"/desk/u/{cast.village1a.code}/inbox/?unread=1").content.decode()
    assert "低保" in listing and 'href="/desk/' in listing  # the workbench layout
    page = office.get(f"/desk/u/{cast.village1a.code}/inbox/{thread.pk}/")
    assert "怎么申请" in page.content.decode()
    thread.refresh_from_db()
    assert not thread.unread_by_office
    assert (
        "低保" not in office.get(f"/desk/u/{cast.village1a.code}/inbox/?unread=1").content.decode()
    )
    r = office.post(f"/desk/u/{cast.village1a.code}/inbox/{thread.pk}/", {"text": "带户口本来村委"})
    assert r.status_code == 302
    thread.refresh_from_db()
    assert thread.unread_by_resident and not thread.unread_by_office
    assert Notification.objects.filter(
        kind=Kind.INBOX_MESSAGE, recipient__user=cast.resident
    ).exists()
    mine = c.get(f"/u/{cast.village1a.code}/inbox/").content.decode()
    assert "低保" in mine
    assert (
        "带户口本来村委" in c.get(f"/u/{cast.village1a.code}/inbox/{thread.pk}/").content.decode()
    )
    thread.refresh_from_db()
    assert not thread.unread_by_resident
    assert [m.from_resident for m in thread.messages.all()] == [True, False]


@pytest.mark.django_db
def test_the_township_above_may_step_in(cast):
    thread = _thread(cast)
    svc.thread_reply(acting_user=cast.township1_secretary, thread=thread, text="镇里来处理")
    assert thread.messages.count() == 2


@pytest.mark.django_db
def test_the_thread_stays_when_the_resident_goes(cast):
    thread = _thread(cast)
    person = Person.objects.get(user=cast.resident)
    from nutag.core.actors import SYSTEM

    assert svc.threads_anonymise_person(acting_user=SYSTEM, person=person) == 1
    thread.refresh_from_db()
    assert thread.person_id is None and thread.messages.count() == 1
