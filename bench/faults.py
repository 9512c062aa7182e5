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
- ``worker``: one granian worker killed (SIGKILL) at 10 s;
- ``saturation``: the clients ramped until throughput stops rising, that load held for
  ``--hold`` seconds with a fifth of the turns residents' concerns sent through the API
  with an ``Idempotency-Key`` (resent until confirmed); then every confirmed concern is
  looked for in the database: none missing, none twice, and no 5xx or timeout;
- ``celery`` / ``celery-child``: a real Celery worker (and beat) sending an emergency
  notice's SMS to a fake provider, SIGKILLed mid-batch (its whole process group, then a new
  worker; or one pool process): every message received exactly once.

For each it reports the answers, the non-200s and transport errors, the window in which
they happened, the time from the fault (or the end of the restart) to the first good answer
after the last bad one, the p50/p99/max latency and the requests that reached the 30 s
timeout ("hangs", the bar: none).

The ``postgres`` scenario needs a PostgreSQL cluster it may restart: ``--pgdata DIR`` (run
``pg_ctl`` as the directory's owner; as root through ``su``). All need ``DATABASE_URL``
naming a database whose name contains "bench" (dropped and re-created) and
``redis-server`` on the PATH (started on a free port and stopped by its PID).

    DATABASE_URL=postgres://nutag@127.0.0.1:55491/nutag_faults_bench \\
        .venv/bin/python bench/faults.py --pgdata /tmp/pgf/data --write

``bench/soak.py`` uses the same server and load generator (``serve`` and ``Load``).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
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
from typing import Any

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
                # plain HTTP on 127.0.0.1 as behind nginx (else the production check refuses)
                "NUTAG_TLS_PROXY": "1",
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
    extra: dict[str, str] | None = None,
) -> Iterator[tuple[Server, Redis, _ScaleSite]]:
    """Fresh database (or, with ``reuse``, the one a ``--keep`` run left), demo loaded,
    Redis started, granian serving; all stopped after. ``extra``: more environment."""
    if not reuse:
        common.prepare_postgres(database_url, drop=False)
    redis = Redis(free_port(), folder)
    redis.start()
    try:
        site = _ScaleSite(folder)
        site.database_url, site.redis_url = database_url, redis.url
        if extra:
            site.extra = dict(extra)
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


@dataclasses.dataclass
class Call:
    """One request other than a page GET (a submission): the label its answers carry, the
    request, and what to do with the status it got (0: transport error or timeout)."""

    label: str
    request: urllib.request.Request
    done: Callable[[int], None] | None = None


