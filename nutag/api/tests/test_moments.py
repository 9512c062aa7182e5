"""A date and time sent to the API is resolved to UTC once: an offset PostgreSQL cannot store
(past ±15:59) and a moment past the calendar's ends are a 400, never a 500."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _poll(client: Client, code: str, opens: str, closes: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/units/{code}/polls",
        json.dumps(
            {
                "question": "草场轮牧？",
                "options": ["同意", "不同意"],
                "opens_at": opens,
                "closes_at": closes,
            }
        ),
        content_type="application/json",
    )


def test_an_offset_past_what_postgresql_stores_is_no_server_error(cast) -> None:
    client = Client()
    client.force_login(cast.village1a_secretary)
    r = _poll(client, cast.village1a.code, "0096-12-22T19:43:34-19:59", "0097-01-22T19:43:34+19:59")
    assert r.status_code == 400  # in the past: the service's own refusal
    assert set(r.json()["errors"]) & {"opens_at", "closes_at"}
    r = _poll(client, cast.village1a.code, "0001-01-01T00:00:00+23:59", "0001-01-02T00:00:00")
    assert r.status_code == 400


def test_a_moment_with_an_offset_is_kept_as_the_same_instant(cast) -> None:
    from nutag.voice.models import Poll

    client = Client()
    client.force_login(cast.village1a_secretary)
    opens = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    closes = opens + dt.timedelta(days=7)
    far = dt.timezone(dt.timedelta(hours=20, minutes=30))
    r = _poll(
        client,
        cast.village1a.code,
        opens.astimezone(far).isoformat(),
        closes.astimezone(far).isoformat(),
    )
    assert r.status_code == 201, r.content
    poll = Poll.objects.get(question="草场轮牧？")
    assert abs((poll.opens_at - opens).total_seconds()) < 1
