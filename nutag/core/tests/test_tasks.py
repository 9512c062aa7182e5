"""Background work: inline in tests, a thread in the embedded mode, Celery on Redis at scale."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import transaction
from django.test import override_settings

from nutag.core import tasks

calls: list[dict] = []
done = threading.Event()


def record(**kwargs: object) -> None:
    calls.append(kwargs)
    done.set()


# Reachable under the "nutag." prefix that run_named insists on.
RECORD = "nutag.core.tests.test_tasks.record"


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()
    done.clear()


def test_refuses_functions_outside_nutag():
    with pytest.raises(ValueError):
        tasks.run_named("os.system", {"command": "true"})


@pytest.mark.django_db(transaction=True)
def test_inline_runs_after_commit_only():
    with override_settings(NUTAG_TASK_MODE="inline"), transaction.atomic():
        tasks.enqueue(RECORD, n=1)
        assert calls == []
    assert calls == [{"n": 1}]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_work_is_never_run():
    with (
        override_settings(NUTAG_TASK_MODE="inline"),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tasks.enqueue(RECORD, n=2)
        raise RuntimeError
    assert calls == []


@pytest.mark.django_db(transaction=True)
def test_thread_mode_runs_in_another_thread():
    with override_settings(NUTAG_TASK_MODE="thread"):
        tasks.enqueue(RECORD, n=3)
    assert done.wait(10)
    assert calls == [{"n": 3}]


threads_used: list[int] = []
threads_closed: list[int] = []
closed = threading.Event()


def use_the_database() -> None:
    from django.db import connection

    connection.ensure_connection()
    threads_used.append(threading.get_ident())


@pytest.mark.django_db(transaction=True)
def test_a_task_thread_closes_its_connections_however_young(settings) -> None:
    """A task's thread ends by closing its connections, even those ``CONN_MAX_AGE`` would keep
    (SQLite's default): nobody would ever use them again. (The in-memory test database
    ignores a close; that the call is made in the task's own thread, after it, is the point.)"""
    from django.db import connections

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 600
    threads_used.clear()
    threads_closed.clear()
    closed.clear()  # a run before this one must not answer the wait below
    real = connections.close_all

    def close_all() -> None:
        threads_closed.append(threading.get_ident())
        real()
        closed.set()

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(connections, "close_all", close_all)
        with override_settings(NUTAG_TASK_MODE="thread"):
            tasks.enqueue("nutag.core.tests.test_tasks.use_the_database")
        assert closed.wait(10)
    assert len(threads_used) == 1
    assert threads_closed == threads_used  # in the task's thread, once
    assert threads_used[0] != threading.get_ident()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis server (REDIS_URL)")
@pytest.mark.django_db(transaction=True)
def test_celery_mode_runs_on_a_real_worker_through_redis():
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.conf.broker_url = os.environ["REDIS_URL"]
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        with override_settings(NUTAG_TASK_MODE="celery"):
            tasks.enqueue(RECORD, n=4)
        assert done.wait(20)
    assert calls == [{"n": 4}]


@pytest.mark.django_db
def test_an_unreachable_broker_leaves_the_work_for_the_sweep(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """Redis (the broker) down: the request that hands work over still succeeds, nothing
    runs here, and the warning says the periodic sweep will find it (bench/faults "broker"
    measures the sweep doing so once Redis is back)."""
    from kombu.exceptions import OperationalError

    from config import celery as app

    handed: list[tuple] = []

    def broker_down(*args: object, **kwargs: object) -> None:
        handed.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(app.run_task, "apply_async", broker_down)
    with (
        override_settings(NUTAG_TASK_MODE="celery"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.enqueue_or_leave(RECORD, n=1)
    assert handed == [((RECORD, {"n": 1}),)]
    assert calls == []
    assert "left for the periodic sweep" in caplog.text
