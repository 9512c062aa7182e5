"""Celery for the scale mode (NUTAG_TASK_MODE=celery): one generic task runs any Nutag job.

Start a worker with ``celery -A config worker -l info``. The broker is CELERY_BROKER_URL,
or REDIS_URL when that is not set.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("nutag")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="nutag.run")
def run_task(path: str, kwargs: dict[str, Any]) -> None:
    """Run the Nutag function at ``path`` (see nutag.core.tasks.enqueue)."""
    from nutag.core.tasks import run_named

    run_named(path, kwargs)
