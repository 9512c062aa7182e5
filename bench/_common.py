"""What the database benches share: a fresh database with Django set up on it, interleaved
timing, query plans, and their blocks of bench/RESULTS.md (with the machine and database
they ran on).

``bench/stats.py``, ``bench/dashboard.py`` and ``bench/search.py`` use it; ``bench/pages.py``
and ``bench/pageload.py`` the machine description and the date. Import it as
``bench._common`` (the scripts put the project root on ``sys.path`` first).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

ROOT_DIR = Path(__file__).resolve().parent.parent
RESULTS_FILE = ROOT_DIR / "bench" / "RESULTS.md"


# --- Where it ran ------------------------------------------------------------------------------


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        text = Path("/proc/cpuinfo").read_text()
        found = re.search(r"model name\s*:\s*(.+)", text)
        if found:
            cpu = found.group(1).strip()
    except OSError:
        pass
    memory = ""
    try:
        found = re.search(r"MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text())
        if found:
            memory = f", {int(found.group(1)) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f"; 1-min load average {os.getloadavg()[0]:.1f} at the end of the run"
    return (
        f"{cpu}, {os.cpu_count()} CPUs{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}{load}"
    )


def database_description() -> str:
    import django
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        db = f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL, default cache)"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SHOW shared_buffers")
            buffers = cursor.fetchone()[0]
        db = f"PostgreSQL {version} (shared_buffers={buffers}, stock config)"
    return f"{db}; Django {django.get_version()}"


# --- A fresh database --------------------------------------------------------------------------


def recreate_postgres(url: str, name: str, *, create: bool) -> None:
    """Drop the database ``name`` on the server of ``url``; then create it afresh if
    ``create``."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    with psycopg.connect(
        dbname="postgres",
        user=cfg["USER"],
        password=cfg["PASSWORD"],
        host=cfg["HOST"] or None,
        port=cfg["PORT"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_postgres(url: str, *, drop: bool) -> None:
    """Drop and re-create (or just drop) the bench database named in ``url``."""
    import dj_database_url

    name = dj_database_url.parse(url)["NAME"]
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop database {name!r}: its name must contain 'bench'.")
    recreate_postgres(url, name, create=not drop)


def postgres_url() -> str:
    """DATABASE_URL, which ``--db postgres`` needs to name a PostgreSQL database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--db postgres needs DATABASE_URL=postgres://user:pw@host:port/db")
    return url


def setup_django() -> None:
    """Django on the database in DATABASE_URL, the development settings without the query
    log, answering the test client."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "0"  # no query log
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    if str(ROOT_DIR) not in sys.path:
        sys.path.insert(0, str(ROOT_DIR))

    import django

    django.setup()


def remove_folder(folder: str) -> None:
    for child in Path(folder).iterdir():
        child.unlink()
    Path(folder).rmdir()


@contextlib.contextmanager
def fresh_database(db: str, *, keep: bool = False) -> Iterator[str]:
    """Django set up on a fresh database, migrated; yields its vendor.

    ``sqlite``: a temporary file; ``postgres``: the database named in DATABASE_URL (its name
    must contain "bench"), dropped and re-created. Either is removed afterwards, unless
    ``keep``."""
    tmpdir = None
    if db == "sqlite":
        tmpdir = tempfile.mkdtemp(prefix="nutag-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
    else:
        prepare_postgres(postgres_url(), drop=False)
    setup_django()
    from django.db import connection

    try:
        yield connection.vendor
    finally:
        connection.close()
        if db == "postgres" and not keep:
            prepare_postgres(os.environ["DATABASE_URL"], drop=True)
        if tmpdir is not None and not keep:
            remove_folder(tmpdir)
        elif tmpdir is not None:
            print(f"Kept {tmpdir}/bench.sqlite3")


def migrate() -> None:
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - t0:.1f} s")


# --- Measuring ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Measurement:
    """Timings on one database: ``samples`` (milliseconds, by key) hold the baseline under
    ``count`` and what the bar is about under ``measured``, whose median over the baseline's
    must be at most ``bar``; ``plans`` the query plans, by key."""

    measured: ClassVar[str]
    bar: ClassVar[float]

    vendor: str
    count_ms: float
    reps: int
    samples: dict[str, list[float]]
    plans: dict[str, str]

    @property
    def ratio(self) -> float:
        return statistics.median(self.samples[self.measured]) / self.count_ms

    @property
    def best_ratio(self) -> float:
        """The ratio of the fastest runs: less sensitive to a busy machine."""
        return min(self.samples[self.measured]) / min(self.samples["count"])

    @property
    def passes(self) -> bool:
        return self.ratio <= self.bar


def clock() -> Callable[[], float]:
    """The clock of ``interleaved``: wall time, or with ``NUTAG_BENCH_CPU=1`` this process's
    CPU time — on SQLite (the database runs inside the process) what a call costs, whatever
    else the shared machine runs at the time (not for PostgreSQL: its work is in another
    process)."""
    return time.process_time if os.environ.get("NUTAG_BENCH_CPU") == "1" else time.perf_counter


def interleaved(
    fns: dict[str, Callable[[], Any]], reps: int, warmup: int
) -> dict[str, list[float]]:
    """Time each function ``reps`` times, in turn (a, b, c, a, b, c…), after a warm-up, so
    that a busy moment on the machine falls on all of them alike. Milliseconds (of
    ``clock()``)."""
    now = clock()
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples: dict[str, list[float]] = {key: [] for key in fns}
    for _ in range(reps):
        for key, fn in fns.items():
            t0 = now()
            fn()
            samples[key].append((now() - t0) * 1000)
    return samples


COUNT_SQL = "SELECT COUNT(*) FROM people_person"  # the baseline of the database benches


def count_people() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL)
        return int(cursor.fetchone()[0])


