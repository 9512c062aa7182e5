"""bench/soak: half saturation for a long time with the real mix of requests — memory per
worker flat, no connection leak, p99 stable, every confirmed submission stored once?
(issue 20, item 5).

The server of ``bench/faults.py`` (the demo on PostgreSQL and Redis, granian with 2 workers,
production settings, page cache off, persistent connections). Before the load, accounts are
made through the services, as a village's would be (``make_accounts``, run inside Django):
``--residents`` residents of the demo village (a person, an invitation, the invitee's own
password) and the village's concern handlers (the officers a new concern notifies), each
with an API token (``Authorization: Bearer``, the login a phone app uses).

The mix (``mix()``, weights per 100 requests): the pages (village and banner home, a column,
an article, the dashboard), the site search, API reads (stats, articles, concern categories,
the handlers' concern list, a resident's own concern, an officer's people search),
**submissions** (a resident raises a concern through ``POST /api/v1/units/{code}/concerns``
with an ``Idempotency-Key``; a transport error or a 5xx is retried with the same key, as the
phone would, and one in five is sent twice on purpose) and **notifications** (each concern
notifies the village's handlers; they read their inbox and mark the newest unread read).

First ``--probe`` seconds at saturation (``--clients`` closed-loop clients) give the maximum
rate; then for ``--minutes`` the mix is sent at half that rate (paced clients), and every
``--every`` seconds it records each worker's resident memory (``VmRSS``), the database's
connections (``pg_stat_activity``), the p50/p99 and the errors of that window. At the end
every confirmed submission (201, or 200 for a repeated key) is looked up in the database: its
key row and its concern exist exactly once, and the soak's residents have no concern that no
answer confirmed. The bar: no error, each worker's memory at the end within 20% (+20 MB) of
the first sample, the database's connections never more than 2 above the first sample (each
worker thread keeps one: persistent connections), the last window's p99 within 2× the
first's, no lost or doubled submission.

    DATABASE_URL=postgres://nutag@127.0.0.1:55491/nutag_soak_bench \\
        nice .venv/bin/python bench/soak.py --minutes 60 --write     # the full hour
    ... bench/soak.py --minutes 2 --every 30 --probe 20              # a first try

The CI variant is ``nutag/core/tests/test_soak.py`` (in process, about 20 s).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402
from bench.faults import (  # noqa: E402
    BANNER,
    TIMEOUT,
    Answer,
    Load,
    percentile,
    serve,
    worker_pids,
)
from bench.pages import DEMO_VILLAGE  # noqa: E402

MARK = "SOAK-ACCOUNTS "
RETRIES = 3  # a submission whose answer was lost is sent again with the same key


# --- Accounts, made inside Django (manage.py shell) -----------------------------------------


def make_accounts(village: str, residents: int) -> None:
    """Residents of ``village`` with their own logins, the village's concern handlers, an API
    token each, and what the mix needs to know (articles, a category); printed as JSON."""
    from nutag.api.tokens import token_create
    from nutag.core.actors import SYSTEM
    from nutag.notify.selectors import holders_of
    from nutag.orgs.models import Unit
    from nutag.orgs.permissions import Perm
    from nutag.people import services as people
    from nutag.people.accounts import services as accounts
    from nutag.people.models import Person
    from nutag.sites.models import Article
    from nutag.voice import services as voice

    unit = Unit.objects.get(code=village)
    categories = voice.categories_ensure(acting_user=SYSTEM, banner=voice.banner_of(unit))
    category = next(c for c in categories if not c.retired)
    run = uuid.uuid4().hex[:6]
    tokens: list[str] = []
    for i in range(residents):
        person = people.person_create(
            acting_user=SYSTEM,
            unit=unit,
            data=people.PersonInput(name=f"浸泡{run}{i:02d}", is_resident=True),
        )
        invited = accounts.invitation_issue(acting_user=SYSTEM, person=person)
        user = accounts.invitation_accept(
            token=invited.token, username=f"soak-{run}-{i:02d}", password=uuid.uuid4().hex
        )
        tokens.append(token_create(acting_user=user, name="soak", scope="write")[1])
    handler = voice.route(unit=unit, category=category)
    person_ids = [p for p, _u in holders_of(units=[handler], perm=Perm.HANDLE_CONCERNS)]
    officers = []
    for p in Person.objects.filter(pk__in=person_ids, user__is_active=True).select_related("user"):
        if p.user is not None:
            officers.append(token_create(acting_user=p.user, name="soak", scope="write")[1])
    articles = list(
        Article.objects.filter(unit=unit, status="published").values_list("pk", flat=True)[:5]
    ) or list(Article.objects.filter(unit=unit).values_list("pk", flat=True)[:5])
    print(
        MARK
        + json.dumps(
            {
                "residents": tokens,
                "officers": officers,
                "usernames": [f"soak-{run}-{i:02d}" for i in range(residents)],
                "articles": articles,
                "category": category.key,
            }
        )
    )


def accounts_of(site: Any, residents: int) -> dict[str, Any]:
    out = site.manage(
        "shell",
        "-c",
        f"from bench.soak import make_accounts; make_accounts({DEMO_VILLAGE!r}, {residents})",
        settings="config.settings.dev",
    )
    line = next(x for x in out.splitlines() if x.startswith(MARK))
    return dict(json.loads(line[len(MARK) :]))


# --- The mix -------------------------------------------------------------------------------


@dataclasses.dataclass
class Call:
    kind: str
    path: str
    method: str = "GET"
    token: str = ""
    body: dict[str, Any] | None = None
    key: str = ""


def mix(accounts: dict[str, Any]) -> list[tuple[int, Callable[[random.Random], Call]]]:
    """(weight, make a call); the weights add up to 100."""
    v, b = DEMO_VILLAGE, BANNER
    residents, officers = accounts["residents"], accounts["officers"] or accounts["residents"]
    articles = accounts["articles"] or [0]
    texts = ["井里的水有异味", "村道的路灯坏了三盏", "草场围栏被冲倒了", "孩子上学的班车晚点"]

    def page(path: str) -> Callable[[random.Random], Call]:
        return lambda rng: Call("page", path)

    def submit(rng: random.Random) -> Call:
        body = {"category": accounts["category"], "text": rng.choice(texts), "is_public": False}
        return Call("submit", f"/api/v1/units/{v}/concerns", "POST", rng.choice(residents), body,
                    key=f"soak-{uuid.UUID(int=rng.getrandbits(128)).hex}")  # fmt: skip

    return [
        (12, page(f"/u/{v}/")),
        (8, page(f"/u/{b}/")),
        (8, page(f"/u/{v}/c/news/")),
        (12, lambda rng: Call("page", f"/u/{v}/a/{rng.choice(articles)}/")),
        (5, page(f"/u/{b}/figures/")),
        (8, lambda rng: Call("search", f"/u/{b}/search/?q={rng.choice(SEARCHES)}")),
        (5, page(f"/api/v1/units/{b}/stats")),
        (5, page(f"/api/v1/units/{v}/articles")),
        (3, page(f"/api/v1/units/{v}/concern-categories")),
        (4, lambda rng: Call("read", f"/api/v1/units/{v}/concerns", token=rng.choice(officers))),
        (
            4,
            lambda rng: Call(
                "search", f"/api/v1/units/{v}/people?q=%E7%8E%8B", token=rng.choice(officers)
            ),
        ),
        (10, submit),
        (
            8,
            lambda rng: Call(
                "inbox", "/api/v1/me/notifications?unread=true&limit=20", token=rng.choice(officers)
            ),
        ),
        (8, lambda rng: Call("own", "", token=rng.choice(residents))),
    ]


SEARCHES = ["%E5%AD%A6%E4%B9%A0", "%E8%8D%89%E5%8E%9F", "%E5%85%9A%E5%91%98", "%E5%85%BB%E8%80%81"]


class MixLoad(Load):
    """``Load`` (bench/faults) with the mix: GETs and POSTs with tokens; the submissions it
    confirmed (key → concern id) and the concerns each resident can read back."""

    def __init__(
        self, base_url: str, clients: int, accounts: dict[str, Any], rate: float | None = None
    ) -> None:
        self.weighted = mix(accounts)
        self.total = sum(w for w, _ in self.weighted)
        self.interval = clients / rate if rate else 0.0
        super().__init__(base_url, clients, lambda rng: "")
        self.confirmed: dict[str, int] = {}  # Idempotency-Key -> concern id
        self.unconfirmed: list[str] = []  # keys whose every attempt failed
        self.repeated = 0  # the same key sent again on purpose, answered with the same id
        self.mismatched = 0  # the same key answered with another concern (a doubling)
        self.inbox_read = 0
        self.own: dict[str, list[int]] = {}

    def pick(self, rng: random.Random) -> Call:
        n = rng.uniform(0, self.total)
        for weight, make in self.weighted:
            n -= weight
            if n <= 0:
                return make(rng)
        return self.weighted[-1][1](rng)

    def send(self, call: Call) -> tuple[int, bytes]:
        headers = {"Accept-Encoding": "identity", "X-Forwarded-Proto": "https"}
        data = None
        if call.token:
            headers["Authorization"] = f"Bearer {call.token}"
        if call.key:
            headers["Idempotency-Key"] = call.key
        if call.body is not None:
            data = json.dumps(call.body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(  # noqa: S310
            self.base_url + call.path, data=data, headers=headers, method=call.method
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, b""
        except (OSError, urllib.error.URLError):
            return 0, b""

    def timed(self, call: Call) -> tuple[int, bytes]:
        sent = time.monotonic()
        status, body = self.send(call)
        with self._lock:
            self.answers.append(
                Answer(sent - self.t0, (time.monotonic() - sent) * 1000, status, call.kind)
            )
        return status, body

    def submit(self, call: Call, rng: random.Random) -> None:
        for _attempt in range(RETRIES + 1):
            status, body = self.timed(call)
            if status in (200, 201):
                concern = int(json.loads(body)["id"])
                with self._lock:
                    self.confirmed[call.key] = concern
                    self.own.setdefault(call.token, []).append(concern)
                if rng.random() < 0.2:  # the phone did not see the answer: the same key again
                    again, body = self.timed(call)
                    if again == 200 and int(json.loads(body)["id"]) == concern:
                        self.repeated += 1
                    elif again in (200, 201):
                        self.mismatched += 1
                return
            if status and status < 500:
                return  # refused (a 4xx): nothing to retry
            time.sleep(0.2)
        with self._lock:
            self.unconfirmed.append(call.key)

    def inbox(self, call: Call) -> None:
        status, body = self.timed(call)
        if status == 200:
            items = json.loads(body)["items"]
            self.inbox_read += 1
            if items:
                self.timed(Call("inbox", f"/api/v1/me/notifications/{items[0]['id']}/read",
                                "POST", call.token))  # fmt: skip

    def _run(self, seed: int) -> None:
        rng = random.Random(seed)
        while not self._stop.is_set():
            if self.interval:
                time.sleep(self.interval * rng.uniform(0.5, 1.5))
            call = self.pick(rng)
            if call.kind == "submit":
                self.submit(call, rng)
            elif call.kind == "inbox":
                self.inbox(call)
            else:
                if call.kind == "own":
                    with self._lock:
                        mine = list(self.own.get(call.token, ()))
                    call.path = (
                        f"/api/v1/concerns/{rng.choice(mine)}"
                        if mine
                        else f"/api/v1/units/{DEMO_VILLAGE}/concern-categories"
                    )
                status, _body = self.timed(call)
                if status == 0:
                    time.sleep(0.05)  # a refused connection returns at once: do not spin


# --- Measures ------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _connect(database_url: str, dbname: str | None = None) -> Any:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(database_url)
    return psycopg.connect(
        dbname=dbname or cfg["NAME"], user=cfg["USER"], password=cfg["PASSWORD"],
        host=cfg["HOST"] or None, port=cfg["PORT"] or None, autocommit=True,
    )  # fmt: skip


def db_connections(database_url: str) -> int:
    import dj_database_url

    with _connect(database_url, "postgres") as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
            [dj_database_url.parse(database_url)["NAME"]],
        ).fetchone()
    return int(row[0]) if row else 0


@dataclasses.dataclass
class Stored:
    confirmed: int
    found_once: int  # confirmed keys whose key row and concern are there exactly once
    missing: int
    doubled: int  # the soak's residents' concerns beyond one per key sent
    unconfirmed: int

    @property
    def ok(self) -> bool:
        return self.missing == 0 and self.doubled == 0 and self.found_once == self.confirmed


def check_stored(database_url: str, load: MixLoad, usernames: list[str]) -> Stored:
    with _connect(database_url) as conn:
        rows = conn.execute(
            "SELECT k.key, k.concern_id, count(*) OVER (PARTITION BY k.key) FROM "
            "voice_submissionkey k JOIN auth_user u ON u.id = k.user_id "
            "JOIN voice_concern c ON c.id = k.concern_id WHERE u.username = ANY(%s)",
            [usernames],
        ).fetchall()
        row = conn.execute(
            "SELECT count(*) FROM voice_concern c JOIN auth_user u ON u.id = c.raised_by_id "
            "WHERE u.username = ANY(%s)",
            [usernames],
        ).fetchone()
    stored = {key: (concern, n) for key, concern, n in rows}
    found = sum(
        1 for key, concern in load.confirmed.items() if stored.get(key) == (concern, 1)
    )  # fmt: skip
    missing = sum(1 for key in load.confirmed if key not in stored)
    concerns = int(row[0]) if row else 0
    return Stored(
        confirmed=len(load.confirmed), found_once=found, missing=missing,
        doubled=max(0, concerns - len(load.confirmed) - len(load.unconfirmed)),
        unconfirmed=len(load.unconfirmed),
    )  # fmt: skip


@dataclasses.dataclass
class Sample:
    minute: float
    rss: list[float]
    conns: int
    p50: float
    p99: float
    answers: int
    errors: int
    submitted: int  # new concerns (201)


def judge(samples: list[Sample], stored: Stored) -> tuple[dict[str, bool], str]:
    first, last = samples[0], samples[-1]
    checks = {
        "no error": sum(s.errors for s in samples) == 0,
        "memory flat (≤ 1.2× + 20 MB)": len(first.rss) == len(last.rss)
        and all(b <= a * 1.2 + 20 for a, b in zip(first.rss, last.rss, strict=False)),
        "connections never above the first sample + 2": max(s.conns for s in samples)
        <= first.conns + 2,
        "last p99 ≤ 2× first": last.p99 <= 2 * max(first.p99, 1.0),
        "every confirmed submission stored exactly once": stored.ok,
    }
    return checks, "meets" if all(checks.values()) else "FAILS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--every", type=float, default=60.0, help="seconds per sample")
    parser.add_argument("--probe", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--residents", type=int, default=12)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    database_url = common.postgres_url()
    # The server stands behind nginx, which ends TLS (deploy/nginx): the production check
    # wants that said; the soak's requests carry nginx's X-Forwarded-Proto.
    os.environ.setdefault("NUTAG_TLS_PROXY", "1")
    folder = Path(tempfile.mkdtemp(prefix="nutag-soak-"))
    samples: list[Sample] = []
    try:
        with serve(folder, database_url, reuse=args.reuse) as (server, _redis, site):
            accounts = accounts_of(site, args.residents)
            print(
                f"bench/soak: {len(accounts['residents'])} residents, "
                f"{len(accounts['officers'])} handlers, articles {accounts['articles']}",
                flush=True,
            )
            probe = MixLoad(server.base_url, args.clients, accounts)
            probe.start()
            time.sleep(args.probe)
            probe.stop()
            top = sum(1 for a in probe.answers if a.status in (200, 201)) / args.probe
            rate = top / 2
            probe_errors = sum(1 for a in probe.answers if a.status not in (200, 201))
            print(f"bench/soak: saturation {top:.1f} req/s (errors {probe_errors}); "
                  f"soaking at {rate:.1f} req/s", flush=True)  # fmt: skip
            load = MixLoad(server.base_url, args.clients, accounts, rate)
            load.start()
            seen = 0
            end = args.minutes * 60
            while load.now() < end:
                time.sleep(min(args.every, max(0.0, end - load.now())))
                with load._lock:
                    window = load.answers[seen:]
                    seen = len(load.answers)
                ms = [a.ms for a in window]
                sample = Sample(
                    load.now() / 60, [rss_mb(p) for p in worker_pids(server)],
                    db_connections(database_url), percentile(ms, 50), percentile(ms, 99),
                    len(window), sum(1 for a in window if a.status not in (200, 201)),
                    sum(1 for a in window if a.path == "submit" and a.status == 201),
                )  # fmt: skip
                samples.append(sample)
                print(
                    f"  {sample.minute:5.1f} min  rss {' / '.join(f'{r:.0f}' for r in sample.rss)}"
                    f" MB  db conns {sample.conns}  p50 {sample.p50:.0f} ms  p99 "
                    f"{sample.p99:.0f} ms  answers {sample.answers}  errors {sample.errors}"
                    f"  submissions {sample.submitted}",
                    flush=True,
                )
            load.stop()
            usernames = accounts["usernames"]
            merged = MixLoad(server.base_url, 0, accounts)
            for done in (probe, load):
                merged.confirmed.update(done.confirmed)
                merged.unconfirmed.extend(done.unconfirmed)
            stored = check_stored(database_url, merged, usernames)
            kinds = sorted({a.path for a in load.answers})
            by_kind = {
                k: (
                    sum(1 for a in load.answers if a.path == k),
                    percentile([a.ms for a in load.answers if a.path == k], 99),
                )
                for k in kinds
            }
            extra = (load.repeated + probe.repeated, load.mismatched + probe.mismatched,
                     load.inbox_read + probe.inbox_read)  # fmt: skip
    finally:
        if not args.keep:
            with contextlib.suppress(Exception):
                common.prepare_postgres(database_url, drop=True)
        shutil.rmtree(folder, ignore_errors=True)
    if len(samples) < 2:
        print("too short to judge")
        return 2
    checks, verdict = judge(samples, stored)
    if extra[1]:
        checks["a repeated key never answered with another concern"] = False
        verdict = "FAILS"
    body = report(args, top, rate, samples, stored, by_kind, extra, checks, verdict)
    print("\n".join(body))
    if args.write:
        common.write_section("bench/soak", body)
    return 0 if verdict == "meets" else 1


def report(
    args: argparse.Namespace, top: float, rate: float, samples: list[Sample], stored: Stored,
    by_kind: dict[str, tuple[int, float]], extra: tuple[int, int, int], checks: dict[str, bool],
    verdict: str,
) -> list[str]:  # fmt: skip
    def tenth(part: list[Sample]) -> str:
        ms = max((s.p99 for s in part), default=0.0)
        rss = " / ".join(
            f"{max(s.rss[i] for s in part):.0f}" for i in range(min(len(s.rss) for s in part))
        )
        return f"RSS {rss} MB, connections {max(s.conns for s in part)}, worst p99 {ms:.0f} ms"

    n = max(1, min(len(samples) // 2, round(600 / args.every)))
    span = f"{n * args.every / 60:g} min"
    return [
        "## bench/soak",
        "",
        f"Run {common.today()} with `bench/soak.py --minutes {args.minutes:g} --every "
        f"{args.every:g} --clients {args.clients}`: the server of bench/faults (demo on "
        "PostgreSQL 15 + Redis, granian 2 workers, production settings, page cache off, "
        f"persistent connections), the full mix (pages, searches, API reads, submissions with "
        f"an Idempotency-Key by {args.residents} residents' own logins, the handlers' "
        f"notification inbox); saturation measured at {top:.1f} req/s over {args.probe:g} s "
        f"with {args.clients} clients, then paced at half, {rate:.1f} req/s.",
        f"Machine: {common.machine_description()} (shared with seven other developers).",
        "",
        "| minute | RSS per worker (MB) | DB connections | p50 ms | p99 ms | answers | errors "
        "| submissions |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {s.minute:.1f} | {' / '.join(f'{r:.0f}' for r in s.rss)} | {s.conns} | "
            f"{s.p50:.0f} | {s.p99:.0f} | {s.answers} | {s.errors} | {s.submitted} |"
            for s in samples
        ],
        "",
        f"- first {span}: {tenth(samples[:n])}; last {span}: {tenth(samples[-n:])}",
        "- by kind (answers, p99 ms): "
        + "; ".join(f"{k} {c} / {p:.0f}" for k, (c, p) in by_kind.items()),
        f"- submissions confirmed {stored.confirmed}, stored exactly once {stored.found_once}, "
        f"missing {stored.missing}, doubled {stored.doubled}, never confirmed "
        f"{stored.unconfirmed}; the same key sent twice on purpose {extra[0]} times, answered "
        f"with the first concern each time (another concern: {extra[1]}); inbox reads {extra[2]}",
        "- "
        + "; ".join(f"{name}: {'yes' if ok else 'NO'}" for name, ok in checks.items())
        + f" — **{verdict}**",
    ]


if __name__ == "__main__":
    sys.exit(main())
