"""The soak's CI variant (issue 20, item 5; the full one is bench/soak.py): some hundreds of
requests over the real mix — pages (homes, a column, an article, the dashboard), searches, API
reads, residents' submissions with an ``Idempotency-Key`` (some sent twice, as a phone that
lost the answer would), the handlers' notification inbox — must leave the number of database
connections as it was, grow Python's traced memory by less than a generous bound once warm,
and store every confirmed submission exactly once."""

from __future__ import annotations

import gc
import json
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.factories import Cast, PersonFactory, UserFactory
from nutag.notify.models import Notification
from nutag.sites.services import ArticleInput, article_create, article_publish
from nutag.voice.models import Concern, SubmissionKey

WARM_UP = 3
ROUNDS = 15  # x 15 requests after the warm-up
MEMORY_BOUND = 16 * 1024 * 1024


def backends() -> int:
    if connection.vendor != "postgresql":
        return len(connections.all(initialized_only=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def logged_in(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


class Mix:
    """One round of the soak's mix; what the residents' submissions were confirmed as."""

    def __init__(self, cast: Cast, residents: list[Any], article: int) -> None:
        self.anonymous = Client()
        self.officer = logged_in(cast.village1a_secretary)
        self.residents = [logged_in(user) for user in residents]
        self.village, self.banner = cast.village1a.code, cast.banner.code
        self.article = article
        self.confirmed: dict[tuple[int, str], int] = {}  # (resident, key) -> concern id
        self.repeated = 0
        self.sent = 0

    def ok(self, response: Any, what: str) -> Any:
        assert response.status_code in (200, 201, 302), (what, response.status_code)
        return response

    def submit(self, i: int, n: int) -> None:
        who = i % len(self.residents)
        key = f"ci-soak-{n}-{i}"
        body = json.dumps({"category": "water", "text": f"井里的水有异味 {n}", "is_public": False})
        url = f"/api/v1/units/{self.village}/concerns"
        headers = {"Idempotency-Key": key}
        post: Callable[[], Any] = lambda: self.residents[who].post(  # noqa: E731
            url, body, content_type="application/json", headers=headers
        )
        first = self.ok(post(), "submit")
        assert first.status_code == 201
        self.confirmed[(who, key)] = first.json()["id"]
        self.sent += 1
        if n % 3 == 0:  # the phone lost the answer: the same key again
            again = self.ok(post(), "submit again")
            assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
            self.repeated += 1
        self.ok(self.residents[who].get(f"/api/v1/concerns/{first.json()['id']}"), "own")

    def round(self, n: int) -> None:
        v, b, a = self.village, self.banner, self.article
        for path in (
            f"/u/{v}/",
            f"/u/{b}/",
            f"/u/{v}/a/{a}/",
            # each submission changes the figures: the dashboard and the stats API are
            # worked out again, so one of the two a round
            f"/u/{b}/figures/" if n % 2 else f"/api/v1/units/{b}/stats",
            f"/u/{b}/search/?q=%E5%AD%A6%E4%B9%A0&r={n % 7}",
            f"/api/v1/units/{v}/articles",
            f"/api/v1/units/{v}/concern-categories",
        ):
            self.ok(self.anonymous.get(path), path)
        self.ok(self.officer.get(f"/desk/u/{v}/people/?q=wang"), "people search")
        self.ok(self.officer.get(f"/api/v1/units/{v}/concerns"), "handlers' list")
        self.submit(0, n)
        self.submit(1, n)
        inbox = self.ok(self.officer.get("/api/v1/me/notifications?unread=true&limit=20"), "inbox")
        items = inbox.json()["items"]
        assert items, "a new concern notifies the village's handlers"
        self.ok(self.officer.post(f"/api/v1/me/notifications/{items[0]['id']}/read"), "read")


@pytest.mark.django_db
def test_the_mix_leaks_no_connection_little_memory_and_loses_no_submission(cast: Cast) -> None:
    residents: list[Any] = [cast.resident]
    officer: Any = cast.village1a_secretary
    for i in range(3):
        user = UserFactory(username=f"ci-soak-{i}")
        PersonFactory(unit=cast.village1a, name=f"牧民{i}", user=user, is_resident=True)
        residents.append(user)
    article = article_create(
        acting_user=SYSTEM, unit=cast.village1a, data=ArticleInput(title="夏季转场")
    )
    article_publish(acting_user=SYSTEM, article=article)
    mix = Mix(cast, residents, article.pk)

    for n in range(WARM_UP):  # imports, templates, caches
        mix.round(n)
    connections_before = backends()
    gc.collect()
    tracemalloc.start()
    try:
        for n in range(WARM_UP, WARM_UP + ROUNDS):
            mix.round(n)
        gc.collect()
        grown, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert backends() == connections_before
    assert grown < MEMORY_BOUND, f"{grown / 1e6:.1f} MB still held after {ROUNDS} rounds"
    # Every confirmed submission is there exactly once; a repeated key made nothing new.
    assert mix.sent == 2 * (WARM_UP + ROUNDS) and mix.repeated > 0
    ids = sorted(mix.confirmed.values())
    assert len(set(ids)) == len(ids) == mix.sent
    users = [u.pk for u in residents]
    assert (
        sorted(Concern.objects.filter(raised_by_id__in=users).values_list("pk", flat=True)) == ids
    )
    keys = SubmissionKey.objects.filter(user_id__in=users)
    assert sorted(keys.values_list("concern_id", flat=True)) == ids
    # Each one notified the handlers once; the inbox reads marked some read.
    assert Notification.objects.filter(recipient__user=officer).count() >= len(ids)
