"""bench/stats_parts: each part of a cold stats answer against one COUNT(*) (issue 17).

Runs on a province kept by ``bench/stats.py --work --keep`` (or any database with one):
times, interleaved in one run, the baseline ``SELECT COUNT(*) FROM people_person`` and each
part of ``GET /api/v1/units/{code}/stats`` computed afresh (``_stats_json``): the seed's table
(``unit_figures``), ``five_good``, the voice, study and youth figures, and the whole answer;
then the dashboard's ``dashboard()`` selector and the whole dashboard page rendered afresh
(the view's selectors and template, without the page cache).
On PostgreSQL it also gives the cost of the answer and of the dashboard page as the server's
execution time (``EXPLAIN ANALYZE`` of every query) plus this process's CPU time, against the
same for the ``COUNT(*)``: on a machine shared with other work, wall time mostly measures the
queue.

Usage (from the project root):

    NUTAG_BENCH_CPU=1 .venv/bin/python bench/stats_parts.py sqlite:////tmp/x/bench.sqlite3
    .venv/bin/python bench/stats_parts.py postgres://nutag:nutag@127.0.0.1:5432/nutag_bench

``NUTAG_BENCH_CPU=1`` times with this process's CPU time (right for SQLite, which runs in
the process). Run the same command from a checkout of the code before a change, on the same
database, for a before/after in one session. Nothing is written to RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402


def parts(root_code: str, reps: int) -> None:
    from nutag.api import api as api_module
    from nutag.orgs.models import Unit
    from nutag.stats.selectors import dashboard, unit_figures
    from nutag.stats.selectors.five_good import five_good

    names = vars(api_module)
    root = Unit.objects.get(code=root_code)
    figures = unit_figures(unit=root)
    fns: dict[str, Any] = {
        "COUNT(*)": common.count_people,
        "unit_figures": lambda: unit_figures(unit=root),
        "five_good": lambda: five_good(unit=root, figures=figures),
        "voice": lambda: names["voice_stats"](unit=root),
        "study": lambda: names["study_stats"](unit=root),
        "youth": lambda: names["youth_figures"](unit=root),
        "whole answer": lambda: names["_stats_json"](root),
        "dashboard()": lambda: dashboard(unit=root),
        "dashboard page": lambda: dashboard_page(root_code),
    }
    samples = common.interleaved(fns, reps, 2)
    base = statistics.median(samples["COUNT(*)"])
    clock = "CPU" if common.clock() is time.process_time else "wall"
    print(f"medians of {reps} interleaved runs, {clock} time:")
    for key, values in samples.items():
        ms = statistics.median(values)
        print(f"  {key:14} {ms:8.2f} ms  {ms / base:5.2f} x COUNT(*)")


def dashboard_page(root_code: str) -> bytes:
    """The root's dashboard page rendered afresh, as for a logged-in officer or after a
    change (the view's body without the page cache: its selectors and its template)."""
    from django.contrib.auth.models import AnonymousUser
    from django.shortcuts import render
    from django.test import RequestFactory

    from nutag.stats import views

    request = RequestFactory().get(f"/u/{root_code}/figures/")
    request.user = AnonymousUser()
    board = views._board(request, root_code)
    return render(request, "stats/unit_figures.html", views._context(request, board)).content


def postgres_cost(root_code: str, reps: int) -> None:
    """The cold stats answer and the dashboard page, each as the server's execution time of
    its queries plus this process's CPU time, against the same for the ``COUNT(*)``."""
    from nutag.api import api as api_module
    from nutag.orgs.models import Unit

    answer = vars(api_module)["_stats_json"]
    root = Unit.objects.get(code=root_code)
    for name, fn in (
        ("cold stats answer", lambda: answer(root)),
        ("dashboard page", lambda: dashboard_page(root_code)),
    ):
        _postgres_cost_of(name, fn, reps)


def _postgres_cost_of(name: str, fn: Any, reps: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    sqls = [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().startswith(("SELECT", "WITH"))
    ]

    def server(sql: str) -> float:
        with connection.cursor() as cursor:
            # TIMING OFF: per-node clocks would slow the COUNT(*)'s million-row scan (the
            # baseline) far more than the dashboard's index reads (57 vs 35 ms wall).
            cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql)
            return float(cursor.fetchone()[0][0]["Execution Time"])

    def cpu(fn: Any) -> float:
        t0 = time.process_time()
        fn()
        return (time.process_time() - t0) * 1000

    rows = [
        (
            server(common.COUNT_SQL),
            cpu(common.count_people),
            sum(server(s) for s in sqls),
            cpu(fn),
        )
        for _ in range(reps)
    ]
    c_server, c_cpu, s_server, s_cpu = (statistics.median(r[i] for r in rows) for i in range(4))
    a, b = c_server + c_cpu, s_server + s_cpu
    print(
        f"PostgreSQL cost, medians of {reps}: COUNT(*) server {c_server:.1f} ms + client CPU "
        f"{c_cpu:.2f} ms = {a:.1f} ms; {name} ({len(sqls)} queries) server "
        f"{s_server:.1f} ms + client CPU {s_cpu:.1f} ms = {b:.1f} ms; ratio {b / a:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--root", default="990000", help="the root unit's code")
    parser.add_argument("--reps", type=int, default=11)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    common.setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    # The page's {% static %} without a collectstatic manifest (DEBUG is off here).
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        parts(args.root, args.reps)
        if connection.vendor == "postgresql":
            postgres_cost(args.root, max(3, args.reps // 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
