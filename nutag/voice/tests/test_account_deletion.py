"""A resident who deletes their login leaves their concerns, threads, comments and aid posts
anonymised, not gone (issue 13, "Bad input and reliability")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from nutag.factories import TEST_PASSWORD, make_concern
from nutag.people.models import Person
from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia
from nutag.voice.models import Comment, Concern, InboxMessage, InboxThread
from nutag.voice.services import comments as comment_svc
from nutag.voice.services import inbox as inbox_svc


@pytest.mark.django_db
def test_wrong_password_leaves_the_concerns_pointing_to_the_resident(cast):
    person = Person.objects.get(user=cast.resident)
    concern = make_concern(unit=cast.village1a, person=person)
    c = Client()
    c.force_login(cast.resident)
    assert c.post("/desk/me/delete/", {"password": "wrong"}).status_code == 200
    assert Concern.objects.get(pk=concern.pk).person_id == person.pk


@pytest.mark.django_db
def test_after_deletion_concerns_threads_and_comments_stay_anonymised(cast):
    person = Person.objects.get(user=cast.resident)
    concern = make_concern(unit=cast.village1a, person=person, location="北山脚下", is_public=True)
    thread = inbox_svc.thread_start(
        acting_user=cast.resident, unit=cast.village1a, subject="水井", text="井坏了"
    )
    article = Article.objects.create(
        unit=cast.village1a,
        title="通知",
        status=ArticleStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    Placement.objects.create(article=article, unit=cast.village1a, via=PlacementVia.OWN)
    comment = comment_svc.comment_post(
        acting_user=cast.resident, unit=cast.village1a, text="好", article=article
    )
    masked = comment.author_name
    counts = (Concern.objects.count(), InboxThread.objects.count(), Comment.objects.count())

    c = Client()
    c.force_login(cast.resident)
    assert c.post("/desk/me/delete/", {"password": TEST_PASSWORD}).status_code == 302

    assert (Concern.objects.count(), InboxThread.objects.count(), Comment.objects.count()) == (
        counts
    )
    kept = Concern.objects.get(pk=concern.pk)
    assert kept.person_id is None and kept.raised_by_id is None and kept.location == ""
    assert kept.text == concern.text and kept.number == concern.number
    assert InboxThread.objects.get(pk=thread.pk).person_id is None
    assert not InboxMessage.objects.filter(thread=thread, author=cast.resident).exists()
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.author_id is None and stored.author_name == masked and stored.text == "好"
    # The roster entry stays with the village.
    assert Person.objects.get(pk=person.pk).unit_id == cast.village1a.pk
