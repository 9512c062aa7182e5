"""The soak's CI variant (issue 20, item 5; the full one is bench/soak.py): some hundreds of
requests over the public mix — pages, a dashboard, the stats API, a search, a signed-in
page — must leave the number of database connections as it was and grow Python's traced
memory by less than a generous bound once warm."""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from django.db import connection, connections
from django.test import Client

from nutag.factories import Cast

ROUNDS = 40  # x 6 requests after 10 rounds of warm-up
MEMORY_BOUND = 16 * 1024 * 1024


def backends() -> int:
    if connection.vendor != "postgresql":
        return len(connections.all(initialized_only=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_a_stream_of_requests_leaks_no_connection_and_little_memory(
    cast: Cast, client: Client
) -> None:
    officer = Client()
    officer.force_login(cast.village1a_secretary)
    village, banner = cast.village1a.code, cast.banner.code
    mix = [
        (client, f"/u/{village}/"),
        (client, f"/u/{banner}/"),
        (client, f"/u/{banner}/figures/"),
        (client, f"/api/v1/units/{banner}/stats"),
        (client, f"/u/{banner}/search/?q=%E5%AD%A6%E4%B9%A0"),
        (officer, f"/desk/u/{village}/people/?q=wang"),
    ]

    def rounds(n: int) -> None:
        for i in range(n):
            for who, path in mix:
                response = who.get(path, {"r": i % 7} if "?" not in path else None)
                assert response.status_code in (200, 302), (path, response.status_code)

    rounds(10)  # warm-up: imports, templates, caches
    connections_before = backends()
    gc.collect()
    tracemalloc.start()
    try:
        rounds(ROUNDS)
        gc.collect()
        grown, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert backends() == connections_before
    assert grown < MEMORY_BOUND, f"{grown / 1e6:.1f} MB still held after {ROUNDS * 6} requests"
