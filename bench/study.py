"""bench/study: 1,000 concurrent lesson-progress updates on the production server — none
lost, none doubled — and their throughput against the bare view in the same run.

- a fresh SQLite database (migrated), a banner with one village, 100 Party members with
  logins and sessions, one course with one lesson (``setup``, run through ``manage.py shell``);
- granian (``--interface wsgi``, 2 workers) on ``bench.settings_bench`` (production settings
  plus the bare view ``/bench/bare/``), as ``bench/pages`` starts it;
- 1,000 progress POSTs (10 per member, 7 seconds each, each with its own id) from 50 client
  threads at once, then 200 of them sent again (a phone replaying its offline queue); and
  1,000 GETs of the bare view from the same 50 threads, interleaved in three rounds;
- afterwards, in the database: exactly 1,000 applied updates, every member at 70 seconds,
  one points entry per completed lesson.

    .venv/bin/python bench/study.py          # writes its section of bench/RESULTS.md
"""

from __future__ import annotations

import concurrent.futures
import json
import secrets
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import machine_description, today, write_section  # noqa: E402
from bench.pages import BARE_PATH, DemoSite, run_server  # noqa: E402

MEMBERS = 100
UPDATES_EACH = 10
SECONDS_EACH = 7
REPLAYED = 200
THREADS = 50
ROUNDS = 3
CSRF = "b" * 32


def setup() -> None:
    """Run inside ``manage.py shell``: the data, and one session per member (printed)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from nutag.core.actors import SYSTEM
    from nutag.factories import PersonFactory, UserFactory, make_unit
    from nutag.people.models import PartyMembership
    from nutag.study import services

    banner = make_unit(parent=None, kind="banner", name="基准旗", code="150899")
    village = make_unit(parent=banner, kind="village", name="基准嘎查", code="150899100201")
    course = services.course_create(acting_user=SYSTEM, unit=banner, title="基准课程")
    lesson = services.lesson_add(acting_user=SYSTEM, course=course, title="第一课", minutes=5)
    sessions = []
    for i in range(MEMBERS):
        user: Any = UserFactory(username=f"bench{i}")
        person: Any = PersonFactory(unit=village, name=f"党员{i}", user=user)
        PartyMembership.objects.create(person=person, unit=village, unit_path=village.path)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    print(
        json.dumps(
            {
                "url": f"/u/{village.code}/study/lessons/{lesson.pk}/progress",
                "cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "sessions": sessions,
            }
        )
    )


def check() -> None:
    """Run inside ``manage.py shell``: what the database holds afterwards (printed)."""
    from django.db.models import Max, Min

    from nutag.study.models import LessonProgress, PointEntry, ProgressEvent

    agg = LessonProgress.objects.aggregate(lo=Min("seconds"), hi=Max("seconds"))
    print(
        json.dumps(
            {
                "events": ProgressEvent.objects.count(),
                "rows": LessonProgress.objects.count(),
                "min_seconds": agg["lo"],
                "max_seconds": agg["hi"],
                "completed": LessonProgress.objects.filter(completed_at__isnull=False).count(),
                "points": PointEntry.objects.count(),
            }
        )
    )


class StudySite(DemoSite):
    """``DemoSite`` with one secret key for the whole run: the sessions made by ``setup`` must
    be valid in the server's processes."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.key = secrets.token_urlsafe(50)

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, "SECRET_KEY": self.key}


