"""The voice models in the Django admin: platform admins only, read-only where a service
must make the change; an inbox thread shows no subject or message."""

from __future__ import annotations

import pytest

from nutag.factories import make_concern
from nutag.voice.models import Comment
from nutag.voice.services import inbox as inbox_svc

PAGES = ["comment", "aidpost", "emergency", "inboxthread"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", PAGES)
def test_a_staff_officer_is_refused(cast, client, model):
    cast.township1_secretary.is_staff = True
    cast.township1_secretary.save()
    client.force_login(cast.township1_secretary)
    assert client.get(f"/admin/voice/{model}/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("model", PAGES)
def test_the_platform_admin_reads_but_cannot_add(cast, client, model):
    client.force_login(cast.admin)
    assert client.get(f"/admin/voice/{model}/").status_code == 200
    assert client.get(f"/admin/voice/{model}/add/").status_code == 403


@pytest.mark.django_db
def test_a_comment_cannot_be_edited_or_hidden_through_the_admin(cast, client):
    concern = make_concern(unit=cast.village1a, is_public=True)
    comment = Comment.objects.create(
        unit=cast.village1a,
        unit_path=cast.village1a.path,
        concern=concern,
        text="原文",
        state="published",
        author_name="牧民 王**",
    )
    client.force_login(cast.admin)
    client.post(f"/admin/voice/comment/{comment.pk}/change/", {"text": "改了", "state": "hidden"})
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.text, stored.state) == ("原文", "published")


@pytest.mark.django_db
def test_an_inbox_thread_shows_no_subject_or_message(cast, client):
    thread = inbox_svc.thread_start(
        acting_user=cast.resident, unit=cast.village1a, subject="私事标题", text="私密内容"
    )
    client.force_login(cast.admin)
    page = client.get(f"/admin/voice/inboxthread/{thread.pk}/change/")
    assert page.status_code in (302, 403, 404)
    assert "私事标题" not in page.content.decode() and "私密内容" not in page.content.decode()
    listing = client.get("/admin/voice/inboxthread/").content.decode()
    assert "私事标题" not in listing
