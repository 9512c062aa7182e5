"""bench/dashboard: does a root unit's dashboard cost at most 5x one COUNT(*) over the person table?

Builds the synthetic province of ``bench/stats.py`` (10,000 units, 1,000,000 people) in a
fresh database and adds the work the dashboard reads:

- a five-good standard and finished rounds for 2025 and 2024 with an accepted assessment for
  every grassroots committee, about 70% and 65% passed, so that the change since last year
  has something to compare (the steady state, and the demo's; ``--rounds 1``: 2025 only);
- three tasks from the root to every township-level unit: one due last year (all reported),
  one due early this year (80% on time, 10% late, 10% never reported: overdue), one due at
  the end of this year (half reported, half still to come) — about 3,300 reports.

Then it runs ANALYZE and times, in the same run and on the same warm cache:

  (a) ``SELECT COUNT(*) FROM people_person``;
  (b) ``nutag.stats.selectors.dashboard(unit=root)``: the root's whole dashboard (the seed's
      table, five-good count/base/rate, tasks, assessment progress, each child's figures and
      the change since last year);
  (c) the dashboard page ``GET /u/<root>/figures/`` through ``django.test.Client``
      (template and charts rendered);
  (d) ``dashboard(unit=city, siblings=True)``: a unit one level down, compared with its
      siblings (the reads then cover the whole province);

each the median of several interleaved repetitions after a warm-up, and reports b/a (the
bar: <= 5). The figures are checked against what the generator wrote.

Usage (from the project root):

    .venv/bin/python bench/dashboard.py --db sqlite                # two years of rounds
    .venv/bin/python bench/dashboard.py --db sqlite --rounds 1     # one
    DATABASE_URL=postgres://nutag:nutag@127.0.0.1:5432/nutag_bench \\
        .venv/bin/python bench/dashboard.py --db postgres   # creates, then drops, nutag_bench
    .venv/bin/python bench/dashboard.py --db sqlite --small  # 200 units / 20,000 people

A full run writes its figures into bench/RESULTS.md (section "bench/dashboard", one block
per database); ``--small`` runs do not, unless ``--write``. The exit status is 1 when the
ratio misses the bar.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402
from bench import stats  # noqa: E402

BAR = 5.0
YEAR = 2025  # the finished round; the previous one is YEAR - 1
PASS_SHARE = {YEAR: 0.70, YEAR - 1: 0.65}
TODAY = dt.date(2026, 6, 15)  # "this year" for the tasks: fixed, so every run reads the same


@dataclasses.dataclass
class WorkInfo:
    """What the generator wrote, for cross-checks."""

    grassroots: int
    passed: dict[int, int]
    reports: int
    on_time_this_year: int
    seconds: float


def add_work(*, root_code: str, rounds: int = 2, seed: int = 20260102) -> WorkInfo:
    """Finished five-good rounds (``YEAR``, then the years before) and three tasks with
    reports, under the root."""
    from django.db import transaction

    from nutag.assess.models import (
        Assessment,
        AssessmentStatus,
        ReportStatus,
        Round,
        RoundStatus,
        Standard,
        StandardKind,
        Task,
        TaskReport,
    )
    from nutag.orgs.models import GRASSROOTS_KINDS, Unit

    started = time.perf_counter()
    rng = random.Random(seed)
    root = Unit.objects.get(code=root_code)
    units = list(
        Unit.objects.filter(path__startswith=root.path, depth__gt=root.depth).values_list(
            "id", "kind", "depth", "path"
        )
    )
    grassroots = [(pk, path) for pk, kind, _depth, path in units if kind in GRASSROOTS_KINDS]
    townships = [pk for pk, _kind, depth, _path in units if depth == root.depth + 3]  # 3rd level
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    passed: dict[int, int] = {}
    on_time = 0
    with transaction.atomic():
        standard = Standard.objects.create(
            unit=root, kind=StandardKind.FIVE_GOOD, name="五好基层关工委", pass_mark=80
        )
        for year, share in list(PASS_SHARE.items())[:rounds]:
            rnd = Round.objects.create(
                unit=root,
                standard=standard,
                year=year,
                title=f"{year}年度五好基层关工委评定",
                self_due=dt.date(year, 11, 30),
                status=RoundStatus.FINISHED,
                pass_mark=80,
                finished_at=now,
            )
            rows = []
            for pk, path in grassroots:
                ok = rng.random() < share
                rows.append(
                    Assessment(
                        round=rnd,
                        unit_id=pk,
                        unit_path=path,
                        status=AssessmentStatus.ACCEPTED,
                        self_total=85,
                        score=rng.randint(80, 100) if ok else rng.randint(40, 79),
                        passed=ok,
                        submitted_at=now,
                        reviewed_at=now,
                    )
                )
            Assessment.objects.bulk_create(rows, batch_size=2000)
            passed[year] = sum(1 for a in rows if a.passed)
        reports = []
        for due_on, kind in (
            (dt.date(YEAR, 6, 1), "last"),
            (dt.date(TODAY.year, 3, 1), "early"),
            (dt.date(TODAY.year, 12, 15), "late"),
        ):
            task = Task.objects.create(
                unit=root, title=f"任务 {due_on}", requirements="按要求上报", due_on=due_on
            )
            for pk in townships:
                roll = rng.random()
                status, late = ReportStatus.ACCEPTED, False
                if kind == "early":
                    if roll >= 0.9:
                        status = ReportStatus.PENDING
                    elif roll >= 0.8:
                        late = True
                    else:
                        on_time += 1
                elif kind == "late":
                    if roll < 0.5:
                        status = ReportStatus.SUBMITTED
                        on_time += 1
                    else:
                        status = ReportStatus.PENDING
                reported = status != ReportStatus.PENDING
                reports.append(
                    TaskReport(
                        task=task,
                        unit_id=pk,
                        status=status,
                        late=late,
                        submitted_at=now if reported else None,
                    )
                )
        TaskReport.objects.bulk_create(reports, batch_size=2000)
        # bulk-inserted: the tallies the services keep in step are recounted once (the
        # five-good tallies, the rounds' and tasks' subtree tallies)
        from nutag.assess.tallies import (
            assessment_subtree_rebuild,
            five_good_tally_rebuild,
            report_subtree_rebuild,
        )

        five_good_tally_rebuild()
        assessment_subtree_rebuild()
        report_subtree_rebuild()
    stats._Writer().analyze()
    return WorkInfo(
        grassroots=len(grassroots),
        passed=passed,
        reports=len(reports),
        on_time_this_year=on_time,
        seconds=time.perf_counter() - started,
    )


@dataclasses.dataclass
class Measurement(common.Measurement):
    measured: ClassVar[str] = "dashboard"
    bar: ClassVar[float] = BAR

    dashboard_ms: float
    page_ms: float | None
    siblings_ms: float
    queries: int
    board: Any


def measure(*, root_code: str, reps: int = 11, warmup: int = 2, page: bool = True) -> Measurement:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from nutag.orgs.models import Unit
    from nutag.stats.selectors import dashboard

    root = Unit.objects.get(code=root_code)
    city = Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1).first()
    assert city is not None
    with CaptureQueriesContext(connection) as captured:
        board = dashboard(unit=root, today=TODAY)
    # (copied now: a request through the test client resets the connection's query log)
    sqls = [q["sql"] for q in captured.captured_queries]
    fns: dict[str, Callable[[], Any]] = {
        "count": common.count_people,
        "dashboard": lambda: dashboard(unit=root, today=TODAY),
        "siblings": lambda: dashboard(unit=city, siblings=True, today=TODAY),
    }
    if page:
        client = Client()
        url = f"/u/{root_code}/figures/"
        response = client.get(url)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        fns["page"] = lambda: client.get(url)
    samples = common.interleaved(fns, reps, warmup)
    return Measurement(
        vendor=connection.vendor,
        count_ms=statistics.median(samples["count"]),
        dashboard_ms=statistics.median(samples["dashboard"]),
        page_ms=statistics.median(samples["page"]) if page else None,
        siblings_ms=statistics.median(samples["siblings"]),
        reps=reps,
        samples=samples,
        queries=len(sqls),
        board=board,
        plans=common.query_plans("dashboard", sqls),
    )


def check(board: Any, work: WorkInfo) -> None:
    """The dashboard's figures are the ones the generator wrote."""
    fg = board.five_good
    assert (fg.count, fg.base, fg.year) == (work.passed[YEAR], work.grassroots, YEAR), fg
    assert board.total.five_good_previous.count == work.passed.get(YEAR - 1, 0)
    assert board.progress.accepted == work.grassroots, board.progress
    assert board.tasks.on_time == work.on_time_this_year, board.tasks
    assert board.tasks.due + board.total.tasks_previous.due == work.reports
    assert sum(r.five_good.count for r in board.children) == fg.count


