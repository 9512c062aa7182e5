"""Celery for the scale mode (NUTAG_TASK_MODE=celery): one generic task runs any Nutag job.

Start a worker with ``DJANGO_SETTINGS_MODULE=config.settings.prod celery -A config worker -l info``
and the scheduler with ``... celery -A config beat`` (or one process for both: ``worker -B``);
both refuse to start without a settings module. The broker is CELERY_BROKER_URL, or
REDIS_URL when that is not set. Beat runs the jobs of ``NUTAG_PERIODIC_JOBS``: the
notification sweep (deliveries due, digests, what a killed worker left), reminders, the
read-count flush and scheduled publishing.
"""

from __future__ import annotations

import sys
from typing import Any

from celery import Celery
from celery.signals import beat_init, worker_init

from config.startup import require_settings_module

require_settings_module()  # no fallback to the development settings

app = Celery("nutag")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="nutag.run")
def run_task(path: str, kwargs: dict[str, Any]) -> None:
    """Run the Nutag function at ``path`` (see nutag.core.tasks.enqueue)."""
    from nutag.core.tasks import run_named

    run_named(path, kwargs)


@worker_init.connect
@beat_init.connect
def _refuse_unsafe(**kwargs: Any) -> None:
    """An unsafe production configuration stops workers and beat too (nutag/core/checks.py)."""
    from django.core.exceptions import ImproperlyConfigured

    from nutag.core.checks import refuse_unsafe_production

    try:
        refuse_unsafe_production()
    except ImproperlyConfigured as exc:
        # Celery logs and ignores a signal handler's exceptions; SystemExit it does not.
        sys.stderr.write(f"{exc}\n")
        raise SystemExit(1) from exc


@app.on_after_configure.connect
def _schedule(sender: Any, **kwargs: Any) -> None:
    from nutag.core.tasks import periodic_jobs

    for name, (path, seconds) in periodic_jobs().items():
        sender.add_periodic_task(float(seconds), run_task.s(path, {}), name=name)
