"""bench/soak: half saturation for a long time — memory per worker flat, no connection leak,
p99 stable? (issue 20, item 5).

The server of ``bench/faults.py`` (the demo on PostgreSQL and Redis, granian with 2 workers,
production settings, page cache off, persistent connections). First ``--probe`` seconds at
saturation (``--clients`` closed-loop clients) give the maximum rate; then for
``--minutes`` the same mix of pages and searches is sent at half that rate (paced clients),
and every ``--every`` seconds it records each worker's resident memory (``VmRSS``), the
database's connections (``pg_stat_activity``) and the p50/p99 of the answers of that window.
The bar: no error, each worker's memory at the end within 20% (+20 MB) of the first sample
after warm-up, the database's connections never more than 2 above the first sample (each
worker thread keeps one: persistent connections), the last window's p99 within 2× the
first's.

    DATABASE_URL=postgres://nutag@127.0.0.1:55491/nutag_faults_bench \\
        .venv/bin/python bench/soak.py --minutes 60 --write     # the full hour
    ... bench/soak.py --minutes 10 --reuse --keep --write         # a short one

The CI variant is ``nutag/core/tests/test_soak.py`` (in process, about 20 s).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402
from bench.faults import Load, paths, percentile, serve, worker_pids  # noqa: E402


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def db_connections(database_url: str) -> int:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(database_url)
    with psycopg.connect(
        dbname="postgres", user=cfg["USER"], password=cfg["PASSWORD"],
        host=cfg["HOST"] or None, port=cfg["PORT"] or None, autocommit=True,
    ) as conn:  # fmt: skip
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [cfg["NAME"]]
        ).fetchone()
    return int(row[0]) if row else 0


class PacedLoad(Load):
    """Each client waits so that all together send about ``rate`` requests a second."""

    def __init__(self, base_url: str, clients: int, rate: float) -> None:
        every = paths()
        self.interval = clients / rate

        def choose(rng: random.Random) -> str:
            return rng.choice(every)

        super().__init__(base_url, clients, choose)
        original = self.choose

        def paced(rng: random.Random) -> str:
            time.sleep(self.interval * rng.uniform(0.5, 1.5))
            return original(rng)

        self.choose = paced


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--every", type=float, default=60.0, help="seconds per sample")
    parser.add_argument("--probe", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    database_url = common.postgres_url()
    folder = Path(tempfile.mkdtemp(prefix="nutag-soak-"))
    rows: list[str] = []
    samples: list[tuple[float, list[float], int, float, float, int, int]] = []
    try:
        with serve(folder, database_url, reuse=args.reuse) as (server, _redis, _site):
            every = paths()
            probe = Load(server.base_url, args.clients, lambda rng: rng.choice(every))
            probe.start()
            time.sleep(args.probe)
            probe.stop()
            good = [a for a in probe.answers if a.status == 200]
            top = len(good) / args.probe
            rate = top / 2
            print(f"bench/soak: saturation {top:.1f} req/s; soaking at {rate:.1f} req/s")
            load = PacedLoad(server.base_url, args.clients, rate)
            load.start()
            seen = 0
            end = args.minutes * 60
            lock = threading.Lock()
            while load.now() < end:
                time.sleep(min(args.every, max(0.0, end - load.now())))
                with lock:
                    window = load.answers[seen:]
                    seen = len(load.answers)
                ms = [a.ms for a in window]
                workers = worker_pids(server)
                sample = (
                    load.now(), [rss_mb(p) for p in workers], db_connections(database_url),
                    percentile(ms, 50), percentile(ms, 99), len(window),
                    sum(1 for a in window if a.status != 200),
                )  # fmt: skip
                samples.append(sample)
                rss = ", ".join(f"{r:.0f}" for r in sample[1])
                print(
                    f"  {sample[0] / 60:5.1f} min  rss {rss} MB"
                    f"  db conns {sample[2]}  p50 {sample[3]:.0f} ms  p99 {sample[4]:.0f} ms"
                    f"  answers {sample[5]}  errors {sample[6]}",
                    flush=True,
                )
            load.stop()
    finally:
        if not args.keep:
            with contextlib.suppress(Exception):
                common.prepare_postgres(database_url, drop=True)
        shutil.rmtree(folder, ignore_errors=True)
    if len(samples) < 2:
        print("too short to judge")
        return 2
    first, last = samples[0], samples[-1]
    errors = sum(s[6] for s in samples)
    mem_ok = all(b <= a * 1.2 + 20 for a, b in zip(first[1], last[1], strict=False)) and len(
        first[1]
    ) == len(last[1])
    # Each worker thread keeps its connection (persistent connections): a leak is growth.
    conns_ok = max(s[2] for s in samples) <= first[2] + 2
    p99_ok = last[4] <= 2 * max(first[4], 1.0)
    verdict = "meets" if (errors == 0 and mem_ok and conns_ok and p99_ok) else "FAILS"
    rows = [
        "| minute | RSS per worker (MB) | DB connections | p50 ms | p99 ms | answers | errors |",
        "|---:|---|---:|---:|---:|---:|---:|",
        *[
            f"| {s[0] / 60:.1f} | {' / '.join(f'{r:.0f}' for r in s[1])} | {s[2]} | "
            f"{s[3]:.0f} | {s[4]:.0f} | {s[5]} | {s[6]} |"
            for s in samples
        ],
    ]
    body = [
        "## bench/soak",
        "",
        f"Run {common.today()} with `bench/soak.py --minutes {args.minutes:g} --every "
        f"{args.every:g}`: the server of bench/faults (demo on PostgreSQL 15 + Redis, granian "
        "2 workers, production settings, page cache off, persistent connections); "
        f"saturation measured at {top:.1f} req/s over {args.probe:g} s with {args.clients} "
        f"clients, then paced at half, {rate:.1f} req/s.",
        f"Machine: {common.machine_description()} (shared with seven other developers).",
        "",
        *rows,
        "",
        f"- errors {errors}; memory flat (≤ 1.2× + 20 MB): {mem_ok}; connections never "
        f"above the first sample + 2: {conns_ok}; last p99 ≤ 2× first: {p99_ok} — **{verdict}**",
    ]
    print("\n".join(body))
    if args.write:
        common.write_section("bench/soak", body)
    return 0 if verdict == "meets" else 1


if __name__ == "__main__":
    sys.exit(main())