class Load:
    """``clients`` threads, each asking for ``choose()`` in a closed loop until stopped."""

    def __init__(
        self,
        base_url: str,
        clients: int,
        choose: Callable[[random.Random], str],
        call: Callable[[int, random.Random], Call | None] | None = None,
    ):
        self.base_url, self.clients, self.choose = base_url, clients, choose
        # Optional: asked first by client ``i`` each turn; a ``Call`` (a submission) is
        # sent instead of a GET of ``choose()`` (bench/faults' saturation scenario).
        self.call = call
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.t0 = 0.0
        self.threads: list[threading.Thread] = []

    def _run(self, seed: int) -> None:
        rng = random.Random(seed)
        while not self._stop.is_set():
            call = self.call(seed, rng) if self.call is not None else None
            path = call.label if call is not None else self.choose(rng)
            sent = time.monotonic()
            status = 0
            try:
                request = (
                    call.request
                    if call is not None
                    else urllib.request.Request(  # noqa: S310
                        self.base_url + path, headers={"Accept-Encoding": "gzip"}
                    )
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
            if call is not None and call.done is not None:
                call.done(status)
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


# --- Saturation with submissions: none lost, none doubled ------------------------------------

SUBMIT_SHARE = 0.2  # of each client's turns: a resident's concern instead of a page


class Submissions:
    """Residents' concerns through ``POST /api/v1/units/{code}/concerns``, each resident
    with a login and a write API token of its own, each concern with an ``Idempotency-Key``
    (also written at the end of its text, for the database check). A concern the server did
    not confirm (transport error, timeout, 5xx) is sent again with the same key, as the phone
    app does, until it is confirmed; one that got a 4xx is refused (counted, not resent)."""

    def __init__(
        self,
        base_url: str,
        residents: list[tuple[str, str]],
        run: str,
        share: float = SUBMIT_SHARE,
    ):
        """``residents``: (API token, code of the resident's unit); client ``i`` is
        resident ``i`` (modulo their number)."""
        self.base_url, self.residents, self.run, self.share = base_url, residents, run, share
        self.lock = threading.Lock()
        self.made: dict[int, int] = {}
        self.pending: dict[int, str] = {}  # client -> key sent and not yet confirmed
        self.confirmed: set[str] = set()
        self.refused: dict[str, int] = {}
        self.sends = 0
        self.resends = 0

    def __call__(self, client: int, rng: random.Random) -> Call | None:
        if rng.random() >= self.share:
            return None
        with self.lock:
            key = self.pending.get(client)
            if key is None:
                self.made[client] = self.made.get(client, 0) + 1
                key = f"{self.run}-{client}-{self.made[client]}"
                self.pending[client] = key
            else:
                self.resends += 1
            self.sends += 1
        body = json.dumps(
            {"category": "roads", "text": f"压测：村口的路被雪堵了，请派铲车 [{key}]"},
            ensure_ascii=False,
        ).encode()
        token, code = self.residents[client % len(self.residents)]
        request = urllib.request.Request(  # noqa: S310
            f"{self.base_url}/api/v1/units/{code}/concerns",
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": key,
            },
        )
        return Call("POST concern", request, lambda status: self._done(client, key, status))

    def _done(self, client: int, key: str, status: int) -> None:
        with self.lock:
            if 200 <= status < 400:
                self.confirmed.add(key)
                self.pending.pop(client, None)
            elif 400 <= status < 500 and status != 429:
                self.refused[key] = status
                self.pending.pop(client, None)

    def check(self, stored: dict[str, int]) -> dict[str, int]:
        """Compare with the database's ``{key: concerns}`` of this run."""
        mine = {k: n for k, n in stored.items() if k.startswith(f"{self.run}-")}
        unconfirmed = set(self.pending.values())
        return {
            "sent": self.sends,
            "resent": self.resends,
            "confirmed": len(self.confirmed),
            "refused": len(self.refused),
            "lost": sum(1 for k in self.confirmed if mine.get(k, 0) == 0),
            "doubled": sum(1 for n in mine.values() if n > 1),
            "unconfirmed": len(unconfirmed),
            "unconfirmed stored": sum(1 for k in unconfirmed if mine.get(k, 0)),
            "stored, never sent": sum(
                1 for k in mine if k not in self.confirmed and k not in unconfirmed
                and k not in self.refused
            ),
        }  # fmt: skip


def django_json(site: _ScaleSite, call: str) -> Any:
    """Run ``bench.faults_setup.<call>`` in the served site's settings; its JSON answer."""
    out = site.manage("shell", "-c", f"from bench import faults_setup; faults_setup.{call}")
    return json.loads(out.strip().splitlines()[-1])


@dataclasses.dataclass
class Step:
    clients: int
    seconds: float
    answers: list[Answer]

    @property
    def rate(self) -> float:
        return len(self.answers) / self.seconds

    def count(self, test: Callable[[int], bool]) -> int:
        return sum(1 for a in self.answers if test(a.status))

    def line(self) -> str:
        ms = [a.ms for a in self.answers]
        posts = sum(1 for a in self.answers if a.path == "POST concern")
        return (
            f"| {self.clients} | {len(self.answers):,} | {self.rate:.1f}/s | {posts:,} | "
            f"{self.count(lambda s: 200 <= s < 400):,} | {self.count(lambda s: 400 <= s < 500)} | "
            f"{self.count(lambda s: s >= 500)} | {self.count(lambda s: s == 0)} | "
            f"{percentile(ms, 50):.0f} / {percentile(ms, 99):.0f} / {max(ms, default=0):.0f} |"
        )


