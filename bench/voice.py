"""bench/voice: 200 concurrent concern submissions against the production server.

Starts the production server (``bench.settings_bench`` = ``config.settings.prod`` plus the bare
view, granian ``--interface wsgi``, 2 workers, on 127.0.0.1 and a free port, stopped by its
PID at the end) on a fresh SQLite database holding a small tree (a banner, a township, a
village) and one verified resident with a login, then, in the same run:

  (s) 200 submissions of a concern, ``POST /api/v1/units/<village>/concerns`` (JSON), all at
      once from 200 client threads, each logged in as the resident (session + CSRF), each
      with its own ``Idempotency-Key`` **and sent twice at once** (a flaky connection's
      retry): 400 requests that must store exactly 200 concerns with 200 distinct tracking
      numbers;
  (b) the bare view (``/bench/bare/``) asked the same number of times from the same number
      of threads.

A request that gets an error (on SQLite, writers that wait longer than the lock wait, 20 s
in config/settings/base.py, are refused with a 500) is sent again with the same key, as a
phone retries, until every submission has an answer; the first answers and the resends are
reported.

It reports requests per second of each and the ratio s/b, checks that every submission was
stored once (counted in the database afterwards) and that the numbers are unique, and
writes its block of bench/RESULTS.md.

Usage (from the project root):

    .venv/bin/python bench/voice.py                # writes bench/RESULTS.md
    .venv/bin/python bench/voice.py --submissions 50 --no-write

Exit status: 0 when every submission was stored once with a unique number, 1 otherwise,
2 when the run itself failed.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench._common import machine_description, today, write_section  # noqa: E402
from bench.pages import BARE_PATH, BenchError, DemoSite, run_server  # noqa: E402

VILLAGE = "150799100201"
PASSWORD = "bench-voice-2026"  # noqa: S105 - a throwaway login in a temporary database

SETUP = f"""
from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory, UserFactory, make_unit
from nutag.voice.services import categories_ensure
banner = make_unit(parent=None, kind="banner", name="测试旗", code="150799")
town = make_unit(parent=banner, kind="township", name="第一镇", code="150799100")
village = make_unit(parent=town, kind="village", name="一甲嘎查", code="{VILLAGE}")
user = UserFactory(username="bench-resident")
user.set_password("{PASSWORD}")
user.save()
PersonFactory(unit=village, name="牧民", user=user, is_resident=True)
categories_ensure(acting_user=SYSTEM, banner=banner)
"""

COUNT = """
from nutag.voice.models import Concern
rows = list(Concern.objects.values_list("number", flat=True))
print("COUNT", len(rows), len(set(rows)))
"""


def _cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar: dict[str, str] = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 302 is an answer here (the login's cookies come with it)


_opener = urllib.request.build_opener(_NoRedirect)


def _request(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, list[tuple[str, str]], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with _opener.open(req, timeout=120) as response:
            return response.status, list(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, list(exc.headers.items()), exc.read()


def log_in(base: str) -> dict[str, str]:
    """The resident's session through the login page, as a phone does (cookies by hand:
    the production cookies are ``Secure``, which urllib would not send over plain HTTP)."""
    _, headers, body = _request(f"{base}/desk/login/")
    jar = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if token is None:
        raise BenchError("no CSRF token on the login page")
    form = (
        f"csrfmiddlewaretoken={token.group(1).decode()}&username=bench-resident&password={PASSWORD}"
    ).encode()
    status, headers, answer = _request(
        f"{base}/desk/login/",
        data=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        },
    )
    jar.update(_cookies(headers))
    if status != 302 or "sessionid" not in jar:
        errors = re.findall(rb'class="errorlist[^>]*>(.*?)</ul>', answer)
        raise BenchError(f"login failed: {status} {errors!r} {sorted(jar)}")
    return jar


Request = tuple[str, bytes | None, dict[str, str]]


def burst(work: list[Request]) -> tuple[float, list[int]]:
    """Send every request from its own thread, all released at once; seconds and statuses."""
    statuses = [0] * len(work)
    gate = threading.Barrier(len(work) + 1)

    def run(i: int) -> None:
        url, data, headers = work[i]
        gate.wait()
        try:
            statuses[i] = _request(url, data=data, headers=headers)[0]
        except OSError:
            statuses[i] = -1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for t in threads:
        t.start()
    gate.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - started, statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    n = args.submissions
    with tempfile.TemporaryDirectory(prefix="nutag-bench-voice-") as tmp:
        site = DemoSite(Path(tmp))
        site.manage("migrate", "--no-input", settings="config.settings.dev")
        site.manage("shell", "-c", SETUP, settings="config.settings.dev")
        site.manage("collectstatic", "--no-input")
        with run_server(site) as server:
            base = server.base_url
            jar = log_in(base)
            cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
            submit: list[Request] = []
            for i in range(n):
                body = json.dumps(
                    {"category": "water", "text": f"第{i}号：井水有异味", "is_public": True}
                ).encode()
                headers = {
                    "Content-Type": "application/json",
                    "Cookie": cookie,
                    "X-CSRFToken": jar["csrftoken"],
                    "Idempotency-Key": f"bench-{i}",
                }
                submit += [(f"{base}/api/v1/units/{VILLAGE}/concerns", body, headers)] * 2
            bare: list[Request] = [(f"{base}{BARE_PATH}", None, {})] * len(submit)
            _request(f"{base}{BARE_PATH}")  # warm
            bare_seconds, bare_statuses = burst(bare)
            submit_seconds, submit_statuses = burst(submit)
            bare_again, _ = burst(bare)
            first_statuses = list(submit_statuses)
            # What a phone does when a submission fails (an error page, a dropped link): it
            # sends it again with the same key, until it gets an answer.
            retries = 0
            for _round in range(8):
                failed_at = [i for i, st in enumerate(submit_statuses) if st not in (200, 201)]
                if not failed_at:
                    break
                retries += len(failed_at)
                time.sleep(1)
                _, again = burst([submit[i] for i in failed_at])
                for i, st in zip(failed_at, again, strict=True):
                    submit_statuses[i] = st
            server_log = server.log_path.read_text(errors="replace")
        out = site.manage("shell", "-c", COUNT, settings="config.settings.dev")
        causes = Counter(
            m.group(0)
            for m in re.finditer(
                r"(OperationalError: [^\n]+|IntegrityError: [^\n]+|TimeoutError[^\n]*)",
                server_log,
            )
        )
    counted = re.search(r"COUNT (\d+) (\d+)", out)
    if counted is None:
        raise BenchError(out)
    stored, distinct = int(counted.group(1)), int(counted.group(2))
    bare_rps = len(bare) / statistics.mean([bare_seconds, bare_again])
    submit_rps = len(submit) / submit_seconds
    created = submit_statuses.count(201)
    repeated = submit_statuses.count(200)
    failed = len(submit) - created - repeated
    first = Counter(first_statuses)
    first_text = ", ".join(f"{count} × {status}" for status, count in sorted(first.items()))
    ok = stored == n and distinct == n and created == n and failed == 0
    lines = [
        "## bench/voice",
        "",
        f"{today()}, {machine_description()}.",
        f"Server: {server.version}, 2 workers, `bench.settings_bench` (production settings), "
        "SQLite (WAL).",
        "",
        f"{n} submissions of a concern, each sent twice at once with one `Idempotency-Key` "
        f"({len(submit)} requests, all released together from {len(submit)} client threads):",
        "",
        "| | requests | seconds | requests/s |",
        "|---|---|---|---|",
        f"| `POST /api/v1/units/<village>/concerns` | {len(submit)} | {submit_seconds:.2f} | "
        f"{submit_rps:.0f} |",
        f"| bare view `{BARE_PATH}` (mean of a run before and after) | {len(bare)} | "
        f"{statistics.mean([bare_seconds, bare_again]):.2f} | {bare_rps:.0f} |",
        "",
        f"Ratio submissions / bare view: **{submit_rps / bare_rps:.2f}**.",
        "",
        f"First answers: {first_text} (201 stored, 200 the first concern returned to the "
        "twin request; anything else is a refusal under the burst, see below). Requests that "
        f"got anything else were sent again with the same key, as a phone would: {retries} "
        f"resends. Final answers: {created} × 201, {repeated} × 200, {failed} other. In the "
        f"database: {stored} concerns, {distinct} distinct tracking numbers — "
        f"{'every submission stored once' if ok else 'FAILED'}.",
        f"Bare view answers: {bare_statuses.count(200)} × 200.",
        "Errors in the server's log: "
        + (", ".join(f"{c} × `{e}`" for e, c in causes.most_common()) or "none")
        + " (a traceback names its error twice).",
    ]
    lines += [
        "",
        "Reading: a submission writes the concern, its step, its audit row, the idempotency "
        "key, the tracking-number counter and the officers' notifications in one transaction; "
        "on SQLite every such transaction takes the database's single write lock "
        "(`transaction_mode=IMMEDIATE`), so a burst of hundreds at once queues behind it; "
        "a writer waiting longer than the lock wait (`timeout`, 20 s in "
        "config/settings/base.py; it was 5 s until 2026-12-04, when 105–264 of the 400 first "
        "answers were *database is locked* 500s) is refused. Nothing is half-stored: a "
        "refused transaction rolls back, and the phone's resend with the same key stores it "
        "once. PostgreSQL (the scale mode) has no database-wide write lock; there the counter "
        "row serialises only submissions at the same unit.",
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section("bench/voice", lines)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/voice failed: {exc}", file=sys.stderr)
        sys.exit(2)
