"""Running background work: in-process by default, Celery at scale.

``enqueue("nutag.people.importing.apply_import", batch_id=3)`` runs the function named by
its dotted path with keyword arguments after the current transaction commits:

- ``inline``: right away, in this thread (tests);
- ``thread``: in a daemon thread of this process (embedded default: one office PC);
- ``celery``: as the Celery task ``nutag.run`` on the configured broker.

``enqueue_or_leave`` is for work whose state lives in the database and which a periodic job
sweeps up anyway (notification deliveries): if the broker cannot be reached (Redis stopped),
the hand-over is logged and dropped instead of failing the request that committed it; the
sweep (``nutag.notify.delivery.deliver_due``) finds the work when the broker is back.

``run_periodic`` runs the jobs of ``NUTAG_PERIODIC_JOBS`` that are due: the embedded
worker (``manage.py run_worker``) calls it in a loop; at scale Celery beat schedules each
job itself (``config/celery.py``).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def run_named(path: str, kwargs: dict[str, Any]) -> None:
    if not path.startswith("nutag."):
        raise ValueError(f"refusing to run {path!r}: not a Nutag function")
    import_string(path)(**kwargs)


def _run_in_thread(path: str, kwargs: dict[str, Any]) -> None:
    def target() -> None:
        close_old_connections()
        try:
            run_named(path, kwargs)
        finally:
            connections.close_all()  # this thread's own: never used again, whatever their age

    threading.Thread(target=target, daemon=True, name=f"nutag-task-{path}").start()


def enqueue(path: str, **kwargs: Any) -> None:
    mode = settings.NUTAG_TASK_MODE

    def dispatch() -> None:
        if mode == "inline":
            run_named(path, kwargs)
        elif mode == "celery":
            from config.celery import run_task

            run_task.delay(path, kwargs)
        else:
            _run_in_thread(path, kwargs)

    transaction.on_commit(dispatch)


def enqueue_or_leave(path: str, **kwargs: Any) -> None:
    """``enqueue``, except that a broker that cannot be reached is logged, not raised."""
    mode = settings.NUTAG_TASK_MODE
    if mode != "celery":
        enqueue(path, **kwargs)
        return

    def dispatch() -> None:
        from config.celery import run_task

        try:
            run_task.apply_async((path, kwargs), retry=False)
        except Exception:  # kombu/redis connection errors: the sweep will find the work
            logger.warning(
                "broker unreachable; %s left for the periodic sweep", path, exc_info=True
            )

    transaction.on_commit(dispatch)


def periodic_jobs() -> dict[str, tuple[str, int]]:
    """``{name: (dotted path, every so many seconds)}`` from ``NUTAG_PERIODIC_JOBS``."""
    jobs: dict[str, tuple[str, int]] = {}
    for name, (path, seconds) in settings.NUTAG_PERIODIC_JOBS.items():
        jobs[name] = (str(path), int(seconds))
    return jobs


def run_periodic(last_run: dict[str, float], *, clock: Any = time.monotonic) -> list[str]:
    """Run each periodic job whose interval has passed since ``last_run`` (updated in
    place); a failing job is logged and does not stop the others. Returns the names run."""
    ran = []
    for name, (path, seconds) in periodic_jobs().items():
        now = clock()
        if now - last_run.get(name, float("-inf")) < seconds:
            continue
        last_run[name] = now
        try:
            run_named(path, {})
        except Exception:
            logger.exception("periodic job %s failed", name)
        ran.append(name)
    return ran
