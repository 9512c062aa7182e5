"""bench/stats: does a root unit's stats cost at most 3x one COUNT(*) over the person table?

Builds a synthetic province in a fresh database — 10,000 units and 1,000,000 people, about
30% of them in care work and about 60% of those five elders, spread over the tree — runs
ANALYZE, then times, in the same run and on the same warm cache:

  (a) ``SELECT COUNT(*) FROM people_person``;
  (b) ``nutag.stats.selectors.unit_figures(unit=root)``, the root's full stats (what
      ``GET /api/v1/units/{code}/stats`` runs);
  (c) that endpoint itself, through ``django.test.Client``;

each the median of several repetitions after a warm-up, and reports b/a (the bar: <= 3).

Usage (from the project root):

    .venv/bin/python bench/stats.py --db sqlite            # a temporary SQLite file
    DATABASE_URL=postgres://nutag:nutag@127.0.0.1:5432/nutag_bench \\
        .venv/bin/python bench/stats.py --db postgres      # creates, then drops, nutag_bench
    .venv/bin/python bench/stats.py --db sqlite --small    # 200 units / 20,000 people

A full run writes its figures into bench/RESULTS.md (section "bench/stats", one block per
database); ``--small`` runs do not, unless ``--write``. The PostgreSQL database named in
DATABASE_URL is dropped and re-created, so its name must contain "bench". The exit status
is 1 when the ratio misses the bar.

Rows are bulk-inserted (``executemany`` on SQLite, ``COPY`` on PostgreSQL) into the schema
the migrations make, indexes included. The tree's root is added through treebeard; the
rest of the tree is written with paths computed the way treebeard computes them.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402

BAR = 3.0

FULL = {"units": 10_000, "people": 1_000_000}
SMALL = {"units": 200, "people": 20_000}
CARE_SHARE = 0.30
ELDER_SHARE = 0.60
ELDER_CATEGORIES = ["cadre", "veteran", "expert", "teacher", "model_worker"]
ELDER_WEIGHTS = [30, 9, 13, 25, 23]
STAMP_SQLITE = "2026-01-01 00:00:00"
STAMP_PG = "2026-01-01 00:00:00+00"
BATCH = 50_000


# --- The synthetic province ------------------------------------------------------------------


@dataclasses.dataclass
class TreeUnit:
    id: int
    path: str
    depth: int
    code: str
    kind: str
    name: str
    region: str  # six-digit region code for the ID numbers of its people
    numchild: int = 0


@dataclasses.dataclass
class BuildInfo:
    """What was built, with the figures the generator itself counted (for cross-checks)."""

    root_id: int
    root_code: str
    root_path: str
    units: int
    people: int
    care_workers: int
    units_by_kind: dict[str, int]
    elders_by_category: dict[str, int]
    seconds: float
    # A mid-level unit and its own generator-side figures, to check a partial subtree too.
    sample_code: str = ""
    sample_care_workers: int = 0
    sample_elders_by_category: dict[str, int] = dataclasses.field(default_factory=dict)


def _step(n: int) -> str:
    """Treebeard's path step for the n-th child (1-based): base 36, four characters."""
    from nutag.orgs.paths import ALPHABET

    out = ""
    while n:
        n, rem = divmod(n, 36)
        out = ALPHABET[rem] + out
    return out.rjust(4, "0")


def _level_sizes(n_units: int) -> list[int]:
    """Cities, banners (counties), townships, then the rest as villages and the like."""
    cities = max(2, round(n_units * 0.0012))
    banners = max(cities, round(n_units * 0.01))
    townships = max(banners, round(n_units * 0.1))
    rest = n_units - 1 - cities - banners - townships
    if rest < townships:
        raise ValueError("Too few units for a four-level tree: use at least 100.")
    return [cities, banners, townships, rest]


def _pick_kind(rng: random.Random, level: int) -> str:
    if level <= 2:
        return "banner"
    if level == 3:
        return "subdistrict" if rng.random() < 0.1 else "township"
    roll = rng.random()
    for kind, upto in (
        ("village", 0.80),
        ("community", 0.90),
        ("school", 0.95),
        ("organ", 0.98),
        ("state_firm", 0.995),
    ):
        if roll < upto:
            return kind
    return "private_firm"