STEP_HEADER = [
    "| clients | answers | rate | of them submissions | 2xx/3xx | 4xx | 5xx | timeouts "
    "and transport errors | p50 / p99 / max ms |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
]


def run_step(server: Server, clients: int, seconds: float, submissions: Submissions) -> Step:
    every = paths()
    load = Load(server.base_url, clients, lambda rng: rng.choice(every), call=submissions)
    load.start()
    time.sleep(seconds)
    load.stop()
    step = Step(clients, seconds, list(load.answers))
    print("  " + step.line(), flush=True)
    return step


def saturation(
    server: Server, site: _ScaleSite, *, steps: list[int], step_seconds: float,
    hold_seconds: float, residents: int,
) -> list[str]:  # fmt: skip
    """Find saturation (ramp the clients until two steps in a row add less than 5 % to the
    best rate; saturation = the fewest clients within 5 % of the best), hold it
    ``hold_seconds``, then count each confirmed submission in the database. Returns the
    report's lines."""
    run = f"s{int(time.time()) % 100000}"
    made = django_json(site, f"make_residents(banner={BANNER!r}, count={residents}, run={run!r})")
    people = [(token, code) for token, code in made]
    units = len({code for _, code in people})
    print(f"  {len(people)} residents in {units} units, with logins and API tokens")
    ramp = Submissions(server.base_url, people, f"{run}r")
    print("  warm-up (not counted in the ramp; its submissions are checked with it):")
    run_step(server, max(steps[:2]), step_seconds, ramp)
    steps_done: list[Step] = []
    for n in steps:  # until two steps in a row add less than 5 % to the best rate
        steps_done.append(run_step(server, n, step_seconds, ramp))
        rates = [s.rate for s in steps_done]
        if len(rates) >= 3 and max(rates[-2:]) < 1.05 * max(rates[:-2]):
            break
    best = max(s.rate for s in steps_done)
    chosen = next(s for s in steps_done if s.rate >= 0.95 * best)
    print(f"  saturation: {chosen.clients} clients ({chosen.rate:.1f}/s; best {best:.1f}/s)")
    hold = Submissions(server.base_url, people, f"{run}h")
    held = run_step(server, chosen.clients, hold_seconds, hold)
    time.sleep(2)  # nothing is in flight: every client stopped
    stored = django_json(site, f"count_submissions(run={run!r})")
    checks = {"ramp": ramp.check(stored), "hold": hold.check(stored)}
    print(f"  database check: {json.dumps(checks)}", flush=True)
    h = checks["hold"]
    errors = held.count(lambda s: s >= 500 or s == 0)
    return [
        "### Saturation with submissions",
        "",
        f"Mix: each turn of a closed-loop client is, with probability {SUBMIT_SHARE:g}, a "
        "resident's concern (`POST /api/v1/units/{code}/concerns`, JSON, a write API token "
        f"of one of {len(people)} residents of {units} villages and communities, whose logins "
        "the scenario made through the invitation services; an `Idempotency-Key` per "
        "concern, sent again with the "
        "same key until confirmed), otherwise one of the six pages. No rate limit in the "
        "path (nginx's `limit_req` is not in front of this server). Ramp: "
        f"{step_seconds:g} s per step, until two steps in a row add less than 5 % to the "
        "best rate; saturation = the fewest clients within 5 % of the best throughput.",
        "",
        *STEP_HEADER,
        *[s.line() for s in steps_done],
        "",
        f"**Held {hold_seconds:g} s at saturation ({chosen.clients} clients):**",
        "",
        *STEP_HEADER,
        held.line(),
        "",
        f"Errors (5xx, timeouts, transport): **{errors}**. Submissions in the hold: "
        f"{h['sent']:,} sent ({h['resent']} of them again with the same key), "
        f"**{h['confirmed']:,} confirmed** (2xx), {h['refused']} refused (4xx); in the "
        f"database afterwards: **{h['lost']} confirmed and missing, {h['doubled']} stored "
        f"twice**, {h['unconfirmed']} left unconfirmed at the end ({h['unconfirmed stored']} "
        f"of them stored), {h['stored, never sent']} stored that no client sent. The ramp's "
        f"{checks['ramp']['confirmed']:,} confirmed submissions: {checks['ramp']['lost']} "
        f"missing, {checks['ramp']['doubled']} doubled.",
    ]


