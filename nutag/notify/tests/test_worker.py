"""A real Celery worker on a real Redis: 5,000 notices fanned out, the worker SIGKILLed
mid-batch, a new worker and beat finish; every notice reaches the fake SMS server once.

Runs on PostgreSQL (the worker process must see the test database) with ``REDIS_URL`` set:
CI's second pass. There, with ``CI=true``, a missing Redis fails the test instead of
skipping it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from nutag.core.actors import SYSTEM
from nutag.factories import make_unit
from nutag.notify import services
from nutag.notify.models import Delivery, DeliveryState
from nutag.notify.tests.brokers import celery_broker
from nutag.notify.tests.fake_aliyun import FakeAliyun
from nutag.orgs.models import UnitKind
from nutag.people.models import Person

COUNT = 5000
REDIS_URL = os.environ.get("REDIS_URL", "")


def _require_services() -> None:
    """Needs a database both processes see (PostgreSQL) and Redis. CI's PostgreSQL pass
    provides both, so there a missing ``REDIS_URL`` is a failure, not a skip."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: run on PostgreSQL")
    if not REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the Celery worker test: REDIS_URL is not set")
        pytest.skip("needs a Redis server (REDIS_URL)")


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _start(kind: str, env: dict[str, str], tmp: Path, queue: str) -> subprocess.Popen[bytes]:
    base = [sys.executable, "-m", "celery", "-A", "config"]
    if kind == "worker":
        args = [
            *base,
            "worker",
            "-P",
            "solo",
            "-c",
            "1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ]
    else:
        args = [*base, "beat", "-s", str(tmp / "beat-schedule"), "-l", "WARNING"]
    log = (tmp / f"{kind}-{time.monotonic_ns()}.log").open("wb")
    return subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
        args, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _wait(condition: Any, timeout: float, what: str, tmp: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in tmp.glob("*.log"))
            pytest.fail(f"timed out waiting for {what}\n{logs}")
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(tmp_path: Path) -> None:
    _require_services()
    fake = FakeAliyun()
    queue = f"nutag-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "NUTAG_TASK_MODE": "celery",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "NUTAG_SMS_BACKEND": "nutag.notify.channels.sms.AliyunSms",
        "NUTAG_ALIYUN_SMS_ENDPOINT": fake.url,
        "NUTAG_ALIYUN_ACCESS_KEY_ID": "fake-id",
        "NUTAG_ALIYUN_ACCESS_KEY_SECRET": fake.secret,
        "NUTAG_ALIYUN_SMS_SIGN_NAME": "努图克",
        "NUTAG_ALIYUN_SMS_TEMPLATE": "SMS_0000",
        "NUTAG_NOTIFY_LEASE_SECONDS": "3",
        "NUTAG_NOTIFY_SWEEP_SECONDS": "1",
    }
    banner = make_unit(parent=None, kind=UnitKind.BANNER, name="压测旗", code="150798")
    Person.objects.bulk_create(
        [
            Person(
                unit=banner,
                unit_path=banner.path,
                name=f"牧民{i}",
                name_pinyin=f"mumin{i}",
                name_initials="mm",
                phone=f"139{i:08d}",
            )
            for i in range(COUNT)
        ],
        batch_size=1000,
    )
    saved = settings.NUTAG_TASK_MODE
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with celery_broker(REDIS_URL, queue):
            settings.NUTAG_TASK_MODE = "celery"
            first = _start("worker", env, tmp_path, queue)
            processes.append(first)
            told = services.notice_send(
                acting_user=SYSTEM, unit=banner, text="暴雪预警：请转移牲畜", emergency=True
            )
            assert told == COUNT
            _wait(lambda: len(fake.received) >= COUNT // 5, 180, "the first worker", tmp_path)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=15)
            assert len(fake.received) < COUNT, "the first worker finished before it was killed"
            processes.append(_start("worker", env, tmp_path, queue))
            processes.append(_start("beat", env, tmp_path, queue))
            _wait(
                lambda: not Delivery.objects.exclude(state=DeliveryState.SENT).exists(),
                300,
                "every delivery to be sent",
                tmp_path,
            )
    finally:
        for process in processes:
            _stop(process)
        settings.NUTAG_TASK_MODE = saved
        fake.stop()
    keys = set(Delivery.objects.values_list("sent_key", flat=True))
    assert len(keys) == COUNT
    assert set(fake.received) == keys
    assert set(fake.received.values()) == {1}, "a message was sent twice"