def plan_tree(n_units: int, root: TreeUnit, first_id: int, rng: random.Random) -> list[TreeUnit]:
    """Every unit of the province, root first, each level spread evenly over the one above."""
    units = [root]
    parents = [root]
    next_id = first_id
    banner_no = 0
    for level, size in enumerate(_level_sizes(n_units), start=1):
        level_units = []
        for i in range(size):
            parent = parents[i * len(parents) // size]
            parent.numchild += 1
            region = parent.region
            if level == 2:  # each banner (county) has its own region code
                banner_no += 1
                region = f"{150000 + banner_no:06d}"
            kind = _pick_kind(rng, level)
            code = f"99{next_id:010d}"
            level_units.append(
                TreeUnit(
                    id=next_id,
                    path=parent.path + _step(parent.numchild),
                    depth=parent.depth + 1,
                    code=code,
                    kind=kind,
                    name=f"{kind}-{next_id}",
                    region=region,
                )
            )
            next_id += 1
        units.extend(level_units)
        parents = level_units
    return units


def _people_rows(
    units: Sequence[TreeUnit],
    n_people: int,
    first_person_id: int,
    first_care_id: int,
    rng: random.Random,
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[TreeUnit, str]]]]:
    """Yields batches of (person rows, care-worker rows, [(unit, category)] for tallies)."""
    from nutag.people.idcard import checksum_char

    weights = {
        "banner": 0.2,
        "township": 0.6,
        "subdistrict": 0.8,
        "village": 1.0,
        "community": 1.6,
        "school": 0.6,
        "organ": 0.3,
        "state_firm": 0.4,
        "private_firm": 0.2,
    }
    unit_weights = [weights[u.kind] for u in units]
    from nutag.core.text import sample_names

    names = sample_names(rng)
    days = [dt.date(1940, 1, 1) + dt.timedelta(days=d) for d in range(0, 365 * 80)]
    day_text = [(d.isoformat(), d.strftime("%Y%m%d")) for d in days]
    seqs: Counter[tuple[str, int]] = Counter()
    person_id, care_id = first_person_id, first_care_id
    remaining = n_people
    while remaining:
        size = min(BATCH, remaining)
        remaining -= size
        chosen = rng.choices(units, unit_weights, k=size)
        people, care, tally = [], [], []
        for unit in chosen:
            name, pinyin, initials = names[rng.randrange(len(names))]
            day = rng.randrange(len(days))
            iso, ymd = day_text[day]
            gender = "m" if rng.random() < 0.5 else "f"
            key = (unit.region, day)
            seq = seqs[key] * 2 + (1 if gender == "m" else 0)
            seqs[key] += 1
            if seq > 999:  # that birthday in that region is full: no ID number
                id_number = ""
            else:
                first17 = f"{unit.region}{ymd}{seq:03d}"
                id_number = first17 + checksum_char(first17)
            phone = f"13{rng.randrange(10**9):09d}" if rng.random() < 0.8 else ""
            is_care = rng.random() < CARE_SHARE
            category = ""
            if is_care and rng.random() < ELDER_SHARE:
                category = rng.choices(ELDER_CATEGORIES, ELDER_WEIGHTS)[0]
            people.append(
                (
                    person_id,
                    unit.id,
                    unit.path,
                    name,
                    pinyin,
                    initials,
                    gender,
                    "02" if rng.random() < 0.5 else "01",
                    iso,
                    phone,
                    id_number,
                    rng.random() < 0.4,
                    bool(category),
                    "",
                )
            )
            if is_care:
                care.append((care_id, unit.id, unit.path, category, None, person_id))
                tally.append((unit, category))
                care_id += 1
            person_id += 1
        yield people, care, tally


PERSON_COLUMNS = (
    "id", "unit_id", "unit_path", "name", "name_pinyin", "name_initials", "gender",
    "ethnicity", "birth_date", "phone", "id_number", "is_resident", "is_retired", "note",
)  # fmt: skip
CARE_COLUMNS = ("id", "unit_id", "unit_path", "elder_category", "since", "person_id")
UNIT_COLUMNS = ("id", "path", "depth", "numchild", "code", "kind", "name", "name_mn", "status")
BODY_COLUMNS = ("id", "unit_id", "name")


