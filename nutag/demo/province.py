"""A synthetic province for scale tests: ``manage.py generate_province``.

Builds, under a new root unit, leagues (盟/市), banners (旗/县), townships (苏木/镇), the
villages, communities, schools and firms below them, and people spread over them with the
uneven sizes real places have (a log-normal weight per unit: a few big communities, many small
herding villages), then a year of work: two finished five-good rounds with an accepted
assessment for every grassroots committee, and three tasks from the root to every township.

Sizes (``SCALES``; ``--units``/``--people`` override them):

=========  =======  =======  =========  ======  ==========
scale      leagues  banners  townships  units   people
=========  =======  =======  =========  ======  ==========
banner     —        (root)   12         150     100,000
city       (root)   10       110        1,200   2,200,000
province   12       100      1,000      10,000  10,000,000
=========  =======  =======  =========  ======  ==========

Everything is bulk-written (``executemany`` on SQLite, ``COPY`` through psycopg on
PostgreSQL for the people-sized tables), but keeps what the services keep: the tree's paths
are computed as treebeard computes them and its ``numchild`` counts are right, every unit has
its Party branch and care committee, every people-sized row carries its unit's ``unit_path``
copy, assessments carry theirs, and the per-unit care tallies (``people.CareTally``) are
recounted once at the end (``care_tally_rebuild``), so the figures equal a recount
(``nutag/demo/tests/test_province.py`` checks that). The root goes through ``unit_create``
with ``SYSTEM`` (audit row, treebeard). Refused on a production database, as the demo is.

Leagues have no kind of their own in ``UnitKind``: like the province root they are stored
with kind ``banner`` (a unit with banners below it), as ``bench/stats.py`` does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction

SCALES: dict[str, dict[str, int]] = {
    "banner": {"leagues": 0, "banners": 0, "townships": 12, "units": 150, "people": 100_000},
    "city": {"leagues": 0, "banners": 10, "townships": 110, "units": 1_200, "people": 2_200_000},
    "province": {
        "leagues": 12,
        "banners": 100,
        "townships": 1_000,
        "units": 10_000,
        "people": 10_000_000,
    },
}
ROOT_CODES = {"banner": "970000", "city": "980000", "province": "990000"}
CARE_SHARE = 0.30
ELDER_SHARE = 0.60
ELDER_CATEGORIES = ["cadre", "veteran", "expert", "teacher", "model_worker"]
ELDER_WEIGHTS = [30, 9, 13, 25, 23]
YEAR = 2025  # the last finished five-good round; the one before is YEAR - 1
PASS_SHARE = {YEAR: 0.70, YEAR - 1: 0.65}
BATCH = 50_000

PERSON_COLUMNS = (
    "id", "unit_id", "unit_path", "name", "name_pinyin", "name_initials", "gender",
    "ethnicity", "birth_date", "phone", "id_number", "is_resident", "is_retired", "note",
)  # fmt: skip
CARE_COLUMNS = ("id", "unit_id", "unit_path", "elder_category", "since", "person_id")
UNIT_COLUMNS = ("id", "path", "depth", "numchild", "code", "kind", "name", "name_mn", "status")
BODY_COLUMNS = ("id", "unit_id", "name")


class ProvinceRefusedError(RuntimeError):
    """Synthetic people never go into a production database, nor twice under one root."""


@dataclasses.dataclass
class PlannedUnit:
    id: int
    path: str
    depth: int
    code: str
    kind: str
    name: str
    region: str  # six-digit region code for its people's ID numbers
    weight: float = 1.0
    numchild: int = 0


@dataclasses.dataclass
class ProvinceInfo:
    """What was written, counted by the generator itself (for cross-checks)."""

    root_code: str
    units: int
    people: int
    care_workers: int
    elders_by_category: dict[str, int]
    units_by_level: list[int]
    grassroots: int
    passed: dict[int, int]
    reports: int
    seconds: float
    timings: dict[str, float] = dataclasses.field(default_factory=dict)


def _step(n: int) -> str:
    """Treebeard's path step for the n-th child (1-based): base 36, four characters."""
    from nutag.orgs.paths import ALPHABET

    out = ""
    while n:
        n, rem = divmod(n, 36)
        out = ALPHABET[rem] + out
    return out.rjust(4, "0")


