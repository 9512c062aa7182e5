"""Mutual aid: posting, closing, hiding, the column, the API; negatives first."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.factories import PersonFactory, UserFactory
from nutag.voice.models import AidPost, AidStatus
from nutag.voice.services import aid

pytestmark = pytest.mark.django_db


def _post(cast, unit=None, **kw):  # type: ignore[no-untyped-def]
    data = {"kind": "request", "topic": "lost", "title": "丢了三只羊", "marks": "耳标 15-0732"}
    data.update(kw)
    return aid.aid_post_create(acting_user=cast.resident, unit=unit or cast.village1a, **data)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


# --- Negatives ------------------------------------------------------------------------------


def test_a_resident_posts_only_at_their_own_village(cast):
    for unit in (cast.village1b, cast.township1, cast.banner, cast.village2a):
        with pytest.raises(NotFound):
            _post(cast, unit=unit)
    assert not AidPost.objects.exists()


def test_someone_else_cannot_close_a_post(cast):
    post = _post(cast)
    neighbour = UserFactory(username="neighbour")
    PersonFactory(unit=cast.village1a, name="邻居", user=neighbour)
    for user in (neighbour, cast.village2a_secretary, cast.volunteer):
        with pytest.raises(NotFound):
            aid.aid_post_close(acting_user=user, post=post)
    r = _client(neighbour).post(f"/api/v1/aid/{post.pk}/close")
    assert r.status_code == 404
    r = _client(neighbour).post(f"/u/{cast.village1a.code}/aid/{post.pk}/", {"action": "close"})
    assert r.status_code == 404
    assert AidPost.objects.get(pk=post.pk).status == AidStatus.OPEN


def test_only_officers_of_the_unit_and_above_hide(cast):
    post = _post(cast)
    for user in (cast.resident, cast.volunteer, cast.village2a_secretary):
        with pytest.raises(NotFound):
            aid.aid_post_hide(acting_user=user, post=post, reason="辱骂")
    with pytest.raises(ValidationError):
        aid.aid_post_hide(acting_user=cast.village1a_officer, post=post, reason=" ")
    assert AidPost.objects.get(pk=post.pk).status == AidStatus.OPEN


def test_bad_input_is_refused_with_messages(cast):
    with pytest.raises(ValidationError) as exc:
        _post(cast, title=" ", kind="gift", topic="x")
    assert set(exc.value.message_dict) == {"title", "kind", "topic"}
    r = _client(cast.resident).post(
        f"/api/v1/units/{cast.village1a.code}/aid",
        json.dumps({"kind": "offer", "topic": "fodder", "title": ""}),
        content_type="application/json",
    )
    assert r.status_code == 400  # the schema states it: a title with a visible character
    assert any(key.endswith("title") for key in r.json()["errors"])


def test_anonymous_cannot_post(cast, client):
    r = client.get(f"/u/{cast.village1a.code}/aid/new/")
    assert r.status_code == 302 and "/login/" in r["Location"]
    r = client.post(
        f"/api/v1/units/{cast.village1a.code}/aid",
        json.dumps({"kind": "offer", "topic": "fodder", "title": "卖草"}),
        content_type="application/json",
    )
    assert r.status_code == 401


# --- What works -----------------------------------------------------------------------------


def test_post_close_by_the_poster_and_audit(cast):
    post = _post(cast)
    assert post.person is not None and post.unit_path == cast.village1a.path
    aid.aid_post_close(acting_user=cast.resident, post=post)
    post.refresh_from_db()
    assert post.status == AidStatus.MET and post.closed_at is not None
    with pytest.raises(ValidationError):
        aid.aid_post_close(acting_user=cast.resident, post=post)
    assert AuditEntry.objects.filter(object_id=str(post.pk), action="close").exists()


def test_an_officer_above_closes_and_hides_with_an_audit(cast):
    post = _post(cast)
    aid.aid_post_hide(acting_user=cast.township1_officer, post=post, reason="广告")
    assert AidPost.objects.get(pk=post.pk).status == AidStatus.HIDDEN
    assert AuditEntry.objects.filter(note="hidden: 广告").exists()
    # hidden: gone for the residents (404), still there for the officers
    assert _client(cast.resident).get(f"/api/v1/aid/{post.pk}").status_code == 404
    assert _client(cast.village1a_officer).get(f"/api/v1/aid/{post.pk}").status_code == 200
    other = _post(cast, title="要借车", topic="transport")
    aid.aid_post_close(acting_user=cast.village1a_officer, post=other)


def test_column_page_and_list_show_open_posts(cast, client):
    post = _post(cast, title="走失黑头羊")
    met = _post(cast, title="已找到的马", topic="found")
    aid.aid_post_close(acting_user=SYSTEM, post=met)
    r = client.get(f"/u/{cast.village1a.code}/c/mutual_aid/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "走失黑头羊" in body and "已找到的马" not in body  # the column: open posts only
    body = client.get(f"/u/{cast.village1a.code}/aid/").content.decode()
    assert "走失黑头羊" in body and "已找到的马" in body
    assert (
        "走失黑头羊" not in client.get(f"/u/{cast.village1b.code}/c/mutual_aid/").content.decode()
    )
    r = client.get(f"/u/{cast.village1a.code}/aid/{post.pk}/")
    assert r.status_code == 200 and "15-0732" in r.content.decode()
    r = client.get(f"/u/{cast.village1b.code}/aid/{post.pk}/")
    assert r.status_code == 404  # not that unit's post


def test_the_form_posts_and_redirects(cast):
    c = _client(cast.resident)
    r = c.get(f"/u/{cast.village1a.code}/aid/new/")
    assert r.status_code == 200
    r = c.post(
        f"/u/{cast.village1a.code}/aid/new/",
        {"kind": "offer", "topic": "fodder", "title": "有干草出售", "text": "", "marks": ""},
    )
    assert r.status_code == 302
    assert AidPost.objects.filter(title="有干草出售", kind="offer").exists()
    r = c.post(f"/u/{cast.village1a.code}/aid/new/", {"kind": "offer", "topic": "fodder"})
    assert r.status_code == 200  # the form again, with the error by the field
    assert AidPost.objects.count() == 1


def test_api_lists_paginated_and_filters(cast):
    for i in range(3):
        _post(cast, title=f"帖{i}", kind="offer" if i else "request")
    c = _client(cast.resident)
    data = c.get(f"/api/v1/units/{cast.village1a.code}/aid?limit=2").json()
    assert data["count"] == 3 and len(data["items"]) == 2 and data["limit"] == 2
    data = c.get(f"/api/v1/units/{cast.village1a.code}/aid?kind=offer").json()
    assert data["count"] == 2
    r = c.post(
        f"/api/v1/units/{cast.village1a.code}/aid",
        json.dumps({"kind": "request", "topic": "vet", "title": "牛病了，找兽医"}),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["may_close"] is True
    pk = r.json()["id"]
    r = c.post(f"/api/v1/aid/{pk}/close")
    assert r.status_code == 200 and r.json()["status"] == "met"


def test_figures_count_aid_by_subtree_and_leave_hidden_out(cast, django_assert_num_queries):
    from nutag.voice.selectors.figures import VOICE_FIGURE_QUERIES, voice_figures
    from nutag.voice.services import emergencies

    met = _post(cast)
    aid.aid_post_close(acting_user=cast.resident, post=met)
    _post(cast, kind="offer", topic="fodder", title="卖草")
    hidden = _post(cast, title="广告")
    aid.aid_post_hide(acting_user=SYSTEM, post=hidden, reason="广告")
    aid.aid_post_create(
        acting_user=SYSTEM, unit=cast.village2a, kind="request", topic="vet", title="找兽医"
    )
    emergencies.emergency_publish(
        acting_user=SYSTEM, unit=cast.village1a, kind="fire", radius="unit", text="着火"
    )
    f = voice_figures(unit=cast.township1)
    assert (f.aid_requests, f.aid_requests_met, f.aid_offers, f.emergencies) == (1, 1, 1, 1)
    f = voice_figures(unit=cast.banner)
    assert (f.aid_requests, f.aid_requests_met, f.emergencies) == (2, 1, 1)
    assert voice_figures(unit=cast.township2).emergencies == 0
    with django_assert_num_queries(VOICE_FIGURE_QUERIES):
        voice_figures(unit=cast.banner)
    data = Client().get(f"/api/v1/units/{cast.banner.code}/stats").json()
    assert data["voice"]["aid_requests_met"] == 1 and data["voice"]["emergencies"] == 1