class _Writer:
    """Bulk insert into the current Django connection: COPY on PostgreSQL, else executemany."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.stamp = STAMP_PG if self.postgres else STAMP_SQLITE

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        from django.db import transaction

        if not rows:
            return
        cols = [*columns, "created_at", "updated_at"]
        stamped = [(*row, self.stamp, self.stamp) for row in rows]
        with transaction.atomic(), self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in stamped:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(cols))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", stamped
                )

    def next_id(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            return int(cursor.fetchone()[0])

    def reset_sequences(self, tables: Sequence[str]) -> None:
        if not self.postgres:
            return
        with self.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )

    def analyze(self) -> None:
        with self.connection.cursor() as cursor:
            if self.postgres and not self.connection.in_atomic_block:
                # VACUUM too, so the visibility map lets both queries use index-only scans,
                # as they would once autovacuum has visited a table that grows by imports.
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")


def build(
    *,
    n_units: int,
    n_people: int,
    seed: int = 20260101,
    progress: Callable[[str], None] | None = None,
) -> BuildInfo:
    """Write the province into the current database; return what the generator counted."""
    from nutag.core.actors import SYSTEM
    from nutag.orgs.models import Unit
    from nutag.orgs.services import unit_create

    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    rng = random.Random(seed)
    writer = _Writer()
    # The root goes through the service (treebeard, bodies, audit row); the rest in bulk.
    root = unit_create(
        acting_user=SYSTEM, parent=None, code="990000", kind="banner", name="Bench province"
    )
    root_unit = TreeUnit(root.pk, root.path, root.depth, root.code, root.kind, root.name, "150000")
    tree = plan_tree(n_units, root_unit, writer.next_id("orgs_unit"), rng)
    children = tree[1:]
    writer.insert(
        "orgs_unit",
        UNIT_COLUMNS,
        [
            (u.id, u.path, u.depth, u.numchild, u.code, u.kind, u.name, "", "active")
            for u in children
        ],
    )
    Unit.objects.filter(pk=root.pk).update(numchild=root_unit.numchild)
    for table in ("orgs_branch", "orgs_carecommittee"):
        first = writer.next_id(table)
        writer.insert(
            table,
            BODY_COLUMNS,
            [(first + i, u.id, f"{u.name} body") for i, u in enumerate(children)],
        )
    say(f"  {len(tree):,} units in {time.perf_counter() - started:.1f} s")

    sample = next(u for u in tree if u.depth == root.depth + 1)
    units_by_kind = Counter(u.kind for u in tree)
    elders: Counter[str] = Counter()
    sample_elders: Counter[str] = Counter()
    care_total = sample_care = 0
    first_person, first_care = writer.next_id("people_person"), writer.next_id("people_careworker")
    done = 0
    for people, care, tally in _people_rows(tree, n_people, first_person, first_care, rng):
        writer.insert("people_person", PERSON_COLUMNS, people)
        writer.insert("people_careworker", CARE_COLUMNS, care)
        for unit, category in tally:
            care_total += 1
            in_sample = unit.path.startswith(sample.path)
            sample_care += in_sample
            if category:
                elders[category] += 1
                if in_sample:
                    sample_elders[category] += 1
        done += len(people)
        if done % 200_000 == 0 or done == n_people:
            say(f"  {done:,} people in {time.perf_counter() - started:.1f} s")
    writer.reset_sequences(
        ["orgs_unit", "orgs_branch", "orgs_carecommittee", "people_person", "people_careworker"]
    )
    # The per-unit tallies the services keep in step; a bulk load recounts them once.
    from nutag.orgs.tallies import unit_tally_rebuild
    from nutag.people.tallies import care_tally_rebuild

    tally_started = time.perf_counter()
    care_tally_rebuild()  # the care tallies and their subtree sums
    unit_tally_rebuild()  # active units by kind over each subtree
    say(f"  care tallies recounted in {time.perf_counter() - tally_started:.1f} s")
    writer.analyze()
    say(f"  ANALYZE done at {time.perf_counter() - started:.1f} s")
    return BuildInfo(
        root_id=root.pk,
        root_code=root.code,
        root_path=root.path,
        units=len(tree),
        people=n_people,
        care_workers=care_total,
        units_by_kind=dict(units_by_kind),
        elders_by_category={c: elders[c] for c in ELDER_CATEGORIES},
        seconds=time.perf_counter() - started,
        sample_code=sample.code,
        sample_care_workers=sample_care,
        sample_elders_by_category={c: sample_elders[c] for c in ELDER_CATEGORIES},
    )


# --- Measuring ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Measurement(common.Measurement):
    measured: ClassVar[str] = "stats"
    bar: ClassVar[float] = BAR

    stats_ms: float
    api_ms: float | None
    person_count: int
    figures: Any  # the UnitFigures the stats query returned
    # with ``--work`` (issue 17): the whole stats answer computed again (its cache cleared
    # first), and ``five_good()`` alone
    api_cold_ms: float | None = None
    five_good_ms: float | None = None

    @property
    def api_ratio(self) -> float | None:
        return None if self.api_ms is None else self.api_ms / self.count_ms


def query_plans(root_path: str) -> dict[str, str]:
    """EXPLAIN QUERY PLAN (SQLite) / EXPLAIN ANALYZE (PostgreSQL) of the measured queries:
    the baseline, and every query ``unit_figures`` really sends (captured while it runs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nutag.orgs.models import Unit
    from nutag.stats.selectors import unit_figures

    root = Unit.objects.get(path=root_path)
    with CaptureQueriesContext(connection) as captured:
        unit_figures(unit=root)
    return common.query_plans("figures", [q["sql"] for q in captured.captured_queries])


def measure(
    *, root_code: str, reps: int = 11, warmup: int = 2, api: bool = True, cold: bool = False
) -> Measurement:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from nutag.orgs.models import Unit
    from nutag.stats.selectors import unit_figures
    from nutag.stats.selectors.five_good import five_good

    root = Unit.objects.get(code=root_code)
    figures = unit_figures(unit=root)
    fns: dict[str, Callable[[], Any]] = {
        "count": common.count_people,
        "stats": lambda: unit_figures(unit=root),
    }
    if api:
        client = Client()
        url = f"/api/v1/units/{root_code}/stats"
        response = client.get(url)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        assert response.json()["participants"] == figures.participants
        fns["api"] = lambda: client.get(url)
        if cold:  # what each change costs: the answer computed again, its cache emptied

            def api_cold() -> Any:
                cache.clear()
                return client.get(url)

            fns["api_cold"] = api_cold
            fns["five_good"] = lambda: five_good(unit=root, figures=figures)
    samples = common.interleaved(fns, reps, warmup)
    return Measurement(
        vendor=connection.vendor,
        count_ms=statistics.median(samples["count"]),
        stats_ms=statistics.median(samples["stats"]),
        api_ms=statistics.median(samples["api"]) if api else None,
        reps=reps,
        samples=samples,
        person_count=common.count_people(),
        figures=figures,
        plans=query_plans(root.path),
        api_cold_ms=statistics.median(samples["api_cold"]) if "api_cold" in samples else None,
        five_good_ms=statistics.median(samples["five_good"]) if "five_good" in samples else None,
    )


def brute_force_figures(*, root_code: str) -> dict[str, Any]:
    """The same figures as ``unit_figures``, counted row by row in Python, no path ranges."""
    from nutag.orgs.models import CareCommittee, Unit
    from nutag.people.models import CareWorker

    root = Unit.objects.get(code=root_code)
    by_kind: Counter[str] = Counter()
    for path, kind, status in CareCommittee.objects.values_list(
        "unit__path", "unit__kind", "unit__status"
    ):
        if path.startswith(root.path) and status == "active":
            by_kind[kind] += 1
    participants = 0
    elders: Counter[str] = Counter()
    for path, category in CareWorker.objects.values_list("unit_path", "elder_category"):
        if path.startswith(root.path):
            participants += 1
            if category:
                elders[category] += 1
    return {
        "committees_by_kind": dict(by_kind),
        "participants": participants,
        "elders_by_category": dict(elders),
    }


def build_and_measure(
    *,
    n_units: int,
    n_people: int,
    reps: int = 11,
    warmup: int = 2,
    api: bool = True,
    progress: Callable[[str], None] | None = None,
) -> tuple[BuildInfo, Measurement]:
    """Build the province into the current database and measure it (used by the smoke test)."""
    info = build(n_units=n_units, n_people=n_people, progress=progress)
    return info, measure(root_code=info.root_code, reps=reps, warmup=warmup, api=api)


# --- Running it from the command line ------------------------------------------------------------


def _report_lines(info: BuildInfo, m: Measurement, size: str) -> list[str]:
    lines = [
        f"- data: {info.units:,} units, {info.people:,} people, {info.care_workers:,} care "
        f"workers ({sum(info.elders_by_category.values()):,} five elders); {size}; "
        f"built in {info.seconds:.0f} s",
        f"- (a) `SELECT COUNT(*) FROM people_person`: **{m.count_ms:.1f} ms**",
        f"- (b) root stats, `unit_figures(unit=root)`: **{m.stats_ms:.1f} ms**",
    ]
    if m.api_ms is not None:
        lines.append(
            f"- (c) `GET /api/v1/units/{info.root_code}/stats` via the test client: "
            f"{m.api_ms:.1f} ms (c/a = {m.api_ratio:.2f})"
        )
    if m.api_cold_ms is not None and m.five_good_ms is not None:
        lines.append(
            f"- (d) the same, its cached answer cleared first (cold, what a change costs): "
            f"{m.api_cold_ms:.1f} ms (d/a = {m.api_cold_ms / m.count_ms:.2f}); of which "
            f"`five_good(unit=root)` {m.five_good_ms:.1f} ms "
            f"({m.five_good_ms / m.count_ms:.2f} × a)"
        )
    verdict = "meets" if m.passes else "FAILS"
    lines.append(f"- **ratio b/a = {m.ratio:.2f}** — {verdict} the bar (b/a <= {BAR:g})")
    order = "a, b, c, a, b, c…" if m.api_ms is not None else "a, b, a, b…"
    lines.append(
        f"- medians of {m.reps} interleaved runs ({order}) after 2 warm-up rounds; "
        f"fastest b / fastest a = {m.best_ratio:.2f}"
    )
    return lines


def write_results(info: BuildInfo, m: Measurement, *, size: str, command: str) -> None:
    """Replace this database's block inside the "bench/stats" section of RESULTS.md."""
    common.write_run(
        "bench/stats",
        m.vendor,
        command=command,
        lines=_report_lines(info, m, size),
        plans=m.plans,
        intro="Root-unit stats versus one `COUNT(*)` over the person table; the bar is "
        f"b/a <= {BAR:g} on both databases. Written by `bench/stats.py`.",
    )


# The command line of the province's benches (this one and bench/dashboard.py).


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--small", action="store_true", help="200 units / 20,000 people")
    parser.add_argument("--units", type=int, help="override the number of units")
    parser.add_argument("--people", type=int, help="override the number of people")
    parser.add_argument("--reps", type=int, default=11, help="timed repetitions (median)")


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--write", action="store_true", help="write RESULTS.md even if --small")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")