def level_sizes(size: dict[str, int]) -> list[int]:
    """The number of units on each level below the root; the last level takes the rest."""
    upper = [n for n in (size["leagues"], size["banners"], size["townships"]) if n]
    rest = size["units"] - 1 - sum(upper)
    if rest < upper[-1]:
        raise ValueError(f"Too few units ({size['units']}) for {upper} above the villages.")
    return [*upper, rest]


def _grassroots_kind(rng: random.Random) -> str:
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


def plan_tree(
    size: dict[str, int], root: PlannedUnit, first_id: int, code_prefix: str, rng: random.Random
) -> list[PlannedUnit]:
    """Every unit, root first. Each parent gets one child, the rest go by log-normal weights:
    some banners have 5 townships and some 20, some townships 3 villages and some 40."""
    sizes = level_sizes(size)
    named = [k for k in ("leagues", "banners", "townships") if size[k]]
    units, parents, next_id, banner_no = [root], [root], first_id, 0
    for depth_no, count in enumerate(sizes):
        label = named[depth_no] if depth_no < len(named) else "grassroots"
        weights = [rng.lognormvariate(0, 0.6) for _ in parents]
        owners = list(parents) + rng.choices(parents, weights, k=count - len(parents))
        owners.sort(key=lambda p: p.id)  # children of one parent are consecutive
        level = []
        for parent in owners:
            parent.numchild += 1
            region = parent.region
            kind = {"leagues": "banner", "banners": "banner"}.get(label, "")
            if label == "townships":
                kind = "subdistrict" if rng.random() < 0.1 else "township"
            elif label == "grassroots":
                kind = _grassroots_kind(rng)
            unit = PlannedUnit(
                id=next_id,
                path=parent.path + _step(parent.numchild),
                depth=parent.depth + 1,
                code=f"{code_prefix}{next_id:010d}",
                kind=kind,
                name=f"{kind}-{next_id}",
                region=region,
                # people per unit: villages ~ log-normal, bigger communities, small firms
                weight=rng.lognormvariate(0, 0.8) * {"community": 2.0, "banner": 0.1}.get(kind, 1),
            )
            if label == "banners":  # each banner has its own region code
                banner_no += 1
                unit.region = f"{159000 + banner_no:06d}"
            level.append(unit)
            next_id += 1
        units.extend(level)
        parents = level
    return units


def _people_batches(
    units: Sequence[PlannedUnit],
    n_people: int,
    first_person: int,
    first_care: int,
    rng: random.Random,
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[str]]]:
    """Batches of (person rows, care-worker rows, elder categories of the care workers)."""
    from nutag.people.idcard import checksum_char

    weights = [u.weight for u in units]
    from nutag.core.text import sample_names

    names = sample_names(rng)
    days = [dt.date(1940, 1, 1) + dt.timedelta(days=d) for d in range(0, 365 * 80)]
    day_text = [(d.isoformat(), d.strftime("%Y%m%d")) for d in days]
    seqs: Counter[tuple[str, int]] = Counter()
    person_id, care_id, remaining = first_person, first_care, n_people
    while remaining:
        size = min(BATCH, remaining)
        remaining -= size
        people, care, categories = [], [], []
        for unit in rng.choices(units, weights, k=size):
            name, pinyin, initials = names[rng.randrange(len(names))]
            day = rng.randrange(len(days))
            iso, ymd = day_text[day]
            male = rng.random() < 0.5
            seq = seqs[(unit.region, day)] * 2 + male
            seqs[(unit.region, day)] += 1
            id_number = ""
            if seq <= 999:  # else that birthday in that region is full: no ID number
                first17 = f"{unit.region}{ymd}{seq:03d}"
                id_number = first17 + checksum_char(first17)
            phone = f"13{rng.randrange(10**9):09d}" if rng.random() < 0.8 else ""
            is_care = rng.random() < CARE_SHARE
            category = ""
            if is_care and rng.random() < ELDER_SHARE:
                category = rng.choices(ELDER_CATEGORIES, ELDER_WEIGHTS)[0]
            people.append(
                (person_id, unit.id, unit.path, name, pinyin, initials, "m" if male else "f",
                 "02" if rng.random() < 0.5 else "01", iso, phone, id_number,
                 rng.random() < 0.4, bool(category), "")
            )  # fmt: skip
            if is_care:
                care.append((care_id, unit.id, unit.path, category, None, person_id))
                categories.append(category)
                care_id += 1
            person_id += 1
        yield people, care, categories


