"""No read counts lost when workers stop: two worker processes count reads into the shared
buffer (the embedded mode, no Redis), are stopped with SIGTERM as a graceful restart stops
them, and a flush afterwards (by any process: here the test's) writes every read.

Before the buffer was a file every process appends to, each worker kept its pending counts
in its own memory and SIGTERM lost them (the probe: 50% of 200 reads).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from nutag.sites import counting
from nutag.sites.models import Article, ArticleStatus, SiteCounter

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
READS_PER_WORKER = 100

WORKER = r"""
import sys, time
import django
django.setup()
from django.test import RequestFactory
from nutag.sites import counting

worker, unit_id, article_id, n = (int(a) for a in sys.argv[1:5])
factory = RequestFactory()
for i in range(n):
    request = factory.get("/", REMOTE_ADDR=f"10.{worker}.{i // 250}.{i % 250}",
                          HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10) phone")
    counting.count_read_for_cached(request, unit_id=unit_id, article_id=article_id)
print("ready", flush=True)
time.sleep(600)  # serving, until the stop
"""


def _start(worker: int, *, buffer: Path, unit_id: int, article_id: int, tmp: Path) -> Any:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "NUTAG_READS_BUFFER": str(buffer),
        "NUTAG_TASK_MODE": "thread",  # the embedded mode
        "NUTAG_READS_FLUSH_EVERY": "1000000",  # no flush before the stop: all still pending
        "NUTAG_READS_FLUSH_SECONDS": "1000000",
        "DATABASE_URL": f"sqlite:///{tmp / 'unused.sqlite3'}",  # the workers write no rows
    }
    env.pop("REDIS_URL", None)
    return subprocess.Popen(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", WORKER, str(worker), str(unit_id), str(article_id),
         str(READS_PER_WORKER)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_workers_stopped_with_sigterm_lose_no_reads(
    cast: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = tmp_path / "reads.buffer"
    settings.NUTAG_READS_BUFFER = str(buffer)
    # the embedded mode's store here too, even in CI's pass with Redis as the cache
    store = counting.FileStore(buffer)
    for module in (counting.visits, counting.shown, counting.flush):
        monkeypatch.setattr(module, "get_store", lambda: store)
    article = Article.objects.create(
        unit=cast.village1a,
        title="草原防火",
        body="<p>防火。</p>",
        status=ArticleStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    workers = [
        _start(w, buffer=buffer, unit_id=cast.village1a.pk, article_id=article.pk, tmp=tmp_path)
        for w in (1, 2)
    ]
    try:
        for proc in workers:
            line = proc.stdout.readline()
            assert line.strip() == "ready", proc.stderr.read()
        # the reads wait in the shared buffer, visible to every process
        assert counting.shown_reads(article) == 2 * READS_PER_WORKER
        for proc in workers:
            proc.send_signal(signal.SIGTERM)
        for proc in workers:
            assert proc.wait(timeout=60) == -signal.SIGTERM
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.kill()
    result = counting.flush_reads()  # what the next flush by any process does
    assert (result.reads, result.visits) == (2 * READS_PER_WORKER, 2 * READS_PER_WORKER)
    article.refresh_from_db()
    assert article.read_count == 2 * READS_PER_WORKER
    assert SiteCounter.objects.get(unit=cast.village1a).visits == 2 * READS_PER_WORKER
    assert counting.flush_reads().reads == 0  # taken once
    assert not buffer.exists()


def test_a_flush_racing_appends_loses_nothing(cast: Any, settings: Any, tmp_path: Path):
    import threading

    store = counting.FileStore(tmp_path / "race.buffer")
    taken: list[dict] = []
    stop = threading.Event()

    def flusher() -> None:
        while not stop.is_set():
            taken.append(store.take())
        taken.append(store.take())

    thread = threading.Thread(target=flusher)
    thread.start()
    writers = [
        threading.Thread(target=lambda: [store.add({("a", 1): 1}) for _ in range(500)])
        for _ in range(4)
    ]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    stop.set()
    thread.join()
    assert sum(t.get(("a", 1), 0) for t in taken) + store.pending([("a", 1)])[("a", 1)] == 2000


def test_a_pages_pending_counts_are_its_lines_of_the_file(tmp_path: Path) -> None:
    """``pending`` finds the asked targets' lines (a page render asks for one or two) and
    gives what parsing the whole file gives: neighbours (``a12``, ``a123``, ``u12``) apart, a
    torn last line of a crashed writer not counted unless whole, a missing file empty."""
    store = counting.FileStore(tmp_path / "pending.buffer")
    asked = [("a", 12), ("a", 123), ("u", 12), ("a", 1), ("u", 999)]
    assert store.pending(asked) == dict.fromkeys(asked, 0)
    store.add({("a", 12): 1, ("a", 123): 2, ("u", 12): 3})
    store.add({("a", 12): 4, ("a", 1): 1})
    store.add({("u", 12): 1})
    with open(store.path, "ab") as f:
        f.write(b"a12 garbage\nxx\n\na123 5\na12")  # junk, an empty line, a torn last line
    expected = counting.FileStore._parse(store.path.read_bytes())
    assert store.pending(asked) == {t: expected.get(t, 0) for t in asked}
    assert store.pending(asked) == {
        ("a", 12): 5,
        ("a", 123): 7,
        ("u", 12): 4,
        ("a", 1): 1,
        ("u", 999): 0,
    }
