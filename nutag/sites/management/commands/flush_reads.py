from typing import Any

from django.core.management.base import BaseCommand

from nutag.sites import counting


class Command(BaseCommand):
    help = (
        "Move pending read counts (Redis, or the machine's buffer file) to the database in one "
        "transaction. The web processes and run_worker also flush on their own."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = counting.flush_reads()
        self.stdout.write(
            f"Flushed {result.reads} reads of {result.articles} articles and "
            f"{result.visits} visits of {result.sites} sites."
        )
