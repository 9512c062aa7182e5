"""The embedded background worker: no broker, no extra server.

    python manage.py run_worker            # forever: periodic jobs every few seconds
    python manage.py run_worker --once     # each periodic job once, then exit (cron)

It runs the jobs of ``NUTAG_PERIODIC_JOBS`` (the notification sweep with its digests,
reminders, the read-count flush, scheduled publishing). Deliveries are also sent right away
by the web process (``NUTAG_TASK_MODE=thread``); this worker is what sends digests at their
hour, retries, and finishes what a stopped process left.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nutag.core.tasks import run_periodic


class Command(BaseCommand):
    help = "Run Nutag's periodic jobs without Celery (the embedded mode)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run every job once and exit")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between checks")

    def handle(self, *args: Any, **options: Any) -> None:
        last: dict[str, float] = {}
        while True:
            ran = run_periodic(last)
            if ran and options["verbosity"] > 1:
                self.stdout.write("ran: " + ", ".join(ran))
            if options["once"]:
                return
            time.sleep(options["tick"])