class BulkWriter:
    """Bulk insert through the current connection: COPY on PostgreSQL, else executemany."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.stamp = "2026-01-01 00:00:00+00" if self.postgres else "2026-01-01 00:00:00"

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        cols = ", ".join([*columns, "created_at", "updated_at"])
        stamped = [(*row, self.stamp, self.stamp) for row in rows]
        with transaction.atomic(), connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in stamped:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * (len(columns) + 2))
                sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, stamped)

    def next_id(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            return int(cursor.fetchone()[0])

    def reset_sequences(self, tables: Sequence[str]) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            if self.postgres and not connection.in_atomic_block:
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")


def _add_work(
    root: Any, tree: Sequence[PlannedUnit], rng: random.Random
) -> tuple[int, dict[int, int], int]:
    """Two finished five-good rounds (an accepted assessment per grassroots committee) and
    three tasks from the root to every township-level unit, with their reports."""
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
    )  # fmt: skip
    from nutag.orgs.models import GRASSROOTS_KINDS

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    grassroots = [u for u in tree[1:] if u.kind in GRASSROOTS_KINDS]
    townships = [u for u in tree if u.kind in ("township", "subdistrict")]
    passed: dict[int, int] = {}
    reports = 0
    with transaction.atomic():
        standard = Standard.objects.create(
            unit=root, kind=StandardKind.FIVE_GOOD, name="五好基层关工委", pass_mark=80
        )
        for year, share in PASS_SHARE.items():
            rnd = Round.objects.create(
                unit=root, standard=standard, year=year, title=f"{year}年度五好基层关工委评定",
                self_due=dt.date(year, 11, 30), status=RoundStatus.FINISHED, pass_mark=80,
                finished_at=now,
            )  # fmt: skip
            rows = []
            for unit in grassroots:
                ok = rng.random() < share
                rows.append(
                    Assessment(
                        round=rnd, unit_id=unit.id, unit_path=unit.path,
                        status=AssessmentStatus.ACCEPTED, self_total=85,
                        score=rng.randint(80, 100) if ok else rng.randint(40, 79), passed=ok,
                        submitted_at=now, reviewed_at=now,
                    )
                )  # fmt: skip
            Assessment.objects.bulk_create(rows, batch_size=2000)
            passed[year] = sum(1 for a in rows if a.passed)
        for month in (3, 7, 11):
            task = Task.objects.create(
                unit=root, title=f"{YEAR}年{month}月工作任务", requirements="按要求上报",
                due_on=dt.date(YEAR, month, 28),
            )  # fmt: skip
            rows_r = []
            for unit in townships:
                roll = rng.random()
                status = ReportStatus.ACCEPTED if roll < 0.85 else ReportStatus.PENDING
                rows_r.append(
                    TaskReport(
                        task=task, unit_id=unit.id, status=status, late=0.75 <= roll < 0.85,
                        submitted_at=now if status != ReportStatus.PENDING else None,
                    )
                )  # fmt: skip
            TaskReport.objects.bulk_create(rows_r, batch_size=2000)
            reports += len(rows_r)
    return len(grassroots), passed, reports


def generate_province(
    *,
    scale: str = "banner",
    seed: int = 20260101,
    units: int | None = None,
    people: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ProvinceInfo:
    """Write a synthetic province (or city, or banner) into the current database."""
    from nutag.core.actors import SYSTEM
    from nutag.orgs.models import Unit
    from nutag.orgs.registry import tally_rebuilds
    from nutag.orgs.services import unit_create
    from nutag.people.tallies import care_tally_rebuild

    if settings.NUTAG_IS_PRODUCTION:
        raise ProvinceRefusedError(
            "Refusing to generate a synthetic province: NUTAG_IS_PRODUCTION is true."
        )
    size = dict(SCALES[scale])
    if units:
        size["units"] = units
    if people is not None:
        size["people"] = people
    root_code = ROOT_CODES[scale]
    if Unit.objects.filter(code=root_code).exists():
        raise ProvinceRefusedError(f"A unit {root_code} exists already: use a fresh database.")
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible by seed)
    writer = BulkWriter()
    root = unit_create(
        acting_user=SYSTEM, parent=None, code=root_code, kind="banner",
        name={"banner": "模拟旗", "city": "模拟盟", "province": "模拟自治区"}[scale],
    )  # fmt: skip
    planned_root = PlannedUnit(
        root.pk, root.path, root.depth, root.code, root.kind, root.name, "159000", 0.1
    )
    tree = plan_tree(size, planned_root, writer.next_id("orgs_unit"), root_code[:2], rng)
    below = tree[1:]
    writer.insert(
        "orgs_unit",
        UNIT_COLUMNS,
        [(u.id, u.path, u.depth, u.numchild, u.code, u.kind, u.name, "", "active") for u in below],
    )
    Unit.objects.filter(pk=root.pk).update(numchild=planned_root.numchild)
    for table in ("orgs_branch", "orgs_carecommittee"):
        first = writer.next_id(table)
        writer.insert(
            table, BODY_COLUMNS, [(first + i, u.id, f"{u.name} body") for i, u in enumerate(below)]
        )
    timings["units"] = time.perf_counter() - started
    say(f"  {len(tree):,} units in {timings['units']:.1f} s")

    elders: Counter[str] = Counter()
    care_total = done = 0
    first_person = writer.next_id("people_person")
    first_care = writer.next_id("people_careworker")
    for rows, care, categories in _people_batches(
        tree, size["people"], first_person, first_care, rng
    ):
        writer.insert("people_person", PERSON_COLUMNS, rows)
        writer.insert("people_careworker", CARE_COLUMNS, care)
        care_total += len(care)
        elders.update(c for c in categories if c)
        done += len(rows)
        if done % 500_000 == 0 or done == size["people"]:
            say(f"  {done:,} people in {time.perf_counter() - started:.1f} s")
    timings["people"] = time.perf_counter() - started - timings["units"]
    writer.reset_sequences(
        ["orgs_unit", "orgs_branch", "orgs_carecommittee", "people_person", "people_careworker"]
    )
    mark = time.perf_counter()
    care_tally_rebuild()  # what the services keep in step, recounted once after the bulk load
    timings["tallies"] = time.perf_counter() - mark
    say(f"  care tallies recounted in {timings['tallies']:.1f} s")
    mark = time.perf_counter()
    grassroots, passed, reports = _add_work(root, tree, rng)
    timings["work"] = time.perf_counter() - mark
    say(
        f"  {grassroots:,} assessments a year and {reports:,} task reports "
        f"in {timings['work']:.1f} s"
    )
    # the other tallies the services keep (e.g. assess's five-good tally), recounted once
    for name, rebuild in tally_rebuilds().items():
        if name != "care":
            rebuild()
    mark = time.perf_counter()
    writer.analyze()
    timings["analyze"] = time.perf_counter() - mark
    levels = Counter(u.depth - root.depth for u in tree)
    return ProvinceInfo(
        root_code=root_code,
        units=len(tree),
        people=size["people"],
        care_workers=care_total,
        elders_by_category={c: elders[c] for c in ELDER_CATEGORIES},
        units_by_level=[levels[d] for d in sorted(levels)],
        grassroots=grassroots,
        passed=passed,
        reports=reports,
        seconds=time.perf_counter() - started,
        timings=timings,
    )


def describe(info: ProvinceInfo) -> str:
    levels = " / ".join(f"{n:,}" for n in info.units_by_level)
    return (
        f"{info.units:,} units (per level {levels}), {info.people:,} people, "
        f"{info.care_workers:,} care workers, {info.grassroots:,} assessments a year, "
        f"{info.reports:,} task reports; {info.seconds:.1f} s"
    )