def _post(base: str, info: dict, session: str, client_id: str, end: bool) -> int:  # type: ignore[type-arg]
    body = f"id={client_id}&seconds={SECONDS_EACH}&end={'1' if end else '0'}".encode()
    request = urllib.request.Request(  # noqa: S310
        base + info["url"],
        data=body,
        headers={
            "Cookie": f"{info['cookie']}={session}; {info['csrf_cookie']}={CSRF}",
            "X-CSRFToken": CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as r:  # noqa: S310
            r.read()
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _get(base: str) -> int:
    with urllib.request.urlopen(base + BARE_PATH, timeout=60) as r:  # noqa: S310
        r.read()
        return r.status


def _timed(calls: list, threads: int) -> tuple[float, list[int]]:  # type: ignore[type-arg]
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = list(pool.map(lambda f: f(), calls))
    return time.perf_counter() - started, statuses


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="nutag-bench-study-") as tmp:
        site = StudySite(Path(tmp))
        site.manage("migrate", "--no-input", settings="config.settings.dev")
        out = site.manage("shell", "-c", "from bench.study import setup; setup()")
        info = json.loads(out.strip().splitlines()[-1])
        site.manage("collectstatic", "--no-input")
        updates = [
            (info["sessions"][m], f"m{m}-u{u}", u == UPDATES_EACH - 1)
            for u in range(UPDATES_EACH)
            for m in range(MEMBERS)
        ]
        per_round = len(updates) // ROUNDS + 1
        progress_rates, bare_rates, statuses = [], [], []
        with run_server(site, workers=2) as server:
            base = server.base_url
            for r in range(ROUNDS):
                chunk = updates[r * per_round : (r + 1) * per_round]
                bare_time, bare_status = _timed([lambda: _get(base)] * len(chunk), THREADS)
                calls = [(lambda s=s, c=c, e=e: _post(base, info, s, c, e)) for s, c, e in chunk]
                took, got = _timed(calls, THREADS)
                statuses += got
                progress_rates.append(len(chunk) / took)
                bare_rates.append(len(chunk) / bare_time)
                assert set(bare_status) == {200}, bare_status
            replay = [
                (lambda s=s, c=c, e=e: _post(base, info, s, c, e)) for s, c, e in updates[:REPLAYED]
            ]
            _took, replayed = _timed(replay, THREADS)
        result = json.loads(
            site.manage(
                "shell",
                "-c",
                "from bench.study import check; check()",
                settings="config.settings.dev",
            )
            .strip()
            .splitlines()[-1]
        )
    ok = (
        statuses.count(200) == len(updates)
        and replayed.count(200) == REPLAYED
        and result["events"] == len(updates)
        and result["rows"] == MEMBERS
        and result["min_seconds"] == result["max_seconds"] == UPDATES_EACH * SECONDS_EACH
        and result["completed"] == result["points"] == MEMBERS
    )
    ratios = [p / b for p, b in zip(progress_rates, bare_rates, strict=True)]
    lines = [
        "## bench/study",
        "",
        f"Run on {today()}: {machine_description()}.",
        "SQLite (WAL), granian `--interface wsgi`, 2 workers, production settings "
        f"(`bench.settings_bench`); {THREADS} client threads on the same machine.",
        "",
        f"- {len(updates):,} progress updates ({MEMBERS} members × {UPDATES_EACH}, "
        f"{SECONDS_EACH} s each, each with its own id) sent {THREADS} at a time, then "
        f"{REPLAYED} of them sent again: **{'none lost, none doubled' if ok else 'MISMATCH'}** "
        f"— {result['events']:,} updates applied, every member at "
        f"{result['min_seconds']}–{result['max_seconds']} s (expected "
        f"{UPDATES_EACH * SECONDS_EACH}), {result['completed']} lessons completed, "
        f"{result['points']} points entries; answers: {statuses.count(200)} × 200 "
        f"(+ {replayed.count(200)} × 200 for the replays).",
        "- Throughput per round (progress / bare view, back to back): "
        + ", ".join(
            f"{p:.0f} / {b:.0f} req/s" for p, b in zip(progress_rates, bare_rates, strict=True)
        ),
        f"- **Progress updates at {statistics.median(ratios):.0%} of the bare view** (median of "
        f"the {ROUNDS} rounds' ratios). Each update reads the session, the login, the unit, "
        "the person, the lesson and its progress row, then writes one short transaction "
        "under SQLite's single writer: the client id's row and one UPDATE of the progress row "
        "(the time added in SQL; a conditional UPDATE marks completion), with no read inside "
        "it; the answer is read after it.",
        "",
        "Command: `.venv/bin/python bench/study.py`",
    ]
    write_section("bench/study", lines)
    print("\n".join(lines))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
