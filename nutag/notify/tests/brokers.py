"""Point this process's Celery app at another broker for one test, and back."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


def _reset_pools(app: Any) -> None:
    """Forget every connection and producer pool, the app's and kombu's global ones (an
    in-process test worker, ``celery.contrib.testing``, leaves them closed behind it)."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@contextlib.contextmanager
def celery_broker(url: str, queue: str | None = None) -> Iterator[Any]:
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.task_default_queue)
    _reset_pools(app)
    app.conf.broker_url = url
    if queue:
        app.conf.task_default_queue = queue
    try:
        yield app
    finally:
        _reset_pools(app)
        app.conf.broker_url, app.conf.task_default_queue = saved