def _report_lines(info: Any, work: WorkInfo, m: Measurement, size: str) -> list[str]:
    fg = m.board.five_good
    lines = [
        f"- data: {info.units:,} units, {info.people:,} people, {info.care_workers:,} care "
        f"workers; {work.grassroots:,} grassroots committees with an accepted five-good "
        f"assessment in {' and in '.join(str(y) for y in sorted(work.passed))} "
        f"({fg.count:,} passed in {YEAR}: rate {fg.rate}); {work.reports:,} task reports; "
        f"{size}",
        f"- (a) `SELECT COUNT(*) FROM people_person`: **{m.count_ms:.1f} ms**",
        f"- (b) root dashboard, `dashboard(unit=root)` ({m.queries} queries, "
        f"{len(m.board.children)} children): **{m.dashboard_ms:.1f} ms**",
    ]
    if m.page_ms is not None:
        lines.append(
            f"- (c) the page `GET /u/{info.root_code}/figures/` via the test client: "
            f"{m.page_ms:.1f} ms (c/a = {m.page_ms / m.count_ms:.2f})"
        )
    lines.append(
        f"- (d) a city's dashboard with its siblings (reads the whole province): "
        f"{m.siblings_ms:.1f} ms (d/a = {m.siblings_ms / m.count_ms:.2f})"
    )
    verdict = "meets" if m.passes else "FAILS"
    lines.append(f"- **ratio b/a = {m.ratio:.2f}** — {verdict} the bar (b/a <= {BAR:g})")
    lines.append(
        f"- medians of {m.reps} interleaved runs after 2 warm-up rounds; "
        f"fastest b / fastest a = {m.best_ratio:.2f}"
    )
    return lines