def query_plans(label: str, sqls: Sequence[str]) -> dict[str, str]:
    """EXPLAIN QUERY PLAN (SQLite) / EXPLAIN ANALYZE (PostgreSQL) of the baseline ("count")
    and of ``sqls``, the queries a measured call sends ("{label} query 1", …)."""
    from django.db import connection

    queries = {"count": COUNT_SQL}
    for i, sql in enumerate(sqls, start=1):
        queries[f"{label} query {i}"] = sql
    prefix = (
        "EXPLAIN (ANALYZE, COSTS OFF) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    plans = {}
    with connection.cursor() as cursor:
        for key, sql in queries.items():
            cursor.execute(prefix + sql)
            plans[key] = "\n".join(str(r[-1]) for r in cursor.fetchall())
    return plans


# --- Reporting ---------------------------------------------------------------------------------


def print_report(lines: Sequence[str], plans: dict[str, str]) -> None:
    for line in lines:
        print(line.replace("**", ""))
    for key, plan in plans.items():
        print(f"  plan {key}:\n    " + plan.replace("\n", "\n    "))


def vendor_title(vendor: str) -> str:
    return "SQLite" if vendor == "sqlite" else "PostgreSQL"


def run_block(
    *, title: str, command: str, lines: Sequence[str], plans_title: str, plans: Sequence[str]
) -> list[str]:
    """One database's block of a section of RESULTS.md: when, how and where it ran, what it
    measured, and the query plans (in a code block)."""
    return [
        f"### {title}",
        "",
        f"Run {today()} with `{command}`.",
        f"Machine: {machine_description()}.",
        f"Database: {database_description()}.",
        "",
        *lines,
        "",
        plans_title,
        "",
        "```",
        *plans,
        "```",
    ]


def write_block(name: str, vendor: str, body: Sequence[str], *, intro: str) -> None:
    """Replace this database's block (``<!-- {name}:{vendor}:start/end -->``) inside the
    section ``name`` of RESULTS.md, leaving the other blocks and sections as they are.

    A missing section is added at the end, headed ``## {name}`` and ``intro``; a new block
    goes at the end of its section, but SQLite's before PostgreSQL's whatever order the
    runs come in."""
    section_start, section_end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block_start, block_end = f"<!-- {name}:{vendor}:start -->", f"<!-- {name}:{vendor}:end -->"
    block = "\n".join([block_start, *body, block_end])
    text = RESULTS_FILE.read_text() if RESULTS_FILE.exists() else "# Benchmark results\n"
    if section_start not in text:
        text = text.rstrip("\n") + f"\n\n{section_start}\n## {name}\n\n{intro}\n\n{section_end}\n"
    head, rest = text.split(section_start, 1)
    section, tail = rest.split(section_end, 1)
    if block_start in section:
        before, after = section.split(block_start, 1)
        section = before + block + after.split(block_end, 1)[1]
    else:
        other = f"<!-- {name}:postgresql:start -->"
        if vendor == "sqlite" and other in section:
            before, after = section.split(other, 1)
            section = before + block + "\n\n" + other + after
        else:
            section = section.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS_FILE.write_text(head + section_start + section + section_end + tail)
    print(f"Results written to {RESULTS_FILE.relative_to(ROOT_DIR)}")


def write_section(name: str, body: list[str]) -> None:
    """Replace (or append) the section delimited by ``<!-- {name}:start/end -->`` in
    bench/RESULTS.md, leaving every other section as it is."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = "\n".join([start, *body, end])
    text = RESULTS_FILE.read_text() if RESULTS_FILE.exists() else "# Benchmark results\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS_FILE.write_text(text)
    print(f"Results written to {RESULTS_FILE.relative_to(ROOT_DIR)}")


def write_run(
    name: str, vendor: str, *, command: str, lines: Sequence[str], plans: dict[str, str], intro: str
) -> None:
    """``write_block`` of a run whose plans are those of ``query_plans``."""
    body = run_block(
        title=vendor_title(vendor),
        command=command,
        lines=lines,
        plans_title="Query plans:",
        plans=[f"-- {key}\n{plan}" for key, plan in plans.items()],
    )
    write_block(name, vendor, body, intro=intro)
