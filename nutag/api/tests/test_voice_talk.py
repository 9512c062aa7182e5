"""Comments and the inbox through the API: the same rules as the pages (404 for not yours,
400 with the message), pages of ``{count, offset, limit, items}``."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from nutag.factories import PersonFactory, UserFactory
from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia
from nutag.voice.models import Comment, CommentState, InboxThread

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _post(c: Client, url: str, body: dict) -> object:  # type: ignore[type-arg]
    return c.post(url, json.dumps(body), content_type="application/json")


def _article(unit) -> Article:  # type: ignore[no-untyped-def]
    article = Article.objects.create(
        unit=unit, title="通知", status=ArticleStatus.PUBLISHED, published_at=timezone.now()
    )
    Placement.objects.create(article=article, unit=unit, via=PlacementVia.OWN)
    return article


def test_comments_negatives_then_post_list_report_moderate(cast):
    article = _article(cast.village1a)
    url = f"/api/v1/units/{cast.village1a.code}/articles/{article.pk}/comments"
    assert _post(_client(None), url, {"text": "x"}).status_code == 401
    other = UserFactory(username="b-resident")
    PersonFactory(unit=cast.village1b, name="乙村人", user=other)
    assert _post(_client(other), url, {"text": "x"}).status_code == 404
    r = _post(_client(cast.resident), url, {"text": ""})
    assert r.status_code == 400 and "text" in r.json()["errors"]
    assert not Comment.objects.exists()
    r = _post(_client(cast.resident), url, {"text": "说得好"})
    assert r.status_code == 201 and r.json()["author"] == "牧**"
    listed = _client(None).get(url + "?limit=1").json()
    assert listed["count"] == 1 and listed["limit"] == 1
    assert listed["items"][0]["text"] == "说得好"
    comment_id = listed["items"][0]["id"]
    report = f"/api/v1/units/{cast.village1a.code}/comments/{comment_id}/report"
    assert _post(_client(cast.volunteer), report, {}).status_code == 200
    assert _post(_client(cast.volunteer), report, {}).status_code == 400  # once each
    moderate = f"/api/v1/comments/{comment_id}/moderate"
    body = {"version": 1, "decision": "hide"}
    assert _post(_client(cast.resident), moderate, body).status_code == 404
    assert _post(_client(cast.village2a_secretary), moderate, body).status_code == 404
    r = _post(_client(cast.village1a_secretary), moderate, body)
    assert r.status_code == 200 and r.json()["state"] == CommentState.HIDDEN
    assert _post(_client(cast.township1_secretary), moderate, body).status_code == 400  # stale
    assert _client(None).get(url).json()["count"] == 0


def test_inbox_negatives_then_a_thread(cast):
    url = f"/api/v1/units/{cast.village1a.code}/inbox"
    assert (
        _post(_client(cast.village2a_secretary), url, {"subject": "x", "text": "y"}).status_code
        == 404
    )
    r = _post(_client(cast.resident), url, {"subject": "水井", "text": "井坏了"})
    assert r.status_code == 201
    thread_id = r.json()["id"]
    assert _client(cast.village2a_secretary).get(f"/api/v1/inbox/{thread_id}").status_code == 404
    assert _client(cast.volunteer).get(f"/api/v1/inbox/{thread_id}").status_code == 404
    assert _client(cast.volunteer).get(url).json()["count"] == 0  # only their own
    office = _client(cast.village1a_officer)
    listed = office.get(url + "?unread=true").json()
    assert listed["count"] == 1 and listed["items"][0]["unread"] is True
    r = _post(office, f"/api/v1/inbox/{thread_id}/messages", {"text": "明天去修"})
    assert r.status_code == 201 and len(r.json()["messages"]) == 2
    mine = _client(cast.resident).get(url).json()["items"][0]
    assert mine["unread"] is True
    assert _client(cast.resident).get(f"/api/v1/inbox/{thread_id}").status_code == 200
    assert _client(cast.resident).get(url).json()["items"][0]["unread"] is False
    assert InboxThread.objects.count() == 1