def write_results(info: Any, work: WorkInfo, m: Measurement, *, size: str, command: str) -> None:
    """Replace this database's block inside the "bench/dashboard" section of RESULTS.md."""
    common.write_run(
        "bench/dashboard",
        m.vendor,
        command=command,
        lines=_report_lines(info, work, m, size),
        plans=m.plans,
        intro="The root's whole dashboard versus one `COUNT(*)` over the person table; the bar "
        f"is b/a <= {BAR:g} on both databases. Written by `bench/dashboard.py`.",
    )


def build_and_measure(
    *,
    n_units: int,
    n_people: int,
    reps: int = 11,
    warmup: int = 2,
    page: bool = True,
    rounds: int = 2,
    progress: Callable[[str], None] | None = None,
) -> tuple[Any, WorkInfo, Measurement]:
    """Build the province with its work into the current database and measure it."""
    info = stats.build(n_units=n_units, n_people=n_people, progress=progress)
    work = add_work(root_code=info.root_code, rounds=rounds)
    if progress:
        progress(f"  rounds, assessments and tasks added in {work.seconds:.1f} s")
    m = measure(root_code=info.root_code, reps=reps, warmup=warmup, page=page)
    check(m.board, work)
    return info, work, m


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    stats.add_size_arguments(parser)
    parser.add_argument("--no-page", action="store_true", help="skip timing the page")
    parser.add_argument(
        "--rounds", type=int, choices=[1, 2], default=2, help="five-good rounds (years)"
    )
    stats.add_output_arguments(parser)
    args = parser.parse_args(argv)

    n_units, n_people, label = stats.province_size(args)
    with common.fresh_database(args.db, keep=args.keep) as vendor:
        print(f"bench/dashboard on {vendor}: {n_units:,} units, {n_people:,} people")
        common.migrate()
        info, work, m = build_and_measure(
            n_units=n_units,
            n_people=n_people,
            reps=args.reps,
            page=not args.no_page,
            rounds=args.rounds,
            progress=print,
        )
        common.print_report(_report_lines(info, work, m, label), m.plans)
        if stats.writes_results(args):
            command = stats.run_command("dashboard.py", args) + f" --rounds {args.rounds}"
            write_results(info, work, m, size=label, command=command)
        return 0 if m.passes else 1


if __name__ == "__main__":
    sys.exit(main())
