"""Redis stopped: the site still answers (issue 20, faults). The cache is a Redis that
refuses every connection; pages, the dashboard, the stats API and a signed-in page answer
200 from the database, and the backend behaves as an empty cache that forgets."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from nutag.factories import Cast

DEAD_REDIS = {
    "default": {
        "BACKEND": "nutag.core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "KEY_PREFIX": "nutag",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_the_plain_redis_backend_would_fail() -> None:
    """Why the resilient backend exists: Django's own raises when Redis is down."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    with (
        override_settings(
            CACHES={
                "default": {
                    **DEAD_REDIS["default"],
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                }
            }
        ),
        pytest.raises(RedisConnectionError),
    ):
        caches["default"].get("anything")


@override_settings(CACHES=DEAD_REDIS)
def test_a_dead_redis_is_an_empty_cache_that_forgets() -> None:
    cache = caches["default"]
    cache.set("k", 1)
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["k", "j"]) == {}
    assert cache.add("k", 1) is False
    assert cache.incr("k", 3) == 3
    assert cache.has_key("k") is False
    assert cache.delete("k") is False
    cache.delete_many(["k"])
    cache.set_many({"k": 1})
    cache.clear()


@override_settings(CACHES=DEAD_REDIS)
def test_pages_are_served_while_redis_is_down(cast: Cast, client: Client) -> None:
    village, banner = cast.village1a, cast.banner
    for path in (
        f"/u/{village.code}/",
        f"/u/{banner.code}/",
        f"/u/{banner.code}/figures/",
        f"/api/v1/units/{banner.code}/stats",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    client.force_login(cast.village1a_secretary)  # the session lives in the database
    response = client.get("/desk/")
    assert response.status_code in (200, 302)
    assert client.get(f"/u/{village.code}/").status_code == 200


def test_an_outage_a_test_plays_is_forgotten_before_the_next() -> None:
    """The outage is remembered per process for ``RETRY_AFTER`` seconds: the suite's
    fixture (``nutag/conftest.py``) forgets it, else the next test's real Redis (CI's
    PostgreSQL pass) looked down, its cache reads missing and its writes dropped."""
    from nutag.core.cache import forget_outage, redis_is_down

    with override_settings(CACHES=DEAD_REDIS):
        assert caches["default"].get("k", "fallback") == "fallback"
    assert redis_is_down()
    forget_outage()
    assert not redis_is_down()
