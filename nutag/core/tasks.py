"""Running background work: in-process by default, Celery at scale.

``enqueue("nutag.people.importing.apply_import", batch_id=3)`` runs the function named by
its dotted path with keyword arguments after the current transaction commits:

- ``inline``: right away, in this thread (tests);
- ``thread``: in a daemon thread of this process (embedded default: one office PC);
- ``celery``: as the Celery task ``nutag.run`` on the configured broker.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils.module_loading import import_string


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
            close_old_connections()

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