def province_size(args: argparse.Namespace) -> tuple[int, int, str]:
    """Units, people and how RESULTS.md names that size."""
    size = SMALL if args.small else FULL
    label = "small size (--small)" if args.small else "full size"
    if args.units or args.people:
        label = "custom size"
    return args.units or size["units"], args.people or size["people"], label


def writes_results(args: argparse.Namespace) -> bool:
    """Full-size runs write RESULTS.md, ``--small`` ones only with ``--write``."""
    return not args.no_write and (args.write or not args.small)


def run_command(script: str, args: argparse.Namespace) -> str:
    return f"bench/{script} --db {args.db}" + (" --small" if args.small else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_size_arguments(parser)
    parser.add_argument("--no-api", action="store_true", help="skip timing the API endpoint")
    parser.add_argument(
        "--work",
        action="store_true",
        help="add two years of five-good rounds and tasks (bench/dashboard) and time the "
        "stats answer cold",
    )
    add_output_arguments(parser)
    args = parser.parse_args(argv)

    n_units, n_people, label = province_size(args)
    with common.fresh_database(args.db, keep=args.keep) as vendor:
        print(f"bench/stats on {vendor}: {n_units:,} units, {n_people:,} people")
        common.migrate()
        if args.work:
            from bench.dashboard import add_work

            info = build(n_units=n_units, n_people=n_people, progress=print)
            work = add_work(root_code=info.root_code, rounds=2)
            print(f"  rounds, assessments and tasks added in {work.seconds:.1f} s")
            m = measure(root_code=info.root_code, reps=args.reps, api=not args.no_api, cold=True)
        else:
            info, m = build_and_measure(
                n_units=n_units,
                n_people=n_people,
                reps=args.reps,
                api=not args.no_api,
                progress=print,
            )
        expected_people = m.person_count
        assert expected_people == info.people, (expected_people, info.people)
        assert m.figures.participants == info.care_workers
        assert m.figures.elders_by_category == info.elders_by_category
        common.print_report(_report_lines(info, m, label), m.plans)
        if writes_results(args):
            write_results(info, m, size=label, command=run_command("stats.py", args))
        return 0 if m.passes else 1


if __name__ == "__main__":
    sys.exit(main())
