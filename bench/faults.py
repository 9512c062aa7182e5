"""bench/faults: does the production server ride out its dependencies failing under load?
(issue 20, item 3), and bench/soak's load generator (item 5).

Serves the demo as ``bench/pages.py`` does (production settings, granian with 2 workers),
but on PostgreSQL and Redis (the scale setup: ``REDIS_URL`` set, so the cache, the cache
generations and the read counters are in Redis; sessions are in the database), with
persistent database connections (``DATABASE_CONN_MAX_AGE=60``, health-checked) and with the
page cache off (``NUTAG_PAGE_CACHE_SECONDS=0``) so that every request reaches the database:
the worst case. A pool of client threads (``--clients``, each a closed loop with a 30 s
timeout) asks for a mix of pages (village home, banner home, dashboard, stats API, a column,
the search page) for the whole of each scenario, and every answer is recorded with its time:

- ``baseline``: nothing happens;
- ``postgres``: ``pg_ctl restart -m fast`` at 10 s (every connection is cut);
- ``redis``: Redis stopped (by its PID) at 10 s, started again at 25 s;
- ``worker``: one granian worker killed (SIGKILL) at 10 s.

For each it reports the answers, the non-200s and transport errors, the window in which
they happened, the time from the fault (or the end of the restart) to the first good answer
after the last bad one, the p50/p99/max latency and the requests that reached the 30 s
timeout ("hangs", the bar: none).

It needs a PostgreSQL cluster it may restart: ``--pgdata DIR`` (run ``pg_ctl`` as the
directory's owner; as root through ``su``), and ``DATABASE_URL`` naming a database on that
cluster whose name contains "bench" (dropped and re-created); ``redis-server`` on the PATH
(started on a free port and stopped by its PID).

    DATABASE_URL=postgres://nutag@127.0.0.1:55491/nutag_faults_bench \\
        .venv/bin/python bench/faults.py --pgdata /tmp/pgf/data --write

``bench/soak.py`` uses the same server and load generator (``serve`` and ``Load``).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import pwd
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402
from bench.pages import (  # noqa: E402
    DEMO_VILLAGE,
    BenchError,
    DemoSite,
    Server,
    free_port,
    run_server,
)

BANNER = "150725"
TIMEOUT = 30.0


# --- The server: demo on PostgreSQL + Redis ------------------------------------------------


class _ScaleSite(DemoSite):
    """The demo served with PostgreSQL and Redis instead of SQLite and local memory."""

    database_url: str = ""
    redis_url: str = ""
    extra: dict[str, str] = {}

    @property
    def env(self) -> dict[str, str]:
        env = super().env
        env.update(
            {
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "DATABASE_CONN_MAX_AGE": "60",
                "NUTAG_PAGE_CACHE_SECONDS": "0",
                "DATABASE_STATEMENT_TIMEOUT": "20000",
                # without it, one worker killed stops granian altogether (measured)
                "GRANIAN_RESPAWN_FAILED_WORKERS": "1",
            }
        )
        env.pop("NUTAG_GENERATIONS_FILE", None)
        env.update(self.extra)
        return env


@dataclasses.dataclass
class Redis:
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1",
             "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        import socket

        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                return
            time.sleep(0.1)
        raise BenchError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def pg_ctl(pgdata: Path, *args: str) -> None:
    """``pg_ctl -D pgdata …`` as the owner of the cluster (through su when we are root)."""
    owner = pwd.getpwuid(pgdata.stat().st_uid).pw_name
    command = ["pg_ctl", "-D", str(pgdata), "-l", str(pgdata.parent / "log"), *args]
    if os.geteuid() == 0 and owner != "root":
        command = ["su", owner, "-c", " ".join(command)]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603


@contextlib.contextmanager
def serve(
    folder: Path,
    database_url: str,
    *,
    workers: int = 2,
    reuse: bool = False,
    log: Callable[[str], None] = print,
) -> Iterator[tuple[Server, Redis, _ScaleSite]]:
    """Fresh database (or, with ``reuse``, the one a ``--keep`` run left), demo loaded,
    Redis started, granian serving; all stopped after."""
    if not reuse:
        common.prepare_postgres(database_url, drop=False)
    redis = Redis(free_port(), folder)
    redis.start()
    try:
        site = _ScaleSite(folder)
        site.database_url, site.redis_url = database_url, redis.url
        started = time.perf_counter()
        if not reuse:
            site.manage("migrate", "--no-input", settings="config.settings.dev")
            site.manage("load_demo", settings="config.settings.dev")
        site.manage("collectstatic", "--no-input")
        log(f"  demo on PostgreSQL loaded in {time.perf_counter() - started:.1f} s")
        with run_server(site, workers=workers) as server:
            yield server, redis, site
    finally:
        redis.stop()


def paths() -> list[str]:
    return [
        f"/u/{DEMO_VILLAGE}/",
        f"/u/{BANNER}/",
        f"/u/{BANNER}/figures/",
        f"/api/v1/units/{BANNER}/stats",
        f"/u/{DEMO_VILLAGE}/c/news/",
        f"/u/{BANNER}/search/?q=%E5%AD%A6%E4%B9%A0",
    ]


# --- The load ----------------------------------------------------------------------------


@dataclasses.dataclass
class Answer:
    at: float  # seconds since the load started, when the request was sent
    ms: float
    status: int  # 0 = transport error or timeout
    path: str


class Load:
    """``clients`` threads, each asking for ``choose()`` in a closed loop until stopped."""

    def __init__(self, base_url: str, clients: int, choose: Callable[[random.Random], str]):
        self.base_url, self.clients, self.choose = base_url, clients, choose
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.t0 = 0.0
        self.threads: list[threading.Thread] = []

    def _run(self, seed: int) -> None:
        rng = random.Random(seed)
        while not self._stop.is_set():
            path = self.choose(rng)
            sent = time.monotonic()
            status = 0
            try:
                request = urllib.request.Request(  # noqa: S310
                    self.base_url + path, headers={"Accept-Encoding": "gzip"}
                )
                with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except (OSError, urllib.error.URLError):
                status = 0
            done = time.monotonic()
            with self._lock:
                self.answers.append(Answer(sent - self.t0, (done - sent) * 1000, status, path))
            if status == 0:
                time.sleep(0.05)  # a refused connection returns at once: do not spin

    def start(self) -> None:
        self.t0 = time.monotonic()
        self.threads = [
            threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.clients)
        ]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT + 5)

    def now(self) -> float:
        return time.monotonic() - self.t0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


@dataclasses.dataclass
class Outcome:
    name: str
    seconds: float
    answers: int
    bad: int
    bad_window: tuple[float, float] | None
    fault_at: float | None
    fault_done: float | None
    recovered_after: float | None  # seconds from the fault's end to the first good answer
    p50: float
    p99: float
    worst: float
    hangs: int
    note: str = ""

    def line(self) -> str:
        window = f"{self.bad_window[0]:.1f}–{self.bad_window[1]:.1f} s" if self.bad_window else "—"
        recovered = "—" if self.recovered_after is None else f"{self.recovered_after:.1f} s"
        return (
            f"| {self.name} | {self.answers:,} ({self.answers / self.seconds:.0f}/s) | "
            f"{self.bad} | {window} | {recovered} | {self.p50:.0f} / {self.p99:.0f} / "
            f"{self.worst:.0f} | {self.hangs} | {self.note} |"
        )


def outcome(
    name: str, load: Load, seconds: float, fault_at: float | None, fault_done: float | None,
    note: str = "",
) -> Outcome:  # fmt: skip
    answers = load.answers
    bad = [a for a in answers if a.status != 200]
    window = (min(a.at for a in bad), max(a.at + a.ms / 1000 for a in bad)) if bad else None
    recovered = None
    if fault_done is not None:
        last_bad = window[1] if window else fault_done
        good_after = [
            a.at + a.ms / 1000
            for a in answers
            if a.status == 200 and a.at + a.ms / 1000 >= max(last_bad, fault_done)
        ]
        if good_after:
            recovered = max(0.0, min(good_after) - fault_done)
    ms = [a.ms for a in answers]
    return Outcome(
        name=name, seconds=seconds, answers=len(answers), bad=len(bad), bad_window=window,
        fault_at=fault_at, fault_done=fault_done, recovered_after=recovered,
        p50=percentile(ms, 50), p99=percentile(ms, 99), worst=max(ms, default=0.0),
        hangs=sum(1 for a in answers if a.ms >= TIMEOUT * 1000 - 50), note=note,
    )  # fmt: skip


def worker_pids(server: Server) -> list[int]:
    out = subprocess.run(  # noqa: S603
        ["/usr/bin/pgrep", "-P", str(server.process.pid)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [int(p) for p in out.stdout.split()]


def scenario(
    name: str, server: Server, clients: int, seconds: float,
    fault: Callable[[], str] | None = None, at: float = 10.0,
    heal: Callable[[], None] | None = None, heal_at: float = 25.0,
) -> Outcome:  # fmt: skip
    every = paths()
    load = Load(server.base_url, clients, lambda rng: rng.choice(every))
    load.start()
    fault_at = fault_done = None
    note = ""
    try:
        if fault:
            time.sleep(max(0.0, at - load.now()))
            fault_at = load.now()
            note = fault()
            fault_done = load.now()
        if heal:
            time.sleep(max(0.0, heal_at - load.now()))
            heal()
            fault_done = load.now()
        time.sleep(max(0.0, seconds - load.now()))
    finally:
        load.stop()
    result = outcome(name, load, seconds, fault_at, fault_done, note)
    print("  " + result.line(), flush=True)
    return result


HEADER = [
    "| scenario | answers | non-200 | when (s) | good again after | p50 / p99 / max ms "
    "| hangs ≥ 30 s | note |",
    "|---|---:|---:|---|---:|---|---:|---|",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pgdata", type=Path, required=True, help="the cluster to restart")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=40.0, help="per scenario")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="the database a --keep run left")
    parser.add_argument(
        "--only", default="baseline,postgres,redis,worker", help="scenarios, comma-separated"
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    # Ctrl-C or a timeout's SIGTERM still stops the server and Redis we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    database_url = common.postgres_url()
    folder = Path(tempfile.mkdtemp(prefix="nutag-faults-"))
    results: list[Outcome] = []
    try:
        with serve(folder, database_url, reuse=args.reuse) as (server, redis, _site):
            print(f"bench/faults: {server.base_url}, {args.clients} clients")
            if "baseline" in only:
                results.append(scenario("baseline", server, args.clients, args.seconds / 2))

            def restart_postgres() -> str:
                started = time.monotonic()
                pg_ctl(args.pgdata, "restart", "-m", "fast", "-w")
                return f"restart took {time.monotonic() - started:.1f} s"

            if "postgres" in only:
                results.append(
                scenario("PostgreSQL restarted", server, args.clients, args.seconds,
                         restart_postgres)
            )  # fmt: skip

            def stop_redis() -> str:
                redis.stop()
                return "Redis down 10–25 s"

            if "redis" in only:
                results.append(
                scenario("Redis stopped, then started", server, args.clients, args.seconds,
                         stop_redis, heal=redis.start)
            )  # fmt: skip

            def kill_worker() -> str:
                before = worker_pids(server)
                if not before:
                    return "no worker found"
                os.kill(before[0], signal.SIGKILL)
                time.sleep(3)
                after = worker_pids(server)
                return f"workers {len(before)} → {len(after)} 3 s later"

            if "worker" in only:
                results.append(
                    scenario("a worker killed", server, args.clients, args.seconds, kill_worker)
                )
            server_log = server.log_path.read_text(errors="replace")[-2000:]
    finally:
        if not args.keep:
            with contextlib.suppress(Exception):
                common.prepare_postgres(database_url, drop=True)
        shutil.rmtree(folder, ignore_errors=True)
    body = [
        "## bench/faults",
        "",
        f"Run {common.today()} with `bench/faults.py --clients {args.clients} --seconds "
        f"{args.seconds:g}`: the demo on PostgreSQL 15 and Redis, granian with 2 workers, "
        "production settings, page cache off (every request reaches the database), "
        "persistent connections (`DATABASE_CONN_MAX_AGE=60`, `CONN_HEALTH_CHECKS`), "
        "`DATABASE_STATEMENT_TIMEOUT=20000`; closed-loop clients with a 30 s timeout over "
        "six pages (village and banner home, dashboard, stats API, a column, search).",
        f"Machine: {common.machine_description()} (shared with seven other developers).",
        "",
        *HEADER,
        *[r.line() for r in results],
    ]
    print("\n".join(body))
    if "Traceback" in server_log:
        print("server log tail:\n" + server_log)
    if args.write:
        common.write_section("bench/faults", body)
    return 0 if all(r.hangs == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