# --- A Celery worker killed mid-batch: nothing lost, nothing doubled --------------------------


def _celery(kind: str, env: dict[str, str], folder: Path) -> subprocess.Popen[bytes]:
    """A Celery worker as the systemd unit starts it (prefork, 2 processes), or beat; in a
    session of its own, so that the whole worker (parent and pool) can be killed at once."""
    base = [str(Path(sys.executable).parent / "celery"), "-A", "config"]
    if kind == "worker":
        args = [*base, "worker", "--loglevel", "WARNING", "--concurrency", "2",
                "--queues", env["CELERY_TASK_DEFAULT_QUEUE"]]  # fmt: skip
    else:
        args = [*base, "beat", "--loglevel", "WARNING", "-s", str(folder / "beat-schedule")]
    log = (folder / f"celery-{kind}-{time.monotonic_ns()}.log").open("wb")
    return subprocess.Popen(  # noqa: S603
        args, cwd=ROOT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _stop_group(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _celery_env(
    site: _ScaleSite, redis: Redis, fake: Any, *, lease: int, sweep: int
) -> dict[str, str]:
    """The environment of the Celery scenarios' worker, beat and Django processes: Celery on
    this Redis, SMS to the fake Aliyun endpoint ``fake``, the notify lease and sweep given."""
    return {
        **site.env,
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "DEBUG": "0",
        "NUTAG_TASK_MODE": "celery",
        "CELERY_BROKER_URL": redis.url,
        "CELERY_TASK_DEFAULT_QUEUE": "nutag-bench",
        "NUTAG_SMS_BACKEND": "nutag.notify.channels.sms.AliyunSms",
        "NUTAG_ALIYUN_SMS_ENDPOINT": fake.url,
        "NUTAG_ALIYUN_ACCESS_KEY_ID": "fake-id",
        "NUTAG_ALIYUN_ACCESS_KEY_SECRET": fake.secret,
        "NUTAG_ALIYUN_SMS_SIGN_NAME": "努图克",
        "NUTAG_ALIYUN_SMS_TEMPLATE": "SMS_0000",
        "NUTAG_NOTIFY_LEASE_SECONDS": str(lease),
        "NUTAG_NOTIFY_SWEEP_SECONDS": str(sweep),
    }


def _all_delivered(env: dict[str, str], event: str, *, within: float = 600) -> Any:
    """Wait until none of the notice ``event``'s deliveries is queued or sending; returns
    their final ``delivery_states``."""
    deadline = time.monotonic() + within
    while True:
        now = site_json(env, f"delivery_states(event={event!r})")
        if not set(now["states"]) & {"queued", "sending"}:
            return now
        if time.monotonic() > deadline:
            raise BenchError(f"deliveries still pending after {within:g} s: {now['states']}")
        time.sleep(1)


def worker_killed(
    site: _ScaleSite, redis: Redis, folder: Path, *, herders: int, kill_at: float,
    lease: int, sweep: int, child: bool = False,
) -> str:  # fmt: skip
    """An emergency notice to the banner (one SMS each to ``herders`` new herders and the
    demo's people with a number) through a real Celery worker on Redis (beat running too),
    to a fake Aliyun SMS endpoint that counts each message key. When ``kill_at`` of the
    messages went out: the whole worker (its process group) SIGKILLed and a new one started
    at once, or, with ``child``, one of its pool processes SIGKILLed (the worker replaces
    it). Then: every delivery done, each message received exactly once. Returns the row."""
    common.setup_django()  # the fake endpoint checks signatures with nutag's own code
    from nutag.notify.tests.fake_aliyun import FakeAliyun

    fake = FakeAliyun()
    env = _celery_env(site, redis, fake, lease=lease, sweep=sweep)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        first = _celery("worker", env, folder)
        processes += [first, _celery("beat", env, folder)]
        time.sleep(8)  # the worker is up and listening before the batch is handed over
        notice = site_json(env, f"make_notice(banner={BANNER!r}, village={DEMO_VILLAGE!r}, "
                                f"herders={herders})")  # fmt: skip
        event = notice["event"]
        started = time.monotonic()
        expected = sum(site_json(env, f"delivery_states(event={event!r})")["states"].values())
        target = int(expected * kill_at)
        while sum(fake.received.values()) < target:
            if first.poll() is not None or time.monotonic() - started > 300:
                raise BenchError("the first worker stopped or never got going")
            time.sleep(0.05)
        if child:
            pool = subprocess.run(  # noqa: S603
                ["/usr/bin/pgrep", "-P", str(first.pid)], capture_output=True, text=True,
                check=False,
            ).stdout.split()  # fmt: skip
            if not pool:
                raise BenchError("the worker has no pool process")
            os.kill(int(pool[0]), signal.SIGKILL)
        else:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=15)
        killed_at = time.monotonic() - started
        received_at_kill = sum(fake.received.values())
        at_kill = site_json(env, f"delivery_states(event={event!r})")
        restarted = time.monotonic()
        if not child:
            processes.append(_celery("worker", env, folder))
        done = _all_delivered(env, event)
        finished = time.monotonic() - restarted
    finally:
        for process in processes:
            _stop_group(process)
        fake.stop()
    sent = set(done["sent"])
    received = dict(fake.received)
    lost = len(sent - set(received))
    doubled = sum(1 for n in received.values() if n > 1)
    strays = len(set(received) - sent)
    not_sent = ", ".join(f"{n} {k}" for k, n in done["states"].items() if k != "sent")
    what = "one pool process" if child else "the whole worker, new one started"
    line = (
        f"| {what} | {expected:,} | {killed_at:.1f} s | {received_at_kill:,} | "
        f"{at_kill['states'].get('sending', 0)} sending, {at_kill['states'].get('queued', 0):,} "
        f"queued | {finished:.1f} s | {done['states'].get('sent', 0):,} | {lost} | {doubled} | "
        f"{strays} | {not_sent or '—'} | "
        + ", ".join(f"{n:,} × {k}" for k, n in sorted(done["attempts"].items()))
        + " |"
    )
    print("  " + line, flush=True)
    return line


def broker_outage(
    site: _ScaleSite, redis: Redis, folder: Path, *, herders: int, outage: float, lease: int,
    sweep: int,
) -> str:  # fmt: skip
    """Redis (Celery's broker) stopped while the banner sends an emergency notice: the notice
    is still accepted (its deliveries wait in the database: ``enqueue_or_leave``), nothing
    is sent while Redis is down, and once it is back the worker and beat resume by
    themselves and every message goes out exactly once. Returns the table row."""
    common.setup_django()
    from nutag.notify.tests.fake_aliyun import FakeAliyun

    fake = FakeAliyun()
    env = _celery_env(site, redis, fake, lease=lease, sweep=sweep)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes += [_celery("worker", env, folder), _celery("beat", env, folder)]
        time.sleep(8)  # both up and connected before the broker goes
        redis.stop()
        down = time.monotonic()
        notice = site_json(env, f"make_notice(banner={BANNER!r}, village={DEMO_VILLAGE!r}, "
                                f"herders={herders})")  # fmt: skip
        accepted = time.monotonic() - down
        event = notice["event"]
        time.sleep(max(0.0, outage - (time.monotonic() - down)))
        during = site_json(env, f"delivery_states(event={event!r})")
        sent_while_down = sum(fake.received.values())
        redis.start()
        back = time.monotonic()
        alive = [p for p in processes if p.poll() is None]
        done = _all_delivered(env, event)
        finished = time.monotonic() - back
    finally:
        for process in processes:
            _stop_group(process)
        fake.stop()
    expected = sum(done["states"].values())
    sent = set(done["sent"])
    received = dict(fake.received)
    lost = len(sent - set(received))
    doubled = sum(1 for n in received.values() if n > 1)
    not_sent = ", ".join(f"{n} {k}" for k, n in done["states"].items() if k != "sent")
    line = (
        f"| {outage:g} s | {accepted:.1f} s | {expected:,} | "
        f"{during['states'].get('queued', 0):,} queued, {sent_while_down} received | "
        f"{len(alive)} of 2 | {finished:.1f} s | {done['states'].get('sent', 0):,} | {lost} | "
        f"{doubled} | {not_sent or '—'} |"
    )
    print("  " + line, flush=True)
    return line


def broker_section(row: str, *, herders: int, lease: int, sweep: int) -> list[str]:
    return [
        "### Redis (the broker) stopped while work is handed over",
        "",
        "A Celery worker (prefork, `--concurrency 2`) and beat running on Redis; Redis "
        "stopped, then the banner sends an emergency notice (one SMS delivery for each of its "
        f"people with a mobile number, {herders:,} herders added) while it is down; after the "
        "outage Redis is started again and nothing else is touched (no worker restarted). "
        "The notice is accepted (its deliveries are rows in the database, handed to the broker "
        "by `enqueue_or_leave`, which logs an unreachable broker instead of failing the "
        "request); the periodic sweep hands them over again once beat reaches the broker. "
        f"`NUTAG_NOTIFY_LEASE_SECONDS={lease}`, `NUTAG_NOTIFY_SWEEP_SECONDS={sweep}` for the "
        "run (defaults 120 and 60: in production the work resumes within about a minute of "
        'Redis\'s return). "Notice accepted in": the `manage.py shell` process that sends '
        "it, from start to exit (Django's start included).",
        "",
        "| Redis down | notice accepted in | deliveries | while down | worker and beat alive "
        "after | all done after Redis was back | sent | lost | received twice | not sent |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|---|",
        row,
    ]


def celery_section(
    rows: list[str], *, herders: int, kill_at: float, lease: int, sweep: int
) -> list[str]:
    return [
        "### A Celery worker killed mid-batch",
        "",
        "An emergency notice from the banner: one SMS delivery for each of its people with "
        f"a mobile number ({herders:,} herders added for each run), fanned out in batches of "
        "200 through a real Celery worker (prefork, `--concurrency 2`, as "
        "`deploy/systemd/nutag-worker.service`) and beat on Redis, `acks_late`, to a fake "
        "Aliyun SMS endpoint (`nutag/notify/tests/fake_aliyun.py`) that counts every message "
        f"by its key (`OutId`). When {kill_at:.0%} of the messages had arrived, SIGKILL: to "
        "the worker's whole process group (a new worker started at once), or to one pool "
        f"process. `NUTAG_NOTIFY_LEASE_SECONDS={lease}`, `NUTAG_NOTIFY_SWEEP_SECONDS={sweep}` "
        "for the run (the defaults are 120 and 60: in production the messages a killed "
        'worker held go out at most about three minutes late). "Skipped": people without a '
        "valid mobile number for the channel.",
        "",
        "| killed | deliveries | killed at | received by then | left by the kill | all done "
        "after the kill | sent | lost | received twice | received, not marked sent "
        "| not sent | deliveries by attempts |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|",
        *rows,
    ]


def site_json(env: dict[str, str], call: str) -> Any:
    """``django_json`` with a given environment (the Celery scenario's)."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT_DIR / "manage.py"), "shell", "-c",
         f"from bench import faults_setup; faults_setup.{call}"],
        cwd=ROOT_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise BenchError(f"faults_setup.{call} failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


HEADER = [
    "| scenario | answers | non-200 | when (s) | good again after | p50 / p99 / max ms "
    "| hangs ≥ 30 s | note |",
    "|---|---:|---:|---|---:|---|---:|---|",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pgdata", type=Path, help="the cluster to restart (postgres)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=40.0, help="per scenario")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="the database a --keep run left")
    parser.add_argument(
        "--only",
        default="baseline,postgres,redis,worker",
        help="scenarios, comma-separated (also: saturation, celery, celery-child, broker)",
    )
    saturation_args = parser.add_argument_group("saturation (2 minutes at saturation)")
    saturation_args.add_argument(
        "--steps", default="1,2,4,6,8,12,16,24,32", help="clients per step, at most"
    )
    saturation_args.add_argument("--step-seconds", type=float, default=15.0)
    saturation_args.add_argument("--hold", type=float, default=120.0, help="seconds held")
    saturation_args.add_argument("--residents", type=int, default=12, help="logins made")
    celery_args = parser.add_argument_group("celery (a worker killed mid-batch)")
    celery_args.add_argument("--herders", type=int, default=3000, help="SMS recipients added")
    celery_args.add_argument("--kill-at", type=float, default=0.3, help="share sent at the kill")
    celery_args.add_argument("--lease", type=int, default=10, help="NUTAG_NOTIFY_LEASE_SECONDS")
    celery_args.add_argument("--sweep", type=int, default=2, help="NUTAG_NOTIFY_SWEEP_SECONDS")
    celery_args.add_argument("--outage", type=float, default=30.0, help="broker: seconds down")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if "postgres" in only and args.pgdata is None:
        parser.error("the postgres scenario needs --pgdata")
    # Ctrl-C or a timeout's SIGTERM still stops the server and Redis we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    database_url = common.postgres_url()
    folder = Path(tempfile.mkdtemp(prefix="nutag-faults-"))
    results: list[Outcome] = []
    work: dict[str, list[str]] = {}  # the saturation and Celery scenarios' reports
    # Notifications of the submissions (handlers told) go to a log file of the run's own.
    extra = {"NUTAG_SMS_LOG": str(folder / "sms.log")}
    try:
        with serve(folder, database_url, reuse=args.reuse, extra=extra) as (server, redis, site):
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
            if "saturation" in only:
                work["saturation"] = saturation(
                    server, site, steps=[int(n) for n in args.steps.split(",")],
                    step_seconds=args.step_seconds, hold_seconds=args.hold,
                    residents=args.residents,
                )  # fmt: skip
            kills = [kind for kind in ("celery", "celery-child") if kind in only]
            if kills:
                rows = [
                    worker_killed(
                        site, redis, folder, herders=args.herders, kill_at=args.kill_at,
                        lease=args.lease, sweep=args.sweep, child=kind == "celery-child",
                    )
                    for kind in kills
                ]  # fmt: skip
                work["celery"] = celery_section(
                    rows, herders=args.herders, kill_at=args.kill_at, lease=args.lease,
                    sweep=args.sweep,
                )  # fmt: skip
            if "broker" in only:
                work["broker"] = broker_section(
                    broker_outage(
                        site, redis, folder, herders=args.herders, outage=args.outage,
                        lease=args.lease, sweep=args.sweep,
                    ),
                    herders=args.herders, lease=args.lease, sweep=args.sweep,
                )  # fmt: skip
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
    if results:
        print("\n".join(body))
    if "Traceback" in server_log:
        print("server log tail:\n" + server_log)
    if args.write and results:
        common.write_section("bench/faults", body)
    for part, lines in work.items():
        part_body = [
            "## bench/faults: " + lines[0].removeprefix("### "),
            "",
            f"Run {common.today()} with `bench/faults.py --only {args.only}` (the same server "
            "as in bench/faults: the demo on PostgreSQL 15 and Redis, granian with 2 "
            "workers, production settings, page cache off, 30 s client timeout).",
            f"Machine: {common.machine_description()} (shared with seven other developers).",
            *lines[1:],
        ]
        print("\n".join(part_body))
        if args.write:
            common.write_section(f"bench/faults-{part}", part_body)
    return 0 if all(r.hangs == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
